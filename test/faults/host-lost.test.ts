import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FaultTable,
  lab,
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
 * The issue asks 10 s. Not met yet when the loss comes during discovery (a quiet machine takes the
 * port down that early): lab check then ends 10.8–11.0 s after it, measured on the faults branch
 * and on the merged tree alike (keepalives find the loss in about 4 s, then the other host's probes
 * run their whole wait). Issue 10 stays open for it; this bound keeps it from getting worse.
 */
const LOST_WITHIN_MS = 15_000;

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
  const running = lab(args);
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
    const cells = (JSON.parse(r.stdout) as { cells: Cell[] }).cells;
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
      `${involved.length} cells lost, ${others.length} real, ended ${r.lostAfterMs} ms after the loss`,
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

    // The lost run's lock shell on server2 ends when sshd hears of the closed connection: lab's FIN,
    // retransmitted until the port is back (seconds later). Until then server2 is rightly still
    // locked, so this down waits for the lock as a user would.
    const down = await lab(['down', SCENARIO, '-i', f.inventory, '--lock-wait', '30']);
    table.record('lab down --lock-wait 30 after the port is back', down, down.code === 0);
    expect(down.code, down.stdout + down.stderr).toBe(0);
    expect(await f.witness.labelled(SCENARIO)).toEqual([]);
  });
});
