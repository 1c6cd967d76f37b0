/**
 * An interface the scenario would create as a VLAN sub-interface, but which already exists: lab uses
 * it as it is (and never deletes it), and says what it really is, from `ip -d -o link show dev X`.
 * On the box, eth0.1 is a veth on a switch of its own standing in for VLAN 1 (the kernel has no
 * 802.1Q); on a real host it may be a VLAN someone made.
 */
export function describeExistingLink(
  name: string,
  vlan: { parent: string; id: number },
  detail: string,
): string {
  const m = /\bvlan protocol 802\.1Q id (\d+)/.exec(detail);
  const parent = /^\d+:\s+[^@:\s]+@([^:\s]+):/.exec(detail.trim())?.[1];
  let what: string;
  if (m) {
    what =
      Number(m[1]) === vlan.id && (parent === undefined || parent === vlan.parent)
        ? `an 802.1Q sub-interface, VLAN ${m[1]} on ${parent ?? vlan.parent}, as asked`
        : `an 802.1Q sub-interface, but VLAN ${m[1]}${parent ? ` on ${parent}` : ''}, not VLAN ${vlan.id} on ${vlan.parent}`;
  } else {
    const kind = /\\\s+(veth|macvlan|ipvlan|bridge|dummy|bond|vxlan|tun|team)\b/.exec(detail)?.[1];
    what = `${kind ? `a ${kind}` : 'an interface'}, not an 802.1Q sub-interface: a stand-in for VLAN ${vlan.id}`;
  }
  return `${name} already exists (${what}); it is used as it is, and lab neither creates nor deletes it`;
}
