/**
 * Running OpenTofu for one stack. Each command runs in its own process group with its output going to
 * a file of the stack's working directory, not to a pipe: when the orchestrator is killed, tofu is
 * neither killed with it nor broken by a closed pipe, so an apply in flight finishes and releases its
 * lock. Ctrl-C in the terminal does not reach tofu either: the orchestrator decides (see signals.ts).
 * Once tofu exits, its output is redacted and appended to the stack's log, and the raw file removed.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { redactLog } from './redact-log.js';

/** Where a stack's tofu commands run and log. */
export interface TofuContext {
  /** The tofu binary. */
  tofu: string;
  env: NodeJS.ProcessEnv;
  /** The stack's working directory. */
  cwd: string;
  /** The stack's log file (redacted output of every command). */
  log: string;
  /** Credentials to redact from the output (see `secretEnvValues`). */
  secrets: readonly string[];
  /** Told the pid of each tofu started (journal, signal forwarding) and when it ended. */
  started?: (pid: number) => void;
  ended?: (pid: number) => void;
}

/** What a tofu command did: its exit code (128 + n when killed by signal n) and its redacted output. */
export interface TofuResult {
  code: number;
  output: string;
}

/** Raw output of the command in flight, in the working directory; redacted into the log when it ends. */
export const RAW_OUTPUT = '.tofu-output';

/**
 * Appends, redacted, the raw output a killed run left in the working directory to the stack's log, then removes it.
 *
 * @example salvageRawOutput(ctx) // true when something was left
 */
export function salvageRawOutput(ctx: Pick<TofuContext, 'cwd' | 'log' | 'secrets'>): boolean {
  const raw = join(ctx.cwd, RAW_OUTPUT);
  if (!existsSync(raw)) return false;
  appendFileSync(ctx.log, `\n# output of a command of an interrupted run\n${redactLog(readFileSync(raw, 'utf8'), ctx.secrets)}\n`);
  rmSync(raw, { force: true });
  return true;
}

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

/**
 * Runs `tofu <command> -no-color <rest of args>` in the stack's working directory (options before positional arguments).
 *
 * @example const plan = await runTofu(ctx, ['plan', '-input=false', '-detailed-exitcode', '-out=x.tfplan']);
 */
export function runTofu(ctx: TofuContext, args: readonly string[]): Promise<TofuResult> {
  const raw = join(ctx.cwd, RAW_OUTPUT);
  const fd = openSync(raw, 'w', 0o600);
  appendFileSync(ctx.log, `\n$ tofu ${args.join(' ')}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(ctx.tofu, [args[0], '-no-color', ...args.slice(1)], {
      cwd: ctx.cwd,
      env: ctx.env,
      stdio: ['ignore', fd, fd],
      detached: true,
    });
    closeSync(fd);
    const pid = child.pid;
    if (pid !== undefined) ctx.started?.(pid);
    child.on('error', (error) => {
      rmSync(raw, { force: true });
      reject(new Error(`cannot run ${ctx.tofu}: ${error.message}`));
    });
    child.on('exit', (code, signal) => {
      if (pid !== undefined) ctx.ended?.(pid);
      const output = existsSync(raw) ? redactLog(readFileSync(raw, 'utf8'), ctx.secrets) : '';
      appendFileSync(ctx.log, output.endsWith('\n') || output === '' ? output : `${output}\n`);
      rmSync(raw, { force: true });
      resolve({ code: code ?? 128 + (SIGNALS[signal ?? ''] ?? 0), output });
    });
  });
}

/**
 * Runs `tofu show -json <plan>` and returns the parsed JSON (never logged: it holds values in clear text).
 *
 * @throws with tofu's message when it fails or prints no JSON.
 */
export function showPlanJson(ctx: TofuContext, planFile: string): Promise<unknown> {
  return showJson(ctx, [planFile]);
}

/**
 * Runs `tofu show -json` on the stack's current state (decrypted when it is encrypted) and returns the parsed JSON (never logged).
 *
 * @throws with tofu's message when it fails or prints no JSON.
 * @example const state = await showStateJson(ctx); // { format_version: '1.0', values: { root_module: … } }
 */
export function showStateJson(ctx: TofuContext): Promise<unknown> {
  return showJson(ctx, []);
}

function showJson(ctx: TofuContext, args: readonly string[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(ctx.tofu, ['show', '-json', '-no-color', ...args], {
      cwd: ctx.cwd,
      env: ctx.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => reject(new Error(`cannot run ${ctx.tofu}: ${error.message}`)));
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`tofu show -json failed (exit ${code}): ${redactLog(Buffer.concat(err).toString('utf8'), ctx.secrets).trim()}`));
        return;
      }
      const text = Buffer.concat(out).toString('utf8');
      try {
        // tofu may print CLI-configuration warnings before the JSON.
        resolve(JSON.parse(text.slice(Math.max(0, text.indexOf('{')))) as unknown);
      } catch {
        reject(new Error('tofu show -json printed no JSON'));
      }
    });
  });
}
