import { LabError } from '../../src/common/errors.js';
import { buildMatrix } from '../../src/probe/build-matrix.js';
import type { CellResult, ConnectivityReport } from '../../src/probe/connectivity-model.js';
import { twoNic } from './topologies.js';

/**
 * A finished check of the two-NIC lab for report tests: every cell as derived passes, except
 * vm4 → vm5 (FAIL: no reply) and vm7's cells to server1 (ERROR).
 */
export function sampleReport(): ConnectivityReport {
  const matrix = buildMatrix(twoNic(), { names: false });
  const results = matrix.cells.map((cell): CellResult => {
    const base = {
      cell,
      address: matrix.targets.find((t) => t.key === cell.target)?.address ?? '',
      command: 'docker run --rm --network container:x img ping -c 1 -W 1 198.19.1.11',
      reproduce:
        "ssh root@198.18.0.1 'docker run --rm --network container:x img ping -c 1 -W 1 198.19.1.11'",
      iface: 'eth0',
      attempts: 1,
      durationMs: 1000,
    };
    if (cell.id === 'vm4@server1 → addr:vm5@server2/mac_net1') {
      return {
        ...base,
        outcome: 'fail',
        reached: false,
        evidence: 'no reply via eth0 <&> (ping exit 1)',
      };
    }
    if (cell.source === 'vm7@server2' && cell.target === 'host:server1') {
      return { ...base, outcome: 'error', attempts: 0, evidence: 'server2: prober "failed"' };
    }
    const reached = cell.expect === 'reach';
    return {
      ...base,
      outcome: 'pass',
      reached,
      evidence: reached ? 'a reply came back' : 'no reply',
    };
  });
  return {
    hosts: [
      { host: 'server1', address: '198.18.0.1', probeImage: 'img', containers: 2 },
      {
        host: 'server2',
        address: '198.18.0.2',
        probeImage: 'img',
        containers: 2,
        error: new LabError('host', 'server2: the probe image img is not there', {
          host: 'server2',
        }),
      },
    ],
    networks: twoNic().hosts.flatMap((h) => h.networks),
    matrix,
    results,
    verdict: 'error',
    durationMs: 1500,
    phases: { discoverMs: 200, probeMs: 1300 },
    dockerCalls: { listContainers: 2, exec: 4 },
    probers: 4,
  };
}
