import { Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { ClientStack, PlacedStack, buildStacks, stackJobs, stackNameFor } from '../../stacks/index.js';
import { evaluateGuardrails } from '../../core/guardrails/index.js';
import { SMALL_SERVICE, makeClient, sovereignCloud, vendorCloud } from '../support/fixtures.js';

const clouds = [sovereignCloud(), vendorCloud()];
const clients = [makeClient({ id: 'zeta' }), makeClient({ id: 'alpha', sensitivity: 'sensitive' })];

describe('buildStacks', () => {
  it('creates one stack per placement in deterministic order with the placement recorded', () => {
    const stacks = buildStacks(Testing.app(), {
      clouds,
      clients,
      toolkitVersion: '0.1.0',
      placements: [
        { client: 'zeta', cloud: 'vendor-eu-west-0', reason: 'cheapest eligible cloud' },
        { client: 'alpha', cloud: 'sovereign-fr1', reason: 'only SecNumCloud cloud' },
      ],
    });
    expect(stacks.map((s) => s.node.id)).toEqual(['alpha-sovereign-fr1', 'zeta-vendor-eu-west-0']);
    expect(stacks[0]).toBeInstanceOf(ClientStack);
    expect(stacks[0].placement).toEqual({
      clientId: 'alpha',
      cloudId: 'sovereign-fr1',
      sensitivity: 'sensitive',
      stateHostedIn: 'sovereign-fr1',
      reason: 'only SecNumCloud cloud',
    });
    for (const s of stacks) {
      const report = evaluateGuardrails(s, { clouds });
      expect(report.findings).toEqual([]);
      expect(report.suppressed).toEqual([]);
    }
  });

  it('registers the guardrails with every cloud, so app.synth() fails on a violation', () => {
    const app = Testing.app();
    const hosted = sovereignCloud({ state: { backend: 'local', dir: 'state', hostedIn: 'vendor-eu-west-0' } });
    buildStacks(app, {
      clouds: [hosted, vendorCloud()],
      clients,
      toolkitVersion: '0.1.0',
      placements: [{ client: 'alpha', cloud: 'sovereign-fr1', reason: 'r' }],
    });
    expect(() => app.synth()).toThrow('[guardrail sensitive-state-backend] alpha-sovereign-fr1 terraform.backend.local:');
  });

  it('rejects placements naming an unknown client or cloud', () => {
    const input = { clouds, clients, toolkitVersion: '0.1.0' };
    expect(() => buildStacks(Testing.app(), { ...input, placements: [{ client: 'ghost', cloud: 'sovereign-fr1' }] })).toThrow(
      'placement names unknown client ghost',
    );
    expect(() => buildStacks(Testing.app(), { ...input, placements: [{ client: 'alpha', cloud: 'nowhere' }] })).toThrow(
      'placement of client alpha names unknown cloud nowhere',
    );
  });
});

describe('stackJobs', () => {
  it('orders by client id then cloud id whatever the input order, and looks up each client and cloud', () => {
    const placements = [
      { client: 'zeta', cloud: 'vendor-eu-west-0' },
      { client: 'alpha', cloud: 'vendor-eu-west-0', reason: 'second' },
      { client: 'alpha', cloud: 'sovereign-fr1', reason: 'first' },
    ];
    const jobs = stackJobs({ clouds, clients, placements });
    expect(jobs.map((j) => stackNameFor(j.client.id, j.cloud.id))).toEqual([
      'alpha-sovereign-fr1',
      'alpha-vendor-eu-west-0',
      'zeta-vendor-eu-west-0',
    ]);
    expect(jobs.map((j) => j.reason)).toEqual(['first', 'second', undefined]);
    expect(jobs[0].client).toBe(clients[1]);
    expect(jobs[0].cloud).toBe(clouds[0]);
    expect(stackJobs({ clouds, clients, placements: [...placements].reverse() })).toEqual(jobs);
  });
});

describe('PlacedStack', () => {
  it('takes a client written in code and fills in the schema defaults', () => {
    const stack = new PlacedStack(Testing.app(), {
      client: { id: 'culture-agenda', name: 'Agenda', policy: { sensitivity: 'standard' }, service: SMALL_SERVICE },
      cloud: sovereignCloud(),
    });
    expect(stack.client.policy.dataLocation).toBe('any');
    expect(stack.client.service.serverGroups[0].antiAffinity).toBe(true);
    expect(stack.stackName).toBe('culture-agenda-sovereign-fr1');
    expect(stack.toTerraform()['//'].sovstack.placement).toEqual(stack.placement);
  });
});
