/**
 * Bad input on the command line, end to end through main(): every message in its own words, exit 2,
 * and with --json exactly one JSON document on stdout. No case here reaches a host: each fails
 * before a connection is made (the inventory's 198.18.0.0/15 addresses are never dialled).
 */
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { CliContext } from './context.js';
import { main } from './main.js';

// Each case runs main() in-process, loading the CLI's modules: slow on a loaded 2-core machine.
vi.setConfig({ testTimeout: 30_000 });

function ctx(cwd: string): CliContext & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const stdout = new Writable({ write: (c, _e, cb) => ((out += String(c)), cb()) });
  const stderr = new Writable({ write: (c, _e, cb) => ((err += String(c)), cb()) });
  return { stdout, stderr, env: { HOME: cwd }, cwd, out: () => out, err: () => err };
}

const INVENTORY = '[servers]\nserver1 ansible_host=198.18.0.1\nserver2 ansible_host=198.18.0.2\n';
const SCENARIO =
  'name: tiny\nnetworks:\n  - { name: n1, driver: bridge, subnet: 198.19.1.0/24 }\ncontainers:\n  - { name: a, host: server1, networks: [n1] }\n';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lab-cli-inputs-'));
  await writeFile(path.join(dir, 'inv.ini'), INVENTORY);
  await mkdir(path.join(dir, 'scenarios'));
  await writeFile(path.join(dir, 'scenarios', 'tiny.yaml'), SCENARIO);
  await writeFile(
    path.join(dir, 'scenarios', 'broken.yaml'),
    'name: broken\nnetworks:\n  - { name: n1, drvier: bridge }\n',
  );
});

async function run(args: string[]) {
  const c = ctx(dir);
  const code = await main(args, c);
  return { code, out: c.out(), err: c.err() };
}

describe('numeric flags are range-checked, in their own words', () => {
  const cases: [string[], string][] = [
    [['--timeout', '0'], '--timeout must be a number of seconds from 0.1 to 86400, got 0'],
    [
      ['--timeout', '1e12'],
      '--timeout must be a number of seconds from 0.1 to 86400, got 1000000000000',
    ],
    [['--timeout', 'abc'], '--timeout must be a number of seconds from 0.1 to 86400, got "abc"'],
    [['--timeout', '-5'], '--timeout must be a number of seconds from 0.1 to 86400, got -5'],
    [['--timeout', '1', '--timeout', '2'], '--timeout is given 2 times; give it once'],
    [['--concurrency', '0'], '--concurrency must be a whole number from 1 to 1000, got 0'],
    [['--concurrency', '2.5'], '--concurrency must be a whole number from 1 to 1000, got 2.5'],
    [['--wait', '-1'], '--wait must be a number of seconds from 0 to 3600, got -1'],
    [['--wait', 'soon'], '--wait must be a number of seconds from 0 to 3600, got "soon"'],
    [
      ['--ping-timeout', '0.5'],
      '--ping-timeout must be a whole number of seconds from 1 to 60, got 0.5',
    ],
  ];
  for (const [flags, message] of cases) {
    it(`lab run ${flags.join(' ')}`, async () => {
      const r = await run(['run', 'tiny', '-i', 'inv.ini', ...flags]);
      expect(r.code).toBe(2);
      expect(r.err.split('\n')[0]).toBe(`lab: ${message}`);
    });
  }

  it('--timeout 0 says 0 is not "no limit"', async () => {
    const r = await run(['down', 'tiny', '-i', 'inv.ini', '--timeout', '0']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/hint: 0 does not mean "no limit"/);
  });

  it('lab check connectivity --per-host abc', async () => {
    const r = await run(['check', 'connectivity', '-i', 'inv.ini', '--per-host', 'abc']);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe(
      'lab: --per-host must be a whole number from 1 to 1000, got "abc"',
    );
  });

  it('lab box up --hosts 99', async () => {
    const r = await run(['box', 'up', '--hosts', '99']);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe('lab: --hosts must be a whole number from 1 to 8, got 99');
  });
});

