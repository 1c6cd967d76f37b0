/** A TCP or UDP port a probe connects to instead of pinging, and how it is written. */
export interface PortSpec {
  port: number;
  protocol: 'tcp' | 'udp';
}

/** "5432/tcp". */
export function portText(p: PortSpec): string {
  return `${p.port}/${p.protocol}`;
}

/** " port 5432/tcp" after a target's label, nothing without a port. */
export function portWords(p: PortSpec | undefined): string {
  return p ? ` port ${portText(p)}` : '';
}
