/**
 * `lab run --all` with server1 on Podman (podman 4.3.1, netavark and aardvark-dns 1.4): the scenarios
 * that do not simply PASS, and each claim that DIFFERS, in the order the run reports them (checks,
 * then assertions), as a pattern of how it differs (`difference`), or `seed <section>` for a claim of
 * the seed the box's Docker does not bear out either. A scenario not listed must PASS outright.
 * docs/podman.md has the same table from scripts/engines-table.ts.
 */
export interface PodmanOutcome {
  verdict: 'pass' | 'differs' | 'bad-input';
  differs: RegExp[];
  /**
   * Claims that may pass or DIFFER from run to run, with how: a container on two networks lists their
   * name servers in no fixed order (vm1 found vm2 in one run of three on the box, when my_net2's came
   * first). Each, when it differs, must say how; when it passes it is not among `differs`.
   */
  sometimes?: RegExp[];
  /** For a scenario refused before any change: why, as its host's error says. */
  refused?: RegExp;
}

export const PODMAN_ALONE: Readonly<Record<string, PodmanOutcome>> = {
  'bridge-connect': {
    verdict: 'differs',
    differs: [
      // Docker 20.10 and 26.1 accept `network connect bridge vm8` too (docs/seed-claims.md).
      /^seed 二\.6$/,
      /^Podman runs no name server on bridge \(Podman’s default network, podman\), the network vm5 is on/,
    ],
    sometimes: [
      /^vm1 asks aardvark-dns at [\d.]+ \(the gateway of my_net1, .* for vm2\.dns\.podman; .* vm2 is on my_net2/,
    ],
  },
  'bridge-custom': {
    verdict: 'differs',
    differs: [
      /netavark makes a network’s bridge when the first container joins it/,
      /netavark makes/,
    ],
  },
  'bridge-isolation': {
    verdict: 'differs',
    differs: [/static address on its default network/, /netavark makes a network’s bridge/],
  },
  // As on Docker: the box's veth delivers every frame (docs/seed-claims.md).
  'macvlan-no-promisc': { verdict: 'differs', differs: [/^seed 五\.1$/] },
  'macvlan-one-parent': { verdict: 'differs', differs: [/second macvlan network on a parent/] },
  'nat-publish': {
    verdict: 'differs',
    differs: [
      /NETAVARK-<id>/,
      /NETAVARK-<id>/,
      /NETAVARK-<id>/,
      /NETAVARK-HOSTPORT-DNAT/,
      /conmon holds a published port/,
    ],
  },
  overlay: { verdict: 'bad-input', differs: [], refused: /Podman has no swarm mode/ },
};
