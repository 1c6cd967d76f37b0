/** An AssertContext over fake hosts, with a clock that only moves when the code sleeps. */
import { makeContext, type AssertContext, type HttpGet } from '../../src/assert/context.js';
import type { HostSession } from '../../src/host/session.js';

export function fakeContext(
  hosts: HostSession[],
  options: { waitMs?: number; httpGet?: HttpGet } = {},
): AssertContext & { slept: number[] } {
  let t = 0;
  const slept: number[] = [];
  const ctx = makeContext(new Map(hosts.map((h) => [h.host, h])), {
    waitMs: options.waitMs ?? 0,
    timeoutMs: 1000,
    httpGet: options.httpGet ?? (async () => ({ status: 200, body: '' })),
    now: () => t,
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
  });
  return Object.assign(ctx, { slept });
}
