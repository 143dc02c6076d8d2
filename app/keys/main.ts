#!/usr/bin/env node
/**
 * `sovstack-state-key provide --stack <stack> --key-manager <url> --key-version <n> [--auth-url <url>] [--os-cloud <entry>]`:
 * the external key provider OpenTofu runs for an encrypted stack (the command of its
 * `terraform.encryption.key_provider.external` block). Writes the protocol header, reads OpenTofu's
 * request on stdin, answers with the data key on stdout; on failure prints one line on stderr and exits 1.
 * Small on purpose (no CLI framework, no estate loading): OpenTofu runs it several times per plan.
 */
import { StateKeyError } from './errors.js';
import { provideKeys } from './provide.js';
import { PROTOCOL_HEADER } from './protocol.js';
import { parseProvideArgs } from './target.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

try {
  const target = parseProvideArgs(process.argv.slice(2));
  process.stdout.write(`${PROTOCOL_HEADER}\n`);
  const answer = await provideKeys(fetch, target, await readStdin(), process.env);
  process.stdout.write(`${answer}\n`);
} catch (error) {
  const message =
    error instanceof StateKeyError ? error.message : `unexpected failure: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`sovstack-state-key: ${message}\n`);
  process.exitCode = 1;
}