describe('--json prints exactly one JSON document on stdout for every outcome, errors included', () => {
  const cases: [string, string[], Record<string, unknown>][] = [
    [
      'plan: a scenario with a mistake',
      ['plan', 'broken', '-i', 'inv.ini', '--json'],
      { kind: 'input', line: 3 },
    ],
    ['plan: an unknown scenario', ['plan', 'nope', '-i', 'inv.ini', '--json'], { kind: 'input' }],
    [
      'run: a bad flag value',
      ['run', 'tiny', '-i', 'inv.ini', '--timeout', 'x', '--json'],
      { kind: 'input' },
    ],
    ['run: a missing inventory', ['run', 'tiny', '-i', 'absent.ini', '--json'], { kind: 'input' }],
    [
      'down: a bad flag value',
      ['down', 'tiny', '-i', 'inv.ini', '--concurrency', '0', '--json'],
      { kind: 'input' },
    ],
    [
      'check: a missing inventory',
      ['check', 'connectivity', '-i', 'absent.ini', '--json'],
      { kind: 'input' },
    ],
    ['inventory: a missing file', ['inventory', '-i', 'absent.ini', '--json'], { kind: 'input' }],
    ['ls: a missing directory', ['ls', '--scenarios', '/nonexistent', '--json'], { kind: 'input' }],
    ['an unknown flag', ['plan', 'tiny', '-i', 'inv.ini', '--jsno', '--json'], { kind: 'usage' }],
  ];
  for (const [name, args, expected] of cases) {
    it(name, async () => {
      const r = await run(args);
      expect(r.code).toBe(2);
      const doc = JSON.parse(r.out) as {
        ok: boolean;
        exitCode: number;
        error: Record<string, unknown>;
      };
      expect(doc.ok).toBe(false);
      expect(doc.exitCode).toBe(2);
      expect(doc.error).toMatchObject(expected);
      expect(typeof doc.error['message']).toBe('string');
    });
  }

  it('a scenario error carries file, line, column, hint and every problem', async () => {
    const r = await run(['plan', 'broken', '-i', 'inv.ini', '--json']);
    const doc = JSON.parse(r.out) as { error: Record<string, unknown> };
    expect(doc.error).toMatchObject({
      kind: 'input',
      file: path.join(dir, 'scenarios', 'broken.yaml'),
      line: 3,
      column: 17,
      message: 'networks[0].drvier: unknown key "drvier" (did you mean "driver"?)',
    });
    expect(doc.error['hint']).toMatch(/^allowed here: /);
  });
});

describe('scenario lookups', () => {
  it('lab ls --scenarios /nonexistent: exit 2 with a clear error', async () => {
    const r = await run(['ls', '--scenarios', '/nonexistent']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.split('\n')[0]).toBe('lab: the scenarios directory /nonexistent does not exist');
  });

  it('lab plan tiny.yaml from a directory without it points at scenarios/', async () => {
    const r = await run(['plan', 'tiny.yaml', '-i', 'inv.ini']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `lab: scenario file ${path.join(dir, 'tiny.yaml')} does not exist\n` +
        `  hint: there is a scenario named tiny in ${path.join(dir, 'scenarios')}: give its name (lab plan tiny …) or its path ${path.join(dir, 'scenarios', 'tiny.yaml')}\n`,
    );
  });
});

describe('report paths are checked before any host is touched', () => {
  it('lab run --transcript /nonexistent-dir/x.md: exit 2 before the inventory is even read', async () => {
    const r = await run(['run', 'tiny', '-i', 'inv.ini', '--transcript', '/nonexistent-dir/x.md']);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe(
      'lab: --transcript /nonexistent-dir/x.md: the directory /nonexistent-dir does not exist',
    );
  });

  it('lab run --all --transcript into a missing directory', async () => {
    const r = await run(['run', '--all', '-i', 'inv.ini', '--transcript', 'no/such/x.md']);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toMatch(
      /^lab: --transcript no\/such\/x\.md: the directory .* does not exist$/,
    );
  });

  it('lab check connectivity --junit into a missing directory', async () => {
    const r = await run([
      'check',
      'connectivity',
      '-i',
      'inv.ini',
      '--junit',
      '/nonexistent-dir/c.xml',
    ]);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe(
      'lab: --junit /nonexistent-dir/c.xml: the directory /nonexistent-dir does not exist',
    );
  });
});

