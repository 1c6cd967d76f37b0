import { LabError } from '../../common/errors.js';

export interface KnownHost {
  name: string;
  address: string;
  /** The public key as ssh-keygen wrote it: "ssh-ed25519 AAAA… comment". */
  publicKey: string;
}

/** known_hosts lines for every host, under its address and, on a second line, its name. */
export function renderKnownHosts(hosts: readonly KnownHost[]): string {
  const lines: string[] = [];
  for (const host of hosts) {
    const [type, key] = host.publicKey.trim().split(/\s+/);
    if (!type || !key)
      throw new LabError('input', `${host.name}: not a public key: ${host.publicKey}`);
    lines.push(`${host.address} ${type} ${key}`, `${host.name} ${type} ${key}`);
  }
  return lines.join('\n') + '\n';
}
