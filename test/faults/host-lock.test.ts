import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FaultTable,
  lab,
  labProcess,
  lastLine,
  openFaultBox,
  type FaultBox,
  type LabRun,
} from './harness.js';

const run = promisify(execFile);
const table = new FaultTable();

/** A file under the host's own /run, read from the machine through the host's namespaces. */
async function hostFile(f: FaultBox, i: number, file: string): Promise<string | undefined> {
  const [cmd = 'nsenter', ...args] = f.box.state.hosts[i]!.nsenter;
  return run(cmd, [...args, 'cat', file]).then(
    (r) => r.stdout,
    () => undefined,
  );
}

/** Starts `first`, and `second` once server1's lock names a holder (the first run holds it). */
async function whileHeld(
  f: FaultBox,
  first: () => Promise<LabRun>,
  second: () => Promise<LabRun>,
): Promise<[LabRun, LabRun]> {
  const one = first();
  for (let i = 0; i < 300; i++) {
    if (await hostFile(f, 0, '/run/lab/host.lock.holder')) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return Promise.all([one, second()]);
}

/** Runs a command inside box host i's namespaces (nsenter), as root on the machine. */
async function inHost(f: FaultBox, i: number, argv: string[]): Promise<string> {
  const [cmd = 'nsenter', ...args] = f.box.state.hosts[i]!.nsenter;
  return (await run(cmd, [...args, ...argv])).stdout;
}

/**
 * Box host i stops hearing from the controller's SSH connections open now (their packets to its
 * port 22 dropped in the host's own firewall), as after a lost network: a lab killed then cannot
 * tell the host, whose lock shell holds on. Returns the undo.
 */
async function deafenTo(f: FaultBox, i: number): Promise<() => Promise<void>> {
  const lines = await inHost(f, i, ['ss', '-Htn', 'state', 'established', '( sport = :22 )']);
  const peers = lines
    .split('\n')
    .map((l) => l.trim().split(/\s+/).at(-1) ?? '')
    .filter((p) => p.includes(':'));
  const rules = peers.map((peer) => {
    const at = peer.lastIndexOf(':');
    return [
      '-s',
      peer.slice(0, at),
      '-p',
      'tcp',
      '--sport',
      peer.slice(at + 1),
      '--dport',
      '22',
      '-j',
      'DROP',
    ];
  });
  for (const r of rules) await inHost(f, i, ['iptables', '-I', 'INPUT', ...r]);
  return async () => {
    for (const r of rules) await inHost(f, i, ['iptables', '-D', 'INPUT', ...r]).catch(() => '');
  };
}

describe('fault: two labs on the same hosts at once (the box)', () => {
  let f: FaultBox;
  beforeAll(async () => {
    f = await openFaultBox();
  });
  afterAll(async () => {
    await lab(['down', 'macvlan-two-nic', '-i', f.inventory]);
    await lab(['down', 'macvlan-one-nic', '-i', f.inventory]);
    await f.witness.close();
    await table.print('host lock');
  });

  it('an overlapping run exits 2 before changing anything, naming the holder; never a raw 409', async () => {
    const [a, b] = await whileHeld(
      f,
      () => lab(['run', 'macvlan-two-nic', '-i', f.inventory]),
      () => lab(['run', 'macvlan-one-nic', '-i', f.inventory]),
    );
    const bOk =
      b.code === 2 && /server\d is locked by another lab: `lab run macvlan-two-nic/.test(b.stdout);
    table.record('overlapping scenario while one runs', b, bOk);
    expect(a.code, a.stdout + a.stderr).toBe(0);
    expect(b.code, b.stdout + b.stderr).toBe(2);
    expect(b.stdout).toMatch(
      /server1 is locked by another lab: `lab run macvlan-two-nic -i \S+` \(scenario macvlan-two-nic\) from \S+, pid \d+, since \d{4}-\d\d-\d\dT[\d:.]+Z; nothing was changed/,
    );
    expect(b.stdout + b.stderr).not.toMatch(/409|already exists|Pool overlaps/);
    expect(lastLine(b)).toMatch(/^NOT RUN: macvlan-one-nic/);
    // The refused run left nothing of its own scenario anywhere.
    expect(await f.witness.labelled('macvlan-one-nic')).toEqual([]);
  });

  it('the same scenario twice at once: one runs, the other exits 2; with --lock-wait it waits and converges', async () => {
    const [a, b] = await whileHeld(
      f,
      () => lab(['run', 'macvlan-two-nic', '-i', f.inventory]),
      () => lab(['run', 'macvlan-two-nic', '-i', f.inventory]),
    );
    table.record('same scenario twice at once', b, a.code === 0 && b.code === 2);
    expect(a.code, a.stdout + a.stderr).toBe(0);
    expect(b.code, b.stdout + b.stderr).toBe(2);
    expect(b.stdout + b.stderr).not.toMatch(/409|already exists/);

    const [c, d] = await whileHeld(
      f,
      () => lab(['run', 'macvlan-two-nic', '-i', f.inventory]),
      () => lab(['run', 'macvlan-two-nic', '-i', f.inventory, '--lock-wait', '60']),
    );
    table.record('same scenario, second with --lock-wait 60', d, c.code === 0 && d.code === 0);
    expect(c.code, c.stdout + c.stderr).toBe(0);
    expect(d.code, d.stdout + d.stderr).toBe(0);
  });

  it('lab down is locked out too, then cleans, and leaves no lock file behind', async () => {
    const [a, b] = await whileHeld(
      f,
      () => lab(['run', 'macvlan-two-nic', '-i', f.inventory]),
      () => lab(['down', 'macvlan-two-nic', '-i', f.inventory]),
    );
    const bOk = b.code === 2 && /^NOT RUN: lab down macvlan-two-nic/m.test(b.stdout);
    table.record('lab down while a run holds the hosts', b, bOk);
    expect(a.code, a.stdout + a.stderr).toBe(0);
    expect(b.code, b.stdout + b.stderr).toBe(2);
    expect(lastLine(b)).toMatch(
      /^NOT RUN: lab down macvlan-two-nic — another lab holds server\d(, server\d)?; nothing was removed on any host$/,
    );
    const down = await lab(['down', 'macvlan-two-nic', '-i', f.inventory]);
    table.record('lab down afterwards', down, down.code === 0);
    expect(down.code, down.stdout + down.stderr).toBe(0);
    expect(await f.witness.labelled('macvlan-two-nic')).toEqual([]);
    for (const i of [0, 1]) expect(await hostFile(f, i, '/run/lab/host.lock')).toBeUndefined();
  });

  it('a lab killed (SIGKILL) while server1 cannot hear it keeps its lock there; the next lab down takes the stale lock over with one line, without --lock-wait', async () => {
    let undo: (() => Promise<void>) | undefined;
    try {
      const killed = await labProcess(['run', 'macvlan-two-nic', '-i', f.inventory], {
        signal: 'SIGKILL',
        when: async () => {
          if (!(await hostFile(f, 0, '/run/lab/host.lock.holder'))) return false;
          undo = await deafenTo(f, 0);
          return true;
        },
      });
      expect(killed.signalled, killed.stdout).toBe(true);
      // The killed lab's shell on server1 still holds the lock, naming a pid that is gone.
      const holder = await hostFile(f, 0, '/run/lab/host.lock.holder');
      expect(holder).toContain(`"pid":`);
      const down = await lab(['down', 'macvlan-two-nic', '-i', f.inventory]);
      const line =
        /^! server1: took over the lock of `lab run macvlan-two-nic -i \S+` \(pid \d+ on \S+, no longer running\)$/m;
      table.record(
        'lab down after a killed lab left server1 locked',
        down,
        down.code === 0 && line.test(down.stdout),
      );
      expect(down.code, down.stdout + down.stderr).toBe(0);
      expect(down.stdout).toMatch(line);
      expect(down.stdout.match(/took over the lock/g)).toHaveLength(1);
      expect(await f.witness.labelled('macvlan-two-nic')).toEqual([]);
      for (const i of [0, 1]) expect(await hostFile(f, i, '/run/lab/host.lock')).toBeUndefined();
    } finally {
      await undo?.();
    }
  });
});
