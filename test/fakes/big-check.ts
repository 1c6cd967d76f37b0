import { buildMatrix } from '../../src/probe/build-matrix.js';
import type { CellResult, ConnectivityReport } from '../../src/probe/connectivity-model.js';
import { describeObservation } from '../../src/probe/outcome.js';
import { probeCommand, sshCommand } from '../../src/probe/reproduce.js';
import { containerKey, type Topology } from '../../src/probe/topology.js';
import { bridge, container, host, macvlan } from './topologies.js';

/**
 * A finished `lab check connectivity` of H hosts × K containers, for picture tests and the bench:
 * on each host half the containers on a macvlan network on eth0, half on a second on eth1, plus one
 * bridge; every cell judged with the real matrix, commands and words, with made-up timings
 * (deterministic). One cell FAILs and one is an ERROR, so the picture has all four outcomes.
 */
export function bigCheck(hosts: number, perHost: number): ConnectivityReport {
  const topology: Topology = { hosts: [] };
  for (let h = 1; h <= hosts; h++) {
    const name = `server${h}`;
    const nets = [
      macvlan(name, 'mac_net1', '198.19.1.0/24', 'eth0'),
      macvlan(name, 'mac_net2', '198.19.2.0/24', 'eth1'),
      bridge(name, 'my_net', `198.19.${100 + h}.0/24`),
    ];
    const containers = Array.from({ length: perHost }, (_, k) => {
      const net = k % 2 === 0 ? 'mac_net1' : 'mac_net2';
      const ip = `198.19.${k % 2 === 0 ? 1 : 2}.${10 + (h - 1) * perHost + k}`;
      return container(name, `c${h}x${k + 1}`, [[net, ip]]);
    });
    topology.hosts.push(host(name, `198.18.0.${h}`, nets, containers));
  }
  const matrix = buildMatrix(topology);
  const targets = new Map(matrix.targets.map((t) => [t.key, t]));
  const hostAddress = new Map(topology.hosts.map((h) => [h.name, h.address]));
  let seed = 7;
  const ms = () => (seed = (seed * 1103515245 + 12345) % 2147483648) % 1000;
  const results = matrix.cells.map((cell, i): CellResult => {
    const target = targets.get(cell.target);
    const source = matrix.sources.find((s) => containerKey(s) === cell.source);
    const kind = target?.kind === 'name' ? 'name' : 'ip';
    const command = probeCommand({
      container: source?.name ?? '',
      image: 'busybox:latest',
      kind,
      dest: target?.address ?? '',
      iface: 'eth0',
      timeoutSeconds: 1,
    });
    const reproduce = sshCommand(
      {
        host: source?.host ?? '',
        address: hostAddress.get(source?.host ?? '') ?? '',
        port: 22,
        user: 'root',
        become: false,
      },
      command,
    );
    const error = i === 5;
    const reached = (cell.expect === 'reach') !== (i === 3);
    const durationMs = reached ? 1 + (ms() % 40) : 1000 + (ms() % 20);
    const observed = error
      ? 'server1: the prober could not start (image busybox:latest not found)'
      : describeObservation(
          {
            tag: 't',
            status: reached ? 'reached' : 'not-reached',
            exitCode: reached ? 0 : 1,
            attempts: 1,
            durationMs,
            iface: 'eth0',
            ...(kind === 'name' && { resolved: true }),
          },
          kind,
        );
    return {
      cell,
      outcome: error ? 'error' : i === 3 ? 'fail' : 'pass',
      ...(!error && { reached }),
      address: target?.address ?? '',
      iface: 'eth0',
      attempts: error ? 0 : 1,
      durationMs: error ? 0 : durationMs,
      evidence: observed,
      command,
      reproduce,
    };
  });
  return {
    hosts: topology.hosts.map((h) => ({
      host: h.name,
      address: h.address,
      probeImage: 'busybox:latest',
      containers: h.containers.length,
    })),
    networks: topology.hosts.flatMap((h) => h.networks),
    matrix,
    results,
    verdict: 'error',
    durationMs: 2400,
    phases: { discoverMs: 400, probeMs: 2000 },
    dockerCalls: { listContainers: hosts, listNetworks: hosts },
    probers: hosts * perHost,
  };
}
