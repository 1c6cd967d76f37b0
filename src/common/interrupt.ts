/**
 * Waiting that a Ctrl-C cuts short: after the first Ctrl-C, work already running gets a short grace
 * to finish (so what it did can be reported), then the caller stops waiting for it and says so.
 * The process must end within a second of the Ctrl-C in every phase (docs/exit-codes.md).
 */

/** How long running work may still finish after a Ctrl-C before it is given up on. */
export const INTERRUPT_GRACE_MS = 300;

/** How long closing connections may take after a Ctrl-C before the verdict is written anyway. */
export const CLOSE_GRACE_MS = 150;

export type Awaited<T> = { done: true; value: T } | { done: false };

/**
 * Resolves with the work's value, or with `{ done: false }` once `signal` has been aborted for
 * `graceMs` while the work still runs. A rejection of the work is passed on.
 */
export function untilInterrupted<T>(
  work: Promise<T>,
  signal: AbortSignal | undefined,
  graceMs = INTERRUPT_GRACE_MS,
): Promise<Awaited<T>> {
  const finished = work.then((value) => ({ done: true as const, value }));
  if (!signal) return finished;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort: (() => void) | undefined;
  const given = new Promise<Awaited<T>>((resolve) => {
    const start = () => {
      timer = setTimeout(() => resolve({ done: false }), graceMs);
    };
    if (signal.aborted) start();
    else {
      onAbort = start;
      signal.addEventListener('abort', onAbort, { once: true });
    }
  });
  return Promise.race([finished, given]).finally(() => {
    if (timer) clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
  });
}
