/**
 * The check bench's scenario: K containers per host, half on a macvlan network on eth0, half on a
 * second, isolated macvlan network on eth1 (shared by the check and baseline benches; the ports
 * bench uses its head).
 */
export const CHECK_SCENARIO = 'bench-check';

export interface Config {
  hosts: number;
  perHost: number;
}

/** The scenario: K containers per host, alternating between the two networks. */
export function checkScenarioYaml(c: Config): string {
  const hosts = Array.from({ length: c.hosts }, (_, i) => `server${i + 1}`);
  const containers: string[] = [];
  for (const [h, host] of hosts.entries()) {
    for (let k = 0; k < c.perHost; k++) {
      const net = k % 2 === 0 ? 'bench_net1' : 'bench_net2';
      containers.push(
        `  - { name: b${h + 1}c${k}, host: ${host}, networks: [{ network: ${net}, ip: ${10 + h * c.perHost + k} }], command: [sleep, '3600'] }`,
      );
    }
  }
  return [
    ...benchScenarioHead({
      name: CHECK_SCENARIO,
      description: 'benchmark of lab check connectivity (generated)',
      hosts,
      subnets: ['198.19.41', '198.19.42'],
    }),
    ...containers,
    '',
  ].join('\n');
}

/**
 * A bench scenario's lines up to its containers: the hosts, both NICs promiscuous (eth1 up), and
 * two macvlan networks, bench_net1 on eth0 and bench_net2 on eth1, on the /24s given.
 */
export function benchScenarioHead(s: {
  name: string;
  description: string;
  hosts: readonly string[];
  subnets: readonly [string, string];
}): string[] {
  const [a, b] = s.subnets;
  return [
    `name: ${s.name}`,
    `description: ${s.description}`,
    'vars: { image: busybox:latest }',
    `hosts: [${s.hosts.join(', ')}]`,
    'nics:',
    '  - { interface: eth0, promisc: true }',
    '  - { interface: eth1, up: true, promisc: true }',
    'networks:',
    `  - { name: bench_net1, driver: macvlan, subnet: ${a}.0/24, gateway: ${a}.1, parent: eth0 }`,
    `  - { name: bench_net2, driver: macvlan, subnet: ${b}.0/24, gateway: ${b}.1, parent: eth1 }`,
    'containers:',
  ];
}
