/**
 * `sovstack deploy --rolling`: the steps computed from real plans, and the order and waits of the loop.
 *
 * The plans in test/fixtures/rolling are `tofu show -json` of real plans of the lab client e2e-day2
 * (2 servers with a data volume each behind an HTTP pool), cut down to `resource_changes`:
 * rebuild = image debian-12 → ubuntu-24; resize = flavor small → medium; replace = user data added;
 * mixed = image back to debian-12 + a third server + a security rule.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applyRolling,
  memberIsBack,
  rollingSteps,
  type MemberHealth,
  type RollingDriver,
  type ServerStep,
} from '../../app/operate/rolling.js';
import { repoRoot } from '../support/tools.js';

const plan = (name: string): unknown =>
  JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'rolling', `${name}.plan.json`), 'utf8'));
const POOL = '71977342-ad79-48dc-aa17-4cd91a78ec68';
const servers = (steps: ReturnType<typeof rollingSteps>): ServerStep[] => steps.filter((s): s is ServerStep => s.kind === 'server');

describe('rollingSteps', () => {
  it('an image change rebuilds each server in place: one step per server, in name order, each watching its member', () => {
    const steps = rollingSteps(plan('rebuild'));
    expect(steps.map((s) => s.kind)).toEqual(['server', 'server']);
    expect(servers(steps).map((s) => [s.name, s.disruption])).toEqual([
      ['e2e-day2-app-1', 'rebuild'],
      ['e2e-day2-app-2', 'rebuild'],
    ]);
    const [first, second] = servers(steps);
    expect(first.targets).toEqual(['openstack_compute_instance_v2.service_servers_app_app-1_ACE936D4']);
    expect(first.members).toEqual([
      { resource: 'openstack_lb_member_v2.service_load-balancer_http_member-app-1_E2679B47', poolId: POOL, address: '10.91.1.224' },
    ]);
    expect(second.members.map((m) => m.address)).toEqual(['10.91.1.88']);
  });

  it('a flavor change is a resize of each server, nothing else changes', () => {
    const steps = rollingSteps(plan('resize'));
    expect(steps.map((s) => (s.kind === 'server' ? `${s.name}:${s.disruption}` : s.kind))).toEqual([
      'e2e-day2-app-1:resize',
      'e2e-day2-app-2:resize',
    ]);
  });

  it('a replacement takes the volume attachments of the server along, and only its own', () => {
    const [first, second, ...rest] = rollingSteps(plan('replace'));
    expect(rest).toEqual([]);
    expect(first).toMatchObject({ kind: 'server', name: 'e2e-day2-app-1', disruption: 'replace' });
    expect((first as ServerStep).targets).toEqual([
      'openstack_compute_instance_v2.service_servers_app_app-1_ACE936D4',
      'openstack_compute_volume_attach_v2.service_servers_app_app-1-data-attach_C7FE609A',
    ]);
    expect((second as ServerStep).targets).toEqual([
      'openstack_compute_instance_v2.service_servers_app_app-2_CB88CF3B',
      'openstack_compute_volume_attach_v2.service_servers_app_app-2-data-attach_EEC5A83E',
    ]);
  });

  it('what does not disrupt a running server (a new server, its volume and member, a security rule) is left for the last step', () => {
    const steps = rollingSteps(plan('mixed'));
    expect(steps.map((s) => (s.kind === 'server' ? s.name : s.kind))).toEqual(['e2e-day2-app-1', 'e2e-day2-app-2', 'rest']);
    expect(servers(steps).flatMap((s) => s.targets)).not.toContain('openstack_compute_instance_v2.service_servers_app_app-3_87516F48');
  });

  it('orders app-2 before app-10 and gives no step for a plan without changes', () => {
    const json = plan('rebuild') as { resource_changes: { change: { before: { name: string } } }[] };
    const renamed = structuredClone(json);
    const named = renamed.resource_changes.filter((rc) => rc.change.before.name === 'e2e-day2-app-1');
    for (const rc of named) rc.change.before.name = 'e2e-day2-app-10';
    expect(servers(rollingSteps(renamed)).map((s) => s.name)).toEqual(['e2e-day2-app-2', 'e2e-day2-app-10']);
    const nothing = { format_version: '1.2', resource_changes: [] };
    expect(rollingSteps(nothing)).toEqual([]);
  });

  it('refuses what is not a plan', () => {
    expect(() => rollingSteps({ resource_changes: [] })).toThrow(/not `tofu show -json` output/);
  });
});

describe('memberIsBack', () => {
  const m = (provisioningStatus: string, operatingStatus: string): MemberHealth => ({ address: 'x', provisioningStatus, operatingStatus });
  it('with health reported, only ONLINE or NO_MONITOR and ACTIVE count', () => {
    expect(memberIsBack(m('ACTIVE', 'ONLINE'), true)).toBe(true);
    expect(memberIsBack(m('ACTIVE', 'NO_MONITOR'), true)).toBe(true);
    expect(memberIsBack(m('ACTIVE', 'ERROR'), true)).toBe(false);
    expect(memberIsBack(m('ACTIVE', 'OFFLINE'), true)).toBe(false);
    expect(memberIsBack(m('PENDING_UPDATE', 'ONLINE'), true)).toBe(false);
  });
  it('without health reported (every member OFFLINE, no health manager), provisioning ACTIVE and no ERROR', () => {
    expect(memberIsBack(m('ACTIVE', 'OFFLINE'), false)).toBe(true);
    expect(memberIsBack(m('PENDING_CREATE', 'OFFLINE'), false)).toBe(false);
    expect(memberIsBack(m('ACTIVE', 'ERROR'), false)).toBe(false);
  });
});

/**
 * A pool simulated in memory: each change takes its server's member out (ERROR) and it recovers after
 * `recoverAfter` readings; records every call in order.
 */
