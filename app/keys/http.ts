/**
 * One HTTP request of the state-key program, with a timeout and user-facing errors: an unreachable
 * service says which, where and that nothing was changed. Bodies are never echoed (they may hold keys).
 */
import { StateKeyError } from './errors.js';

/** Seconds one request may take: OpenTofu gives the whole key provider a minute. */
export const REQUEST_TIMEOUT_MS = 20_000;

/** The network `fetch` (tests of the protocol pass none: they do not reach this module). */
export type Fetch = typeof fetch;

function causeOf(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (cause instanceof Error && cause.name === 'TimeoutError') return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
  const code = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : cause instanceof Error ? cause.message : String(cause);
}

/**
 * `fetch(url, init)` with a timeout; a network failure becomes a {@link StateKeyError} naming `what`.
 *
 * @example await send(fetch, 'http://127.0.0.1:9311/v1/secrets', { method: 'GET' }, 'the key manager');
 */
export async function send(fetchImpl: Fetch, url: string, init: RequestInit, what: string): Promise<Response> {
  try {
    return await fetchImpl(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (error) {
    throw new StateKeyError(`cannot reach ${what} at ${new URL(url).origin} (${causeOf(error)}); nothing was read or written`);
  }
}

/** A short, safe description of an HTTP error answer: its status and, for JSON errors, their title or description. */
export async function describeFailure(response: Response): Promise<string> {
  let detail = '';
  try {
    const body = (await response.json()) as { title?: unknown; description?: unknown; error?: { message?: unknown } };
    const text = body.description ?? body.title ?? body.error?.message;
    if (typeof text === 'string') detail = `: ${text.slice(0, 200)}`;
  } catch {
    // not JSON: the status says enough
  }
  return `HTTP ${response.status}${detail}`;
}
