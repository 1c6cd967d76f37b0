import { describe, expect, it } from 'vitest';
import { interruptedBeforePlan, planUnlessInterrupted, type RunFlags } from './run-scenario.js';

const flags = { scenario: 'macvlan-two-nic' } as RunFlags;

describe('a Ctrl-C while the scenario is read and planned', () => {
  it('ends at once with the INTERRUPTED line, not when planning is done', async () => {
    const ctl = new AbortController();
    const never = new Promise<never>(() => {});
    const planning = planUnlessInterrupted(flags, ctl.signal, () => never);
    ctl.abort();
    const err: unknown = await planning.catch((e: unknown) => e);
    expect(interruptedBeforePlan(err)).toBe(
      'INTERRUPTED: macvlan-two-nic — stopped while reading and planning the scenario; nothing was changed on any host',
    );
  });

  it('gives the plan when no Ctrl-C comes, and passes a planning error on unchanged', async () => {
    const plan = { plan: 'p' } as never;
    await expect(
      planUnlessInterrupted(flags, undefined, () => Promise.resolve(plan)),
    ).resolves.toBe(plan);
    const bad = new Error('bad scenario');
    const err: unknown = await planUnlessInterrupted(flags, new AbortController().signal, () =>
      Promise.reject(bad),
    ).catch((e: unknown) => e);
    expect(err).toBe(bad);
    expect(interruptedBeforePlan(err)).toBeUndefined();
  });
});
