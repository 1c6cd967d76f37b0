import { BRIDGES, isOurs } from './network/names.js';
import type { FirewallRule } from './network/firewall.js';

/** What is on the machine right now, as far as the box is concerned. */
export interface MachineObservation {
  /** Entries of /run/netns. */
  netns: string[];
  /** Interfaces of the machine's own network namespace. */
  links: string[];
  /** Cgroup names at the top of any hierarchy. */
  cgroups: string[];
  /**
   * Podman's own cgroups (libpod_parent) at the top of a hierarchy: a podman host's containers or
   * conmon (left there: only the box runs podman on this machine; `box down` sweeps and removes them).
   */
  podmanCgroups?: string[];
  firewallRules: FirewallRule[];
}

export interface Leftovers {
  netns: string[];
  /** Machine-side veth ends: deleting one deletes its pair. */
  veths: string[];
  bridges: string[];
  cgroups: string[];
  podmanCgroups: string[];
  firewallRules: FirewallRule[];
}

const OUR_BRIDGES = new Set<string>(Object.values(BRIDGES));

/** Everything with our prefix; nothing else is ever considered ours. */
export function findLeftovers(observed: MachineObservation): Leftovers {
  const links = observed.links.filter(isOurs);
  return {
    netns: observed.netns.filter(isOurs),
    veths: links.filter((name) => !OUR_BRIDGES.has(name)),
    bridges: links.filter((name) => OUR_BRIDGES.has(name)),
    cgroups: observed.cgroups.filter(isOurs),
    podmanCgroups: observed.podmanCgroups ?? [],
    firewallRules: observed.firewallRules,
  };
}

export function isClean(leftovers: Leftovers): boolean {
  return describeLeftovers(leftovers).length === 0;
}

/** One phrase per kind of leftover, for messages ("2 namespaces (labbox-server1, …)"). */
export function describeLeftovers(leftovers: Leftovers): string[] {
  const parts: string[] = [];
  const add = (items: readonly string[], noun: string) => {
    if (items.length > 0)
      parts.push(`${items.length} ${noun}${items.length === 1 ? '' : 's'} (${items.join(', ')})`);
  };
  add(leftovers.netns, 'namespace');
  add(leftovers.bridges, 'bridge');
  add(leftovers.veths, 'veth');
  add(leftovers.cgroups, 'cgroup');
  add(leftovers.podmanCgroups, 'podman cgroup');
  add(
    leftovers.firewallRules.map((rule) => `${rule[0]} ${rule[2] ?? ''}`.trim()),
    'firewall rule',
  );
  return parts;
}
