/**
 * N identical servers: anti-affinity server group, one port per server, instances spread over the
 * cloud's availability zones, optional floating IPs and per-server volumes; an SSH keypair and user
 * data when given; boot from a volume on clouds that ask for it.
 */
import { Construct } from 'constructs';
import { Fn, Token, type ITerraformDependable } from 'cdktf';
import {
  blockstorageVolumeV3,
  computeInstanceV2,
  computeServergroupV2,
  computeVolumeAttachV2,
  dataOpenstackImagesImageV2,
  networkingFloatingipAssociateV2,
  networkingFloatingipV2,
  networkingPortV2,
} from '../.gen/providers/openstack/index.js';
import type { z } from 'zod';
import { ServerGroupSchema, type ServerGroup as ParsedServerGroup } from '../core/config/schema.js';
import { renderUserData, userDataSizeProblem, userDataValues } from '../core/config/user-data.js';
import type { CloudProfile } from './cloud-profile.js';
import type { ResourceLabels } from './labels.js';

/** A server group as written (one entry of `service.serverGroups`): see {@link ServerGroupSchema}. */
export type ServerGroupSpec = z.input<typeof ServerGroupSchema>;

/**
 * Props of {@link ServerGroup}.
 */
export interface ServerGroupProps {
  /** Cloud facts: flavors, images, volume types, zones, external network. No default. */
  readonly profile: CloudProfile;
  /**
   * The server group to create (one entry of `service.serverGroups`), validated with {@link ServerGroupSchema}, which
   * holds the defaults (`securityGroups` none, `floatingIp` false, `antiAffinity` true, `volumes` none). No default.
   * Example: `{ name: 'web', count: 2, size: 'small', image: 'debian', subnet: 'app' }`.
   */
  readonly spec: ServerGroupSpec;
  /** Id (token) of the tenant network the ports are on. No default. */
  readonly networkId: string;
  /** Id (token) of the subnet named by `spec.subnet`. No default. */
  readonly subnetId: string;
  /** Ids (tokens) of the security groups named by `spec.securityGroups`, in that order. Default: none. */
  readonly securityGroupIds?: readonly string[];
  /** Labels: `tags` on ports and floating IPs, `metadata` on instances and volumes. No default. */
  readonly labels: ResourceLabels;
  /** Prefix of OpenStack resource names (`<prefix>-<group>-<n>`). Default `sovstack`. */
  readonly namePrefix?: string;
  /**
   * Pool (external network name) floating IPs come from; `IaasService` passes the name read from the
   * external network data source so the catalog name appears once. Default `profile.externalNetwork`.
   */
  readonly floatingIpPool?: string;
  /**
   * The router interface of the servers' subnet: floating IPs are associated after it (neutron refuses a
   * floating IP on a port whose subnet does not reach the external network yet). Default: no ordering.
   */
  readonly routerInterface?: ITerraformDependable;
  /** Name (or token) of the Nova keypair given to every server. Default: none. */
  readonly keyPair?: string;
  /**
   * Text of the user-data file `spec.userData` names, rendered per server with its variables
   * (`renderUserData`). Required when `spec.userData` is set. Default: none.
   */
  readonly userData?: string;
  /**
   * Data volumes get `prevent_destroy` unless `spec.protectVolumes` is false; `false` here lifts it for
   * every volume (the client is being decommissioned). Default true.
   */
  readonly protectData?: boolean;
}

/** Catalog names of a server group, resolved on the cloud before any resource is created. */
interface ResolvedCatalog {
  readonly flavorName: string;
  readonly imageName: string;
  readonly volumeTypes: readonly string[];
  /** Volume type of the boot volume, when booting from a volume with a `rootDisk.tier`. */
  readonly rootVolumeType?: string;
  /** Id of the image: the catalog's UUID, or (token) looked up by name when booting from a volume. */
  readonly imageId?: string;
}

/** The resources of one server of a {@link ServerGroup}. */
export interface ServerResources {
  /** Server name inside the group, e.g. `web-1` (also the construct id of its instance). */
  readonly name: string;
  /** Availability zone the server (and its volumes) are in. */
  readonly availabilityZone: string;
  /** Its port. */
  readonly port: networkingPortV2.NetworkingPortV2;
  /** Its instance. */
  readonly instance: computeInstanceV2.ComputeInstanceV2;
  /** First fixed IP of its port (token). */
  readonly fixedIp: string;
  /** Its floating IP, when `spec.floatingIp`. */
  readonly floatingIp?: networkingFloatingipV2.NetworkingFloatingipV2;
  /** Its volumes, by volume name. */
  readonly volumes: Readonly<Record<string, blockstorageVolumeV3.BlockstorageVolumeV3>>;
}

