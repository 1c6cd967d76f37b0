import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CliContext } from '../context.js';
import { main } from '../main.js';
import { exitCodeOf } from '../run-scenario.js';
import { judgeRun, type RunReport } from '../../run/run-report.js';
import { LabError } from '../../common/errors.js';

function ctx(cwd: string): CliContext & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const stdout = new Writable({ write: (c, _e, cb) => ((out += String(c)), cb()) });
  const stderr = new Writable({ write: (c, _e, cb) => ((err += String(c)), cb()) });
  return { stdout, stderr, env: {}, cwd, out: () => out, err: () => err };
}

const INVENTORY = '[servers]\nserver1 ansible_host=198.18.0.1\nserver2 ansible_host=198.18.0.2\n';

describe('lab run: what it is asked', () => {
  it('a scenario or --all, not neither and not both (exit 2, no host contacted)', async () => {
    const c = ctx('/');
    expect(await main(['run', '-i', 'x.ini'], c)).toBe(2);
    expect(c.err()).toMatch(/name a scenario, or give --all/);
    const d = ctx('/');
    expect(await main(['run', 'bridge-custom', '--all', '-i', 'x.ini'], d)).toBe(2);
    expect(d.err()).toMatch(/give either a scenario or --all, not both/);
  });

  it('a one-value flag given twice is a usage error, not an internal one (exit 2)', async () => {
    const c = ctx('/');
    const args = ['run', 'x', '-i', 'a.ini', '--ssh-config', 'none', '--ssh-config', 'f'];
    expect(await main(args, c)).toBe(2);
    expect(c.err()).toBe(
      'lab: --ssh-config is given 2 times; give it once\nRun with --help for usage.\n',
    );
    // -i and --var may be repeated, and a switch (--json) said twice: the error is then about the
    // missing inventory file.
    const d = ctx('/');
    expect(
      await main(
        [
          'plan',
          'x',
          '-i',
          'a.ini',
          '-i',
          'b.ini',
          '--var',
          'a=1',
          '--var',
          'b=2',
          '--json',
          '--json',
        ],
        d,
      ),
    ).toBe(2);
    expect(d.err()).toMatch(/inventory file \/a\.ini does not exist/);
  });

  it('--transcript-dir goes with --all, and must be a directory that exists (exit 2, nothing run)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lab-run-'));
    const c = ctx(dir);
    expect(await main(['run', 'bridge-custom', '-i', 'x.ini', '--transcript-dir', '.'], c)).toBe(2);
    expect(c.err()).toMatch(/--transcript-dir goes with --all/);
    const d = ctx(dir);
    expect(await main(['run', '--all', '-i', 'x.ini', '--transcript-dir', 'nope'], d)).toBe(2);
    expect(d.err()).toMatch(/--transcript-dir nope: the directory does not exist/);
  });

  it('--all --dry-run prints every shipped scenario’s plan, assertions included', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lab-run-'));
    await writeFile(path.join(dir, 'inv.ini'), INVENTORY);
    const c = ctx(dir);
    const scenarios = path.resolve(import.meta.dirname, '../../../scenarios');
    expect(
      await main(['run', '--all', '--dry-run', '-i', 'inv.ini', '--scenarios', scenarios], c),
    ).toBe(0);
    expect(c.out().match(/^# lab plan: scenario /gm)).toHaveLength(11);
    expect(c.out()).toContain('docker swarm init --advertise-addr 198.18.0.1');
    expect(c.out()).toContain('# assertions, once the steps they look at are done');
    // Eleven scenarios planned in one process: slow on a loaded machine, not a hang.
  }, 30_000);
});

describe('lab run: exit codes', () => {
  const tally = { expectations: { held: 0, total: 0 }, assertions: { held: 0, total: 0 } };
  /** A report with the executor's own verdict for these hosts (verdict given: a finished run). */
  const report = (
    verdict: RunReport['verdict'] | undefined,
    error?: LabError,
    unfinished?: string[],
  ): RunReport => {
    const hosts = [
      { host: 'server1', steps: [], ...(error && { error }), ...(unfinished && { unfinished }) },
    ];
    return {
      scenario: 's',
      hosts,
      checks: [],
      verdict: verdict ?? judgeRun({ hosts, checks: [], assertions: [], interrupted: false }),
      tally,
      durationMs: 1,
    };
  };

  it('0 pass, 1 fail, 2 a conflict found in preflight, 3 a host error, 130 interrupted', () => {
    expect(exitCodeOf(report('pass'), false)).toBe(0);
    expect(exitCodeOf(report('fail'), false)).toBe(1);
    expect(exitCodeOf(report(undefined, new LabError('conflict', 'x')), false)).toBe(2);
    expect(exitCodeOf(report(undefined, new LabError('host', 'x')), false)).toBe(3);
    expect(exitCodeOf(report('pass'), true)).toBe(130);
    expect(exitCodeOf(report('interrupted'), false)).toBe(130);
  });

  it('3, not 2, for a conflict found after changes began (something is left)', () => {
    const r = report(undefined, new LabError('conflict', 'x'), ['container vm4']);
    expect(r.verdict).toBe('error');
    expect(exitCodeOf(r, false)).toBe(3);
  });
});

describe('lab run --html', () => {
  it('an unwritable page is bad input, refused before any host is contacted', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'lab-run-'));
    await writeFile(path.join(dir, 'inv.ini'), INVENTORY);
    const c = ctx(dir);
    const scenarios = path.resolve(import.meta.dirname, '../../../scenarios');
    const args = ['run', 'bridge-custom', '-i', 'inv.ini', '--scenarios', scenarios];
    expect(await main([...args, '--html', '/nonexistent-dir/r.html'], c)).toBe(2);
    expect(c.err()).toMatch(
      /--html \/nonexistent-dir\/r.html: the directory \/nonexistent-dir does not exist/,
    );
    expect(c.out()).toBe('');
  });
});
