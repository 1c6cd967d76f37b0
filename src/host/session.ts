import type { LabError } from '../common/errors.js';
import type { DockerClient } from '../docker/docker-client.js';
import type { SshTarget } from '../ssh/target.js';
import type { HostShell } from '../ssh/host-shell.js';

/** One host's open connections: a shell and the Docker Engine API, both over the same SSH connection. */
export interface HostSession {
  host: string;
  shell: HostShell;
  docker: DockerClient;
  /**
   * After a Docker call failed mid-run: "Docker is not running on server2" when the host's shell
   * finds its engine dead (killed or stopped meanwhile), else undefined and the failure stands.
   */
  dockerDown?: (cause: unknown) => Promise<LabError | undefined>;
}

/**
 * Opens a session to a host. Injected so that the executor can be driven by fakes in unit tests.
 * An abort abandons a connection still being made (the promise then rejects).
 */
export type Connector = (target: SshTarget, signal?: AbortSignal) => Promise<HostSession>;

/**
 * A Docker call on this host failed: "Docker is not running on server2" when the host's shell finds
 * its engine dead (killed or stopped meanwhile), else undefined and the failure stands. Every step
 * that talks to the Engine asks this one question, so a dead engine is named the same whichever step
 * it dies under. A lost connection is not asked (it cannot answer; the caller names it lost).
 */
export async function engineFoundDown(
  session: HostSession,
  cause: unknown,
): Promise<LabError | undefined> {
  if (session.shell.lost?.()) return undefined;
  return session.dockerDown?.(cause).catch(() => undefined);
}

export async function closeAll(sessions: Iterable<HostSession>): Promise<void> {
  await Promise.allSettled(
    [...sessions].map(async (s) => {
      await s.docker.close();
      await s.shell.close();
    }),
  );
}
