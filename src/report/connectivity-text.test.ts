import { describe, expect, it } from 'vitest';
import { sampleReport } from '../../test/fakes/connectivity-report.js';
import { renderConnectivity, summaryLine } from './connectivity-text.js';
import { makeStyle } from './style.js';

const trips = {
  sshConnections: 2,
  sshCommands: 0,
  dockerCalls: 22,
  dockerRequests: 34,
  probers: 4,
};

describe('renderConnectivity', () => {
  it('failed hosts first, then the matrix, then each FAIL and ERROR explained, then the summary', () => {
    const text = renderConnectivity(sampleReport(), trips, makeStyle(false));
    expect(text.indexOf('! server2 (198.18.0.2): server2: the probe image img is not there')).toBe(
      0,
    );
    expect(text).toContain(
      [
        'FAIL  vm4@server1 → vm5 198.19.1.11',
        '  expected: reach — vm4 and vm5 are both on mac_net1 (macvlan on eth0), the same subnet on server1 and server2: one layer-2 segment that eth0 carries between the hosts.',
        '  observed: no reply via eth0 <&> (ping exit 1)',
        "  probed:   198.19.1.11 from vm4's eth0",
        "  reproduce on server1: ssh root@198.18.0.1 'docker run --rm --network container:x img ping -c 1 -W 1 198.19.1.11'",
      ].join('\n'),
    );
    expect(text).toContain('ERROR vm7@server2 → server1 198.18.0.1\n');
    expect(text).toContain('  could not probe: server2: prober "failed"');
    expect(text.trimEnd().split('\n').at(-1)).toBe(
      'ERROR: 1 of 28 cells could not be probed, 1 host failed; 1 FAIL — 4 sources on 2 hosts, 1.5 s; 2 SSH connections, 0 SSH commands, 34 Docker API requests, 4 probers',
    );
  });

  it('summaries for pass and fail', () => {
    const r = sampleReport();
    const pass = {
      ...r,
      hosts: [],
      verdict: 'pass' as const,
      results: r.results.filter((x) => x.outcome === 'pass'),
    };
    expect(summaryLine(pass, trips)).toMatch(
      /^PASS: all 26 cells as expected \(3 reach, 23 isolated\)/,
    );
    const fail = {
      ...pass,
      verdict: 'fail' as const,
      results: r.results.filter((x) => x.outcome !== 'error'),
    };
    expect(summaryLine(fail, trips)).toMatch(/^FAIL: 1 of 27 cells not as expected/);
    expect(summaryLine({ ...pass, results: [] }, trips)).toMatch(/^NOTHING TO CHECK/);
    const one = { ...pass, hosts: r.hosts.slice(0, 1) };
    expect(summaryLine(one, { ...trips, sshConnections: 1, probers: 1 })).toMatch(
      /on 1 host, .*; 1 SSH connection, 0 SSH commands, 34 Docker API requests, 1 prober$/,
    );
  });

  it('a cell of a claim of the seed this Docker does not bear out: both sides, DIFFERS in the matrix and the summary', () => {
    const r = sampleReport();
    const seed = {
      section: '五.1',
      says: 'no ping across without promiscuous mode',
      words: '混杂模式',
    };
    const results = r.results
      .filter((x) => x.outcome !== 'error')
      .map((x) =>
        x.outcome === 'fail'
          ? {
              ...x,
              cell: { ...x.cell, origin: 'scenario' as const, seed },
              outcome: 'differs' as const,
              docker: '26.1.5+dfsg1',
            }
          : x,
      );
    const report = { ...r, hosts: [], verdict: 'differs' as const, results };
    const text = renderConnectivity(report, trips, makeStyle(false));
    expect(text).toContain(
      [
        'DIFFERS FROM THE SEED (五.1) vm4@server1 → vm5 198.19.1.11',
        '  the seed says: "混杂模式" — no ping across without promiscuous mode',
        '  Docker 26.1.5+dfsg1 on server1 did: no reply via eth0 <&> (ping exit 1)',
      ].join('\n'),
    );
    expect(text).toContain('≠ DIFFERS FROM THE SEED');
    expect(text.trimEnd().split('\n').at(-1)).toMatch(
      /^DIFFERS FROM THE SEED: 26 of 27 cells as expected; 1 cell of claims of the seed not borne out by this Docker \(above\); not a failure of the lab \(--strict-seed makes it one\)/,
    );
  });

  it('a skipped expectation is said once, naming its source and target (issue 15 #5)', () => {
    const r = sampleReport();
    const why = 'vm6 is not in the matrix (filtered out by --network or --host?)';
    const skip = { from: 'vm7', to: 'vm6', reason: 'r', why };
    const report = { ...r, matrix: { ...r.matrix, skipped: [skip, { ...skip }] } };
    const text = renderConnectivity(report, trips, makeStyle(false));
    const note = `note: the scenario's expectation vm7 → vm6 was not checked: ${why}`;
    expect(text.split('\n').filter((l) => l === note)).toHaveLength(1);
  });
});