/**
 * A group of `spec.count` servers. Construct ids are deterministic: `group` (server group),
 * `web-1-port`, `web-1` (instance), `web-1-fip`, `web-1-fip-assoc`, `web-1-data` (volume `data`),
 * `web-1-data-attach`.
 *
 * Server `i` (1-based) is placed in zone `availabilityZones[(i - 1) % zones]`; its volumes are created
 * in the same zone. With `antiAffinity` (default) a `compute_servergroup_v2` with the
 * `anti-affinity` policy is created and every instance joins it through a scheduler hint; without
 * it no server group exists.
 *
 * @example
 * new ServerGroup(this, 'web', { profile, spec, networkId: net.networkId, subnetId: net.subnetId('app'),
 *   securityGroupIds: [sgs.groupId('web')], labels });
 */
export class ServerGroup extends Construct {
  /** The server group name (`spec.name`). */
  readonly groupName: string;
  /** Id (token) of the subnet the servers are in. */
  readonly subnetId: string;
  /** The anti-affinity server group, when `spec.antiAffinity`. */
  readonly serverGroup?: computeServergroupV2.ComputeServergroupV2;
  /** The servers, in order. */
  readonly servers: readonly ServerResources[];

  /**
   * @param scope Parent construct.
   * @param id Construct id.
   * @param props See {@link ServerGroupProps}.
   */
  constructor(scope: Construct, id: string, props: ServerGroupProps) {
    super(scope, id);
    const spec = ServerGroupSchema.parse(props.spec);
    const { profile } = props;
    this.groupName = spec.name;
    this.subnetId = props.subnetId;

    // Resolve every catalog name first so a missing one fails before any resource exists.
    const imageName = profile.resolveImage(spec.image);
    const rootTier = profile.bootFromVolume ? spec.rootDisk.tier : undefined;
    const catalog: ResolvedCatalog = {
      flavorName: profile.resolveFlavor(spec.size),
      imageName,
      volumeTypes: spec.volumes.map((v) => profile.resolveVolumeType(v.tier)),
      ...(rootTier !== undefined ? { rootVolumeType: profile.resolveVolumeType(rootTier) } : {}),
    };
    if (spec.userData !== undefined && props.userData === undefined) {
      throw new Error(`server group "${spec.name}" names user data ${spec.userData} but its text was not given (props.userData)`);
    }
    // An image given by UUID is used as is; booting from a volume otherwise looks the id up by name.
    const imageId = IMAGE_ID.test(imageName)
      ? imageName
      : profile.bootFromVolume
        ? new dataOpenstackImagesImageV2.DataOpenstackImagesImageV2(this, 'image', { name: imageName, mostRecent: true }).id
        : undefined;
    const withImage: ResolvedCatalog = imageId !== undefined ? { ...catalog, imageId } : catalog;

    if (spec.antiAffinity) {
      this.serverGroup = new computeServergroupV2.ComputeServergroupV2(this, 'group', {
        name: `${props.namePrefix ?? 'sovstack'}-${spec.name}`,
        policies: ['anti-affinity'],
      });
    }
    this.servers = Array.from({ length: spec.count }, (_, i) => this.addServer(i, spec, withImage, props));
  }

  /** Server `i` (0-based): port, instance, then its floating IP and volumes. */
  private addServer(i: number, spec: ParsedServerGroup, catalog: ResolvedCatalog, props: ServerGroupProps): ServerResources {
    const { profile, labels } = props;
    const prefix = props.namePrefix ?? 'sovstack';
    const name = `${spec.name}-${i + 1}`;
    const zone = profile.zoneFor(i);
    const port = new networkingPortV2.NetworkingPortV2(this, `${name}-port`, {
      name: `${prefix}-${name}`,
      networkId: props.networkId,
      adminStateUp: true,
      fixedIp: [{ subnetId: props.subnetId }],
      securityGroupIds: props.securityGroupIds ? [...props.securityGroupIds] : undefined,
      tags: labels.tags(),
    });
    const instance = new computeInstanceV2.ComputeInstanceV2(this, name, {
      name: `${prefix}-${name}`,
      flavorName: catalog.flavorName,
      ...bootDisk(spec, catalog, profile.bootFromVolume),
      availabilityZone: zone,
      network: [{ port: port.id }],
      schedulerHints: this.serverGroup ? [{ group: this.serverGroup.id }] : undefined,
      keyPair: props.keyPair,
      userData: userDataFor(spec, props, i + 1, zone),
      metadata: labels.metadata(),
    });
    const floatingIp = spec.floatingIp ? this.addFloatingIp(name, port, props) : undefined;
    const volumes = this.addVolumes(name, zone, instance, spec, catalog, props);
    return { name, availabilityZone: zone, port, instance, fixedIp: Token.asString(Fn.element(port.allFixedIps, 0)), floatingIp, volumes };
  }

