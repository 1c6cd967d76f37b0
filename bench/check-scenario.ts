/**
 * The check bench's scenario: K containers per host, half on a macvlan network on eth0, half on a
 * second, isolated macvlan network on eth1 (shared by the check and baseline benches).
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
    `name: ${CHECK_SCENARIO}`,
    'description: benchmark of lab check connectivity (generated)',
    'vars: { image: busybox:latest }',
    `hosts: [${hosts.join(', ')}]`,
    'nics:',
    '  - { interface: eth0, promisc: true }',
    '  - { interface: eth1, up: true, promisc: true }',
    'networks:',
    '  - { name: bench_net1, driver: macvlan, subnet: 198.19.41.0/24, gateway: 198.19.41.1, parent: eth0 }',
    '  - { name: bench_net2, driver: macvlan, subnet: 198.19.42.0/24, gateway: 198.19.42.1, parent: eth1 }',
    'containers:',
    ...containers,
    '',
  ].join('\n');
}
