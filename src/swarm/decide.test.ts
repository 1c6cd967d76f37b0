import { describe, expect, it } from 'vitest';
import { decideSwarm, type SwarmHostFacts } from './decide.js';

const inactive = (host: string): SwarmHostFacts => ({ host, state: 'inactive' });
const manager = (host: string, labels: Record<string, string> = {}): SwarmHostFacts => ({
  host,
  state: 'active',
  node: {
    nodeId: `n-${host}`,
    isManager: true,
    managers: [{ nodeId: `n-${host}`, address: `${host}:2377` }],
  },
  nodeLabels: labels,
});
const worker = (host: string, of: string): SwarmHostFacts => ({
  host,
  state: 'active',
  node: {
    nodeId: `n-${host}`,
    isManager: false,
    managers: [{ nodeId: `n-${of}`, address: `${of}:2377` }],
  },
});
const ours = { 'lab.swarm': 'created', 'lab.scenario': 'overlay', 'lab.managed': 'true' };
const decide = (...facts: SwarmHostFacts[]) =>
  decideSwarm('overlay', 'server1', ['server2'], new Map(facts.map((f) => [f.host, f])));

describe('the swarm decision', () => {
  it('no swarm anywhere: lab creates one, and says so', () => {
    const d = decide(inactive('server1'), inactive('server2'));
    expect(d.problems.size).toBe(0);
    expect(d.notes.get('server1')).toEqual([
      'no swarm yet: lab creates one with server1 as manager and joins server2; lab down removes it again',
    ]);
  });

  it('lab’s own swarm from an earlier run: used; a worker missing from it is joined', () => {
    expect(decide(manager('server1', ours), worker('server2', 'server1')).problems.size).toBe(0);
    const d = decide(manager('server1', ours), inactive('server2'));
    expect(d.problems.size).toBe(0);
    expect(d.notes.get('server1')).toEqual([
      'the swarm lab made for overlay is there already: it is used',
    ]);
  });

  it('someone else’s swarm spanning the hosts: used, left in place', () => {
    const d = decide(manager('server1'), worker('server2', 'server1'));
    expect(d.problems.size).toBe(0);
    expect(d.notes.get('server1')?.[0]).toMatch(
      /a swarm lab did not make: it is used as it is, and left in place/,
    );
  });

  it('refuses to join a host to a swarm lab did not make', () => {
    expect(decide(manager('server1'), inactive('server2')).problems.get('server2')?.[0]).toMatch(
      /lab joins hosts only to a swarm of its own/,
    );
  });

  it('refuses mixed and foreign set-ups, before anything changes', () => {
    expect(
      decide(inactive('server1'), worker('server2', 'elsewhere')).problems.get('server2')?.[0],
    ).toMatch(/server2 is in a swarm and server1.*is not/);
    expect(
      decide(manager('server1', ours), worker('server2', 'elsewhere')).problems.get('server2')?.[0],
    ).toMatch(/in another swarm than server1's/);
    expect(
      decide(worker('server1', 'elsewhere'), inactive('server2')).problems.get('server1')?.[0],
    ).toMatch(/server1 is a worker in a swarm/);
    expect(
      decide({ host: 'server1', state: 'locked' }, inactive('server2')).problems.get(
        'server1',
      )?.[0],
    ).toMatch(/swarm state is "locked"/);
  });
});
