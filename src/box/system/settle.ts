/**
 * Like Promise.all, but waits for every promise to finish before throwing the first failure: when
 * one step of `up` fails, nothing else may still be starting daemons or writing files while the
 * caller cleans up.
 */
export async function settleAll<T extends readonly unknown[]>(
  promises: readonly [...{ [K in keyof T]: Promise<T[K]> }],
): Promise<T> {
  const settled = await Promise.allSettled(promises);
  const failure = settled.find(
    (result): result is PromiseRejectedResult => result.status === 'rejected',
  );
  if (failure) throw failure.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/**
 * A promise that is awaited later may reject before anyone awaits it; a no-op handler keeps Node from
 * treating that as an unhandled rejection. The returned promise still rejects for whoever awaits it.
 */
export function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
