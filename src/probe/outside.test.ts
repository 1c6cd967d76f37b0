import { describe, expect, it } from 'vitest';
import { bridge, container, host } from '../../test/fakes/topologies.js';
import { buildMatrix } from './build-matrix.js';
import { indexMatrix } from './matrix-model.js';
import { probeFromOutside, type OutsideProber } from './outside.js';
import { ALL_PORTS } from './port-targets.js';
import { judge } from './outcome.js';
import type { PortState } from './probe-script.js';
import type { Topology } from './topology.js';

/** web on server1 publishes 8080 → 80 and 5353/udp. */
function published(): Topology {
  return {
    hosts: [
      host(
        'server1',
        '198.18.0.1',
        [bridge('server1', 'shop_net', '198.19.62.0/24')],
        [
          container('server1', 'web', [['shop_net', '198.19.62.2']], {
            published: [
              { port: 80, protocol: 'tcp', hostPort: 8080 },
              { port: 53, protocol: 'udp', hostPort: 5353 },
            ],
          }),
        ],
      ),
    ],
  };
}

const ports = { ...ALL_PORTS, listening: false };

describe('the outside row', () => {
  it("probes every published port from the outside address, when it is this machine's", () => {
    const m = buildMatrix(published(), {
      names: false,
      ports,
      outside: { address: '198.18.0.254' },
    });
    const rows = m.cells.filter((c) => c.source === '(outside)@198.18.0.254');
    expect(rows.map((c) => `${c.target} ${c.expect}`)).toEqual([
      'port:host:server1:8080/tcp reach',
      'port:host:server1:5353/udp reach',
    ]);
    expect(rows[0]?.reason).toMatch(/^web publishes 8080\/tcp on server1's address 198\.18\.0\.1/);
    expect(m.skipped).toEqual([]);
  });

  it("lists the ports as not checked, with the reason, when the address is not this machine's", () => {
    const notChecked =
      "the outside address 198.18.0.254 (lab_outside_address) is not one of this machine's addresses (127.0.0.1, 198.18.9.9), and lab sends nothing from an address not its own";
    const m = buildMatrix(published(), {
      names: false,
      ports,
      outside: { address: '198.18.0.254', notChecked },
    });
    expect(m.cells.some((c) => c.source.startsWith('(outside)'))).toBe(false);
    expect(m.skipped.map((s) => `${s.from} → ${s.to}: ${s.why}`)).toEqual([
      expect.stringMatching(
        /^\(outside\) 198\.18\.0\.254 → server1 198\.18\.0\.1:8080\/tcp .*: not checked: the outside address 198\.18\.0\.254 \(lab_outside_address\) is not one of this machine's addresses \(127\.0\.0\.1, 198\.18\.9\.9\)/,
      ),
      expect.stringMatching(/5353\/udp/),
    ]);
  });

  it('judges what the sockets saw; a refusal of a port that must answer is asked again for 1 s at most', async () => {
    const m = buildMatrix(published(), { names: false, ports, outside: { address: '127.0.0.1' } });
    const seen: string[] = [];
    const states: Record<number, PortState> = { 8080: 'refused', 5353: 'silent' };
    const prober: OutsideProber = {
      probe: (from, to, port) => {
        seen.push(`${from} ${to} ${port.port}/${port.protocol}`);
        return Promise.resolve({ state: states[port.port] ?? 'open', durationMs: 1 });
      },
    };
    let t = 0;
    const { lines, tagOf } = await probeFromOutside(
      m,
      indexMatrix(m),
      { address: '127.0.0.1', prober },
      { timeoutSeconds: 1, waitMs: 5000, now: () => (t += 300) },
    );
    const byTarget = new Map(m.cells.map((c) => [c.target, lines.get(tagOf.get(c) ?? '')]));
    const tcp = byTarget.get('port:host:server1:8080/tcp');
    expect(tcp).toMatchObject({ status: 'not-reached', port: 'refused' });
    expect(tcp?.attempts).toBeGreaterThan(1);
    expect(tcp?.attempts).toBeLessThan(6);
    expect(judge('reach', tcp, { port: 8080, protocol: 'tcp' }).outcome).toBe('fail');
    // UDP silence is "not refused": counted as reached, once.
    const udp = byTarget.get('port:host:server1:5353/udp');
    expect(udp).toMatchObject({ port: 'silent', attempts: 1 });
    expect(judge('reach', udp, { port: 5353, protocol: 'udp' }).outcome).toBe('pass');
    expect(seen[0]).toBe('127.0.0.1 198.18.0.1 8080/tcp');
  });
});
