/**
 * `ss -ltnp` / `ss -lunp` output → listening sockets with their processes. ss prints a header line and
 * one socket per line: State Recv-Q Send-Q Local:Port Peer:Port [Process]; the process column
 * (`users:(("docker-proxy",pid=3826,fd=4))`) is there only for root, which lab's commands are.
 */
export interface ListeningSocket {
  address: string;
  port: number;
  processes: { name: string; pid?: number }[];
  text: string;
}

export function parseListening(output: string): ListeningSocket[] {
  const out: ListeningSocket[] = [];
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    const cols = line.split(/\s+/);
    if (!/^(LISTEN|UNCONN)$/.test(cols[0] ?? '')) continue;
    const local = cols[3] ?? '';
    const cut = local.lastIndexOf(':');
    const port = Number(local.slice(cut + 1));
    if (cut < 0 || !Number.isInteger(port)) continue;
    const processes = [...line.matchAll(/\("([^"]+)",pid=(\d+)/g)].map((m) => ({
      name: m[1] ?? '',
      pid: Number(m[2]),
    }));
    out.push({ address: local.slice(0, cut), port, processes, text: line });
  }
  return out;
}

export function describeSocket(s: ListeningSocket): string {
  const who = s.processes.map((p) => `${p.name}${p.pid !== undefined ? ` (pid ${p.pid})` : ''}`);
  return `${s.address}:${s.port}${who.length > 0 ? ` ${who.join(', ')}` : ''}`;
}
