import type { Clock } from '../common/clock.js';
import type { DockerClient } from './docker-client.js';
import { dockerStatusOf } from './docker-errors.js';

/** The Engine's words for a network something still uses: "has active endpoints", "is in use by task". */
const IN_USE = /in use|active endpoint/i;

/** True when a failed Engine call says the network is still in use (as opposed to any other error). */
export function isNetworkInUse(err: unknown): boolean {
  return dockerStatusOf(err) !== undefined && IN_USE.test(String(err));
}

/**
 * Removes a network, trying again while the Engine says it is still in use, for up to patienceMs.
 * Swarm-scoped networks need this: their last endpoints and attachment tasks go a moment after the
 * containers that used them.
 */
export async function removeNetworkWhenFree(
  docker: Pick<DockerClient, 'removeNetwork'>,
  id: string,
  clock: Clock,
  patienceMs: number,
): Promise<void> {
  const deadline = clock.now() + patienceMs;
  for (;;) {
    try {
      await docker.removeNetwork(id);
      return;
    } catch (err) {
      if (!isNetworkInUse(err) || clock.now() >= deadline) throw err;
      await clock.sleep(250);
    }
  }
}
