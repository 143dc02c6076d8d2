/**
 * The review scenario shared by the report tests: a base and a head synth output of the same estate,
 * and the real plans of two of the head's stacks.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { repoRoot } from '../support/tools.js';
import { SOVEREIGN, VENDOR, service, writeSynthOutput, type FixtureClient, type Resources } from './synth-fixtures.js';

export const PLANS = resolve(repoRoot, 'test/fixtures/plans');

/** Resources of a fixture `main.tf.json` (the stack the real plan was made from). */
export function resourcesOf(fixture: string): Resources {
  return (JSON.parse(readFileSync(join(PLANS, 'src', fixture, 'main.tf.json'), 'utf8')) as { resource: Resources }).resource;
}

/** sante-dossiers as deployed in the base: what `src/mixed/prior.tfstate` holds. */
const santeBase: Resources = {
  openstack_networking_network_v2: {
    network_network_1A2B3C: { name: 'sante-dossiers-net', admin_state_up: true, tags: ['sovstack', 'client:sante-dossiers'] },
  },
  openstack_networking_subnet_v2: {
    'network_subnet-back_4D5E6F': {
      name: 'sante-dossiers-back',
      network_id: '${openstack_networking_network_v2.network_network_1A2B3C.id}',
      cidr: '10.20.2.0/24',
      ip_version: 4,
    },
  },
  openstack_networking_secgroup_v2: { 'security-groups_api_7A8B9C': { name: 'sante-dossiers-api', description: 'api' } },
  openstack_compute_instance_v2: {
    'servers_legacy-0_FEDCBA': {
      name: 'sante-dossiers-legacy-0',
      flavor_name: 'm1.small',
      image_name: 'Ubuntu 22.04',
      admin_pass: 'Synth-Config-Secret',
    },
  },
};

export const DEPRECATED_VENDOR = { ...VENDOR, lifecycle: { status: 'deprecated' as const, endOfLife: '2027-06-30' } };

const sante = (resources: Resources, monthly: number): FixtureClient => ({
  id: 'sante-dossiers',
  name: 'Agence du numérique en santé — Dossiers partagés',
  cloud: 'sovereign-fr1',
  sensitivity: 'sensitive',
  reason: 'sovereign-fr1 is the only eligible cloud (sensitive data requires SecNumCloud)',
  monthly,
  resources,
});

/** Base: five clients, vendor active. */
export const baseClients: FixtureClient[] = [
  sante(santeBase, 452.4),
  {
    id: 'douane-stats',
    cloud: 'vendor-eu-west-0',
    monthly: 39.5,
    resources: service('douane-stats', { servers: 1, flavor: 's3.large.2' }),
  },
  { id: 'culture-portail', cloud: 'vendor-eu-west-0', monthly: 80, resources: service('culture-portail') },
  { id: 'meteo-archives', name: 'Météo-France — Archives', cloud: 'vendor-eu-west-0', monthly: 25.3, resources: service('meteo-archives') },
  { id: 'insee-calcul', cloud: 'vendor-eu-west-0', monthly: 162, resources: service('insee-calcul', { flavor: 'm3.2xlarge.8' }) },
];

/**
 * Head: sante-dossiers changes as in the real `mixed` plan; douane-stats grows to 2 servers and a new
 * flavor (no plan: synth diff); culture-portail moves to sovereign-fr1 (real `create` plan);
 * meteo-archives is removed; enseignement-eu is new; insee-calcul only differs in cdktf metadata;
 * vendor-eu-west-0 is deprecated.
 */
export const headClients: FixtureClient[] = [
  sante(resourcesOf('mixed'), 481.2),
  {
    id: 'douane-stats',
    cloud: 'vendor-eu-west-0',
    monthly: 158,
    resources: service('douane-stats', { servers: 2, flavor: 's3.xlarge.2' }),
  },
  {
    id: 'culture-portail',
    cloud: 'sovereign-fr1',
    monthly: 121.35,
    reason: 'preferred cloud sovereign-fr1 is eligible',
    resources: resourcesOf('create'),
  },
  { id: 'enseignement-eu', cloud: 'vendor-eu-west-0', monthly: 57.4, resources: service('enseignement-eu') },
  { id: 'insee-calcul', cloud: 'vendor-eu-west-0', monthly: 162, resources: service('insee-calcul', { flavor: 'm3.2xlarge.8' }) },
];

export interface Scenario {
  root: string;
  base: string;
  head: string;
  plans: Record<string, string>;
}

/** Writes base and head synth outputs into a fresh temp folder. */
export function writeScenario(): Scenario {
  const root = mkdtempSync(join(tmpdir(), 'sovstack-report-'));
  const base = join(root, 'base.out');
  const head = join(root, 'head.out');
  writeSynthOutput(base, { clouds: [SOVEREIGN, VENDOR], clients: baseClients, cdktfVersion: '0.21.0' });
  writeSynthOutput(head, { clouds: [SOVEREIGN, DEPRECATED_VENDOR], clients: headClients, cdktfVersion: '0.21.1' });
  return {
    root,
    base,
    head,
    plans: {
      'sante-dossiers-sovereign-fr1': join(PLANS, 'mixed.plan.json'),
      'culture-portail-sovereign-fr1': join(PLANS, 'create.plan.json'),
    },
  };
}

/** Replaces the scenario's temp paths and the repository path by stable placeholders. */
export function stable(text: string, scenario: Scenario): string {
  return text.split(scenario.root).join('<tmp>').split(repoRoot).join('<repo>');
}
