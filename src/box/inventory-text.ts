import { HARDENED_TEXT } from './host/harden.js';
import { IN_HOST } from './layout.js';
import { BOX_SCENARIO_VARS } from './scenario-vars.js';

export interface InventoryInput {
  createdAt: string;
  hosts: {
    name: string;
    address: string;
    behind?: string | undefined;
    hardened?: boolean | undefined;
    /** The engine's socket inside the host, when not /run/docker.sock (a podman host's). */
    dockerSocketInHost?: string | undefined;
  }[];
  clientKey: string;
  knownHosts: string;
}

/** The box's Ansible INI inventory: what `-i box` resolves to. */
export function renderInventory(input: InventoryInput): string {
  const lines = [
    `# Written by \`lab box up\` on ${input.createdAt}: the box's hosts. Do not edit; \`lab box down\` removes it.`,
    '[box]',
    ...input.hosts.map(
      (host) =>
        `${host.name} ansible_host=${host.address}` +
        // Ansible's way to a host behind a bastion; lab reads it the same.
        (host.behind ? ` ansible_ssh_common_args='-o ProxyJump=${host.behind}'` : '') +
        // Podman's service listens where RHEL's podman.socket does; the inventory says so, as on RHEL.
        (host.dockerSocketInHost && host.dockerSocketInHost !== IN_HOST.dockerSocket
          ? ` lab_docker_socket=${host.dockerSocketInHost}`
          : ''),
    ),
    ...input.hosts
      .filter((host) => host.hardened)
      .map(
        (host) =>
          `# ${host.name} is hardened (lab box up --harden): ${HARDENED_TEXT}; lab reaches its Docker through dial-stdio`,
      ),
    '',
    '[box:vars]',
    'ansible_user=root',
    'ansible_port=22',
    `ansible_ssh_private_key_file=${input.clientKey}`,
    `lab_known_hosts=${input.knownHosts}`,
    '',
    '[all:vars]',
    ...Object.entries(BOX_SCENARIO_VARS).map(([key, value]) => `${key}=${value}`),
    '',
  ];
  return lines.join('\n');
}
