/**
 * Every kernel object the box creates (namespace, bridge, root-side veth, cgroup, firewall comment)
 * starts with this prefix, so that leftovers from a crashed box can be found without a state file and
 * nothing else on the machine is ever touched.
 */
export const BOX_PREFIX = 'labbox';

/** Interface names are limited to 15 characters by the kernel (IFNAMSIZ - 1). */
export const MAX_IFNAME_LENGTH = 15;

export const hostName = (index: number): string => `server${index}`;
export const netnsName = (host: string): string => `${BOX_PREFIX}-${host}`;
export const cgroupName = (host: string): string => `${BOX_PREFIX}-${host}`;
/** The machine-side end of a host's veth: `labbox-1-eth0` for server1's eth0. */
export const rootPeerName = (index: number, ifname: string): string =>
  `${BOX_PREFIX}-${index}-${ifname}`;
/** The anchor's `$0`, visible in its /proc cmdline: how we recognise it before killing it. */
export const anchorTag = (host: string): string => `${BOX_PREFIX}-anchor-${host}`;
/** Marks our iptables rules (`-m comment`), so that down deletes exactly those. */
export const FIREWALL_COMMENT = `${BOX_PREFIX}-forward`;

export const BRIDGES = {
  /** eth0 of every host, the "LAN"; the machine side carries the switch address. */
  lan: `${BOX_PREFIX}-sw0`,
  /** eth1 of every host: a second NIC, as in the seed. */
  second: `${BOX_PREFIX}-sw1`,
  /** eth0.1 of every host: stands in for VLAN 1 on eth0. */
  vlan1: `${BOX_PREFIX}-sw01`,
} as const;

export function isOurs(name: string): boolean {
  return name.startsWith(`${BOX_PREFIX}-`);
}
