import { readdir } from 'node:fs/promises';
import { ourCgroups, topCgroupsNamed } from './system/cgroups.js';

/** Where podman (cgroupfs manager) puts containers and conmon, at the top of each hierarchy. */
export const PODMAN_CGROUP = 'libpod_parent';
import { listOurRules } from './network/firewall.js';
import type { MachineObservation } from './leftovers.js';
import { runChecked, type Runner } from './system/runner.js';

export const NETNS_DIR = '/run/netns';

export interface ObserveTools {
  runner: Runner;
  ip: string;
  iptables: string;
  cgroupRoot: string;
}

/** Reads the machine's namespaces, links, cgroups and firewall rules (ours and others'; filtering comes later). */
export async function observeMachine(tools: ObserveTools): Promise<MachineObservation> {
  const [netns, links, cgroups, podmanCgroups, firewallRules] = await Promise.all([
    readdir(NETNS_DIR).catch(() => [] as string[]),
    machineLinks(tools.runner, tools.ip),
    ourCgroups(tools.cgroupRoot),
    topCgroupsNamed(PODMAN_CGROUP, tools.cgroupRoot),
    listOurRules(tools.runner, tools.iptables),
  ]);
  return { netns, links, cgroups, podmanCgroups, firewallRules };
}

export async function machineLinks(runner: Runner, ip: string): Promise<string[]> {
  const result = await runChecked(runner, [ip, '-j', 'link', 'show'], 'listing network interfaces');
  return (JSON.parse(result.stdout) as { ifname: string }[]).map((link) => link.ifname);
}
