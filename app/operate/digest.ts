/** The `sha256:<hex>` digests the orchestrator journals and records (plan hashes, configurations, init fingerprints). */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * `sha256:<hex>` of bytes or text.
 *
 * @example digest('{}'); // 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'
 */
export function digest(content: string | Buffer): string {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

/** `sha256:<hex>` of a file's bytes. */
export function fileDigest(file: string): string {
  return digest(readFileSync(file));
}
