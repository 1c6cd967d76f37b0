import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killEngine, startEngine } from '../../src/box/index.js';
import { FaultTable, lab, lastLine, nicFlags, openFaultBox, type FaultBox } from './harness.js';

const SCENARIO = 'macvlan-two-nic';
const table = new FaultTable();

describe('fault: a host’s Docker Engine killed (the box)', () => {
  let f: FaultBox;
  beforeAll(async () => {
    f = await openFaultBox();
  });
  afterAll(async () => {
    await startEngine(f.sys, f.stateDir, 'server2');
    await lab(['down', SCENARIO, '-i', f.inventory]);
    await f.witness.close();
    await table.print('Docker Engine killed');
  });

  it('run says "Docker is not running", changes nothing; down restores the NICs without Docker; a later down removes the rest', async () => {
    const before = [await nicFlags(f, 0), await nicFlags(f, 1)];
    const up = await lab(['run', SCENARIO, '-i', f.inventory]);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(await nicFlags(f, 1)).not.toEqual(before[1]);

    // dockerd killed after a run: the NICs are changed and their saved state sits in a file.
    await killEngine(f.sys, f.stateDir, 'server2');
    const down = await lab(['down', SCENARIO, '-i', f.inventory]);
    const downOk =
      down.code === 3 &&
      down.stdout.includes(
        '! server2: Docker is not running on server2: restored NIC eth0: set eth0 promisc off',
      ) &&
      !/Channel open failure|AllowStreamLocalForwarding/.test(down.stdout + down.stderr);
    table.record('dockerd killed, then lab down', down, downOk);
    expect(down.code, down.stdout + down.stderr).toBe(3);
    expect(down.stdout).toMatch(
      /^! server2: Docker is not running on server2: restored NIC eth0: set eth0 promisc off, NIC eth1: set eth1 promisc off, set eth1 down; its containers and networks of the scenario, if any, stay until lab down runs with Docker up$/m,
    );
    expect(down.stdout).toMatch(/hint: start Docker on server2, then run the same lab down again/);
    expect(down.stdout + down.stderr).not.toMatch(
      /Channel open failure|AllowStreamLocalForwarding/,
    );
    expect(down.stdout).toMatch(/^✔ server1: removed /m);
    expect([await nicFlags(f, 0), await nicFlags(f, 1)]).toEqual(before);

    // A run against the dead engine is refused on that host before anything changes anywhere.
    const run = await lab(['run', SCENARIO, '-i', f.inventory]);
    const runOk = run.code === 3 && run.stdout.includes('Docker is not running on server2');
    table.record('dockerd dead, then lab run', run, runOk);
    expect(run.code, run.stdout + run.stderr).toBe(3);
    expect(run.stdout).toContain('Docker is not running on server2');
    expect(lastLine(run)).toMatch(/^ERROR: macvlan-two-nic/);
    expect([await nicFlags(f, 0), await nicFlags(f, 1)]).toEqual(before);
    expect(
      await f.witness.engines[0]!.listContainers({ labels: { 'lab.scenario': SCENARIO } }),
    ).toEqual([]);

    // Docker back: the next lab down removes what the engine still holds.
    await startEngine(f.sys, f.stateDir, 'server2');
    const again = await lab(['down', SCENARIO, '-i', f.inventory]);
    const againOk = again.code === 0 && /^✔ server2: removed container/m.test(again.stdout);
    table.record('dockerd back, lab down again', again, againOk);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^✔ server2: removed container /m);
    expect(await f.witness.labelled(SCENARIO)).toEqual([]);
    expect([await nicFlags(f, 0), await nicFlags(f, 1)]).toEqual(before);
  });
});
