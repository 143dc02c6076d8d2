import { describe, expect, it } from 'vitest';
import { leafName, tofuTargets } from './tofu.js';

// The agreement test compares fast-check issues with what these helpers extract from real tofu diagnostics;
// pin the extraction on diagnostics copied from tofu 1.12.6 output so a loose comparison cannot creep in.
describe('tofuTargets', () => {
  it('takes quoted names and the address from a resource context', () => {
    const t = tofuTargets({
      severity: 'error',
      summary: 'Missing required argument',
      detail: 'The argument "source_type" is required, but no definition was found.',
      snippet: { context: 'resource.openstack_compute_instance_v2.web.block_device[0]' },
    });
    expect(t).toEqual({ names: new Set(['source_type']), address: 'openstack_compute_instance_v2.web' });
  });

  it('reduces dotted attribute paths to their leaf and prefers the diagnostic address', () => {
    const t = tofuTargets({
      severity: 'error',
      summary: 'Value for unconfigurable attribute',
      detail: 'Can\'t configure a value for "network.0.mac": its value will be decided automatically.',
      address: 'openstack_compute_instance_v2.web',
      snippet: { context: 'resource.openstack_compute_instance_v2.web.network[0]' },
    });
    expect(t.names).toEqual(new Set(['network.0.mac', 'mac']));
    expect(t.address).toBe('openstack_compute_instance_v2.web');
  });

  it('reads block names from summaries, data and provider addresses, and falls back to the context', () => {
    expect(
      tofuTargets({
        severity: 'error',
        summary: 'Too many persistence blocks',
        detail: 'No more than 1 "persistence" blocks are allowed',
        snippet: { context: 'resource.openstack_lb_pool_v2.web.persistence[1]' },
      }),
    ).toEqual({
      names: new Set(['persistence']),
      address: 'openstack_lb_pool_v2.web',
    });
    expect(
      tofuTargets({
        severity: 'error',
        summary: 'Extraneous JSON object property',
        detail: 'No argument or block type is named "x".',
        snippet: { context: 'data.openstack_images_image_v2.img' },
      }).address,
    ).toBe('data.openstack_images_image_v2.img');
    expect(
      tofuTargets({
        severity: 'error',
        summary: 'Incorrect attribute value type',
        detail: 'Inappropriate value for attribute "insecure": a bool is required.',
        snippet: { context: 'provider.openstack[1]' },
      }).address,
    ).toBe('provider.openstack[1]');
    expect(
      tofuTargets({
        severity: 'error',
        summary: 'Incorrect JSON value type',
        detail: 'Either a JSON object or JSON array of objects is required here.',
        snippet: { context: 'resource.openstack_compute_instance_v2.p.network' },
      }),
    ).toEqual({
      names: new Set(['network']),
      address: 'openstack_compute_instance_v2.p',
    });
  });

  it('leaves the address unknown for type-level diagnostics', () => {
    const t = tofuTargets({
      severity: 'error',
      summary: 'Invalid resource type',
      detail: 'The provider x/y does not support resource type "openstack_a_v9". Did you mean "openstack_a_v1"?',
      snippet: { context: 'resource' },
    });
    expect(t.address).toBeUndefined();
    expect(t.names.has('openstack_a_v9')).toBe(true);
  });
});

describe('leafName', () => {
  it('drops list indexes', () => {
    expect(leafName('network.0.mac')).toBe('mac');
    expect(leafName('security_groups.1')).toBe('security_groups');
    expect(leafName('network[0]')).toBe('network');
    expect(leafName('size')).toBe('size');
  });
});
