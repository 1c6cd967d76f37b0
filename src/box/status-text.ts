import { PODMAN_SOCKET_IN_HOST } from './engine/podman.js';
import type { BoxStatus, HostStatus } from './status.js';

/** `lab box status` for people; `--json` prints the BoxStatus itself. */
export function renderStatus(status: BoxStatus): string {
  if (!status.up) {
    const lines = [`${status.reason} (${status.stateDir})`];
    if (status.leftovers.length > 0) {
      lines.push(`leftovers of an earlier box: ${status.leftovers.join('; ')}`);
      lines.push('`lab box down` removes them (`lab box up` does too, before it starts).');
    }
    return lines.join('\n') + '\n';
  }
  const healthy = status.hosts.filter((host) => host.healthy).length;
  const lines = [
    `box at ${status.stateDir}, up since ${status.createdAt}: ` +
      (status.healthy
        ? `healthy (${status.hosts.length} hosts)`
        : `NOT healthy (${healthy} of ${status.hosts.length} hosts healthy)`),
    `inventory: ${status.inventory} (-i box)`,
    '',
  ];
  for (const host of status.hosts) lines.push(...renderHost(host), '');
  for (const standIn of status.standIns) lines.push(`${standIn.interface}: ${standIn.description}`);
  return lines.join('\n') + '\n';
}

function renderHost(host: HostStatus): string[] {
  const yesNo = (alive: boolean) => (alive ? 'alive' : 'NOT running');
  const lines = [
    `${host.name}  ${host.address}  ${host.healthy ? 'healthy' : `PROBLEMS: ${host.problems.join('; ')}`}`,
    `  namespace  ${host.netns}${host.netnsPresent ? '' : ' (missing)'}, anchor pid ${host.anchor.pid} ${yesNo(host.anchor.alive)}`,
  ];
  for (const nic of host.interfaces) {
    const addresses = nic.addresses.length > 0 ? nic.addresses.join(' ') : 'no address';
    lines.push(
      `  ${nic.name.padEnd(9)}  ${nic.state.padEnd(5)} ${addresses}, on ${nic.bridge}${nic.standIn ? ' (stand-in for VLAN 1, see below)' : ''}`,
    );
  }
  const sshd = host.sshd;
  lines.push(
    `  sshd       pid ${sshd.pid} ${yesNo(sshd.alive)}${sshd.alive ? (sshd.answering ? `, answers on ${host.address}:22` : ', does not answer') : ''}`,
  );
  const docker = host.dockerd;
  const engine = host.engine === 'machine' ? '' : ` (--engine ${host.engine})`;
  const podman = host.engine === 'podman';
  lines.push(
    `  dockerd    pid ${docker.pid} ${yesNo(docker.alive)}${engine}` +
      (docker.answering
        ? `, ${podman ? 'Podman' : 'Docker'} ${docker.version}${docker.apiVersion ? ` (API ${docker.apiVersion})` : ''}, ID ${docker.id}`
        : docker.alive
          ? ', does not answer'
          : ''),
  );
  lines.push(
    `  socket     ${host.dockerSocket} (from the machine; ${podman ? PODMAN_SOCKET_IN_HOST : '/run/docker.sock'} inside the host)`,
  );
  lines.push(`  image      ${host.image.ref} ${host.image.present ? 'present' : 'MISSING'}`);
  if (host.hardened) lines.push(`  hardened   ${host.hardened}`);
  lines.push(`  enter      ${host.nsenter.join(' ')} <command>`);
  return lines;
}
