/**
 * The {@link RollingDriver} of a stack's working directory: each step is a targeted `tofu plan -out`
 * then `tofu apply` of that plan in the stack's directory; pool members are read from Octavia with the
 * stack's own provider settings ({@link octaviaPoolReader}).
 */
import { join } from 'node:path';
import { asRecord } from '../../core/json.js';
import { octaviaPoolReader } from './octavia.js';
import type { MemberHealth, RollingDriver } from './rolling.js';

/** Runs `tofu <args>` in `cwd` (the caller adds -no-color, logs and redacts) and gives its exit code and output. */
export type TofuExec = (cwd: string, args: readonly string[]) => Promise<{ code: number; output: string }>;

/** Settings of {@link tofuRollingDriver}. */
export interface TofuRollingDriverOptions {
  exec: TofuExec;
  /** The stack's initialized working directory (its `cdk.tf.json`). */
  stackDir: string;
  /** Where each step's plan file goes (`rolling-<n>.tfplan`). */
  planDir: string;
  /** Reads a pool's members: see {@link poolReaderFor}. */
  poolMembers(poolId: string): Promise<MemberHealth[]>;
  /** Added to every plan and apply, e.g. `['-lock-timeout=5m']`. Default none. */
  lockArgs?: readonly string[];
  note(message: string): void;
}

/**
 * The pool reader of a stack: Octavia with the stack's provider block (`cloud` of clouds.yaml and `region`).
 *
 * @throws when the provider block names no clouds.yaml cloud or region (rolling needs them to watch the pool).
 * @example const read = poolReaderFor(JSON.parse(stackJsonText), process.env);
 */
export function poolReaderFor(stackJson: unknown, env: NodeJS.ProcessEnv): (poolId: string) => Promise<MemberHealth[]> {
  const blocks = asRecord(asRecord(stackJson).provider).openstack;
  const provider = asRecord(Array.isArray(blocks) ? blocks[0] : blocks);
  const cloud = typeof provider.cloud === 'string' ? provider.cloud : env.OS_CLOUD;
  const region = typeof provider.region === 'string' ? provider.region : env.OS_REGION_NAME;
  if (!cloud || !region) {
    throw new Error(
      "--rolling watches the load balancer with the provider's clouds.yaml cloud and region: the stack sets neither (nor OS_CLOUD / OS_REGION_NAME)",
    );
  }
  return octaviaPoolReader({ cloud, region }, env);
}

function firstError(output: string): string {
  const error = output.split('\n').find((l) => l.includes('Error:'));
  return (error ?? output.trim().split('\n').at(-1) ?? '').replace(/^\s*│?\s*/, '');
}

async function mustRun(exec: TofuExec, cwd: string, args: readonly string[], what: string): Promise<void> {
  const result = await exec(cwd, args);
  if (result.code !== 0) throw new Error(`tofu ${what} failed (exit ${result.code}): ${firstError(result.output)}`);
}

/**
 * A driver applying each step with `tofu plan -target=… -out=<planDir>/rolling-<n>.tfplan` then `tofu apply` of it.
 *
 * @example const driver = tofuRollingDriver({ exec, stackDir, planDir, poolMembers: poolReaderFor(json, env), note: console.log });
 */
export function tofuRollingDriver(options: TofuRollingDriverOptions): RollingDriver {
  const { exec, stackDir } = options;
  const lockArgs = options.lockArgs ?? [];
  let applied = 0;
  return {
    async change(targets, label) {
      applied += 1;
      const file = join(options.planDir, `rolling-${applied}.tfplan`);
      const targetArgs = (targets ?? []).map((t) => `-target=${t}`);
      await mustRun(exec, stackDir, ['plan', '-input=false', ...lockArgs, `-out=${file}`, ...targetArgs], `plan (${label})`);
      await mustRun(exec, stackDir, ['apply', '-input=false', ...lockArgs, file], `apply (${label})`);
    },
    poolMembers: (poolId) => options.poolMembers(poolId),
    note: (message) => options.note(message),
  };
}
