/** A swarm step as the commands a person would type (`lab plan`, transcripts). */
import type { SwarmStep } from './model.js';
import { quoteCommand } from '../ssh/quote.js';
import { GWBRIDGE, GWBRIDGE_OPTIONS } from './swarm-labels.js';

export function swarmCommands(step: SwarmStep): string[] {
  const gwbridge = quoteCommand([
    'docker',
    'network',
    'create',
    ...Object.entries(GWBRIDGE_OPTIONS).flatMap(([k, v]) => ['-o', `${k}=${v}`]),
    '--label',
    `lab.scenario=${step.labels['lab.scenario'] ?? ''}`,
    GWBRIDGE,
  ]);
  if (step.role === 'manager') {
    const init = ['docker', 'swarm', 'init', '--advertise-addr', step.advertiseAddress];
    if (step.addressPool) init.push('--default-addr-pool', step.addressPool);
    if (step.poolSize !== undefined)
      init.push('--default-addr-pool-mask-length', String(step.poolSize));
    const labels = Object.entries(step.labels).flatMap(([k, v]) => ['--label-add', `${k}=${v}`]);
    return [
      `# only if ${step.host} is in no swarm yet:`,
      gwbridge,
      quoteCommand(init),
      `${quoteCommand(['docker', 'node', 'update', ...labels])} $(docker info -f '{{.Swarm.NodeID}}')`,
    ];
  }
  return [
    `# only if ${step.host} is in no swarm yet; the token is \`docker swarm join-token -q worker\` on ${step.manager}:`,
    gwbridge,
    `docker swarm join --token <worker token> ${step.managerAddress}`,
  ];
}
