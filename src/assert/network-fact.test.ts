import { describe, expect, it } from 'vitest';
import { FakeHost } from '../../test/fakes/fake-host.js';
import { fakeContext } from '../../test/fakes/assert-context.js';
import type { NetworkInfo } from '../docker/docker-client.js';
import type { PlannedAssertion } from '../plan/assertion-model.js';
import { checkNetwork, networkMismatches } from './network-fact.js';

const net: NetworkInfo = {
  id: 'abc',
  name: 'my_net1',
  driver: 'bridge',
  labels: {},
  subnet: '198.19.129.0/24',
  gateway: '198.19.129.1',
  options: {},
  containers: [],
};

describe('network facts', () => {
  it('hold when Docker reports them, a gateway as a host number of the reported subnet', () => {
    expect(networkMismatches(net, { driver: 'bridge', gateway: { hostNumber: 1 } })).toEqual([]);
    expect(
      networkMismatches(net, { subnet: '198.19.129.0/24', gateway: { ipv4: '198.19.129.1' } }),
    ).toEqual([]);
    expect(networkMismatches(net, { scope: 'local', attachable: false })).toEqual([]);
  });

  it('say each fact that does not hold', () => {
    expect(
      networkMismatches(net, {
        driver: 'macvlan',
        subnet: '198.19.20.0/24',
        gateway: { hostNumber: 254 },
        parent: 'eth0',
        scope: 'swarm',
        attachable: true,
      }),
    ).toEqual([
      'driver is bridge, not macvlan',
      'subnet is 198.19.129.0/24, not 198.19.20.0/24',
      'gateway is 198.19.129.1, not host 254 of its subnet (198.19.129.254)',
      'parent is none, not eth0',
      'scope is local, not swarm',
      'it is not attachable',
    ]);
  });

  const assertion: Extract<PlannedAssertion, { kind: 'network' }> = {
    kind: 'network',
    id: 'assert-1',
    host: 'server1',
    dependsOn: [],
    reason: 'why',
    network: 'my_net1',
    has: { driver: 'bridge', gateway: { hostNumber: 1 } },
  };

  it('PASS with what Docker reports as evidence; FAIL when it differs; ERROR when the network is missing', async () => {
    const host = new FakeHost('server1');
    host.networks.set('my_net1', net);
    const ctx = fakeContext([host]);
    const pass = await checkNetwork(assertion, ctx);
    expect(pass).toMatchObject({ outcome: 'pass', command: 'docker network inspect my_net1' });
    expect(pass.evidence).toBe(
      'Docker reports driver bridge, subnet 198.19.129.0/24, gateway 198.19.129.1, scope local',
    );

    const fail = await checkNetwork({ ...assertion, has: { subnet: '198.19.20.0/24' } }, ctx);
    expect(fail.outcome).toBe('fail');
    expect(fail.evidence).toMatch(/^subnet is 198\.19\.129\.0\/24, not 198\.19\.20\.0\/24/);

    host.networks.clear();
    const error = await checkNetwork(assertion, ctx);
    expect(error).toMatchObject({
      outcome: 'error',
      evidence: 'network my_net1 does not exist on server1',
    });
  });
});
