/**
 * Nothing lost: a real `tofu plan` that would replace or destroy a data volume of a synthesized stack is
 * refused (prevent_destroy), and the same plan with the protection lifted (`decommission: true`) is marked
 * as a data-loss blocker by the PR report. No cloud is contacted: the state is written by hand and plans
 * run with -refresh=false (the provider authenticates lazily).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { markDataLoss, planDataLoss } from '../../app/report/data-loss.js';
import { parsePlan, summarizePlan } from '../../app/report/plan.js';
import { reportWarnings } from '../../app/report/warnings.js';
import type { ResourceChange, StackReport } from '../../app/report/types.js';
import { synthDiff } from '../../app/report/synth-diff.js';
import { ClientStack } from '../../stacks/index.js';
import { makeClient, sovereignCloud, TEST_PUBLIC_KEY } from '../support/fixtures.js';
import { scratchWith, tofu } from '../support/tools.js';

const PROVIDER = 'provider["registry.opentofu.org/terraform-provider-openstack/openstack"]';

/** The synthesized JSON of a client with one server and its 20 GB data volume; `decommission` lifts the protection. */
function stackJson(decommission: boolean): Record<string, any> {
  const cloud = sovereignCloud({
    openstack: { cloudsYamlName: undefined, externalNetworkId: '6f1c2a4e-8d3b-4c57-9a0e-2b7d5e91c340' },
  });
  const client = makeClient({
    decommission,
    service: {
      serverGroups: [
        {
          name: 'db',
          count: 1,
          size: 'small',
          image: 'debian-12',
          subnet: 'app',
          volumes: [{ name: 'data', sizeGb: 20, tier: 'standard' }],
        },
      ],
      ssh: { publicKey: TEST_PUBLIC_KEY },
    },
  });
  const stack = new ClientStack(Testing.app(), { client, cloud, toolkitVersion: '0.1.0' });
  const json = JSON.parse(Testing.synth(stack)) as Record<string, any>;
  json.terraform.backend = { local: { path: 'terraform.tfstate' } };
  return json;
}

/** A state holding the volume as created in `zone`: a zone other than the configured one forces its replacement. */
function stateWithVolume(address: string, zone: string): string {
  const attributes = { id: '0b5d1d7e-3333-4a4a-9d2b-000000000003', name: 'min-interieur-db-1-data', size: 20, volume_type: 'standard' };
  const instance = { schema_version: 0, attributes: { ...attributes, availability_zone: zone, region: 'fr1' }, sensitive_attributes: [] };
  const [type, name] = address.split('.');
  const resources = [{ mode: 'managed', type, name, provider: PROVIDER, instances: [instance] }];
  return JSON.stringify({
    version: 4,
    terraform_version: '1.12.6',
    serial: 1,
    lineage: '2d1c0e9a-7b6f-4e21-8d0c-5a4b3c2d1e0f',
    outputs: {},
    resources,
  });
}

/** Writes the stack and a prior state, runs `tofu init`; returns the folder and the volume's address. */
function workspace(decommission: boolean, zone: string): { dir: string; volume: string; json: Record<string, any> } {
  const json = stackJson(decommission);
  const name = Object.keys(json.resource.openstack_blockstorage_volume_v3 as object)[0];
  const volume = `openstack_blockstorage_volume_v3.${name}`;
  const dir = scratchWith(json);
  writeFileSync(join(dir, 'terraform.tfstate'), stateWithVolume(volume, zone));
  const init = tofu(['init', '-input=false'], dir);
  expect(init.code, init.stderr).toBe(0);
  return { dir, volume, json };
}

const plan = (dir: string, ...extra: string[]) => tofu(['plan', '-refresh=false', '-input=false', '-lock=false', ...extra], dir);

