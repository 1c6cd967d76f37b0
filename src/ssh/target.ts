/** One SSH hop: where to connect, as whom, and how to check its host key. */
export interface SshEndpoint {
  /** How messages name it: the inventory name, or a jump host as written (an ssh_config alias…). */
  host: string;
  address: string;
  port: number;
  user?: string;
  privateKeyFile?: string;
  /** ssh_config IdentityFile entries, tried in order when privateKeyFile is unset (missing ones skipped). */
  identityFiles?: string[];
  knownHostsFile?: string;
  /** StrictHostKeyChecking from ssh_config or the ssh args (accept-new/no: true; yes/ask: false). */
  acceptNewHostKeys?: boolean;
}

/**
 * Where and how lab reaches a host over SSH: the inventory's connection settings for one host, and,
 * once its route is resolved (ssh/config/route.ts), ssh_config's and the jump hosts before it.
 */
export interface SshTarget extends SshEndpoint {
  become: boolean;
  /** lab_docker_transport: the way to the host's Engine (default auto; docker/engine-route.ts). */
  dockerTransport?: 'forward' | 'dial-stdio' | 'auto';
  /** The Engine API socket on the host (lab_docker_socket); absent: /var/run/docker.sock. */
  dockerSocket?: string;
  /** Jump hosts: the first reached directly, each next one through the one before, the target last. */
  jumps?: SshEndpoint[];
}
