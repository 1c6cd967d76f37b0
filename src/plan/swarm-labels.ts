/**
 * How lab marks what it did to a swarm. The manager node of a swarm lab created carries
 * `lab.swarm=created` and the scenario's ownership labels; `lab down` dissolves a swarm only when it
 * finds them, so a swarm someone else runs is never left.
 */
export const SWARM_LABEL = 'lab.swarm';
export const SWARM_CREATED = 'created';
/** lab.kind of the docker_gwbridge network lab makes before joining a host to its swarm. */
export const SWARM_KIND = 'swarm';
/**
 * Docker creates this bridge when a host joins a swarm and leaves it behind when the host leaves.
 * lab creates it itself first (with labels, as Docker's documentation allows) so that `lab down`
 * can remove it like everything else it made.
 */
export const GWBRIDGE = 'docker_gwbridge';
export const GWBRIDGE_OPTIONS = {
  'com.docker.network.bridge.name': GWBRIDGE,
  'com.docker.network.bridge.enable_icc': 'false',
  'com.docker.network.bridge.enable_ip_masquerade': 'true',
};
export const SWARM_PORT = 2377;
