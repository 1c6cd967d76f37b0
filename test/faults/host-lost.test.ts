import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultTable, lab, lastLine, openFaultBox, type FaultBox, type LabRun } from './harness.js';

const run = promisify(execFile);
const table = new FaultTable();
const SCENARIO = 'macvlan-two-nic';
const LOST = 'connection to server2 (198.18.0.2:22) lost during';

/** server2's port on the LAN switch (the machine's end of its eth0), down or up. */
async function port(f: FaultBox, state: 'up' | 'down'): Promise<void> {
  const nic = f.box.state.hosts[1]!.interfaces.find((i) => i.name === 'eth0')!;
  await run('ip', ['link', 'set', nic.rootPeer, state]);
}

/** Runs lab and takes server2's switch port down `afterMs` into it. */
async function withPortDown(f: FaultBox, afterMs: number, args: string[]): Promise<LabRun> {
  const timer = setTimeout(() => void port(f, 'down'), afterMs);
  try {
    return await lab(args);
  } finally {
    clearTimeout(timer);
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
    const r = await withPortDown(f, 1500, ['check', 'connectivity', '-i', f.inventory, '--json']);
    const cells = (JSON.parse(r.stdout) as { cells: Cell[] }).cells;
    const involved = cells.filter((c) => `${c.source} ${c.target}`.includes('server2'));
    const others = cells.filter((c) => !involved.includes(c));
    const ok =
      r.code === 3 &&
      involved.length > 0 &&
      involved.every((c) => c.outcome === 'error' && c.observed.startsWith(LOST)) &&
      others.every((c) => c.outcome !== 'error') &&
      r.ms < 30_000;
    table.record(
      'switch port down during lab check',
      r,
      ok,
      `${involved.length} cells lost, ${others.length} real`,
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
    // Keepalives (2 s × 3) find the loss; the whole command stays far below the old 60 s.
    expect(r.ms).toBeLessThan(30_000);
  });

  it('lab run: the lost host is named, never a probe; ERROR with the down hint; then lab down cleans', async () => {
    // A fresh run, the port going down while its steps are under way.
    const clean = await lab(['down', SCENARIO, '-i', f.inventory]);
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);
    const r = await withPortDown(f, 1500, ['run', SCENARIO, '-i', f.inventory]);
    const ok =
      r.code === 3 &&
      r.stdout.includes(LOST) &&
      !/did not finish in time/.test(r.stdout) &&
      /^Remove it with: lab down macvlan-two-nic -i /m.test(r.stdout) &&
      lastLine(r) === 'ERROR: macvlan-two-nic — 1 host failed (server2)' &&
      r.ms < 30_000;
    table.record('switch port down during lab run', r, ok);
    expect(r.code, r.stdout).toBe(3);
    expect(r.stdout).toContain(LOST);
    expect(r.stdout).not.toMatch(/did not finish in time/);
    expect(r.stdout).toMatch(/^Remove it with: lab down macvlan-two-nic -i /m);
    expect(lastLine(r)).toBe('ERROR: macvlan-two-nic — 1 host failed (server2)');
    expect(r.ms).toBeLessThan(30_000);

    const down = await lab(['down', SCENARIO, '-i', f.inventory]);
    table.record('lab down after the port is back', down, down.code === 0);
    expect(down.code, down.stdout + down.stderr).toBe(0);
    expect(await f.witness.labelled(SCENARIO)).toEqual([]);
  });
});
