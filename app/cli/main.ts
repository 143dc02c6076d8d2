#!/usr/bin/env node
/**
 * The `sovstack` command line. Each command lives in `commands/<name>.ts`: a function returning a
 * `CommandResult` and a `register…` that adds it, with its options, to the program. This file
 * only assembles the program and turns parser errors into exit code 2.
 */
import { Command, CommanderError } from 'commander';
import { toolkitVersion } from '../../core/package-info.js';
import { ExitCode } from '../command.js';
import { registerAffected } from './commands/affected.js';
import { registerCheck } from './commands/check.js';
import { registerDeploy } from './commands/deploy.js';
import { registerDestroy } from './commands/destroy.js';
import { registerDrift } from './commands/drift.js';
import { registerPlace } from './commands/place.js';
import { registerPlan } from './commands/plan.js';
import { registerReport, registerSanitizePlan } from './commands/report.js';
import { registerStateKey } from './commands/state-key.js';
import { registerSynth } from './commands/synth.js';
import { registerValidate } from './commands/validate.js';
import { registerWhatIf } from './commands/what-if.js';

/** The `sovstack` program with every command registered. */
export function buildProgram(): Command {
  const program = new Command('sovstack')
    .description('Sovereignty-aware placement and synthesis of IaaS services on OpenStack clouds')
    .version(toolkitVersion)
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  for (const register of [
    registerValidate,
    registerPlace,
    registerWhatIf,
    registerSynth,
    registerCheck,
    registerReport,
    registerSanitizePlan,
    registerAffected,
    registerStateKey,
    registerPlan,
    registerDeploy,
    registerDestroy,
    registerDrift,
  ]) {
    register(program);
  }
  return program;
}

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  } else {
    process.stderr.write(`sovstack: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 70;
  }
}
