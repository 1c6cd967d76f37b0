import { quoteCommand, quoteWord } from '../ssh/quote.js';
import type { PlannedCheck, Step } from './model.js';
import { LABEL } from './labels.js';
import { swarmCommands } from './swarm-commands.js';

/**
 * The plan as the shell commands a person would type on each host, as in the seed:
 * `ip link set eth0 promisc on`, `docker network create …`, `docker run …`. lab itself sends the
 * Docker work through the Engine API, but these are exactly equivalent.
 */
export function stepCommands(step: Step): string[] {
  switch (step.kind) {
    case 'nic': {
      const cmds: string[] = [];
      if (step.vlan) {
        cmds.push(
          `ip link add link ${step.vlan.parent} name ${step.interface} type vlan id ${step.vlan.id}`,
        );
      }
      if (step.up !== undefined)
        cmds.push(`ip link set ${step.interface} ${step.up ? 'up' : 'down'}`);
      if (step.promisc !== undefined)
        cmds.push(`ip link set ${step.interface} promisc ${step.promisc ? 'on' : 'off'}`);
      return cmds;
    }
    case 'network': {
      const words = ['docker', 'network', 'create', '--driver', step.driver];
      if (step.subnet) words.push('--subnet', step.subnet);
      if (step.gateway) words.push('--gateway', step.gateway);
      for (const [k, v] of Object.entries(step.options)) words.push('-o', `${k}=${v}`);
      if (step.attachable) words.push('--attachable');
      if (step.internal) words.push('--internal');
      words.push(...labelWords(step.labels), step.name);
      return [quoteCommand(words)];
    }
    case 'swarm':
      return swarmCommands(step);
    case 'container': {
      const [first, ...rest] = step.networks;
      // Without a command, `-it` keeps the image's shell alive, as the seed's `docker run -it` did.
      const words = [
        'docker',
        'run',
        step.command ? '-d' : '-dit',
        '--name',
        step.name,
        '--hostname',
        step.name,
      ];
      if (first) {
        words.push('--net', first.network);
        if (first.ipv4) words.push('--ip', first.ipv4);
      }
      for (const p of step.publish ?? []) words.push('-p', p);
      words.push(...labelWords(step.labels), step.image, ...(step.command ?? []));
      const cmds = [quoteCommand(words)];
      for (const n of rest) {
        const connect = [
          'docker',
          'network',
          'connect',
          ...(n.ipv4 ? ['--ip', n.ipv4] : []),
          n.network,
          step.name,
        ];
        cmds.push(quoteCommand(connect));
      }
      return cmds;
    }
  }
}

/** The ping a person would run for a check. */
export function checkCommand(check: PlannedCheck): string {
  const address = check.to.address || `<address of ${check.to.label}>`;
  const port = check.to.port;
  // The prober's own tools (docs/check-connectivity.md, ports): nc for TCP, traceroute for UDP.
  const probe = !port
    ? `ping -c 1 -W 1 ${address}`
    : port.protocol === 'tcp'
      ? `nc -w 1 ${address} ${port.port} -e true`
      : `traceroute -n -q 1 -f 32 -m 32 -w 1 -p ${port.port - 1} ${address}`;
  return `docker exec ${quoteWord(check.from.container)} ${probe}`;
}

// Only the ownership labels are shown: the spec hash is bookkeeping, not something a person types.
function labelWords(labels: Record<string, string>): string[] {
  return Object.entries(labels)
    .filter(([k]) => k !== LABEL.spec && k !== LABEL.host && k !== LABEL.managed)
    .flatMap(([k, v]) => ['--label', `${k}=${v}`]);
}
