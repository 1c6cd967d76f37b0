import type { DockerClient } from '../docker/docker-client.js';
import type { SshTarget } from '../ssh/target.js';
import type { HostShell } from '../ssh/host-shell.js';

/** One host's open connections: a shell and the Docker Engine API, both over the same SSH connection. */
export interface HostSession {
  host: string;
  shell: HostShell;
  docker: DockerClient;
}

/**
 * Opens a session to a host. Injected so that the executor can be driven by fakes in unit tests.
 * An abort abandons a connection still being made (the promise then rejects).
 */
export type Connector = (target: SshTarget, signal?: AbortSignal) => Promise<HostSession>;

export async function closeAll(sessions: Iterable<HostSession>): Promise<void> {
  await Promise.allSettled(
    [...sessions].map(async (s) => {
      await s.docker.close();
      await s.shell.close();
    }),
  );
}
