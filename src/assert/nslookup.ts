/**
 * `nslookup NAME` output → the addresses the name resolved to. busybox and bind print the server
 * first ("Server: 127.0.0.11" / "Address: 127.0.0.11:53"), then, per answer, "Name: vm2" followed by
 * "Address: 172.20.0.2" (bind may write "Address 1: …", older busybox "Address 1: 172.20.0.2 vm2").
 * Only lines after a Name: line count, so the server's own address is never taken for an answer.
 */
export function parseNslookup(output: string): string[] {
  const found: string[] = [];
  let inAnswer = false;
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    if (/^Name:/i.test(line)) {
      inAnswer = true;
      continue;
    }
    if (!inAnswer) continue;
    const m = /^Address(?:es)?(?:\s+\d+)?:\s*(\d{1,3}(?:\.\d{1,3}){3})(?:\s|$)/i.exec(line);
    if (m?.[1] && !found.includes(m[1])) found.push(m[1]);
  }
  return found;
}
