import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../common/clock.js';
import { IN_HOST } from '../layout.js';
import type { ProcessInfo, ProcessTable } from '../system/processes.js';
import { clearDeadEngine, readEnginePids, waitEngineDead } from './dead-engine.js';

function proc(pid: number, state: string, program: string): ProcessInfo {
  return { pid, ppid: 1, state, startTime: 1, cmdline: [program, '--config', 'x'] };
}

/** A process table whose entries change as the fake clock passes given times. */
function table(timeline: (now: number) => ProcessInfo[], clock: { now(): number }): ProcessTable {
  return {
    inspect: async (pid) => timeline(clock.now()).find((p) => p.pid === pid),
    signal: () => undefined,
    list: async () => timeline(clock.now()).map((p) => p.pid),
    netnsInode: async () => undefined,
  };
}

function fakeClock(): Clock {
  let now = 0;
  return { now: () => now, sleep: async (ms) => void (now += ms) };
}

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'lab-dead-engine-'));
  await mkdir(join(root, IN_HOST.dockerExecRoot, 'containerd'), { recursive: true });
  await writeFile(join(root, IN_HOST.dockerPidFile), '100');
  await writeFile(join(root, IN_HOST.containerdPidFile), '200');
});
afterEach(() => rm(root, { recursive: true, force: true }));

const exists = (file: string) =>
  readFile(join(root, file)).then(
    () => true,
    () => false,
  );

describe('a killed engine’s leftovers before it starts again', () => {
  it('reads the containerd pid dockerd recorded', async () => {
    expect(await readEnginePids(root, 100)).toEqual({ dockerd: 100, containerd: 200 });
    await writeFile(join(root, IN_HOST.containerdPidFile), 'garbage');
    expect(await readEnginePids(root, 100)).toEqual({ dockerd: 100, containerd: undefined });
  });

  it('removes both pidfiles while containerd is a zombie not yet reaped by init (dockerd would take it for running)', async () => {
    const clock = fakeClock();
    const procs = table(() => [proc(100, 'Z', 'dockerd'), proc(200, 'Z', 'containerd')], clock);
    await clearDeadEngine(procs, clock, root, { dockerd: 100, containerd: 200 });
    expect(await exists(IN_HOST.dockerPidFile)).toBe(false);
    expect(await exists(IN_HOST.containerdPidFile)).toBe(false);
    expect(clock.now()).toBe(0);
  });

  it('removes containerd.pid when its pid is now another program’s', async () => {
    const clock = fakeClock();
    const procs = table(() => [proc(200, 'S', 'sshd')], clock);
    await clearDeadEngine(procs, clock, root, { dockerd: 100, containerd: 200 });
    expect(await exists(IN_HOST.containerdPidFile)).toBe(false);
  });

  it('waits for a containerd that is still dying, then removes its pidfile', async () => {
    const clock = fakeClock();
    const procs = table((now) => (now < 300 ? [proc(200, 'S', 'containerd')] : []), clock);
    await clearDeadEngine(procs, clock, root, { dockerd: 100, containerd: 200 });
    expect(clock.now()).toBeGreaterThanOrEqual(300);
    expect(clock.now()).toBeLessThan(400);
    expect(await exists(IN_HOST.containerdPidFile)).toBe(false);
  });

  it('keeps the pidfile of a containerd that goes on running (dockerd takes it over), after a bounded wait', async () => {
    const clock = fakeClock();
    const procs = table(() => [proc(200, 'S', 'containerd')], clock);
    expect(await waitEngineDead(procs, clock, { dockerd: 100, containerd: 200 }, 1_000)).toBe(
      false,
    );
    await clearDeadEngine(procs, clock, root, { dockerd: 100, containerd: 200 }, 1_000);
    expect(await exists(IN_HOST.containerdPidFile)).toBe(true);
    expect(await exists(IN_HOST.dockerPidFile)).toBe(false);
    expect(clock.now()).toBeLessThanOrEqual(2_100);
  });
});
