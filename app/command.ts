/**
 * What every sovstack command returns, whichever front end runs it (the `sovstack` CLI, a CI job,
 * a test): its exit code and what it prints. Commands never call `process.exit` nor print.
 */

/** Result of one command run. */
export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr?: string;
}

/** Exit codes of the `sovstack` CLI (documented in the README). */
export const ExitCode = {
  ok: 0,
  /** Invalid configuration, placement failure, guardrail violation, schema-check issue or any other failed run. */
  failed: 1,
  /** Wrong command line (unknown command or option, missing argument). Only the CLI parser returns it. */
  usage: 2,
} as const;

/** A successful result printing `stdout`. */
export const ok = (stdout: string): CommandResult => ({ exitCode: ExitCode.ok, stdout });
/** A failed result (exit 1) printing `stderr`, and `stdout` when given. */
export const failed = (stderr: string, stdout = ''): CommandResult => ({ exitCode: ExitCode.failed, stdout, stderr });
