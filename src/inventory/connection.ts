import {
  checkAddress,
  checkPath,
  checkSocketPath,
  checkUser,
  isAddress,
  parseBoolean,
  parsePort,
} from './checks.js';
import type { Located } from './model.js';
import { InventoryProblem, show } from './problem.js';
import { valueText, type InventoryValue } from './value.js';

/** The variables lab turns into typed settings. With aliases, the last name present wins, as in Ansible's ssh plugin. */
export const CONNECTION_VARIABLES = {
  address: ['ansible_host', 'ansible_ssh_host'],
  port: ['ansible_port', 'ansible_ssh_port'],
  user: ['ansible_user', 'ansible_ssh_user'],
  privateKeyFile: ['ansible_private_key_file', 'ansible_ssh_private_key_file'],
  become: ['ansible_become'],
  knownHostsFile: ['lab_known_hosts'],
  dockerTransport: ['lab_docker_transport'],
  dockerSocket: ['lab_docker_socket'],
} as const;

/** lab_docker_transport's values: how lab reaches the host's Docker Engine (docs/host-requirements.md). */
export const DOCKER_TRANSPORTS = ['forward', 'dial-stdio', 'auto'] as const;
export type DockerTransportSetting = (typeof DOCKER_TRANSPORTS)[number];

const CONNECTION_NAMES: ReadonlySet<string> = new Set(Object.values(CONNECTION_VARIABLES).flat());

/**
 * Checks a variable lab gives meaning to, where it is written, so the error points at that place
 * (even when another place overrides it later). These values reach ssh: anything that could be read
 * as an option, a second word or a template is refused.
 */
export function checkConnectionValue(name: string, value: InventoryValue): void {
  if (!CONNECTION_NAMES.has(name)) return;
  if (typeof value === 'object') {
    throw new InventoryProblem(
      `${name} must be a single value, got ${show(valueText(value))}`,
      'write the value itself',
    );
  }
  const text = valueText(value);
  if (text.includes('{{')) {
    throw new InventoryProblem(
      `${name} is a Jinja template (${show(text)}), which lab does not evaluate`,
      'write the value itself',
    );
  }
  if (name === 'ansible_host' || name === 'ansible_ssh_host') checkAddress(text, name);
  else if (name === 'ansible_port' || name === 'ansible_ssh_port') parsePort(text, name);
  else if (name === 'ansible_user' || name === 'ansible_ssh_user') checkUser(text, name);
  else if (name === 'ansible_become') parseBoolean(text, name);
  else if (name === 'lab_known_hosts') checkPath(text, name, '~/.ssh/known_hosts');
  else if (name === 'lab_docker_transport') parseDockerTransport(text, name);
  else if (name === 'lab_docker_socket') checkSocketPath(text, name);
  else checkPath(text, name, '~/.ssh/id_ed25519');
}

export interface ConnectionSettings {
  address: string;
  port: number;
  user?: string;
  privateKeyFile?: string;
  become: boolean;
  knownHostsFile?: string;
  dockerTransport?: DockerTransportSetting;
  /** lab_docker_socket: the Engine API socket on the host, when not /var/run/docker.sock (Podman). */
  dockerSocket?: string;
}

function parseDockerTransport(text: string, name: string): DockerTransportSetting {
  const found = DOCKER_TRANSPORTS.find((t) => t === text);
  if (found) return found;
  throw new InventoryProblem(
    `${name} must be one of ${DOCKER_TRANSPORTS.join(', ')}, got ${show(text)}`,
    `${name}=auto tries the socket forward first, then docker system dial-stdio`,
  );
}

/**
 * The typed settings from a host's merged variables. `home` (given at the CLI edge) expands a leading `~` or `~/` in the
 * two paths, as Ansible does (os.path.expanduser); `~user/` is refused (lab does not look up other
 * users' home directories). Values were checked where they were written.
 */
export function connectionSettings(
  hostName: string,
  merged: Map<string, Located>,
  home: string | undefined,
): ConnectionSettings {
  const pick = (names: readonly string[]): Located | undefined => {
    let found: Located | undefined;
    for (const name of names) found = merged.get(name) ?? found;
    return found;
  };
  const text = (names: readonly string[]): string | undefined => {
    const v = pick(names);
    return v === undefined ? undefined : valueText(v.value);
  };
  const address = text(CONNECTION_VARIABLES.address);
  if (address === undefined && !isAddress(hostName)) {
    throw new InventoryProblem(
      `host name ${show(hostName)} is not an address ssh can connect to, and no ansible_host is set for it`,
      `set the address: ${hostName} ansible_host=198.18.0.1`,
    );
  }
  const port = text(CONNECTION_VARIABLES.port);
  const user = text(CONNECTION_VARIABLES.user);
  const become = text(CONNECTION_VARIABLES.become);
  const key = pick(CONNECTION_VARIABLES.privateKeyFile);
  const knownHosts = pick(CONNECTION_VARIABLES.knownHostsFile);
  const transport = text(CONNECTION_VARIABLES.dockerTransport);
  const socket = text(CONNECTION_VARIABLES.dockerSocket);
  return {
    address: address ?? hostName,
    port: port === undefined ? 22 : parsePort(port, 'ansible_port'),
    ...(user === undefined ? {} : { user }),
    become: become === undefined ? false : parseBoolean(become, 'ansible_become'),
    ...(key === undefined ? {} : { privateKeyFile: expandHome(key, home) }),
    ...(knownHosts === undefined ? {} : { knownHostsFile: expandHome(knownHosts, home) }),
    ...(transport === undefined
      ? {}
      : { dockerTransport: parseDockerTransport(transport, 'lab_docker_transport') }),
    ...(socket === undefined ? {} : { dockerSocket: checkSocketPath(socket, 'lab_docker_socket') }),
  };
}

/** `~` and `~/…` to the home directory, as Python's os.path.expanduser does for the current user. */
function expandHome(located: Located, home: string | undefined): string {
  const path = valueText(located.value);
  if (!path.startsWith('~')) return path;
  const slash = path.indexOf('/');
  const user = slash === -1 ? path.slice(1) : path.slice(1, slash);
  if (user !== '') {
    throw new InventoryProblem(
      `${show(path)} names another user's home directory, which lab does not look up`,
      `write the path in full, e.g. /home/${user}${slash === -1 ? '' : path.slice(slash)}`,
    );
  }
  // Without a home directory (a parse for tools and tests), the path is kept as written.
  if (home === undefined || home === '') return path;
  return slash === -1 ? home : `${home.replace(/\/+$/, '')}${path.slice(slash)}`;
}
