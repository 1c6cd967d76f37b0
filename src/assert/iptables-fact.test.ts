import { describe, expect, it } from 'vitest';
import { fakeContext } from '../../test/fakes/assert-context.js';
import { ScriptedHost } from '../../test/fakes/scripted-host.js';
import { checkIptables } from './iptables-fact.js';
import type { PlannedAssertion } from '../plan/assertion-model.js';

const POSTROUTING = `-P POSTROUTING ACCEPT
-A POSTROUTING -s 198.19.129.0/24 ! -o br-42b72ceec2f2 -j MASQUERADE
-A POSTROUTING -s 198.19.128.0/24 ! -o docker0 -j MASQUERADE`;
const DOCKER = `-N DOCKER
-A DOCKER ! -i docker0 -p tcp -m tcp --dport 80 -j DNAT --to-destination 198.19.128.2:80`;

function host() {
  const h = new ScriptedHost('server1', {
    'iptables -t nat -S POSTROUTING': { stdout: POSTROUTING },
    'iptables -t nat -S DOCKER': { stdout: DOCKER },
  });
  h.networks.set('my_net1', {
    id: '42b72ceec2f2aa',
    name: 'my_net1',
    driver: 'bridge',
    labels: {},
    subnet: '198.19.129.0/24',
    options: {},
    containers: [],
  });
  h.containers.set('web', {
    id: 'w',
    name: 'web',
    image: 'img',
    labels: {},
    running: true,
    pid: 1,
    networks: { bridge: { ipv4: '198.19.128.2' } },
  });
  return h;
}

type IptablesAssertion = Extract<PlannedAssertion, { kind: 'iptables' }>;
const base = {
  kind: 'iptables' as const,
  id: 'a',
  host: 'server1',
  dependsOn: [],
  reason: 'r',
  table: 'nat',
};

describe('iptables assertions', () => {
  it('PASS: MASQUERADE for the subnet Docker gave the network, read as root', async () => {
    const h = host();
    const a: IptablesAssertion = {
      ...base,
      chain: 'POSTROUTING',
      rule: { target: 'MASQUERADE', source: { kind: 'subnet_of', network: 'my_net1' } },
    };
    const r = await checkIptables(a, fakeContext([h]));
    expect(r).toMatchObject({
      outcome: 'pass',
      claim: 'nat/POSTROUTING on server1 has a rule -s 198.19.129.0/24 -j MASQUERADE',
      evidence: 'found: -A POSTROUTING -s 198.19.129.0/24 ! -o br-42b72ceec2f2 -j MASQUERADE',
      command: 'iptables -t nat -S POSTROUTING',
    });
    expect(h.becomes).toEqual(['iptables -t nat -S POSTROUTING']);
  });

  it('PASS: DNAT to the container address Docker reports', async () => {
    const a: IptablesAssertion = {
      ...base,
      chain: 'DOCKER',
      rule: {
        target: 'DNAT',
        protocol: 'tcp',
        dport: 80,
        to: { container: 'web', network: 'bridge', port: 80 },
      },
    };
    expect((await checkIptables(a, fakeContext([host()]))).outcome).toBe('pass');
  });

  it('FAIL: no such rule, listing the rules with that target', async () => {
    const a: IptablesAssertion = {
      ...base,
      chain: 'POSTROUTING',
      rule: { target: 'MASQUERADE', source: { kind: 'literal', cidr: '198.19.20.0/24' } },
    };
    const r = await checkIptables(a, fakeContext([host()]));
    expect(r.outcome).toBe('fail');
    expect(r.evidence).toMatch(
      /^no such rule; MASQUERADE rules there: -A POSTROUTING -s 198\.19\.129\.0\/24/,
    );
  });

  it('ERROR: iptables cannot run, or the network it names is not there', async () => {
    const a: IptablesAssertion = { ...base, chain: 'NOPE', rule: { target: 'ACCEPT' } };
    expect((await checkIptables(a, fakeContext([host()]))).outcome).toBe('error');
    const b: IptablesAssertion = {
      ...base,
      chain: 'POSTROUTING',
      rule: { target: 'MASQUERADE', source: { kind: 'subnet_of', network: 'gone' } },
    };
    expect(await checkIptables(b, fakeContext([host()]))).toMatchObject({
      outcome: 'error',
      evidence: 'network gone does not exist on server1',
    });
  });
});
