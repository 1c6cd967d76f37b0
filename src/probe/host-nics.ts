/**
 * The NICs a check shows for a host: the parents its containers' macvlan/ipvlan networks hang off (and a VLAN
 * sub-interface's own parent), as `ip -o link show` found them, so the picture of a check draws
 * eth0/eth1/eth0.1 with their flags as the picture of a run does.
 */
import type { LinkState } from '../host/nic-state.js';
import { PARENT_DRIVERS, type TopoHost } from './topology.js';

export interface HostNic {
  name: string;
  up: boolean;
  promisc: boolean;
  /** For a VLAN sub-interface named the kernel's way (eth0.1): the NIC it rides on and its tag. */
  vlan?: { parent: string; id: number };
}

export function hostNics(host: TopoHost, links: ReadonlyMap<string, LinkState>): HostNic[] {
  // Only networks a container of lab's is on: another's macvlan network is not this lab's picture.
  const used = new Set(host.containers.flatMap((c) => c.endpoints.map((e) => e.network)));
  const nics: HostNic[] = [];
  const add = (name: string): void => {
    const link = links.get(name);
    if (!link || nics.some((n) => n.name === name)) return;
    const m = /^(.+)\.(\d+)$/.exec(name);
    const vlan =
      m && links.has(m[1] as string) ? { parent: m[1] as string, id: Number(m[2]) } : undefined;
    nics.push({ name, up: link.up, promisc: link.promisc, ...(vlan && { vlan }) });
    if (vlan) add(vlan.parent);
  };
  for (const n of host.networks)
    if (n.parent && PARENT_DRIVERS.has(n.driver) && used.has(n.name)) add(n.parent);
  return nics;
}
