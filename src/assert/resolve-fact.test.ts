import { describe, expect, it } from 'vitest';
import { fakeContext } from '../../test/fakes/assert-context.js';
import { ScriptedHost, type Answer } from '../../test/fakes/scripted-host.js';
import type { PlannedAssertion } from '../plan/assertion-model.js';
import { PODMAN_ENGINE } from '../docker/engines/index.js';
import { checkResolve } from './resolve-fact.js';
import { nameservers } from './unresolved-name.js';

const FOUND = 'Server:\t127.0.0.11\nAddress:\t127.0.0.11:53\n\nName:\tvm2\nAddress: 172.20.0.2\n';
const NXDOMAIN: Answer = { exitCode: 1, stdout: "** server can't find vm2: NXDOMAIN\n" };

const a = (over: Partial<Extract<PlannedAssertion, { kind: 'resolves' }>> = {}) =>
  ({
    kind: 'resolves',
    id: 'a',
    host: 'server1',
    dependsOn: [],
    reason: 'r',
    container: 'vm1',
    name: 'vm2',
    resolve: true,
    ping: false,
    target: { container: 'vm2', host: 'server1' },
    ...over,
  }) as Extract<PlannedAssertion, { kind: 'resolves' }>;

function host(answers: Record<string, Answer | ((n: number) => Answer)>) {
  const h = new ScriptedHost('server1', answers);
  h.containers.set('vm2', {
    id: 'x',
    name: 'vm2',
    image: 'i',
    labels: {},
    running: true,
    pid: 1,
    networks: { my_net2: { ipv4: '172.20.0.2' } },
  });
  return h;
}

describe('name resolution assertions', () => {
  it('PASS: the name resolves to the container’s address, and the ping by name is answered', async () => {
    const h = host({
      'vm1: nslookup vm2': { stdout: FOUND },
      'vm1: ping -c 1 -W 1 vm2': { stdout: '1 packets received' },
    });
    const r = await checkResolve(a({ ping: true }), fakeContext([h]));
    expect(r).toMatchObject({
      outcome: 'pass',
      evidence: 'vm2 resolved to 172.20.0.2; the ping by name was answered (1 attempt)',
    });
  });

  it('retries a name that must resolve until the wait runs out, then FAILs', async () => {
    const h = host({ 'vm1: nslookup vm2': (n) => (n < 3 ? NXDOMAIN : { stdout: FOUND }) });
    const ctx = fakeContext([h], { waitMs: 10_000 });
    expect((await checkResolve(a(), ctx)).evidence).toBe('vm2 resolved to 172.20.0.2 (3 attempts)');
    const never = host({ 'vm1: nslookup vm2': NXDOMAIN });
    const r = await checkResolve(a(), fakeContext([never], { waitMs: 900 }));
    expect(r).toMatchObject({ outcome: 'fail', evidence: 'vm2 did not resolve (4 attempts)' });
  });

  it('FAIL: resolved, but to another address; or the ping by name got no reply', async () => {
    const other = host({
      'vm1: nslookup vm2': { stdout: FOUND.replace('172.20.0.2', '10.9.9.9') },
    });
    expect((await checkResolve(a(), fakeContext([other]))).evidence).toBe(
      "vm2 resolved to 10.9.9.9, not to vm2's 172.20.0.2",
    );
    const silent = host({
      'vm1: nslookup vm2': { stdout: FOUND },
      'vm1: ping -c 1 -W 1 vm2': { exitCode: 1 },
    });
    expect(await checkResolve(a({ ping: true }), fakeContext([silent]))).toMatchObject({
      outcome: 'fail',
      evidence: 'vm2 resolved to 172.20.0.2; the ping by name got no reply (1 attempt)',
    });
  });

  it('not_resolves: PASS when it does not resolve (one try), FAIL when it does', async () => {
    const h = host({ 'vm1: nslookup vm2': NXDOMAIN });
    expect(
      await checkResolve(a({ resolve: false }), fakeContext([h], { waitMs: 10_000 })),
    ).toMatchObject({
      outcome: 'pass',
      evidence: 'vm2 did not resolve (1 attempt)',
    });
    const found = host({ 'vm1: nslookup vm2': { stdout: FOUND } });
    expect((await checkResolve(a({ resolve: false }), fakeContext([found]))).outcome).toBe('fail');
  });

  it('ERROR: the image has no nslookup — never a "does not resolve"', async () => {
    const r = await checkResolve(a({ resolve: false }), fakeContext([host({})]));
    expect(r.outcome).toBe('error');
    expect(r.evidence).toMatch(/nslookup could not run in vm1 \(exit 127/);
  });

  it('DIFFERS with how, when the host’s engine (Podman) explains why the name did not resolve', async () => {
    const h = host({
      'vm1: nslookup vm2': NXDOMAIN,
      'vm1: cat /etc/resolv.conf': {
        stdout: 'search dns.podman dns.podman\nnameserver 198.19.129.1\nnameserver 198.19.20.1\n',
      },
    });
    h.containers.set('vm1', {
      id: 'y',
      name: 'vm1',
      image: 'i',
      labels: {},
      running: true,
      pid: 2,
      networks: { my_net1: { ipv4: '198.19.129.4' }, my_net2: { ipv4: '198.19.20.3' } },
    });
    for (const [name, gateway] of [
      ['my_net1', '198.19.129.1'],
      ['my_net2', '198.19.20.1'],
    ] as const) {
      h.networks.set(name, {
        id: name,
        name,
        driver: 'bridge',
        labels: {},
        gateway,
        options: {},
        dns: true,
        containers: [],
      });
    }
    const docker = h.docker;
    (h as { docker: typeof docker }).docker = { ...docker, engine: PODMAN_ENGINE };
    const r = await checkResolve(a(), fakeContext([h], { waitMs: 0 }));
    expect(r).toMatchObject({ outcome: 'differs', evidence: 'vm2 did not resolve (1 attempt)' });
    expect(r.difference).toMatch(/^vm1 asks aardvark-dns at 198\.19\.129\.1 .* vm2 is on my_net2,/);
    // On Docker nothing explains it: the claim FAILs as before (resolve-fact above).
    expect(nameservers('# x\nnameserver 10.0.0.1\n nameserver  10.0.0.2 \n')).toEqual([
      '10.0.0.1',
      '10.0.0.2',
    ]);
  });
});
