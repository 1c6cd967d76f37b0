import { describe, expect, it } from 'vitest';
import { bridge, container, host } from '../../test/fakes/topologies.js';
import { parsePolicy } from '../scenario/policy.js';
import { buildMatrix } from './build-matrix.js';
import { buildProbeJobs } from './probe-jobs.js';
import { indexMatrix } from './matrix-model.js';
import type { HostSession } from '../host/session.js';
import type { Topology } from './topology.js';

/** A compose-like shop lab did not make: web on front and back, db on back only. */
function shop(): Topology {
  const nets = [
    bridge('server1', 'shop_front', '198.19.60.0/24'),
    bridge('server1', 'shop_back', '198.19.61.0/24'),
  ];
  const labels = (tier: string) => ({ 'com.docker.compose.project': 'shop', tier });
  return {
    hosts: [
      host('server1', '198.18.0.1', nets, [
        container(
          'server1',
          'shop-web-1',
          [
            ['shop_front', '198.19.60.2'],
            ['shop_back', '198.19.61.2'],
          ],
          {
            labels: labels('web'),
            foreign: true,
            image: 'busybox:latest',
          },
        ),
        container('server1', 'shop-db-1', [['shop_back', '198.19.61.3']], {
          labels: labels('db'),
          foreign: true,
        }),
      ]),
      host('server2', '198.18.0.2', [], []),
    ],
  };
}

const POLICY = parsePolicy(
  `expect:
  - from: { label: tier=web }
    reach: { label: tier=db, port: 5432 }
    reason: web talks to db
  - from: { label: tier=db }
    not_reach: outside
    reason: db talks to nothing beyond its network
`,
  'shop.yaml',
);

describe('a policy on the matrix', () => {
  it('adds the port column it names, on the address the source shares, with file:line in the reason', () => {
    const m = buildMatrix(shop(), { names: false, policy: POLICY });
    const cell = m.cells.find((c) => c.target === 'port:shop-db-1@server1/shop_back:5432/tcp');
    expect(cell).toMatchObject({
      source: 'shop-web-1@server1',
      expect: 'reach',
      origin: 'policy',
      reason: 'web talks to db (policy shop.yaml:2)',
    });
    // Only the source the entry names gets a cell in a column only the policy asked for.
    expect(m.cells.filter((c) => c.target.startsWith('port:')).length).toBe(1);
  });

  it('outside: other networks, gateways and hosts, never its own network', () => {
    const m = buildMatrix(shop(), { names: false, policy: POLICY });
    const db = m.cells.filter((c) => c.source === 'shop-db-1@server1' && c.origin === 'policy');
    expect(db.map((c) => c.target).sort()).toEqual([
      'addr:shop-web-1@server1/shop_front',
      'gw:local|server1|server1-shop_front',
      'host:server1',
      'host:server2',
    ]);
    expect(db.every((c) => c.expect === 'no-reach')).toBe(true);
    const own = m.cells.find(
      (c) => c.source === 'shop-db-1@server1' && c.target === 'addr:shop-web-1@server1/shop_back',
    );
    expect(own).toMatchObject({ origin: 'derived', expect: 'reach' });
  });

  it('names an entry that chose nothing, with its line', () => {
    const p = parsePolicy(
      'expect:\n  - from: { label: tier=cache }\n    reach: { label: tier=db }\n    reason: x\n',
      'shop.yaml',
    );
    const m = buildMatrix(shop(), { names: false, policy: p });
    expect(m.skipped[0]?.why).toBe('shop.yaml:2: no container checked here has label tier=cache');
  });

  it('never runs the probe script inside a container lab did not make', () => {
    const m = buildMatrix(shop(), { names: false });
    const session = { host: 'server1', docker: {} } as unknown as HostSession;
    const { jobs } = buildProbeJobs(
      m,
      indexMatrix(m),
      new Map([['server1', session]]),
      new Map([['server1', 'busybox:latest']]),
      new Set(),
    );
    const web = jobs.get('shop-web-1@server1');
    expect(web?.image).toBe('busybox:latest');
    expect(web?.sourceImage).toBeUndefined();
  });
});
