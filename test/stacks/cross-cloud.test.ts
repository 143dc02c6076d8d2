import { describe, expect, it } from 'vitest';
import { ClientStack } from '../../stacks/index.js';
import type { CloudConfig } from '../../core/config/schema.js';
import { PORTABLE_SERVICE, makeClient, sovereignCloud, stackJson, testApp, vendorCloud } from '../support/fixtures.js';

/** Replaces the cloud id in the `sovstack:cloud` label (tags and metadata) by a placeholder. */
function normalizeLabels(value: unknown, cloudId: string): unknown {
  if (typeof value === 'string') {
    return value === `sovstack:cloud=${cloudId}` ? 'sovstack:cloud=<cloud>' : value;
  }
  if (Array.isArray(value)) return value.map((v) => normalizeLabels(v, cloudId));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        (k === 'sovstack:cloud' || k === 'sovstack-cloud') && v === cloudId ? '<cloud>' : normalizeLabels(v, cloudId),
      ]),
    );
  }
  return value;
}

/** Leaf paths where two JSON trees differ, with the resource's logical id replaced by `*`. */
function differingPaths(a: unknown, b: unknown, path: string[] = [], out = new Set<string>()): Set<string> {
  const isObj = (x: unknown) => x !== null && typeof x === 'object';
  if (isObj(a) && isObj(b) && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      differingPaths((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], [...path, k], out);
    }
    return out;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) {
    const generic = path.map((p, i) =>
      (path[0] === 'resource' || path[0] === 'data') && i === 2 ? '*' : path[0] === 'provider' && i === 2 ? '*' : /^\d+$/.test(p) ? '#' : p,
    );
    out.add(generic.join('.'));
  }
  return out;
}

const synth = (cloud: CloudConfig) =>
  normalizeLabels(
    stackJson(new ClientStack(testApp(), { client: makeClient({ service: PORTABLE_SERVICE }), cloud, toolkitVersion: '0.1.0' })),
    cloud.id,
  );

describe('the same client on the two clouds', () => {
  it('differs only in catalog-driven attributes, provider target and backend', () => {
    const diff = [...differingPaths(synth(sovereignCloud()), synth(vendorCloud()))].sort();
    expect(diff).toEqual(
      [
        'data.openstack_networking_network_v2.*.name',
        'provider.openstack.*.auth_url',
        'provider.openstack.*.cloud',
        'provider.openstack.*.region',
        'resource.openstack_blockstorage_volume_v3.*.availability_zone',
        'resource.openstack_blockstorage_volume_v3.*.volume_type',
        'resource.openstack_compute_instance_v2.*.availability_zone',
        'resource.openstack_compute_instance_v2.*.flavor_name',
        'resource.openstack_compute_instance_v2.*.image_name',
        'terraform.backend.s3.bucket',
        'terraform.backend.s3.endpoints.s3',
        'terraform.backend.s3.key',
        'terraform.backend.s3.region',
      ].sort(),
    );
  });

  it('is detected by the diff when a non-catalog attribute differs', () => {
    // Guard against a diff that can never fail: a different client id must show up.
    const other = normalizeLabels(
      stackJson(
        new ClientStack(testApp(), {
          client: makeClient({ id: 'min-armees', service: PORTABLE_SERVICE }),
          cloud: sovereignCloud(),
          toolkitVersion: '0.1.0',
        }),
      ),
      'sovereign-fr1',
    );
    const diff = differingPaths(synth(sovereignCloud()), other);
    expect(diff.has('resource.openstack_compute_instance_v2.*.name')).toBe(true);
    expect(diff.has('terraform.backend.s3.key')).toBe(true);
  });
});
