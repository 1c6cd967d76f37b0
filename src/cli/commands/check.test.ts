import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { sampleReport } from '../../../test/fakes/connectivity-report.js';
import { useColour } from '../colour.js';
import type { CliContext } from '../context.js';
import { main } from '../main.js';
import { exitCodeOf } from './check.js';

function ctx(
  env: Record<string, string> = {},
  isTTY = false,
): CliContext & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const stdout = Object.assign(new Writable({ write: (c, _e, cb) => ((out += String(c)), cb()) }), {
    isTTY,
  });
  const stderr = new Writable({ write: (c, _e, cb) => ((err += String(c)), cb()) });
  return { stdout, stderr, env, cwd: '/', out: () => out, err: () => err };
}

describe('lab check connectivity: exit codes', () => {
  it('0 as expected, 1 a cell failed, 3 any error (also with failures), 2 nothing to check, 130 interrupted', () => {
    const r = sampleReport();
    const passing = {
      ...r,
      hosts: [],
      verdict: 'pass' as const,
      results: r.results.filter((x) => x.outcome === 'pass'),
    };
    expect(exitCodeOf(passing, false)).toBe(0);
    expect(exitCodeOf({ ...passing, verdict: 'fail' }, false)).toBe(1);
    expect(exitCodeOf(r, false)).toBe(3);
    expect(exitCodeOf({ ...passing, results: [] }, false)).toBe(2);
    expect(exitCodeOf(r, true)).toBe(130);
    // A claim of the seed this Docker does not bear out: 0, or 1 with --strict-seed.
    expect(exitCodeOf({ ...passing, verdict: 'differs' }, false)).toBe(0);
    expect(exitCodeOf({ ...passing, verdict: 'differs' }, false, true)).toBe(1);
  });

  it('bad input exits 2 before any host is contacted', async () => {
    const c = ctx();
    expect(await main(['check', 'connectivity', '-i', '/nonexistent/inventory.ini'], c)).toBe(2);
    expect(c.err()).toMatch(/inventory file \/nonexistent\/inventory.ini does not exist/);
    const d = ctx();
    expect(await main(['check'], d)).toBe(2);
    expect(d.err()).toMatch(/Name what to check/);
  });
});

describe('useColour', () => {
  it('only on a terminal, never with NO_COLOR or TERM=dumb', () => {
    expect(useColour(ctx({}, true))).toBe(true);
    expect(useColour(ctx({}, false))).toBe(false);
    expect(useColour(ctx({ NO_COLOR: '1' }, true))).toBe(false);
    expect(useColour(ctx({ TERM: 'dumb' }, true))).toBe(false);
  });
});
