import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FaultTable,
  lab,
  labInOwnProcess,
  lastLine,
  openFaultBox,
  waitFor,
  type FaultBox,
  type LabRun,
} from './harness.js';

const run = promisify(execFile);
const table = new FaultTable();
const SCENARIO = 'macvlan-two-nic';
const LOST = 'connection to server2 (198.18.0.2:22) lost during';

/** server2's port on the LAN switch (the machine's end of its eth0), down or up. */
async function port(f: FaultBox, state: 'up' | 'down'): Promise<void> {
  const nic = f.box.state.hosts[1]!.interfaces.find((i) => i.name === 'eth0')!;
  await run('ip', ['link', 'set', nic.rootPeer, state]);
}

/**
 * Issue 10's bound: from the loss to lab's end. Keepalives (1 s × 4) declare the host lost in about
 * 5 s; a loss during discovery then probes nothing towards or from the lost host (each such probe
 * would wait out its time, which took lab to 10.8–11.0 s before), so the other host's probes are
 * all that is left.
 */
const LOST_WITHIN_MS = 10_000;

/** lab has an SSH connection to server2 open (seen in server2's own network namespace). */
async function connected(f: FaultBox): Promise<boolean> {
  const [cmd = 'nsenter', ...args] = f.box.state.hosts[1]!.nsenter;
  const { stdout } = await run(cmd, [
    ...args,
    'ss',
    '-Htn',
    'state',
    'established',
    '( sport = :22 )',
  ]);
  return stdout.trim() !== '';
}

/**
 * Runs lab and takes server2's switch port down once `when` holds (lab connected, or working there):
 * a fixed delay would, on a loaded machine, hit the SSH handshake instead, which is another fault.
 * `lostAfterMs`: from the port going down to lab's end.
 */
async function withPortDown(
  args: string[],
  f: FaultBox,
  when: () => Promise<boolean>,
): Promise<LabRun & { lostAfterMs: number }> {
  let downAt = 0;
  // Its own process: once it has ended, its pid is gone, as a real lab's is (see the lab run case).
  const running = labInOwnProcess(args);
  let finished = false;
  void running.finally(() => (finished = true));
  try {
    if (await waitFor(async () => finished || (await when()), 60_000)) {
      if (!finished) {
        await port(f, 'down');
        downAt = Date.now();
      }
    }
    const r = await running;
    return { ...r, lostAfterMs: downAt ? Date.now() - downAt : -1 };
  } finally {
    await port(f, 'up');
  }
}

interface Cell {
  source: string;
  target: string;
  outcome: string;
  observed: string;
}

describe('fault: a host lost mid-operation (switch port down, the box)', () => {
  let f: FaultBox;
  beforeAll(async () => {
    f = await openFaultBox();
    const up = await lab(['run', SCENARIO, '-i', f.inventory]);
    expect(up.code, up.stdout + up.stderr).toBe(0);
  });
  afterAll(async () => {
    await port(f, 'up');
    await lab(['down', SCENARIO, '-i', f.inventory]);
    await f.witness.close();
    await table.print('host lost');
  });

  it('lab check: every cell with server2 in it says the connection was lost; server1’s own cells keep real results', async () => {
    // Connected, and a moment into the probes.
    const r = await withPortDown(
      ['check', 'connectivity', '-i', f.inventory, '--json'],
      f,
      async () => (await connected(f)) && (await new Promise((ok) => setTimeout(ok, 300, true))),
    );
    const doc = JSON.parse(r.stdout) as {
      cells: Cell[];
      phases?: { discoverMs: number; probeMs: number };
    };
    const cells = doc.cells;
    const involved = cells.filter((c) => `${c.source} ${c.target}`.includes('server2'));
    const others = cells.filter((c) => !involved.includes(c));
    const ok =
      r.code === 3 &&
      involved.length > 0 &&
      involved.every((c) => c.outcome === 'error' && c.observed.startsWith(LOST)) &&
      others.every((c) => c.outcome !== 'error') &&
      r.lostAfterMs >= 0 &&
      r.lostAfterMs < LOST_WITHIN_MS;
    table.record(
      'switch port down during lab check',
      r,
      ok,
      `${involved.length} cells lost, ${others.length} real, ended ${r.lostAfterMs} ms after the loss (discovery ${doc.phases?.discoverMs} ms, probes ${doc.phases?.probeMs} ms)`,
    );
    expect(r.code).toBe(3);
    expect(involved.length).toBeGreaterThan(0);
    for (const c of involved) {
      expect(c.outcome, `${c.source} → ${c.target}`).toBe('error');
      expect(c.observed).toBe(`${LOST} the probes`);
    }
    expect(others.length).toBeGreaterThan(0);
    for (const c of others)
      expect(c.outcome, `${c.source} → ${c.target}: ${c.observed}`).not.toBe('error');
    // Keepalives (1 s × 4) find the loss; see LOST_WITHIN_MS (the old behaviour was 60 s).
    expect(r.lostAfterMs).toBeGreaterThanOrEqual(0);
    expect(r.lostAfterMs).toBeLessThan(LOST_WITHIN_MS);
  });

  it('lab run: the lost host is named, never a probe; ERROR with the down hint; then lab down cleans', async () => {
    // A fresh run, the port going down while its steps are under way.
    const clean = await lab(['down', SCENARIO, '-i', f.inventory]);
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);
    // The port goes down once server2 holds something of the run: its steps are under way.
    const r = await withPortDown(['run', SCENARIO, '-i', f.inventory], f, async () =>
      (await f.witness.labelled(SCENARIO)).some((o) => o.startsWith('server2 ')),
    );
    const ok =
      r.code === 3 &&
      r.stdout.includes(LOST) &&
      !/did not finish in time/.test(r.stdout) &&
      /^Remove it with: lab down macvlan-two-nic -i /m.test(r.stdout) &&
      lastLine(r) === 'ERROR: macvlan-two-nic — 1 host failed (server2)' &&
      r.lostAfterMs >= 0 &&
      r.lostAfterMs < LOST_WITHIN_MS;
    table.record('switch port down during lab run', r, ok);
    expect(r.code, r.stdout).toBe(3);
    expect(r.stdout).toContain(LOST);
    expect(r.stdout).not.toMatch(/did not finish in time/);
    expect(r.stdout).toMatch(/^Remove it with: lab down macvlan-two-nic -i /m);
    expect(lastLine(r)).toBe('ERROR: macvlan-two-nic — 1 host failed (server2)');
    expect(r.lostAfterMs).toBeGreaterThanOrEqual(0);
    expect(r.lostAfterMs).toBeLessThan(LOST_WITHIN_MS);

    // The lost run's lock shell on server2 lives on until sshd hears of the closed connection. The
    // lab that held it is gone (it ended, exit 3), so this down takes the stale lock over at once
    // (one line says so) instead of being refused: no --lock-wait.
    const down = await lab(['down', SCENARIO, '-i', f.inventory]);
    const tookOver =
      /^! server2: took over the lock of `lab run macvlan-two-nic -i .*` \(pid \d+ on .*, no longer running\)$/m;
    table.record(
      'lab down right after the port is back',
      down,
      down.code === 0,
      `exit ${down.code}, ${tookOver.test(down.stdout) ? 'took the stale lock over' : 'the lock was already free'}`,
    );
    expect(down.code, down.stdout + down.stderr).toBe(0);
    expect(down.stdout).not.toMatch(/locked by another lab/);
    expect(await f.witness.labelled(SCENARIO)).toEqual([]);
  });
});
