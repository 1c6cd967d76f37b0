import { describe, expect, it } from 'vitest';
import type { HostPlan } from '../plan/model.js';
import { apiFeatureProblems } from './api-features.js';

const plan = (steps: unknown[]) => ({ host: 'server1', steps }) as unknown as HostPlan;
const sctp = { kind: 'container', name: 'vm1', publish: ['8080:80', '5000:5000/sctp'] };
const pool = { kind: 'swarm', role: 'manager', addressPool: '198.19.64.0/18' };

describe('Engine features beyond the API floor, before anything changes', () => {
  it('names what an old engine lacks, with the API it needs and the host’s', () => {
    expect(apiFeatureProblems(plan([sctp, pool]), 'server1', '1.26')).toEqual([
      'publishing SCTP ports needs Engine API 1.37 (Docker 18.03) or newer; server1 speaks API 1.26',
      "a swarm's own address pool (DefaultAddrPool and SubnetSize of POST /swarm/init) needs Engine API 1.39 (Docker 18.09) or newer; server1 speaks API 1.26",
    ]);
  });

  it('has nothing to say on an engine that has them, or when the plan does not ask', () => {
    expect(apiFeatureProblems(plan([sctp, pool]), 'server1', '1.41')).toEqual([]);
    expect(
      apiFeatureProblems(plan([{ kind: 'container', publish: ['80:80'] }]), 'server1', '1.26'),
    ).toEqual([]);
    expect(apiFeatureProblems(plan([{ ...pool, role: 'worker' }]), 'server2', '1.26')).toEqual([]);
  });
});
