import type { Command } from 'commander';
import { checkSynthOutput, formatIssues } from '../../../core/check/index.js';
import { formatFinding, guardOutputFolder, stackPlacement, type StackPlacement } from '../../../core/guardrails/index.js';
import { place } from '../../../core/placement/index.js';
import { stackNameFor } from '../../../stacks/client-stack.js';
import { failed, ok, type CommandResult } from '../../command.js';
import { configOption, emit, outOption } from '../options.js';
import { loadForCommand } from './load.js';

/** Options of {@link checkCommand}. */
export interface CheckOptions {
  /** Synth output folder. */
  readonly out: string;
  /** Estate folder the output was synthesized from. */
  readonly config: string;
}

/** Stack name → the estate's placement behind it, or the placement failures that prevent judging. */
async function placementsByStack(configDir: string): Promise<Map<string, StackPlacement> | string> {
  const loaded = await loadForCommand(configDir);
  if ('errors' in loaded) return loaded.errors;
  const { estate } = loaded;
  const result = place(estate);
  if (result.failures.length > 0) {
    return `${configDir}: placement failed for ${result.failures.length} client(s):\n${result.failures.map((f) => `- ${f.client} (${f.kind}): ${f.message}`).join('\n')}\n`;
  }
  const clients = new Map(estate.clients.map((c) => [c.id, c] as const));
  const clouds = new Map(estate.clouds.map((c) => [c.id, c] as const));
  const byStack = new Map<string, StackPlacement>();
  for (const p of result.placements) {
    const client = clients.get(p.client);
    const cloud = clouds.get(p.cloud);
    if (client && cloud) byStack.set(stackNameFor(client.id, cloud.id), stackPlacement(client, cloud, estate.clouds, p.reason));
  }
  return byStack;
}

/**
 * `sovstack check`: judge every synthesized stack of `--out` with every guardrail, in the context of the
 * estate `--config` (placed again, never read from the output folder), and check it against the committed
 * provider schema. Exit 1 on any error finding or schema issue.
 */
export async function checkCommand(opts: CheckOptions): Promise<CommandResult> {
  const placements = await placementsByStack(opts.config);
  if (typeof placements === 'string') return failed(placements);
  let schema;
  let guard;
  try {
    schema = checkSynthOutput(opts.out);
    guard = guardOutputFolder(opts.out, (stack) => placements.get(stack));
  } catch (error) {
    return failed(`check: ${(error as Error).message}\n`);
  }
  const errors = guard.findings.filter((f) => f.level === 'error');
  const lines = [...guard.findings.map(formatFinding), ...(schema.issues.length > 0 ? [formatIssues(schema.issues)] : [])];
  const body = lines.length > 0 ? `${lines.join('\n')}\n` : '';
  if (errors.length === 0 && schema.issues.length === 0) {
    return ok(`${body}${opts.out}: ${schema.stacks} stacks pass the guardrails and match the provider schema\n`);
  }
  return failed(
    `${body}${opts.out}: ${errors.length} guardrail error(s) and ${schema.issues.length} schema issue(s) in ${schema.stacks} stacks\n`,
  );
}

/** Adds `sovstack check` to `program`. */
export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('judge every synthesized stack with the guardrails (in the context of the estate) and the provider schema (exit 1 on any)')
    .addOption(outOption())
    .addOption(configOption())
    .action(async (opts: CheckOptions) => emit(await checkCommand(opts)));
}
