import { LabError } from '../common/errors.js';

/** What docker-modem rejects with for a non-2xx answer (plus Node's own errors for transport trouble). */
interface ModemError extends Error {
  statusCode?: number;
  json?: unknown;
  code?: string;
}

/**
 * A failed Engine API call as a LabError: 'remote' when the Engine answered with an error (its status
 * and message in words), 'host' when it could not be reached at all. The operation reads like the
 * request ("POST /networks/create mac_net1"), so a report shows what was attempted.
 */
export function dockerError(
  host: string,
  operation: string,
  err: unknown,
  timeoutMs: number,
): LabError {
  if (err instanceof LabError) return err;
  const e = err as ModemError;
  const ctx = { host, command: operation };
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError') {
    return new LabError('remote', `${host}: ${operation} timed out after ${timeoutMs} ms`, ctx, {
      cause: err,
    });
  }
  if (typeof e?.statusCode === 'number') {
    return new LabError(
      'remote',
      `${host}: ${operation} failed: HTTP ${e.statusCode}: ${engineMessage(e)}`,
      ctx,
      { cause: err },
    );
  }
  return new LabError(
    'host',
    `${host}: cannot reach the Docker Engine for ${operation}: ${e?.message ?? String(err)}`,
    ctx,
    { cause: err },
  );
}

/** The HTTP status of a failed Engine call, found along the cause chain: lets callers tell 409 apart. */
export function dockerStatusOf(err: unknown): number | undefined {
  for (
    let e: unknown = err, depth = 0;
    e && depth < 5;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    const status = (e as ModemError).statusCode;
    if (typeof status === 'number') return status;
  }
  return undefined;
}

/** The Engine's own words ({"message": "..."}), without docker-modem's "(HTTP code 409) unexpected - " prefix. */
function engineMessage(e: ModemError): string {
  const json = e.json as { message?: unknown } | string | Buffer | null | undefined;
  if (
    json &&
    typeof json === 'object' &&
    !Buffer.isBuffer(json) &&
    typeof json.message === 'string'
  ) {
    return json.message.trim();
  }
  if (typeof json === 'string' && json.trim() !== '') return json.trim();
  if (Buffer.isBuffer(json) && json.length > 0) return json.toString('utf8').trim();
  return e.message.replace(/^\(HTTP code \d+\)\s*[^-]*-\s*/, '').trim();
}
