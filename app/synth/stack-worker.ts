/**
 * Entry of a synth worker thread (see `workers.ts`): loads cdktf and the bindings, waits for the share
 * of jobs it is given (one message), synthesizes it in order into the shared staging folder, posts
 * each result back to the parent, and exits.
 */
import { parentPort } from 'node:worker_threads';
import { synthesizeShare } from './stacks.js';
import type { WorkerInput } from './workers.js';

const port = parentPort;
if (!port) throw new Error('stack-worker.ts must run as a worker thread');
port.once('message', (input: WorkerInput) => {
  synthesizeShare(input.outdir, input.jobs, input.context, (result) => port.postMessage(result));
  port.close();
});
