/**
 * `ip -o -4 addr show` output (iproute2 and busybox alike) → the IPv4 addresses with prefix lengths:
 *   `5: br-42b72ceec2f2    inet 198.19.129.1/24 brd 198.19.129.255 scope global br-42b…`
 */
export interface InterfaceAddress {
  interface: string;
  address: string;
  prefixLength: number;
}

export function parseAddresses(output: string): InterfaceAddress[] {
  const out: InterfaceAddress[] = [];
  for (const line of output.split('\n')) {
    const m = /^\d+:\s+([^\s@:]+)\S*\s+inet\s+(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})/.exec(
      line.trim(),
    );
    if (m) out.push({ interface: m[1] ?? '', address: m[2] ?? '', prefixLength: Number(m[3]) });
  }
  return out;
}
