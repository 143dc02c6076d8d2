import { synthEstate } from '../../synth/run.js';
import { failed, ok, type CommandResult } from '../../command.js';
import { placementWarningFindings, type FindingsFormat } from '../../findings/index.js';
import { stackNameFor } from '../../../stacks/client-stack.js';
import type { Command } from 'commander';
import { configOption, emit, formatOption, inFormat, outOption } from '../options.js';

/** `sovstack synth`: the whole pipeline without cdktf-cli (same output as `cdktf synth`). `format` defaults to `text`. */
export async function synthCommand(opts: { config: string; out: string; format?: FindingsFormat }): Promise<CommandResult> {
  const format = opts.format ?? 'text';
  const outcome = await synthEstate({ configDir: opts.config, outdir: opts.out });
  if (!outcome.ok) {
    const findings = outcome.findings ?? [{ rule: `synth/${outcome.stage}`, level: 'error' as const, message: outcome.message }];
    const text = `${outcome.stage} error, previous output in ${opts.out} left untouched\n${outcome.message}\n`;
    return inFormat(format, failed(text), { command: 'synth', subjects: [], findings, outdir: opts.out });
  }
  const text = `synthesized ${outcome.stacks.length} stacks into ${opts.out}: ${outcome.stacks.join(', ')}\n`;
  const subjects = outcome.placements.map((p) => stackNameFor(p.client, p.cloud));
  return inFormat(format, ok(text), {
    command: 'synth',
    subjects,
    findings: placementWarningFindings(outcome.placements, opts.config),
    outdir: opts.out,
  });
}

/** Adds `sovstack synth` to `program`. */
export function registerSynth(program: Command): void {
  program
    .command('synth')
    .description('synthesize one stack per client plus the placement report (same as `cdktf synth`)')
    .addOption(configOption())
    .addOption(outOption())
    .addOption(formatOption())
    .action(async (opts: { config: string; out: string; format: FindingsFormat }) => emit(await synthCommand(opts)));
}
