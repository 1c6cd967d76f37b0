import { describe, expect, it } from 'vitest';
import type { Clock } from '../../common/clock.js';
import {
  isPlausiblyOurs,
  parseProcStat,
  stopProcess,
  type ProcessInfo,
  type ProcessTable,
} from './processes.js';

const stat =
  '4242 (my (odd) daemon) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 7 0 987654 1000000 300 ' +
  '18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0';

describe('/proc/PID/stat', () => {
  it('reads state, parent and start time, whatever the command name holds', () => {
    expect(parseProcStat(stat)).toEqual({ pid: 4242, state: 'S', ppid: 1, startTime: 987654 });
  });
});

function info(overrides: Partial<ProcessInfo> = {}): ProcessInfo {
  return {
    pid: 10,
    ppid: 1,
    state: 'S',
    startTime: 500,
    cmdline: ['dockerd', '--config-file', '/b/daemon.json'],
    ...overrides,
  };
}

describe('recognising our processes', () => {
  const ref = { pid: 10, startTime: 500 };
  it('wants the same start time and our marker in the command line', () => {
    expect(isPlausiblyOurs(info(), ref, '/b/daemon.json')).toBe(true);
    expect(isPlausiblyOurs(info({ startTime: 501 }), ref, '/b/daemon.json')).toBe(false);
    expect(isPlausiblyOurs(info({ cmdline: ['dockerd'] }), ref, '/b/daemon.json')).toBe(false);
    expect(isPlausiblyOurs(info({ state: 'Z' }), ref, '/b/daemon.json')).toBe(false);
    expect(isPlausiblyOurs(undefined, ref, '/b/daemon.json')).toBe(false);
  });
});

/** A fake process table where signals act at once unless the process ignores them. */
function fakeTable(processes: Map<number, ProcessInfo & { ignores?: NodeJS.Signals[] }>) {
  const sent: [number, NodeJS.Signals][] = [];
  const table: ProcessTable = {
    inspect: async (pid) => processes.get(pid),
    signal: (pid, signal) => {
      sent.push([pid, signal]);
      const p = processes.get(pid);
      if (p && !p.ignores?.includes(signal)) processes.delete(pid);
    },
    list: async () => [...processes.keys()],
    netnsInode: async () => undefined,
  };
  return { table, sent };
}

function fakeClock(): Clock {
  let now = 0;
  return { now: () => now, sleep: async (ms) => void (now += ms) };
}

describe('stopping a recorded process', () => {
  const ref = { pid: 10, startTime: 500 };

  it('terminates it gracefully', async () => {
    const { table, sent } = fakeTable(new Map([[10, info()]]));
    expect(await stopProcess(table, fakeClock(), ref, '/b/daemon.json', 1000)).toBe('terminated');
    expect(sent).toEqual([[10, 'SIGTERM']]);
  });

  it('kills it when it ignores SIGTERM past the grace time', async () => {
    const { table, sent } = fakeTable(
      new Map([[10, { ...info(), ignores: ['SIGTERM' as const] }]]),
    );
    expect(await stopProcess(table, fakeClock(), ref, '/b/daemon.json', 1000)).toBe('killed');
    expect(sent).toEqual([
      [10, 'SIGTERM'],
      [10, 'SIGKILL'],
    ]);
  });

  it('leaves a reused pid alone', async () => {
    const { table, sent } = fakeTable(new Map([[10, info({ startTime: 999, cmdline: ['vim'] })]]));
    expect(await stopProcess(table, fakeClock(), ref, '/b/daemon.json', 1000)).toBe('not-ours');
    expect(sent).toEqual([]);
  });

  it('says so when it is already gone', async () => {
    const { table } = fakeTable(new Map());
    expect(await stopProcess(table, fakeClock(), ref, '/b/daemon.json', 1000)).toBe('not-running');
  });
});
