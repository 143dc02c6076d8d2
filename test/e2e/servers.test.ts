/**
 * Servers people can log into, bootstrap and find, deployed for real on each lab cloud (issue 14):
 * a keypair from the client's SSH public key, templated user data, boot from a volume on the
 * vendor-style cloud (lab-vendor), A records in the client's Designate zone on lab-sovereign. Checked
 * through the APIs: the keypair's fingerprint in Nova, the user data Nova holds (compute microversion
 * 2.3+, which shows it to an admin), the boot volume attached as the root disk, recordsets ACTIVE.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cdktf,
  cleanupStack,
  cloudsYaml,
  describeInventory,
  ensureLab,
  inventory,
  type LabCloud,
  makeWorkspace,
  startClean,
  tail,
} from './harness.js';
import { OpenStack, type FloatingIp, type Server, type Volume } from './openstack.js';
import { clientAndCloud } from './verify.js';

const PUBLIC_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIHcJz/EQIFLXfZ2tfVaDU1TX5pWRtUK37KRa4SmT5x0 ops@e2e-srv';

/** Nova's fingerprint of an OpenSSH public key: MD5 of the key blob, colon-separated hex. */
function novaFingerprint(publicKey: string): string {
  const md5 = createHash('md5')
    .update(Buffer.from(publicKey.split(' ')[1], 'base64'))
    .digest('hex');
  return md5.match(/../g)!.join(':');
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

interface Zone {
  id: string;
  name: string;
  status: string;
}
interface Recordset {
  name: string;
  type: string;
  records: string[];
  status: string;
}

const cases: { client: string; cloud: LabCloud }[] = [
  { client: 'e2e-srv-sov', cloud: 'lab-sovereign' },
  { client: 'e2e-srv-vnd', cloud: 'lab-vendor' },
];

beforeAll(async () => {
  await ensureLab();
});

for (const { client, cloud } of cases) {
  describe(`${client} on ${cloud}`, () => {
    const stack = `${client}-${cloud}`;
    const ws = makeWorkspace(client, [client]);
    let server: Server;
    let os: OpenStack;

    beforeAll(async () => {
      await startClean(cloud, client, stack);
      os = await OpenStack.login(cloudsYaml, cloud);
    });
    afterAll(async () => {
      await cleanupStack(ws, cloud, client, stack);
    });

    it(`deploys ${stack}`, async () => {
      const deploy = await cdktf(ws, cloud, ['deploy', stack, '--auto-approve', '--skip-provider-lock']);
      expect(deploy.code, tail(deploy)).toBe(0);
      [server] = await os.servers(`${client}-app-`);
      expect(server?.status).toBe('ACTIVE');
    });

    it('Nova holds the keypair of the SSH key (same fingerprint) and gave it to the server', async () => {
      const { keypair } = await os.get<{ keypair: { public_key: string; fingerprint: string } }>('compute', `/os-keypairs/${client}-ssh`);
      expect(keypair.public_key.trim()).toBe(PUBLIC_KEY);
      expect(keypair.fingerprint).toBe(novaFingerprint(PUBLIC_KEY));
      const { server: shown } = await os.get<{ server: { key_name: string } }>('compute', `/servers/${server.id}`);
      expect(shown.key_name).toBe(`${client}-ssh`);
    });

    it('the server carries the rendered user data (compute microversion 2.3+)', async () => {
      const admin = await OpenStack.login(cloudsYaml, 'lab-admin');
      const { server: shown } = await admin.get<{ server: Record<string, unknown> }>('compute', `/servers/${server.id}`);
      const userData = Buffer.from(String(shown['OS-EXT-SRV-ATTR:user_data']), 'base64').toString('utf8');
      expect(userData.startsWith('#cloud-config\n')).toBe(true);
      expect(userData).toContain(`hostname: ${client}-app-1\n`);
      expect(userData).toContain(`client=${client} group=app index=1 zone=nova\n`);
      expect(userData).not.toContain('{{');
    });

    if (cloud === 'lab-vendor') {
      it('boots from a new volume made from the image, attached as the root disk, sized and typed by rootDisk', async () => {
        const { client: config, cloud: cloudConfig } = await clientAndCloud(ws.estate, client, cloud);
        expect(cloudConfig.catalog.bootFromVolume).toBe(true);
        expect(server.image).toBe('');
        const attached = await Promise.all(
          server['os-extended-volumes:volumes_attached'].map(
            async (a) => (await os.get<{ volume: Volume }>('volumev3', `/volumes/${a.id}`)).volume,
          ),
        );
        const admin = await OpenStack.login(cloudsYaml, 'lab-admin');
        const { server: shown } = await admin.get<{ server: Record<string, unknown> }>('compute', `/servers/${server.id}`);
        const rootDevice = String(shown['OS-EXT-SRV-ATTR:root_device_name']);
        const root = attached.filter((v) => v.attachments.some((a) => a.server_id === server.id && a.device === rootDevice));
        expect(root, `one volume on the root device ${rootDevice}`).toHaveLength(1);
        expect(root[0].bootable).toBe('true');
        expect(root[0].size).toBe(8);
        expect(root[0].volume_type).toBe(cloudConfig.catalog.volumeTiers.balanced);
        expect(root[0].volume_image_metadata?.image_name).toBe(cloudConfig.catalog.images[config.service.serverGroups[0].image]);
        expect(await os.serverImageName(server)).toBe('OBS Debian 12');
        // the data volume is attached too, and is not the root disk
        expect(attached.map((v) => v.name)).toContain(`${client}-app-1-data`);
      });
    } else {
      it("Designate holds the client's zone with A records for the load balancer's and the server's floating IPs, ACTIVE", async () => {
        const zoneName = `${client}.lab.sovstack.test.`;
        const zone = await waitFor('zone ACTIVE', async () => {
          const { zones } = await os.get<{ zones: Zone[] }>('dns', `/v2/zones?name=${encodeURIComponent(zoneName)}`);
          return zones[0]?.status === 'ACTIVE' ? zones[0] : undefined;
        });
        const fips = await os.neutron<FloatingIp>('floatingips', `project_id=${os.projectId}`);
        const ports = await os.neutron<{ id: string; device_id: string; device_owner: string }>('ports', `project_id=${os.projectId}`);
        const serverPort = ports.find((p) => p.device_id === server.id)!;
        const serverFip = fips.find((f) => f.port_id === serverPort.id)!.floating_ip_address;
        const [lb] = (await os.octavia<{ id: string; name: string; vip_port_id: string }>('loadbalancers')).filter((l) =>
          l.name.startsWith(client),
        );
        const lbFip = fips.find((f) => f.port_id === lb.vip_port_id)!.floating_ip_address;
        const records = await waitFor('recordsets ACTIVE', async () => {
          const { recordsets } = await os.get<{ recordsets: Recordset[] }>('dns', `/v2/zones/${zone.id}/recordsets?type=A`);
          return recordsets.length === 2 && recordsets.every((r) => r.status === 'ACTIVE') ? recordsets : undefined;
        });
        expect(Object.fromEntries(records.map((r) => [r.name, r.records]))).toEqual({
          [`www.${zoneName}`]: [lbFip],
          [`app-1.${zoneName}`]: [serverFip],
        });
      });
    }

    it(`destroys ${stack}: nothing of ${client} is left${cloud === 'lab-sovereign' ? ', its zone included' : ''}`, async () => {
      const destroy = await cdktf(ws, cloud, ['destroy', stack, '--auto-approve', '--skip-provider-lock']);
      expect(destroy.code, tail(destroy)).toBe(0);
      expect(describeInventory(await inventory(cloud, client))).toBe('');
      const { keypairs } = await os.get<{ keypairs: { keypair: { name: string } }[] }>('compute', '/os-keypairs');
      expect(keypairs.map((k) => k.keypair.name)).not.toContain(`${client}-ssh`);
      if (cloud === 'lab-sovereign') {
        await waitFor('zone gone', async () => {
          const { zones } = await os.get<{ zones: Zone[] }>('dns', `/v2/zones?name=${encodeURIComponent(`${client}.lab.sovstack.test.`)}`);
          return zones.length === 0 ? true : undefined;
        });
      }
    });
  });
}
