import { describe, expect, it } from 'vitest';
import type { PlannedCheck } from '../plan/model.js';
import type { MatrixCell } from '../probe/matrix-model.js';
import type { ProbeResult } from '../probe/probe-result.js';
import { claimOfCell, claimOfCheck, explainProbe } from './probe-detail.js';

// One probe's result, explained as lab run's expectation and as lab check's cell.
const probed: ProbeResult = {
  outcome: 'fail',
  reached: false,
  address: '198.19.1.11',
  iface: 'eth0',
  attempts: 3,
  durationMs: 3012,
  evidence: 'no reply via eth0 (ping exit 1; 3 attempts, 3012 ms)',
  command: 'docker run --rm --network container:vm4 img ping -c 1 -W 1 -I eth0 198.19.1.11',
  reproduce: 'docker run --rm --network container:vm4 img ping -c 1 -W 1 -I eth0 198.19.1.11',
};
const check: PlannedCheck = {
  id: 'c1',
  from: { host: 'server1', container: 'vm4' },
  to: { kind: 'container', label: 'vm5 on mac_net1', address: '198.19.1.11', network: 'mac_net1' },
  expect: 'reach',
  reason: 'same macvlan network',
};
const cell: MatrixCell = {
  id: 'vm4@server1 → addr:vm5@server2/mac_net1',
  source: 'vm4@server1',
  target: 'addr:vm5@server2/mac_net1',
  expect: 'reach',
  reason: 'same macvlan network',
  origin: 'scenario',
};

describe('explainProbe: one explanation for both views of a probe', () => {
  it("lab run's layout: the address in the head, a ping said as replies after attempts", () => {
    expect(explainProbe(probed, claimOfCheck(check))).toBe(
      [
        'FAIL: vm4 → vm5 on mac_net1 (198.19.1.11)',
        '  expected: reach — same macvlan network',
        '  observed: no reply after 3 attempts (3012 ms)',
        `  reproduce on server1: ${probed.reproduce}`,
      ].join('\n'),
    );
  });

  it("lab check's layout: where the expectation comes from, and what was probed from where", () => {
    const r = { ...probed, cell };
    expect(explainProbe(r, claimOfCell(r, 'vm5 198.19.1.11', 'server1'))).toBe(
      [
        'FAIL  vm4@server1 → vm5 198.19.1.11',
        '  expected: reach (the scenario says) — same macvlan network',
        `  observed: ${probed.evidence}`,
        "  probed:   198.19.1.11 from vm4's eth0",
        `  reproduce on server1: ${probed.reproduce}`,
      ].join('\n'),
    );
  });

  it('a probe that could not run says why, in both views', () => {
    const error = {
      ...probed,
      outcome: 'error' as const,
      evidence: 'vm4 is not there on server1\nmore',
    };
    expect(explainProbe(error, claimOfCheck(check))).toContain(
      '  the probe could not run: vm4 is not there on server1\n',
    );
    const r = { ...error, cell, reproduce: '' };
    const text = explainProbe(r, claimOfCell(r, 'vm5 198.19.1.11', 'server1'));
    expect(text).toContain('ERROR vm4@server1 → vm5 198.19.1.11');
    expect(text).toContain('  could not probe: vm4 is not there on server1\nmore');
    expect(text).not.toContain('reproduce');
  });
});
