import { describe, expect, it } from 'vitest';
import { fakeContext } from '../../test/fakes/assert-context.js';
import { FakeHost } from '../../test/fakes/fake-host.js';
import { dockerError } from '../docker/docker-errors.js';
import { LabError } from '../common/errors.js';
import { checkFails, refusalOf } from './expected-error.js';
import type { PlannedAssertion } from '../plan/assertion-model.js';

const labels = {
  'lab.managed': 'true',
  'lab.scenario': 's',
  'lab.host': 'server1',
  'lab.kind': 'expected-failure',
};

const refused = (status: number, message: string, op = 'POST /containers/x/start') =>
  dockerError(
    'server1',
    op,
    Object.assign(new Error('x'), { statusCode: status, json: { message } }),
    0,
  );

const runOnBridge: Extract<PlannedAssertion, { kind: 'fails' }> = {
  kind: 'fails',
  id: 'a',
  host: 'server1',
  dependsOn: [],
  reason: 'r',
  op: {
    op: 'run',
    name: 'vm_bad',
    image: 'busybox',
    networks: [{ network: 'bridge', hostNumber: 10 }],
  },
  message: 'user specified IP address is supported on user defined networks only',
  labels,
};

function host() {
  const h = new FakeHost('server1');
  h.networks.set('bridge', {
    id: 'b',
    name: 'bridge',
    driver: 'bridge',
    labels: {},
    subnet: '172.17.0.0/16',
    gateway: '172.17.0.1',
    options: {},
    containers: [],
  });
  return h;
}

describe('refusals', () => {
  it('are the Engine’s own words and status; a transport failure is none', () => {
    expect(refusalOf(refused(400, 'no way'))).toEqual({ status: 400, message: 'no way' });
    expect(refusalOf(new LabError('host', 'cannot reach the Docker Engine'))).toBeUndefined();
  });
});

describe('expected errors', () => {
  it('PASS: Docker refuses with the message; the container it created first is removed again', async () => {
    const h = host();
    Object.assign(h.docker, {
      startContainer: async () => {
        throw refused(400, 'user specified IP address is supported on user defined networks only');
      },
    });
    const r = await checkFails(runOnBridge, fakeContext([h]));
    expect(r.outcome).toBe('pass');
    expect(r.evidence).toBe(
      'Docker refused it: "user specified IP address is supported on user defined networks only" (HTTP 400) (lab removed container vm_bad again)',
    );
    // The host number counts in the default bridge's subnet, read at run time.
    expect(r.command).toMatch(/--net bridge --ip 172\.17\.0\.10 /);
    expect(h.containers.has('vm_bad')).toBe(false);
  });

  it('FAIL: Docker accepts it (lab removes what it made), or refuses with another message', async () => {
    const h = host();
    const ok = await checkFails(runOnBridge, fakeContext([h]));
    expect(ok).toMatchObject({
      outcome: 'fail',
      evidence: 'Docker accepted it (lab removed container vm_bad again)',
    });
    expect(h.containers.size).toBe(0);

    const net: Extract<PlannedAssertion, { kind: 'fails' }> = {
      ...runOnBridge,
      op: {
        op: 'create_network',
        network: {
          name: 'mac_net2',
          driver: 'macvlan',
          subnet: '10.0.2.0/24',
          parent: 'eth0',
          options: {},
        },
      },
      message: 'already using parent interface eth0',
    };
    const created = await checkFails(net, fakeContext([h]));
    expect(created).toMatchObject({
      outcome: 'fail',
      evidence: 'Docker accepted it (lab removed network mac_net2 again)',
    });
    expect(h.networks.has('mac_net2')).toBe(false);

    Object.assign(h.docker, {
      createNetwork: async () => {
        throw refused(400, 'invalid subnet');
      },
    });
    const other = await checkFails(net, fakeContext([h]));
    expect(other.outcome).toBe('fail');
    expect(other.evidence).toBe(
      'Docker refused it, but with another message: "invalid subnet" (HTTP 400)',
    );
  });

  it('ERROR: Docker could not be asked, or a foreign object already holds the name', async () => {
    const h = host();
    Object.assign(h.docker, {
      createContainer: async () => {
        throw new LabError('host', 'server1: cannot reach the Docker Engine');
      },
    });
    expect((await checkFails(runOnBridge, fakeContext([h]))).outcome).toBe('error');

    const busy = host();
    await busy.docker.createContainer({ name: 'vm_bad', image: 'x', labels: { owner: 'someone' } });
    const r = await checkFails(runOnBridge, fakeContext([busy]));
    expect(r.outcome).toBe('error');
    expect(r.evidence).toMatch(/a container named vm_bad already exists on server1/);
    expect(busy.containers.get('vm_bad')?.labels).toEqual({ owner: 'someone' });
  });

  it('clears its own leftover of an earlier crash before trying', async () => {
    const h = host();
    await h.docker.createContainer({ name: 'vm_bad', image: 'x', labels });
    Object.assign(h.docker, {
      startContainer: async () => {
        throw refused(400, 'user specified IP address is supported on user defined networks only');
      },
    });
    expect((await checkFails(runOnBridge, fakeContext([h]))).outcome).toBe('pass');
  });
});
