import { describe, expect, it } from 'vitest';
import { renderSuiteTable } from '../report/suite-table.js';
import { runAll, worstExitCode, type SuiteDeps } from './run-all.js';

function deps(
  results: Record<string, { code: number; verdict: 'pass' | 'fail' | 'error' | 'bad input' }>,
  log: string[],
  stopAfter = Infinity,
): SuiteDeps {
  let t = 0;
  return {
    now: () => (t += 1000),
    stopped: () => log.filter((l) => l.startsWith('run')).length >= stopAfter,
    run: async (s) => {
      log.push(`run ${s}`);
      const r = results[s] ?? { code: 0, verdict: 'pass' };
      return { ...r, held: r.code === 0 ? 3 : 2, total: 3 };
    },
    down: async (s) => {
      log.push(`down ${s}`);
      return s === 'b'
        ? { ok: false, detail: 'could not clean server2' }
        : { ok: true, detail: 'clean' };
    },
  };
}

describe('lab run --all', () => {
  it('runs each scenario, then tears it down, before the next; whatever the verdict', async () => {
    const log: string[] = [];
    const entries = await runAll(['a', 'b', 'c'], deps({ a: { code: 1, verdict: 'fail' } }, log));
    expect(log).toEqual(['run a', 'down a', 'run b', 'down b', 'run c', 'down c']);
    expect(entries.map((e) => [e.scenario, e.verdict, e.down.ok])).toEqual([
      ['a', 'fail', true],
      ['b', 'pass', false],
      ['c', 'pass', true],
    ]);
  });

  it('exits with the worst code; a failed teardown counts as a host error', async () => {
    const ok = await runAll(['a', 'c'], deps({}, []));
    expect(worstExitCode(ok, { hostError: 3 })).toBe(0);
    const bad = await runAll(
      ['a', 'c'],
      deps({ a: { code: 2, verdict: 'bad input' }, c: { code: 1, verdict: 'fail' } }, []),
    );
    expect(worstExitCode(bad, { hostError: 3 })).toBe(2);
    const down = await runAll(['b'], deps({}, []));
    expect(worstExitCode(down, { hostError: 3 })).toBe(3);
  });

  it('starts no scenario once stopped', async () => {
    const log: string[] = [];
    expect(await runAll(['a', 'b', 'c'], deps({}, log, 1))).toHaveLength(1);
    expect(log).toEqual(['run a', 'down a']);
  });

  it('ends with one table', async () => {
    const entries = await runAll(['a', 'b'], deps({ a: { code: 1, verdict: 'fail' } }, []));
    const table = renderSuiteTable(entries, 12_345, ['c']);
    expect(table.split('\n')).toEqual([
      'scenario  verdict  held  run    lab down',
      '--------  -------  ----  -----  -------------------------------',
      'a         ✘ FAIL   2/3   1.0 s  clean (1.0 s)',
      'b         ✔ PASS   3/3   1.0 s  FAILED: could not clean server2',
      'c         not run (stopped)',
      '',
      '1 of 3 scenarios pass; 12.3 s in all',
      '',
    ]);
  });
});
