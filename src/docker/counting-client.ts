import type { DockerClient } from './docker-client.js';

/**
 * Counts the Engine operations a run makes, by name, for reports and benchmarks ("how many round
 * trips did this take"). The inspections listContainers makes (one per container) count as
 * inspectContainer. See apiRequests for HTTP requests.
 */
export type CallCounts = Record<string, number>;

/** HTTP requests per operation where it is not one: exec (create, start, exit code), run
 * (create, attach, wait, start). */
const REQUESTS: Record<string, number> = { exec: 3, run: 4 };

/** The HTTP requests behind the counted operations (at least: exec may poll for its exit code). */
export function apiRequests(counts: CallCounts): number {
  return Object.entries(counts).reduce((sum, [op, n]) => sum + n * (REQUESTS[op] ?? 1), 0);
}

export function countingClient(inner: DockerClient, counts: CallCounts): DockerClient {
  // A proxy rather than a hand-written wrapper: every method of the interface, present and future,
  // is counted. Methods run on the real client, so its private fields keep working.
  return new Proxy(inner, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      // Bound to the real client: its private fields are not reachable through the proxy.
      if (typeof prop !== 'string' || prop === 'close') return value.bind(target) as unknown;
      return (...args: unknown[]) => {
        counts[prop] = (counts[prop] ?? 0) + 1;
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (prop !== 'listContainers') return result;
        return (result as Promise<unknown[]>).then((list) => {
          counts['inspectContainer'] = (counts['inspectContainer'] ?? 0) + list.length;
          return list;
        });
      };
    },
  });
}

/** Total operations counted. */
export function totalCalls(counts: CallCounts): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}
