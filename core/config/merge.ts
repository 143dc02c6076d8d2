/**
 * Template merge: a client's service starts from its template's service and overrides it key by key.
 */
import { asRecord } from '../json.js';

/** Which file a top-level service key came from. */
export type ServiceKeyOrigin = 'client' | 'template';

/** A merged (still unvalidated) service and where each of its top-level keys came from. */
export interface MergedService {
  service: Record<string, unknown>;
  origins: Record<string, ServiceKeyOrigin>;
}

/** Sets an own property even for names like `__proto__`, which plain assignment would treat specially. */
function define(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Merges a template's service with a client's: every top-level key the client sets replaces the
 * template's key of the same name as a whole (no deep merge: a client that sets `serverGroups`
 * gets exactly its own list). Keys only the template sets are kept. Non-object inputs count as empty.
 *
 * @example
 * mergeService({ publicPorts: [443], serverGroups: [web] }, { serverGroups: [web, batch] })
 * // → { service: { publicPorts: [443], serverGroups: [web, batch] },
 * //     origins: { publicPorts: 'template', serverGroups: 'client' } }
 */
export function mergeService(templateService: unknown, clientService: unknown): MergedService {
  const service: Record<string, unknown> = {};
  const origins: Record<string, ServiceKeyOrigin> = {};
  for (const [key, value] of Object.entries(asRecord(templateService))) {
    define(service, key, value);
    define(origins, key, 'template');
  }
  for (const [key, value] of Object.entries(asRecord(clientService))) {
    define(service, key, value);
    define(origins, key, 'client');
  }
  return { service, origins };
}
