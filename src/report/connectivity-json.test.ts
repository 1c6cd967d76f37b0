import { describe, expect, it } from 'vitest';
import { sampleReport } from '../../test/fakes/connectivity-report.js';
import { connectivityToJson } from './connectivity-json.js';

describe('connectivityToJson', () => {
  it('plain JSON with counts, round trips, hosts, sources, targets and every cell', () => {
    const trips = {
      sshConnections: 2,
      sshCommands: 0,
      dockerCalls: 6,
      dockerRequests: 14,
      probers: 4,
    };
    const json = JSON.parse(
      JSON.stringify(connectivityToJson(sampleReport(), { exitCode: 3, roundTrips: trips })),
    ) as Record<string, unknown>;
    expect(json).toMatchObject({
      verdict: 'error',
      exitCode: 3,
      counts: { cells: 28, pass: 26, fail: 1, error: 1 },
      roundTrips: { ...trips, dockerCallsByOperation: { listContainers: 2, exec: 4 } },
      hosts: [
        { host: 'server1', containers: 2 },
        {
          host: 'server2',
          error: {
            kind: 'host',
            message: 'server2: the probe image img is not there',
            host: 'server2',
          },
        },
      ],
    });
    const cells = json['cells'] as Record<string, unknown>[];
    expect(cells).toHaveLength(28);
    expect(cells[0]).toEqual({
      id: 'vm4@server1 → addr:vm5@server2/mac_net1',
      source: 'vm4@server1',
      target: 'addr:vm5@server2/mac_net1',
      targetLabel: 'vm5 198.19.1.11',
      kind: 'container',
      expect: 'reach',
      reason: expect.stringMatching(/both on mac_net1/),
      origin: 'derived',
      outcome: 'fail',
      reached: false,
      address: '198.19.1.11',
      iface: 'eth0',
      attempts: 1,
      durationMs: 1000,
      observed: 'no reply via eth0 <&> (ping exit 1)',
      command: expect.stringMatching(/^docker run --rm --network container:/),
      reproduce: expect.stringMatching(/^ssh /),
    });
    expect((json['sources'] as unknown[])[0]).toMatchObject({ key: 'vm4@server1', observed: true });
  });
});
