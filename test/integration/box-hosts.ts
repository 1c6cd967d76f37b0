import { inject } from 'vitest';
import { DEFAULT_BOX_STATE_DIR, readBoxState, type BoxState } from '../../src/box/index.js';
import type { SshTarget } from '../../src/ssh/target.js';

/**
 * The running box as the SSH and Docker integration tests see it: its hosts as SshTargets, strict
 * about host keys (the box's own known_hosts), logging in as root with the box's key.
 */
export interface BoxHosts {
  state: BoxState;
  targets: SshTarget[];
  /** Each host's Engine socket as seen over SSH. */
  dockerSockets: string[];
  /** Each host's Engine socket from this machine, no SSH: the benchmark's floor. */
  localDockerSockets: string[];
}

export function boxStateDir(): string {
  // Provided by the integration project's global setup; the default lets a test file be run on its
  // own against a box that is already up.
  try {
    return inject('boxStateDir') || DEFAULT_BOX_STATE_DIR;
  } catch {
    return DEFAULT_BOX_STATE_DIR;
  }
}

export async function boxHosts(): Promise<BoxHosts> {
  const state = await readBoxState(boxStateDir());
  return {
    state,
    targets: state.hosts.map((h) => ({
      host: h.name,
      address: h.address,
      port: 22,
      user: 'root',
      privateKeyFile: state.clientKey,
      become: false,
      knownHostsFile: state.knownHosts,
    })),
    dockerSockets: state.hosts.map((h) => h.dockerSocketInHost),
    localDockerSockets: state.hosts.map((h) => h.dockerSocket),
  };
}
