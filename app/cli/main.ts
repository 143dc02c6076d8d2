#!/usr/bin/env node
/**
 * The `sovstack` command line. Each command lives in `commands/<name>.ts`: a function returning a
 * `CommandResult` and a `register…` that adds it, with its options, to the program. This file
 * only assembles the program and turns parser errors into exit code 2.
 *
 * A command's module is loaded only when that command runs (each loads what it needs, e.g. the config
 * schemas or the operate engine); the help, the version and a mistyped command load them all.
 */
import { Command, CommanderError } from 'commander';
import { toolkitVersion } from '../../core/package-info.js';
import { ExitCode } from '../command.js';

type Register = (program: Command) => void;

/** Every command, in the order the help lists them, with how to load its `register…`. */
const COMMANDS: readonly (readonly [name: string, load: () => Promise<Register>])[] = [
  ['validate', async () => (await import('./commands/validate.js')).registerValidate],
  ['place', async () => (await import('./commands/place.js')).registerPlace],
  ['what-if', async () => (await import('./commands/what-if.js')).registerWhatIf],
  ['synth', async () => (await import('./commands/synth.js')).registerSynth],
  ['check', async () => (await import('./commands/check.js')).registerCheck],
  ['report', async () => (await import('./commands/report.js')).registerReport],
  ['sanitize-plan', async () => (await import('./commands/report.js')).registerSanitizePlan],
  ['affected', async () => (await import('./commands/affected.js')).registerAffected],
  ['state-key', async () => (await import('./commands/state-key.js')).registerStateKey],
  ['plan', async () => (await import('./commands/plan.js')).registerPlan],
  ['deploy', async () => (await import('./commands/deploy.js')).registerDeploy],
  ['destroy', async () => (await import('./commands/destroy.js')).registerDestroy],
  ['drift', async () => (await import('./commands/drift.js')).registerDrift],
];

/**
 * The `sovstack` program with the command `argv` runs registered, or every command when `argv` names
 * none of them (help, version, a mistyped name: the help then lists them all).
 *
 * @param argv the arguments after `node main.js`, e.g. `['synth', '--out', 'cdktf.out']`. Default: every command.
 */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('sovstack')
    .description('Sovereignty-aware placement and synthesis of IaaS services on OpenStack clouds')
    .version(toolkitVersion)
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  const named = COMMANDS.filter(([name]) => name === argv[0]);
  const registers = await Promise.all((named.length > 0 ? named : COMMANDS).map(([, load]) => load()));
  for (const register of registers) register(program);
  return program;
}

try {
  await (await buildProgram(process.argv.slice(2))).parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  } else {
    process.stderr.write(`sovstack: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 70;
  }
}
