/**
 * Applying what was reviewed, on the lab (docs/operate.md, docs/ci): a sensitive client on lab-sovereign,
 * whose plans are encrypted with its key in the lab's Barbican, is planned by a "plan job" with
 * `sovstack plan --save-plans`; the kept binary plan is ciphertext; a "deploy job" (its own run folder,
 * deployed store and working directories, as on another CI runner) applies exactly that plan with
 * `deploy --plans`, checked through the Neutron API. Once the client's configuration changed, the old
 * reviewed plan is refused and nothing changes; the new one is applied.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupStack, ensureLab, inventory, makeWorkspace, startClean, tail } from './harness.js';
import { sovstack, type EstateWorkspace } from './estate.js';

const cloud = 'lab-sovereign' as const;
const client = 'e2e-rvw';
const stack = `${client}-${cloud}`;
const base = makeWorkspace('reviewed', []);
/** A CI job: the shared estate and synth output, its own run folder, deployed store and working directories. */
const job = (name: string): EstateWorkspace => {
  const root = mkdtempSync(join(base.root, `${name}-`));
  return { ...base, runDir: join(root, 'runs'), deployedDir: join(root, 'deployed'), workDir: join(root, 'work') };
};
const planJob = job('plan');
const deployJob = job('deploy');
const reviewed = join(base.root, 'reviewed');
const reviewedAgain = join(base.root, 'reviewed-2');

const subnet = (n: number) => `      - { name: s${n}, cidr: 10.89.${n}.0/24 }\n`;
const writeClient = (subnets: number): void =>
  writeFileSync(
    join(base.estate, 'clients', `${client}.yaml`),
    `id: ${client}\nname: E2E — reviewed plans\npolicy: { sensitivity: sensitive, dataLocation: FR }\n` +
      `service:\n  network:\n    cidr: 10.89.0.0/16\n    subnets:\n${Array.from({ length: subnets }, (_, i) => subnet(i + 1)).join('')}`,
  );
const sha256 = (file: string): string => `sha256:${createHash('sha256').update(readFileSync(file)).digest('hex')}`;
const subnetNames = async (): Promise<string[]> => (await inventory(cloud, client)).subnets.map((s) => s.name).sort();

beforeAll(async () => {
  await ensureLab();
  await startClean(cloud, client, stack);
  writeClient(1);
});
afterAll(async () => {
  await sovstack(deployJob, ['destroy', stack, '--skip-synth', '--purge-state']).catch(() => undefined);
  await cleanupStack(base, cloud, client, stack);
});

describe(`reviewed plans of ${stack}, from a plan job to a deploy job`, () => {
  it('the plan job keeps its encrypted binary plan, with its record and the sanitized plan', async () => {
    const plan = await sovstack(planJob, ['plan', stack, '--save-plans', reviewed]);
    expect(plan.code, tail(plan)).toBe(2);
    expect(readdirSync(reviewed).sort()).toEqual([`${stack}.plan.json`, `${stack}.tfplan`, `${stack}.tfplan.meta`]);
    const binary = readFileSync(join(reviewed, `${stack}.tfplan`));
    for (const clear of ['10.89.1.0/24', client, 'openstack_networking_subnet_v2']) {
      expect(binary.includes(clear), `the saved plan holds ${clear}`).toBe(false);
    }
  }, 600_000);

  it('the deploy job applies exactly that plan (its hash journalled); a replan finds nothing to do', async () => {
    const deploy = await sovstack(deployJob, ['deploy', stack, '--skip-synth', '--plans', reviewed, '--json']);
    expect(deploy.code, tail(deploy)).toBe(0);
    const done = deploy.events.filter((e) => e.type === 'stack-done');
    expect(done).toEqual([expect.objectContaining({ stack, outcome: 'applied', planHash: sha256(join(reviewed, `${stack}.tfplan`)) })]);
    expect(await subnetNames()).toEqual([`${client}-s1`]);
    const replan = await sovstack(deployJob, ['plan', stack, '--skip-synth']);
    expect(replan.code, tail(replan)).toBe(0);
  }, 600_000);

  it('once the configuration changed, the old reviewed plan is refused and nothing changes; the new one is applied', async () => {
    writeClient(2);
    const plan = await sovstack(planJob, ['plan', stack, '--save-plans', reviewedAgain]);
    expect(plan.code, tail(plan)).toBe(2);
    const stale = await sovstack(deployJob, ['deploy', stack, '--skip-synth', '--plans', reviewed]);
    expect(stale.code).toBe(1);
    expect(stale.output).toContain(`the reviewed plan of ${stack} was made from another configuration than the one synthesized now`);
    expect(await subnetNames()).toEqual([`${client}-s1`]);
    const deploy = await sovstack(deployJob, ['deploy', stack, '--skip-synth', '--plans', reviewedAgain]);
    expect(deploy.code, tail(deploy)).toBe(0);
    expect(await subnetNames()).toEqual([`${client}-s1`, `${client}-s2`]);
  }, 600_000);
});
