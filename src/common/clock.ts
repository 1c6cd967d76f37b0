/** Time, injected so that waiting loops and timestamps are testable without real waiting. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Polls `check` until it returns a value (not undefined) or `timeoutMs` passes; then returns
 * undefined. Used for "until the daemon answers" style waits.
 */
export async function pollUntil<T>(
  clock: Clock,
  timeoutMs: number,
  intervalMs: number,
  check: () => Promise<T | undefined>,
): Promise<T | undefined> {
  const deadline = clock.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (clock.now() >= deadline) return undefined;
    await clock.sleep(intervalMs);
  }
}

/**
 * The promise's value, or undefined when it takes longer than ms (the promise itself goes on). For
 * waits that must not hang on something that normally comes at once.
 */
export function within<T>(promise: Promise<T | undefined>, ms: number): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
