import type { NetworkInfo } from './docker-client.js';

/** Docker's own default bridge: scenarios attach containers to it, never create or remove it. */
export const DEFAULT_BRIDGE = 'bridge';

/** The Linux bridge of a bridge network: its name option (docker0 for the default), else br-<id>. */
export function bridgeName(n: NetworkInfo): string {
  return n.options['com.docker.network.bridge.name'] ?? `br-${n.id.slice(0, 12)}`;
}