describe('lab plan: free text is rendered as comments no line can escape', () => {
  const HOSTILE = [
    'ok\ntouch /tmp/pwned-nl',
    'ok\rtouch /tmp/pwned-cr',
    'ok\r\ntouch /tmp/pwned-crlf',
    'ok\u2028touch /tmp/pwned-ls',
    'ok\u2029touch /tmp/pwned-ps',
    'ok\u0085touch /tmp/pwned-nel',
    'ok\u000btouch /tmp/pwned-vt',
    'ok\u000ctouch /tmp/pwned-ff',
    'ok\u001b[2Ktouch /tmp/pwned-esc',
  ];
  const yamlString = (s: string) => JSON.stringify(s);
  const scenario = [
    'name: hostile',
    'vars: { image: busybox }',
    'networks:',
    '  - { name: n1, driver: bridge, subnet: 198.19.1.0/24 }',
    'containers:',
    '  - { name: a, host: server1, networks: [n1] }',
    '  - { name: b, host: server1, networks: [n1] }',
    'expect:',
    ...HOSTILE.map((r) => `  - { from: a, reach: b, reason: ${yamlString(r)} }`),
    'assert:',
    ...HOSTILE.map((r) => `  - { network: n1, has: { driver: bridge }, reason: ${yamlString(r)} }`),
    '',
  ].join('\n');

  it('every hostile reason stays on its command line, behind #', async () => {
    await writeFile(path.join(dir, 'scenarios', 'hostile.yaml'), scenario);
    const r = await run(['plan', 'hostile', '-i', 'inv.ini']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    // Split on everything a terminal or a shell might take as the end of a line.
    // eslint-disable-next-line no-control-regex -- vertical tab and form feed break lines too
    const lines = r.out.split(/\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029]/);
    for (const line of lines) {
      expect(line).not.toMatch(/^\s*touch/);
      if (line.includes('touch /tmp/pwned'))
        expect(line.indexOf('#')).toBeLessThan(line.indexOf('touch'));
    }
    expect(r.out).toMatch(/# must reach b on n1: ok\\ntouch \/tmp\/pwned-nl$/m);
    expect(r.out).toMatch(/ok\\u001b\[2Ktouch \/tmp\/pwned-esc$/m);
    // Each reason shows up (checks and assertions), each time behind the # of its own line.
    expect(r.out.match(/touch \/tmp\/pwned/g)?.length).toBeGreaterThanOrEqual(HOSTILE.length * 2);
  });
});

describe('--var names are checked against the variables there are', () => {
  it('lab plan --var nope=1: rejected with the list of known ones', async () => {
    await writeFile(
      path.join(dir, 'scenarios', 'withvars.yaml'),
      'name: withvars\nvars: { net_subnet: 198.19.1.0/24, image: busybox }\nnetworks:\n  - { name: n1, driver: bridge, subnet: "${net_subnet}", gateway: "${net_gw}" }\n',
    );
    const r = await run([
      'plan',
      'withvars',
      '-i',
      'inv.ini',
      '--var',
      'net_subnt=1',
      '--var',
      'net_gw=198.19.1.1',
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'lab: --var net_subnt: the scenario withvars and the inventory\'s [all:vars] define no variable net_subnt (did you mean "net_subnet"?)\n' +
        '  hint: variables you can set: image, net_gw, net_subnet\n',
    );
  });

  it('a variable the scenario uses without a default is known', async () => {
    const r = await run(['plan', 'withvars', '-i', 'inv.ini', '--var', 'net_gw=198.19.1.1']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });

  it('lab run --all --var: a name no scenario knows is rejected before anything runs', async () => {
    const r = await run(['run', '--all', '-i', 'inv.ini', '--var', 'nope=1']);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe(
      "lab: --var nope: no scenario in the run and not the inventory's [all:vars] defines nope",
    );
  });
});
