/** What a CLI command returns: its exit code and what it prints. Commands never call process.exit. */
export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr?: string;
}

/** Exit codes of the `sovstack` CLI (documented in the README). */
export const ExitCode = {
  ok: 0,
  /** Invalid configuration, placement failure, guardrail violation or schema-check issue. */
  failed: 1,
  /** Wrong command line (unknown command or option, missing argument). */
  usage: 2,
} as const;

export const ok = (stdout: string): CommandResult => ({ exitCode: ExitCode.ok, stdout });
export const failed = (stderr: string, stdout = ''): CommandResult => ({ exitCode: ExitCode.failed, stdout, stderr });
