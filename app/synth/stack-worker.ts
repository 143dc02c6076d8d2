/**
 * Entry of a synth worker thread (see `workers.ts`): synthesizes the jobs it was given, in order,
 * into the shared staging folder and posts each result, or the first error, back to the parent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { synthesizeStack, withoutTokenStackTraces } from './stacks.js';
import type { WorkerInput, WorkerMessage } from './workers.js';

const input = workerData as WorkerInput;
const port = parentPort;
if (!port) throw new Error('stack-worker.ts must run as a worker thread');

withoutTokenStackTraces(() => {
  for (const { index, job } of input.jobs) {
    let message: WorkerMessage;
    try {
      const stack = synthesizeStack(input.outdir, job, input.context);
      message = { index, stack: { name: stack.name, manifest: stack.manifest, file: stack.file, content: stack.content } };
    } catch (error) {
      message = { index, error: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage(message);
    // Later jobs of this worker come after the failed one in stack order: the run reports the first failure only.
    if ('error' in message) break;
  }
});
