import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PODMAN_ENGINE } from '../docker/engines/index.js';
import { parseIptablesRules, ruleMatches, rulesThroughJumps } from './iptables-rules.js';
import { parseListening } from './listening-sockets.js';

/** `iptables -t nat -S` and `ss -ltnpH` on the box's Podman host (test/recorded/podman-4.3.1). */
const RECORDED = join(import.meta.dirname, '../../test/recorded/podman-4.3.1');

describe('the seed’s NAT claims on a Podman host, as recorded', () => {
  it('finds MASQUERADE per network through netavark’s per-network chains', async () => {
    const rules = parseIptablesRules(await readFile(join(RECORDED, 'iptables-nat.txt'), 'utf8'));
    const place = PODMAN_ENGINE.natChain('nat', 'POSTROUTING');
    const seen = rulesThroughJumps(rules, place.chain);
    for (const subnet of ['198.19.160.0/24', '198.19.161.0/24']) {
      const match = seen.find((r) => ruleMatches(r, { target: 'MASQUERADE', source: subnet }));
      expect(match?.text).toMatch(
        /^-A POSTROUTING -s .* -j NETAVARK-\w+ → -A NETAVARK-\w+ .*MASQUERADE$/,
      );
    }
    // Without following the jumps the claim would not hold: that is the difference.
    expect(
      rules.some((r) => ruleMatches(r, { target: 'MASQUERADE', source: '198.19.161.0/24' })),
    ).toBe(false);
  });

  it('finds a published port’s DNAT where Docker keeps it in DOCKER', async () => {
    const rules = parseIptablesRules(await readFile(join(RECORDED, 'iptables-nat.txt'), 'utf8'));
    const place = PODMAN_ENGINE.natChain('nat', 'DOCKER');
    const match = rulesThroughJumps(rules, place.chain).find((r) =>
      ruleMatches(r, {
        target: 'DNAT',
        protocol: 'tcp',
        dport: 80,
        toDestination: '198.19.160.2:80',
      }),
    );
    expect(match?.chain).toBe('NETAVARK-HOSTPORT-DNAT');
  });

  it('finds conmon holding the published port where Docker runs docker-proxy', async () => {
    const sockets = parseListening(await readFile(join(RECORDED, 'ss-ltnp.txt'), 'utf8'));
    const { process } = PODMAN_ENGINE.portProcess('docker-proxy');
    const onPort = sockets.filter((s) => s.port === 80);
    expect(onPort.some((s) => s.processes.some((p) => p.name === process))).toBe(true);
  });

  it('stops at built-in targets and at chains that are not there', () => {
    const rules = parseIptablesRules(
      ['-A POSTROUTING -s 10.0.0.0/8 -j MASQUERADE', '-A POSTROUTING -j NOWHERE'].join('\n'),
    );
    expect(rulesThroughJumps(rules, 'POSTROUTING').map((r) => r.target)).toEqual([
      'MASQUERADE',
      'NOWHERE',
    ]);
  });
});
