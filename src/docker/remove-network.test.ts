import { describe, expect, it } from 'vitest';
import type { Clock } from '../common/clock.js';
import { isNetworkInUse, removeNetworkWhenFree } from './remove-network.js';

/** A clock whose sleeps advance time at once. */
function steppingClock(): Clock & { slept: number } {
  let now = 0;
  const clock = {
    slept: 0,
    now: () => now,
    sleep: (ms: number) => {
      now += ms;
      clock.slept += ms;
      return Promise.resolve();
    },
  };
  return clock;
}

function engineError(statusCode: number, message: string): Error {
  return Object.assign(new Error(`HTTP ${statusCode}: ${message}`), { statusCode });
}

describe('removeNetworkWhenFree', () => {
  it('tries again while the swarm says the network is in use by a task, then succeeds', async () => {
    const clock = steppingClock();
    let calls = 0;
    const docker = {
      removeNetwork: () => {
        calls++;
        return calls < 3
          ? Promise.reject(engineError(400, 'network x is in use by task tb2e8'))
          : Promise.resolve();
      },
    };
    await removeNetworkWhenFree(docker, 'x', clock, 5_000);
    expect(calls).toBe(3);
    expect(clock.slept).toBe(500);
  });

  it('gives up with the Engine error once its patience is spent', async () => {
    const clock = steppingClock();
    const docker = {
      removeNetwork: () =>
        Promise.reject(engineError(403, 'error while removing network: has active endpoints')),
    };
    await expect(removeNetworkWhenFree(docker, 'x', clock, 1_000)).rejects.toThrow(
      /active endpoints/,
    );
    expect(clock.slept).toBeGreaterThanOrEqual(1_000);
  });

  it('does not wait on other errors, nor at all with no patience', async () => {
    const clock = steppingClock();
    const notFound = { removeNetwork: () => Promise.reject(engineError(404, 'no such network')) };
    await expect(removeNetworkWhenFree(notFound, 'x', clock, 5_000)).rejects.toThrow(/no such/);
    const busy = { removeNetwork: () => Promise.reject(engineError(403, 'has active endpoints')) };
    await expect(removeNetworkWhenFree(busy, 'x', clock, 0)).rejects.toThrow(/active/);
    expect(clock.slept).toBe(0);
  });

  it('tells "in use" only from Engine errors', () => {
    expect(isNetworkInUse(engineError(403, 'has active endpoints'))).toBe(true);
    expect(isNetworkInUse(new Error('socket in use'))).toBe(false);
  });
});
