/**
 * Entry of a validation worker thread (see `validate-threads.ts`): validates the files it is given
 * (one message) with {@link validateEstate}, posts the result back, and exits.
 */
import { parentPort } from 'node:worker_threads';
import { validateEstate, type SourceFile } from './validate.js';

/** What a validation worker is given. */
export interface ValidationInput {
  readonly files: readonly SourceFile[];
  readonly dir: string;
}

const port = parentPort;
if (!port) throw new Error('validate-worker.ts must run as a worker thread');
port.once('message', (input: ValidationInput) => {
  port.postMessage(validateEstate(input.files, input.dir));
  port.close();
});
