import { describe, expect, it } from 'vitest';
import { bridge, container, host } from '../../test/fakes/topologies.js';
import type { HostSession } from '../host/session.js';
import { buildMatrix } from './build-matrix.js';
import { indexMatrix } from './matrix-model.js';
import { buildProbeJobs } from './probe-jobs.js';
import { probeCommand } from './reproduce.js';
import { ALL_PORTS } from './port-targets.js';
import type { Topology } from './topology.js';

/** web on server1 publishes 8080 → 80; server2 has a client. */
function published(): Topology {
  return {
    hosts: [
      host(
        'server1',
        '198.18.0.1',
        [bridge('server1', 'shop_net', '198.19.62.0/24')],
        [
          container('server1', 'web', [['shop_net', '198.19.62.2']], {
            published: [{ port: 80, protocol: 'tcp', hostPort: 8080 }],
          }),
        ],
      ),
      host(
        'server2',
        '198.18.0.2',
        [bridge('server2', 'c_net', '198.19.63.0/24')],
        [container('server2', 'client', [['c_net', '198.19.63.2']])],
      ),
    ],
  };
}

describe("a host's own row", () => {
  const m = buildMatrix(published(), {
    names: false,
    ports: { ...ALL_PORTS, listening: false },
    hostSources: ['server1', 'server2'],
  });

  it('probes the ports other hosts publish, never its own host and nothing else', () => {
    const fromHosts = m.cells.filter((c) => c.source.startsWith('(host)@'));
    expect(fromHosts.map((c) => `${c.source} → ${c.target} ${c.expect}`)).toEqual([
      '(host)@server2 → port:host:server1:8080/tcp reach',
    ]);
    expect(fromHosts[0]?.reason).toMatch(
      /^web publishes 8080\/tcp on server1's address 198\.18\.0\.1, and server2 reaches that address/,
    );
    // Only a host with a cell is a row.
    expect(m.sources.map((s) => `${s.name}@${s.host}`)).toContain('(host)@server2');
    expect(m.sources.map((s) => `${s.name}@${s.host}`)).not.toContain('(host)@server1');
  });

  it("runs in a prober on the host's own network, and says so in the command that repeats it", () => {
    const session = { host: 'server2', docker: {} } as unknown as HostSession;
    const { jobs } = buildProbeJobs(
      m,
      indexMatrix(m),
      new Map([['server2', session]]),
      new Map([['server2', 'busybox:latest']]),
      new Set(),
    );
    const job = jobs.get('(host)@server2');
    expect(job).toMatchObject({ networkMode: 'host', source: { name: 'host-server2' } });
    expect(job?.sourceImage).toBeUndefined();
    expect(job?.specs).toEqual([
      { tag: '1', mode: 'retry', kind: 'tcp', dest: '198.18.0.1', port: 8080 },
    ]);
    expect(
      probeCommand({
        container: '(host)',
        network: 'host',
        image: 'busybox:latest',
        kind: 'ip',
        dest: '198.18.0.1',
        timeoutSeconds: 1,
        port: { port: 8080, protocol: 'tcp' },
      }),
    ).toBe('docker run --rm --network host busybox:latest nc -w 1 198.18.0.1 8080 -e true');
  });
});
