import { describe, expect, it } from 'vitest';
import { FakeHost } from '../../test/fakes/fake-host.js';
import { dockerError } from '../docker/docker-errors.js';
import { nicStateFile } from '../host/nic-state.js';
import { explainParentHeld } from './parent-held.js';
import { teardownHost } from './teardown.js';

/**
 * The Engine's answer recorded in the CI rehearsal after dockerd was killed while lab created
 * mac_net1 on server2 (docker-modem's error, as the Engine client receives it).
 */
const recorded = (name: string) =>
  dockerError(
    'server2',
    `POST /networks/create ${name}`,
    Object.assign(new Error('(HTTP code 500) server error - '), {
      statusCode: 500,
      json: { message: 'network dm-891bd21334ae is already using parent interface eth0' },
    }),
    30_000,
  );

const owned = { 'lab.managed': 'true', 'lab.scenario': 's' };

/** A host whose engine remembers a macvlan network on eth0 it does not list. */
function crashedHost(restarted: boolean): { host: FakeHost; trials: string[] } {
  const host = new FakeHost('server2');
  host.files.set(
    nicStateFile('s'),
    'eth0 existed=1,up=1,promisc=0\neth1 existed=1,up=0,promisc=0\n',
  );
  host.links.set('eth0', { up: true, promisc: true });
  host.links.set('eth1', { up: true, promisc: true });
  const exec = host.shell.exec.bind(host.shell);
  host.shell.exec = async (argv, o) => {
    const r = await exec(argv, o);
    // The state file read also says whether the engine's pidfile is newer (teardown.ts).
    if (restarted && argv[2]?.includes('cat "$1"'))
      return { ...r, stdout: `${r.stdout}${argv[6]}\n` };
    return r;
  };
  const trials: string[] = [];
  const create = host.docker.createNetwork.bind(host.docker);
  host.docker.createNetwork = async (spec) => {
    trials.push(`${spec.name} on ${spec.options['parent']}`);
    if (spec.options['parent'] === 'eth0') throw recorded(spec.name);
    return create(spec);
  };
  return { host, trials };
}

describe('a parent interface held by a network Docker does not list (dockerd killed mid-create)', () => {
  it('lab run: the refused create says so plainly, with the way to free the parent', async () => {
    const { host } = crashedHost(false);
    const err = (await explainParentHeld(host, recorded('mac_net1'))) as Error & {
      context: { hint?: string; host?: string };
    };
    expect(err.message).toBe(
      'Docker on server2 still holds a macvlan network on eth0 that it does not list (id 891bd21334ae): a Docker Engine that stopped while creating a network leaves it behind, and no Docker command removes it, so no macvlan network can use eth0 there',
    );
    expect(err.context.host).toBe('server2');
    expect(err.context.hint).toMatch(
      /stop Docker there, delete network\/files\/local-kv\.db under its data root/,
    );
  });

  it('lab run: a holder Docker lists is named, with its owner', async () => {
    const { host } = crashedHost(false);
    host.networks.set('theirs', {
      id: '891bd21334ae0000',
      name: 'theirs',
      driver: 'macvlan',
      labels: {},
      options: { parent: 'eth0' },
      containers: [],
    });
    const err = (await explainParentHeld(host, recorded('mac_net1'))) as Error;
    expect(err.message).toBe(
      'network theirs (not made by lab) already uses parent eth0 on server2; Docker allows one macvlan network per parent interface',
    );
  });

  it('lab run: any other failure stands as it was', async () => {
    const { host } = crashedHost(false);
    const other = new Error('HTTP 409: network with name mac_net1 already exists');
    expect(await explainParentHeld(host, other)).toBe(other);
  });

  it('lab down after an engine restart: removes what is labelled, restores the NICs, and names the held parent (not clean)', async () => {
    const { host, trials } = crashedHost(true);
    await host.docker.createNetwork({
      name: 'mac_net2',
      driver: 'macvlan',
      options: { parent: 'eth1' },
      labels: owned,
    });
    const err = await teardownHost(host, 's').then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(
      /^removed network mac_net2; restored NIC eth0: set eth0 promisc off, NIC eth1: .*; but Docker on server2 still holds a macvlan network on eth0 that it does not list \(id 891bd21334ae\)/,
    );
    // eth0 tried and refused; eth1 tried, free, and the trial network gone again.
    expect(trials.slice(1)).toEqual([
      'lab-parent-check-eth0 on eth0',
      'lab-parent-check-eth1 on eth1',
    ]);
    expect([...host.networks.keys()]).toEqual([]);
    expect(host.files.has(nicStateFile('s'))).toBe(false);
  });

  it('lab down with the engine running since the run: no trial network at all', async () => {
    const { host, trials } = crashedHost(false);
    const out = await teardownHost(host, 's');
    expect(out.nics.length).toBe(2);
    expect(trials).toEqual([]);
  });
});
