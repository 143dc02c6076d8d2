/**
 * Entry of a synth worker thread (see `workers.ts`): synthesizes the share of jobs it was given, in
 * order, into the shared staging folder and posts each result back to the parent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { synthesizeShare } from './stacks.js';
import type { WorkerInput } from './workers.js';

const input = workerData as WorkerInput;
const port = parentPort;
if (!port) throw new Error('stack-worker.ts must run as a worker thread');
synthesizeShare(input.outdir, input.jobs, input.context, (result) => port.postMessage(result));
