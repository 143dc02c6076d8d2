/**
 * Synthesizes client stacks one at a time, each in its own cdktf `App`, so that the cost of a run
 * grows linearly with the number of clients and its memory stays flat:
 *
 * - One App per stack: a stack's constructs, tokens and synthesized JSON can be garbage-collected
 *   as soon as its file is written, and nothing walks the whole estate's construct tree per stack.
 * - No preparing resolve pass: `App.synth()` resolves every element once with `preparing: true`
 *   before synthesizing, only to discover cross-stack references. A client stack is alone in its
 *   App and references nothing outside itself, so that pass can find nothing; skipping it halves
 *   the token resolution work. Validations, aspects, annotations and the JSON writer are cdktf's own
 *   (`stack.synthesizer.synthesize`), so the files are the ones `App.synth()` writes.
 * - No stack traces for tokens: cdktf records the full call stack of every token it creates
 *   (`Intrinsic`, `Lazy`, computed lists), only to quote it in some error messages. While stacks are
 *   built and synthesized, that capture is skipped (see {@link withoutTokenStackTraces}); stack
 *   traces of errors and of annotations are kept.
 * - Tokens registered by a finished stack are dropped from cdktf's process-wide token map, which
 *   would otherwise keep every stack's construct tree alive until the process exits.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'cdktf';
import type { CloudConfig } from '../../core/config/schema.js';
import { buildStacks } from '../../stacks/build.js';
import type { StackJob } from '../../stacks/jobs.js';
import { recordedSuppressions } from '../../core/guardrails/index.js';
import type { GuardrailSuppression } from '../../core/guardrails/types.js';
import { SynthCache } from './cache.js';

export type { StackJob };

/** One synthesized stack: its manifest record and its file. */
export interface SynthesizedStack {
  readonly name: string;
  /** The stack's record in `manifest.json`. */
  readonly manifest: Record<string, unknown>;
  /** Path of the stack file relative to the output folder. */
  readonly file: string;
  /** The file's bytes, as written. */
  readonly content: Buffer;
}

const require = createRequire(import.meta.url);

/** cdktf's stack-trace helper used by tokens, or undefined if this cdktf version has none where expected. */
function tokenTraceFunction(): ((...args: unknown[]) => unknown) | undefined {
  try {
    const module = require('cdktf/lib/tokens/private/stack-trace.js') as { captureStackTrace?: (...args: unknown[]) => unknown };
    return typeof module.captureStackTrace === 'function' ? module.captureStackTrace : undefined;
  } catch {
    return undefined;
  }
}

const tokenTrace = tokenTraceFunction();

/**
 * Runs `work` with cdktf's token stack traces turned off: `Error.captureStackTrace` ignores calls
 * whose frame boundary is cdktf's token helper (they then record an empty creation stack); every
 * other call, including those of `new Error()`, construct metadata and annotations, is unchanged.
 * `work` must be synchronous: the override is restored as soon as it returns or throws.
 */
export function withoutTokenStackTraces<T>(work: () => T): T {
  if (!tokenTrace) return work();
  // Restored as is in `finally`, so not bound; V8's captureStackTrace does not use `this`.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const original = Error.captureStackTrace;
  const skip = tokenTrace;
  const filtered = function captureStackTrace(target: object, boundary?: Parameters<typeof Error.captureStackTrace>[1]): void {
    if (boundary === skip) return;
    original(target, boundary);
  };
  Error.captureStackTrace = filtered;
  try {
    return work();
  } finally {
    if (Error.captureStackTrace === filtered) Error.captureStackTrace = original;
  }
}

interface TokenMapInternals {
  stringTokenMap?: unknown;
  numberTokenMap?: unknown;
}

/** Forgets the tokens registered so far (they belong to stacks already written). */
function releaseTokens(): void {
  const map = (globalThis as { __cdktfTokenMap?: TokenMapInternals }).__cdktfTokenMap;
  if (!map) return;
  if (map.stringTokenMap instanceof Map) map.stringTokenMap.clear();
  if (map.numberTokenMap instanceof Map) map.numberTokenMap.clear();
}

/**
 * Builds and synthesizes one client's stack into `outdir` (`stacks/<name>/…`), and returns its
 * manifest record and file. Throws on validation errors (guardrails), like `App.synth()`.
 */
export function synthesizeStack(outdir: string, job: StackJob, context: StackContext): SynthesizedStack {
  try {
    const app = new App({ outdir, skipValidation: false });
    const [stack] = buildStacks(app, {
      clouds: context.clouds,
      clients: [job.client],
      placements: [{ client: job.client.id, cloud: job.cloud.id, ...(job.reason !== undefined ? { reason: job.reason } : {}) }],
      toolkitVersion: context.toolkitVersion,
    });
    if (!stack) throw new Error(`no stack built for client ${job.client.id}`);
    stack.ensureBackendExists();
    stack.synthesizer.synthesize({ outdir, skipValidation: false, manifest: app.manifest });
    const errors = app.node.validate();
    if (errors.length > 0) throw new Error(`App-level validation failed with the following errors:\n  ${errors.join('\n  ')}`);
    const name = stack.node.id;
    const record = app.manifest.stacks[name];
    if (!record) throw new Error(`cdktf wrote no manifest record for stack ${name}`);
    const manifest = JSON.parse(JSON.stringify(record)) as Record<string, unknown>;
    const file = record.synthesizedStackPath;
    return { name, manifest, file, content: readFileSync(join(outdir, file)) };
  } finally {
    releaseTokens();
  }
}

/** Context shared by every stack of a run. */
export interface StackContext {
  readonly clouds: readonly CloudConfig[];
  readonly toolkitVersion: string;
  /** Incremental cache folder each built stack is stored in; none when undefined. */
  readonly cacheDir?: string;
}

/** One job of a share, with its position in the whole job list and its cache key. */
export interface IndexedJob {
  readonly index: number;
  readonly job: StackJob;
  /** Cache key of the stack (unused without a cache folder). */
  readonly key: string;
}

/** A built stack as reported by a share: its bytes are in the output (and the cache), not in the report. */
export type BuiltStack = Omit<SynthesizedStack, 'content'> & {
  /** Guardrail suppressions recorded in the stack file. */
  readonly suppressed: readonly GuardrailSuppression[];
};

/** The result of one job of a share: the stack, or why it failed. */
export type ShareResult = { index: number; stack: BuiltStack } | { index: number; error: string };

/**
 * Synthesizes a share of a run's jobs in order (see `workers.ts`), handing each result to `report`,
 * and stops after the first failure: the share's later jobs come after it in stack order, and a run
 * reports only its first failing stack.
 */
export function synthesizeShare(
  outdir: string,
  share: readonly IndexedJob[],
  context: StackContext,
  report: (result: ShareResult) => void,
): void {
  withoutTokenStackTraces(() => {
    for (const { index, job, key } of share) {
      let result: ShareResult;
      try {
        const { content, ...stack } = synthesizeStack(outdir, job, context);
        if (context.cacheDir !== undefined) SynthCache.write(context.cacheDir, stack.name, key, { ...stack, content });
        result = { index, stack: { ...stack, suppressed: recordedSuppressions(content) } };
      } catch (error) {
        result = { index, error: error instanceof Error ? error.message : String(error) };
      }
      report(result);
      if ('error' in result) break;
    }
  });
}
