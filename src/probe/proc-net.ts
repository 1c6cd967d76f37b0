/**
 * A container's listening sockets from its /proc/net/{tcp,tcp6,udp,udp6}, read with
 * `cat` inside it (the files are per network namespace). Only IPv4-reachable sockets count: bound
 * to every address (0.0.0.0 or ::), or to one IPv4 address that is not loopback.
 */
import type { ListeningPort } from './topology.js';

export const PROC_NET_FILES = [
  '/proc/net/tcp',
  '/proc/net/tcp6',
  '/proc/net/udp',
  '/proc/net/udp6',
];

const TCP_LISTEN = '0A';
const UDP_UNCONNECTED = '07';

export function parseProcNet(text: string): ListeningPort[] {
  const found = new Map<string, ListeningPort>();
  let protocol: 'tcp' | 'udp' | undefined;
  for (const raw of text.split('\n')) {
    const cols = raw.trim().split(/\s+/);
    if (cols[0] === 'sl') {
      // The udp files' header ends with "ref pointer drops"; the tcp files' does not.
      protocol = cols.includes('drops') ? 'udp' : 'tcp';
      continue;
    }
    const [, local = '', remote = '', state = ''] = cols;
    if (!protocol || !/^\d+:$/.test(cols[0] ?? '')) continue;
    if (protocol === 'tcp' ? state !== TCP_LISTEN : state !== UDP_UNCONNECTED) continue;
    if (protocol === 'udp' && !remote.endsWith(':0000')) continue;
    const [hexAddress = '', hexPort = ''] = local.split(':');
    const port = parseInt(hexPort, 16);
    const address = ipv4Of(hexAddress);
    if (!Number.isInteger(port) || port < 1 || address === undefined) continue;
    if (address.startsWith('127.')) continue;
    const bound = address === '0.0.0.0' ? undefined : address;
    const key = `${port}/${protocol}/${bound ?? '*'}`;
    if (!found.has(key)) found.set(key, { port, protocol, ...(bound && { address: bound }) });
  }
  // A wildcard socket covers the same port bound to one address.
  const all = [...found.values()];
  return all
    .filter(
      (p) =>
        p.address === undefined ||
        !all.some((q) => q.address === undefined && q.port === p.port && q.protocol === p.protocol),
    )
    .sort((a, b) => a.protocol.localeCompare(b.protocol) || a.port - b.port);
}

/** The kernel's hex address → dotted IPv4; "0.0.0.0" for `::`; undefined for other IPv6. */
function ipv4Of(hex: string): string | undefined {
  if (hex.length === 8) return leBytes(hex);
  if (hex.length !== 32) return undefined;
  if (/^0+$/.test(hex)) return '0.0.0.0';
  // ::ffff:a.b.c.d, written as four little-endian 32-bit words.
  if (hex.slice(0, 16) === '0'.repeat(16) && hex.slice(16, 24).toUpperCase() === 'FFFF0000') {
    return leBytes(hex.slice(24));
  }
  return undefined;
}

function leBytes(hex: string): string {
  const bytes = [0, 2, 4, 6].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return bytes.reverse().join('.');
}
