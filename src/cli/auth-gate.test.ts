/**
 * "No SSH login before the scenario and inventory are fully valid" (issue 10): lab run starts its
 * SSH handshakes early, but authentication waits for the auth gate, which opens only once the
 * scenario has been checked. connectHost is replaced here to see what each connection was given;
 * gatedAuthHandler (ssh/connect.ts) is what holds ssh2's first auth request until the gate opens.
 */
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { LabError } from '../common/errors.js';
import { gatedAuthHandler } from '../ssh/connect.js';
import type { CliContext } from './context.js';
import { main } from './main.js';

// Each case runs main() in-process, loading the CLI's modules: slow on a loaded 2-core machine.
vi.setConfig({ testTimeout: 30_000 });

interface Attempt {
  host: string;
  /** How the gate ended: 'open' (logged in may go on), 'refused', or still 'pending'. */
  gate: () => 'open' | 'refused' | 'pending';
}
const attempts: Attempt[] = [];

vi.mock('../ssh/connect.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../ssh/connect.js')>();
  return {
    ...real,
    connectHost: (
      target: { host: string },
      options: { authGate?: Promise<unknown>; signal?: AbortSignal },
    ) => {
      let state: 'open' | 'refused' | 'pending' = 'pending';
      options.authGate?.then(
        () => (state = 'open'),
        () => (state = 'refused'),
      );
      attempts.push({ host: target.host, gate: () => state });
      // No real host: once the gate opens this "login" fails, as an unreachable host would.
      return new Promise((_resolve, reject) => {
        options.signal?.addEventListener('abort', () =>
          reject(new LabError('aborted', 'abandoned')),
        );
        options.authGate?.then(
          () => reject(new LabError('host', `${target.host}: test double, no host here`)),
          () => reject(new LabError('aborted', 'gate refused')),
        );
      });
    },
  };
});

function ctx(cwd: string): CliContext {
  const sink = () => new Writable({ write: (_c, _e, cb) => cb() });
  return { stdout: sink(), stderr: sink(), env: { HOME: cwd, USER: 'lab' }, cwd };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lab-auth-gate-'));
  await writeFile(path.join(dir, 'inv.ini'), '[servers]\nserver1 ansible_host=198.18.0.1\n');
  await mkdir(path.join(dir, 'scenarios'));
  await writeFile(
    path.join(dir, 'scenarios', 'bad.yaml'),
    'name: bad\nhosts: [server1]\nnetworks:\n  - { name: n1, drvier: bridge }\n',
  );
  await writeFile(
    path.join(dir, 'scenarios', 'good.yaml'),
    'name: good\nhosts: [server1]\nvars: { image: busybox }\nnetworks:\n  - { name: n1, driver: bridge, subnet: 198.19.1.0/24 }\n',
  );
});

describe('lab run: no login before the scenario is valid', () => {
  it('an invalid scenario: the early connection is made but its auth gate is refused, exit 2', async () => {
    attempts.length = 0;
    expect(await main(['run', 'bad', '-i', 'inv.ini'], ctx(dir))).toBe(2);
    await new Promise((r) => setImmediate(r));
    expect(attempts.map((a) => [a.host, a.gate()])).toEqual([['server1', 'refused']]);
  });

  it('a valid scenario: the gate opens (the double then fails as an unreachable host)', async () => {
    attempts.length = 0;
    expect(await main(['run', 'good', '-i', 'inv.ini'], ctx(dir))).toBe(3);
    expect(attempts.length).toBeGreaterThan(0);
    expect(attempts.every((a) => a.gate() === 'open')).toBe(true);
  });
});

describe('gatedAuthHandler: ssh2 asks for the first method only once the gate opens', () => {
  it('holds the first auth request until the gate resolves, then tries the methods in turn', async () => {
    let open: () => void = () => {};
    const gate = new Promise<void>((r) => (open = r));
    const handler = gatedAuthHandler(['publickey', 'agent'], gate);
    const asked: (string | false)[] = [];
    handler(null, null, (m) => asked.push(m));
    await new Promise((r) => setImmediate(r));
    expect(asked).toEqual([]);
    open();
    await gate;
    await new Promise((r) => setImmediate(r));
    expect(asked).toEqual(['publickey']);
    handler(['agent'], false, (m) => asked.push(m));
    handler([], false, (m) => asked.push(m));
    expect(asked).toEqual(['publickey', 'agent', false]);
  });

  it('a refused gate tries no method at all', async () => {
    const gate = Promise.reject(new Error('scenario invalid'));
    const asked: (string | false)[] = [];
    gatedAuthHandler(['publickey'], gate)(null, null, (m) => asked.push(m));
    await gate.catch(() => {});
    await new Promise((r) => setImmediate(r));
    expect(asked).toEqual([false]);
  });
});
