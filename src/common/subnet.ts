/**
 * IPv4 subnet arithmetic with ipaddr.js: host numbers → addresses, containment, the addresses no
 * container may take, and overlap. Inputs of parseSubnet and friends are already format-checked
 * (scenario/formats.ts); inSubnet and liesWithin take any text and say false to what is not an address.
 */
import ipaddr from 'ipaddr.js';

export interface Subnet {
  /** As written: 172.183.1.0/24. */
  cidr: string;
  range: [ipaddr.IPv4, number];
  /** First and last address as 32-bit numbers. */
  first: number;
  last: number;
}

const toNumber = (a: ipaddr.IPv4): number => a.octets.reduce((n, octet) => n * 256 + octet, 0);

const fromNumber = (n: number): string =>
  new ipaddr.IPv4([(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]).toString();

export function parseSubnet(cidr: string): Subnet {
  const range = ipaddr.IPv4.parseCIDR(cidr);
  const first = toNumber(ipaddr.IPv4.networkAddressFromCIDR(cidr));
  const last = toNumber(ipaddr.IPv4.broadcastAddressFromCIDR(cidr));
  return { cidr, range, first, last };
}

/** The usable host numbers: 1 .. size-2 (the network and broadcast addresses are not hosts). */
export function hostNumberRange(s: Subnet): { min: number; max: number } {
  return { min: 1, max: s.last - s.first - 1 };
}

/** Host number n within the subnet (10 in 172.183.1.0/24 → 172.183.1.10), if it is a usable host. */
export function hostAddress(s: Subnet, n: number): string | undefined {
  const { min, max } = hostNumberRange(s);
  return Number.isInteger(n) && n >= min && n <= max ? fromNumber(s.first + n) : undefined;
}

export function contains(s: Subnet, address: string): boolean {
  return ipaddr.IPv4.parse(address).match(s.range);
}

/** 'network' or 'broadcast' when the address is one of the two a host cannot have. */
export function reservedRole(s: Subnet, address: string): 'network' | 'broadcast' | undefined {
  const n = toNumber(ipaddr.IPv4.parse(address));
  return n === s.first ? 'network' : n === s.last ? 'broadcast' : undefined;
}

export function overlaps(a: Subnet, b: Subnet): boolean {
  return a.first <= b.last && b.first <= a.last;
}

export function broadcastAddress(s: Subnet): string {
  return fromNumber(s.last);
}

/** Canonical dotted quad (ipaddr.js normalises; inputs are already strict dotted quads). */
export function normalize(address: string): string {
  return ipaddr.IPv4.parse(address).toString();
}

/** True when address is an IPv4 dotted quad inside subnet; false for anything unparsable or no subnet. */
export function inSubnet(address: string, subnet: string | undefined): boolean {
  if (!subnet || !ipaddr.IPv4.isValidFourPartDecimal(address)) return false;
  try {
    const [range, bits] = ipaddr.IPv4.parseCIDR(subnet);
    return ipaddr.IPv4.parse(address).match(range, bits);
  } catch {
    return false;
  }
}

/** True when an IPv4 address or CIDR lies entirely inside range (a CIDR); false for anything else. */
export function liesWithin(addressOrCidr: string, range: string): boolean {
  const outer = ipaddr.parseCIDR(range);
  try {
    const [address, prefix] = addressOrCidr.includes('/')
      ? ipaddr.parseCIDR(addressOrCidr)
      : [ipaddr.parse(addressOrCidr), 32];
    return address.kind() === 'ipv4' && prefix >= outer[1] && address.match(outer);
  } catch {
    return false; // not an address at all
  }
}