  private addFloatingIp(
    name: string,
    port: networkingPortV2.NetworkingPortV2,
    props: ServerGroupProps,
  ): networkingFloatingipV2.NetworkingFloatingipV2 {
    const floatingIp = new networkingFloatingipV2.NetworkingFloatingipV2(this, `${name}-fip`, {
      pool: props.floatingIpPool ?? props.profile.externalNetwork,
      description: `sovstack ${props.namePrefix ?? 'sovstack'}-${name}`,
      tags: props.labels.tags(),
    });
    new networkingFloatingipAssociateV2.NetworkingFloatingipAssociateV2(this, `${name}-fip-assoc`, {
      floatingIp: floatingIp.address,
      portId: port.id,
      ...(props.routerInterface !== undefined ? { dependsOn: [props.routerInterface] } : {}),
    });
    return floatingIp;
  }

  private addVolumes(
    name: string,
    zone: string,
    instance: computeInstanceV2.ComputeInstanceV2,
    spec: ParsedServerGroup,
    catalog: ResolvedCatalog,
    props: ServerGroupProps,
  ): Record<string, blockstorageVolumeV3.BlockstorageVolumeV3> {
    const volumes: Record<string, blockstorageVolumeV3.BlockstorageVolumeV3> = {};
    spec.volumes.forEach((v, j) => {
      if (volumes[v.name]) throw new Error(`server group "${spec.name}" declares volume "${v.name}" twice`);
      const volume = new blockstorageVolumeV3.BlockstorageVolumeV3(this, `${name}-${v.name}`, {
        name: `${props.namePrefix ?? 'sovstack'}-${name}-${v.name}`,
        size: v.sizeGb,
        volumeType: catalog.volumeTypes[j],
        availabilityZone: zone,
        metadata: props.labels.metadata(),
        // A data volume grows while attached (day 2): without it the provider refuses to extend an in-use volume.
        enableOnlineResize: true,
        lifecycle: { preventDestroy: spec.protectVolumes && props.protectData !== false },
      });
      new computeVolumeAttachV2.ComputeVolumeAttachV2(this, `${name}-${v.name}-attach`, {
        instanceId: instance.id,
        volumeId: volume.id,
      });
      volumes[v.name] = volume;
    });
    return volumes;
  }
}

/** A catalog image written as a UUID: an image id, used without a lookup. */
const IMAGE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The instance's boot disk: the image on the flavor's disk, or a new volume made from it (`block_device`). */
function bootDisk(
  spec: ParsedServerGroup,
  catalog: ResolvedCatalog,
  bootFromVolume: boolean,
): Pick<computeInstanceV2.ComputeInstanceV2Config, 'imageName' | 'imageId' | 'blockDevice'> {
  if (!bootFromVolume || catalog.imageId === undefined) {
    return catalog.imageId !== undefined ? { imageId: catalog.imageId } : { imageName: catalog.imageName };
  }
  return {
    blockDevice: [
      {
        sourceType: 'image',
        uuid: catalog.imageId,
        destinationType: 'volume',
        bootIndex: 0,
        volumeSize: spec.rootDisk.sizeGb,
        volumeType: catalog.rootVolumeType,
        deleteOnTermination: true,
      },
    ],
  };
}

/** The user data of server `index` (from 1) in `zone`, rendered; undefined without `spec.userData`. Throws over Nova's limit. */
function userDataFor(spec: ParsedServerGroup, props: ServerGroupProps, index: number, zone: string): string | undefined {
  if (spec.userData === undefined || props.userData === undefined) return undefined;
  const values = userDataValues(props.labels.props.clientId, spec.name, index, zone, props.namePrefix ?? 'sovstack');
  const problem = userDataSizeProblem(props.userData, [values]);
  if (problem !== undefined) throw new Error(`server group "${spec.name}", ${spec.userData}: ${problem}`);
  return renderUserData(props.userData, values);
}
