/**
 * The {@link RollingDriver} of a stack's working directory, with OpenTofu only: targeted plans and
 * applies in the stack's directory, and pool members read by the provider's `openstack_lb_pool_v2`
 * data source from a scratch configuration beside it (same provider block, so the same credentials
 * and region as the stack, and no API client of our own).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asRecord, isRecord } from '../../core/json.js';
import type { MemberHealth, RollingDriver } from './rolling.js';

/** Runs `tofu <args>` in `cwd` (the caller adds -no-color, logs and redacts) and gives its exit code and output. */
export type TofuExec = (cwd: string, args: readonly string[]) => Promise<{ code: number; output: string }>;

/** Settings of {@link tofuRollingDriver}. */
export interface TofuRollingDriverOptions {
  exec: TofuExec;
  /** The stack's initialized working directory (its `cdk.tf.json`). */
  stackDir: string;
  /** The stack's Terraform JSON: its `provider` and `terraform.required_providers` configure the probe. */
  stackJson: unknown;
  /** Where each step's plan file goes (`rolling-<n>.tfplan`). */
  planDir: string;
  /** Added to every plan and apply in the stack's directory, e.g. `['-lock-timeout=5m']`. Default none. */
  lockArgs?: readonly string[];
  note(message: string): void;
}

/** The directory of the pool probe, beside the stack's configuration. */
export const PROBE_DIR = '.rolling-probe';

function lastLine(output: string): string {
  const error = output.split('\n').find((l) => l.includes('Error:'));
  return (error ?? output.trim().split('\n').at(-1) ?? '').replace(/^\s*│?\s*/, '');
}

async function mustRun(exec: TofuExec, cwd: string, args: readonly string[], what: string): Promise<string> {
  const result = await exec(cwd, args);
  if (result.code !== 0) throw new Error(`tofu ${what} failed (exit ${result.code}): ${lastLine(result.output)}`);
  return result.output;
}

/** The probe's configuration: the stack's provider, one pool data source, its members as output `members`. */
function probeConfig(stackJson: unknown, poolId: string): unknown {
  const stack = asRecord(stackJson);
  return {
    terraform: { required_providers: asRecord(stack.terraform).required_providers ?? {} },
    provider: stack.provider ?? {},
    data: { openstack_lb_pool_v2: { pool: { pool_id: poolId } } },
    output: { members: { value: '${data.openstack_lb_pool_v2.pool.members}' } },
  };
}

function parseMembers(output: string): MemberHealth[] {
  const start = output.search(/[[{]/);
  const value: unknown = start < 0 ? undefined : JSON.parse(output.slice(start));
  if (!Array.isArray(value)) throw new Error('the pool probe printed no member list');
  return value.filter(isRecord).map((m) => ({
    address: String(m.address),
    provisioningStatus: String(m.provisioning_status),
    operatingStatus: String(m.operating_status),
  }));
}

/**
 * A driver that applies each step with `tofu plan -target… -out` then `tofu apply <plan>` in the stack's
 * directory, and reads a pool's members with `tofu apply` + `tofu output -json` in `<stackDir>/.rolling-probe`.
 *
 * @example const driver = tofuRollingDriver({ exec, stackDir, stackJson, planDir: stackDir, note: console.log });
 */
export function tofuRollingDriver(options: TofuRollingDriverOptions): RollingDriver {
  const { exec, stackDir } = options;
  const lockArgs = options.lockArgs ?? [];
  const probeDir = join(stackDir, PROBE_DIR);
  let applied = 0;
  return {
    async change(targets, label) {
      applied += 1;
      const file = join(options.planDir, `rolling-${applied}.tfplan`);
      const targetArgs = (targets ?? []).map((t) => `-target=${t}`);
      await mustRun(exec, stackDir, ['plan', '-input=false', ...lockArgs, `-out=${file}`, ...targetArgs], `plan (${label})`);
      await mustRun(exec, stackDir, ['apply', '-input=false', ...lockArgs, file], `apply (${label})`);
    },
    async poolMembers(poolId) {
      mkdirSync(probeDir, { recursive: true });
      writeFileSync(join(probeDir, 'main.tf.json'), `${JSON.stringify(probeConfig(options.stackJson, poolId), null, 2)}\n`);
      if (!existsSync(join(probeDir, '.terraform'))) await mustRun(exec, probeDir, ['init', '-input=false'], 'init (pool probe)');
      await mustRun(exec, probeDir, ['apply', '-auto-approve', '-input=false'], 'apply (pool probe)');
      return parseMembers(await mustRun(exec, probeDir, ['output', '-json', 'members'], 'output (pool probe)'));
    },
    note: (message) => options.note(message),
  };
}