function simulatedCloud(recoverAfter: number): { driver: RollingDriver; calls: string[]; minimumHealthy: () => number } {
  const health = new Map<string, { status: string; readings: number }>([
    ['10.91.1.224', { status: 'ONLINE', readings: 0 }],
    ['10.91.1.88', { status: 'ONLINE', readings: 0 }],
  ]);
  const addressOf: Record<string, string> = { 'e2e-day2-app-1': '10.91.1.224', 'e2e-day2-app-2': '10.91.1.88' };
  const calls: string[] = [];
  let minimum = Infinity;
  const driver: RollingDriver = {
    change(targets, label) {
      calls.push(targets ? `change ${label} [${targets.length} targets]` : 'change rest');
      const address = addressOf[label];
      if (address) health.set(address, { status: 'ERROR', readings: 0 });
      return Promise.resolve();
    },
    poolMembers(poolId) {
      calls.push(`read ${poolId.slice(0, 8)}`);
      const members = [...health.entries()].map(([address, h]) => {
        if (h.status === 'ERROR' && ++h.readings > recoverAfter) h.status = 'ONLINE';
        return { address, provisioningStatus: 'ACTIVE', operatingStatus: h.status };
      });
      minimum = Math.min(minimum, members.filter((x) => x.operatingStatus === 'ONLINE').length);
      return Promise.resolve(members);
    },
    note: () => undefined,
    sleep: () => Promise.resolve(),
  };
  return { driver, calls, minimumHealthy: () => minimum };
}

describe('applyRolling', () => {
  it('changes one server at a time and waits until its member is ONLINE for `settle` readings before the next', async () => {
    const cloud = simulatedCloud(2);
    await applyRolling(rollingSteps(plan('mixed')), cloud.driver, { settle: 2 });
    const changes = cloud.calls.map((c, i) => [c, i] as const).filter(([c]) => c.startsWith('change'));
    expect(changes.map(([c]) => c)).toEqual(['change e2e-day2-app-1 [1 targets]', 'change e2e-day2-app-2 [1 targets]', 'change rest']);
    // baseline read, then after app-1: 2 readings in ERROR, 2 healthy ones; only then app-2
    const between = cloud.calls.slice(changes[0][1] + 1, changes[1][1]);
    expect(between).toEqual(Array(4).fill('read 71977342'));
    expect(cloud.minimumHealthy()).toBe(1);
  });

  it('stops with what to do when a member does not come back, leaving the next servers untouched', async () => {
    const cloud = simulatedCloud(Infinity);
    await expect(applyRolling(rollingSteps(plan('rebuild')), cloud.driver, { timeoutMs: 20_000, intervalMs: 5000 })).rejects.toThrow(
      /member 10\.91\.1\.224 of pool 71977342-ad79-48dc-aa17-4cd91a78ec68 is not back after 20s \(last seen ACTIVE\/ERROR\); the servers after it were not changed/,
    );
    expect(cloud.calls.filter((c) => c.startsWith('change'))).toEqual(['change e2e-day2-app-1 [1 targets]']);
  });

  /** Rolls the resize plan over a pool whose two members always show `statuses`; the servers changed, in order. */
  async function rollOverStaticPool(statuses: [string, string]): Promise<string[]> {
    const calls: string[] = [];
    const driver: RollingDriver = {
      change: (_t, label) => Promise.resolve(void calls.push(label)),
      poolMembers: () =>
        Promise.resolve(
          ['10.91.1.224', '10.91.1.88'].map((address, i) => ({ address, provisioningStatus: 'ACTIVE', operatingStatus: statuses[i] })),
        ),
      note: () => undefined,
      sleep: () => Promise.resolve(),
    };
    await applyRolling(rollingSteps(plan('resize')), driver, { timeoutMs: 0, settle: 1 });
    return calls;
  }

  it('accepts OFFLINE members where the load balancer reports no health at all (the lab)', async () => {
    expect(await rollOverStaticPool(['OFFLINE', 'OFFLINE'])).toEqual(['e2e-day2-app-1', 'e2e-day2-app-2']);
  });

  it('accepts OFFLINE members in a pool mixing OFFLINE and NO_MONITOR (members created before and after the monitor, no health manager)', async () => {
    expect(await rollOverStaticPool(['NO_MONITOR', 'OFFLINE'])).toEqual(['e2e-day2-app-1', 'e2e-day2-app-2']);
  });

  it('waits for an OFFLINE member where another one shows health (ONLINE): it is not back', async () => {
    await expect(rollOverStaticPool(['ONLINE', 'OFFLINE'])).rejects.toThrow(
      /member 10\.91\.1\.88 of pool .* is not back after 0s \(last seen ACTIVE\/OFFLINE\)/,
    );
  });
});