describe('protected data volumes, with a real tofu plan', () => {
  it('synthesizes prevent_destroy on the volume, lifted for a decommissioned client', () => {
    const lifecycle = (json: Record<string, any>) => Object.values(json.resource.openstack_blockstorage_volume_v3 as object)[0].lifecycle;
    expect(lifecycle(stackJson(false))).toEqual({ prevent_destroy: true });
    expect(lifecycle(stackJson(true))).toEqual({ prevent_destroy: false });
  });

  it('refuses to replace the volume', () => {
    const { dir, volume } = workspace(false, 'fr1-b');
    const result = plan(dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Resource instance cannot be destroyed');
    expect(result.stderr).toContain(volume);
  });

  it('refuses to destroy the stack and its volume', () => {
    const { dir, volume } = workspace(false, 'fr1-a');
    expect(plan(dir).code, 'the unchanged volume plans fine').toBe(0);
    const result = plan(dir, '-destroy');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Resource instance cannot be destroyed');
    expect(result.stderr).toContain(volume);
  });

  it('plans the replacement once decommissioned, and the report marks it as a data-loss blocker', () => {
    const { dir, volume, json } = workspace(true, 'fr1-b');
    const planned = plan(dir, '-out=plan.bin');
    expect(planned.code, planned.stderr).toBe(0);
    const shown = tofu(['show', '-json', 'plan.bin'], dir);
    const { counts, resources } = summarizePlan(parsePlan(JSON.parse(shown.stdout)));
    expect(counts.replace).toBe(1);
    const blockers = markDataLoss(resources, [json]);
    expect(blockers.map((r) => [r.address, r.blocker])).toEqual([[volume, 'data volume replaced: its data is lost']]);
    const stack = { stack: 'min-interieur-sovereign-fr1', client: 'min-interieur', resources, counts } as unknown as StackReport;
    const warnings = reportWarnings({ dir, stacks: new Map() }, [], [stack], []);
    expect(warnings[0].kind).toBe('data-loss');
    expect(warnings[0].message).toContain(`${volume} (data volume replaced: its data is lost)`);
    expect(planDataLoss(JSON.parse(shown.stdout), json)).toEqual([{ address: volume, reason: 'data volume replaced: its data is lost' }]);
  });
});

describe('markDataLoss', () => {
  const change = (address: string, action: ResourceChange['action']): ResourceChange => ({
    address,
    type: address.split('.')[0],
    action,
    attributes: [],
  });
  const stack = {
    resource: {
      openstack_compute_instance_v2: {
        'web-1': {},
        'db-1': {},
        'bfv-1': { block_device: [{ destination_type: 'volume', boot_index: 0 }] },
      },
      openstack_compute_volume_attach_v2: {
        'db-1-data-attach': {
          instance_id: '${openstack_compute_instance_v2.db-1.id}',
          volume_id: '${openstack_blockstorage_volume_v3.db-1-data.id}',
        },
      },
    },
  };

  it('marks volumes, containers and servers with volumes that are destroyed or replaced, with the reason', () => {
    const changes = [
      change('openstack_blockstorage_volume_v3.db-1-data', 'destroy'),
      change('openstack_objectstorage_container_v1.archives', 'replace'),
      change('openstack_compute_instance_v2.db-1', 'replace'),
      change('openstack_compute_instance_v2.bfv-1', 'destroy'),
      change('openstack_compute_instance_v2.web-1', 'replace'),
      change('openstack_blockstorage_volume_v3.other', 'update'),
      change('openstack_objectstorage_container_v1.new', 'create'),
    ];
    expect(markDataLoss(changes, [stack]).map((c) => [c.address, c.blocker])).toEqual([
      ['openstack_blockstorage_volume_v3.db-1-data', 'data volume destroyed: its data is lost'],
      ['openstack_objectstorage_container_v1.archives', 'object-storage container replaced: its objects are lost'],
      [
        'openstack_compute_instance_v2.db-1',
        'server with volumes (openstack_blockstorage_volume_v3.db-1-data) replaced: what it wrote outside its data volumes is lost, and its volumes are detached',
      ],
      [
        'openstack_compute_instance_v2.bfv-1',
        'server with volumes (its boot volume) destroyed: what it wrote outside its data volumes is lost, and its volumes are detached',
      ],
    ]);
    expect(changes.find((c) => c.address.endsWith('web-1'))?.blocker).toBeUndefined();
  });
});

describe('a synth comparison without a plan', () => {
  it('knows a server whose user data changed is replaced, and says why', () => {
    const server = (userData: string) => ({
      resource: { openstack_compute_instance_v2: { 'web-1': { name: 'web-1', user_data: userData } } },
    });
    const diff = synthDiff(server('#!/bin/sh\necho 1\n'), server('#!/bin/sh\necho 2\n'));
    expect(diff.resources.map((r) => [r.action, r.reason])).toEqual([['replace', 'forced by user_data']]);
    expect(diff.resources[0].attributes[0]).toMatchObject({ path: 'user_data', forcesReplacement: true });
    expect(diff.counts).toMatchObject({ replace: 1, change: 0 });
  });
});
