import { describe, expect, it } from 'vitest';
import { pollUntil, within, type Clock } from './clock.js';

function fakeClock(): Clock & { slept: number } {
  const clock = {
    slept: 0,
    now: () => clock.slept,
    sleep: async (ms: number) => void (clock.slept += ms),
  };
  return clock;
}

describe('pollUntil', () => {
  it('returns the first value the check gives', async () => {
    const clock = fakeClock();
    let calls = 0;
    expect(
      await pollUntil(clock, 1000, 100, async () => (++calls === 3 ? 'ready' : undefined)),
    ).toBe('ready');
    expect(clock.slept).toBe(200);
  });

  it('gives up after the timeout', async () => {
    const clock = fakeClock();
    expect(await pollUntil(clock, 1000, 100, async () => undefined)).toBeUndefined();
    expect(clock.slept).toBe(1000);
  });

  it('stops at once on a definite answer such as false', async () => {
    expect(await pollUntil(fakeClock(), 1000, 100, async () => false)).toBe(false);
  });
});

describe('within', () => {
  it('gives the value when it comes in time, undefined when it does not, and passes failures on', async () => {
    expect(await within(Promise.resolve(7), 1_000)).toBe(7);
    expect(await within(new Promise<number>(() => {}), 10)).toBeUndefined();
    await expect(within(Promise.reject(new Error('boom')), 1_000)).rejects.toThrow('boom');
  });
});
