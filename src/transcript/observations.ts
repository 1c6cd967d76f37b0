/**
 * What a teacher looks at during the seed's labs, derived from the plan: the networks before and
 * after (`docker network ls`), the NICs (`ip addr show eth0`), each network (`docker network
 * inspect`), the bridges and their ports (the seed's `brctl show`), the NAT table, the listening
 * ports, each container's interfaces (`ip a`), and a seed-style ping for each check. Pure: the
 * observer (observer.ts) runs them.
 */
import type { Plan, Step } from '../plan/model.js';
import type { CheckResult } from '../probe/probe-result.js';
import { DEFAULT_BRIDGE } from '../docker/bridge.js';

export type Observation =
  /** A command in the host's shell. `become`: it needs root (iptables, ss -p). */
  | { kind: 'host'; host: string; title: string; argv: string[]; become?: boolean }
  /** A command inside a container. */
  | { kind: 'container'; host: string; title: string; container: string; argv: string[] }
  /** `ip addr show` of a bridge network's Linux bridge (its name is only known at run time). */
  | { kind: 'bridge'; host: string; title: string; network: string };

// The seed's `brctl show`; bridge-utils is gone from many hosts, iproute2's `bridge` is everywhere.
const BRIDGE_LIST = [
  'sh',
  '-c',
  'if command -v brctl >/dev/null 2>&1; then brctl show; else ip -o link show type bridge; bridge link show; fi',
];

const nicNames = (steps: readonly Step[]) =>
  steps.flatMap((s) => (s.kind === 'nic' ? [...(s.vlan ? [s.vlan.parent] : []), s.interface] : []));

const unique = (xs: string[]) => [...new Set(xs)];

export function beforeObservations(plan: Plan): Observation[] {
  return plan.hosts.flatMap((h) => [
    ...unique(nicNames(h.steps)).map((nic): Observation => ({
      kind: 'host',
      host: h.host,
      title: `${nic} before`,
      argv: ['ip', 'addr', 'show', nic],
    })),
    { kind: 'host', host: h.host, title: 'the networks before', argv: ['docker', 'network', 'ls'] },
  ]);
}

export function afterObservations(plan: Plan): Observation[] {
  return plan.hosts.flatMap((h) => {
    const out: Observation[] = [];
    const host = h.host;
    for (const nic of unique(nicNames(h.steps))) {
      out.push({ kind: 'host', host, title: `${nic} now`, argv: ['ip', 'addr', 'show', nic] });
    }
    out.push({ kind: 'host', host, title: 'the networks now', argv: ['docker', 'network', 'ls'] });
    const networks = h.steps.flatMap((s) => (s.kind === 'network' ? [s] : []));
    for (const n of networks) {
      out.push({
        kind: 'host',
        host,
        title: `network ${n.name}`,
        argv: ['docker', 'network', 'inspect', n.name],
      });
    }
    const containers = h.steps.flatMap((s) => (s.kind === 'container' ? [s] : []));
    const onDefault = containers.some((c) => c.networks.some((n) => n.network === DEFAULT_BRIDGE));
    const bridges = networks.filter((n) => n.driver === 'bridge');
    if (bridges.length > 0 || onDefault) {
      out.push({ kind: 'host', host, title: 'the bridges and their ports', argv: BRIDGE_LIST });
      for (const n of bridges) {
        out.push({
          kind: 'bridge',
          host,
          title: `the bridge of ${n.name} and its gateway address`,
          network: n.name,
        });
      }
      out.push({
        kind: 'host',
        host,
        title: 'the NAT table',
        argv: ['iptables', '-t', 'nat', '-nL'],
        become: true,
      });
    }
    if (containers.some((c) => (c.publish ?? []).length > 0)) {
      out.push({
        kind: 'host',
        host,
        title: 'listening ports',
        argv: ['ss', '-ltnp'],
        become: true,
      });
    }
    if (h.steps.some((s) => s.kind === 'swarm' && s.role === 'manager')) {
      out.push({ kind: 'host', host, title: 'the swarm', argv: ['docker', 'node', 'ls'] });
    }
    for (const c of containers) {
      out.push({
        kind: 'container',
        host,
        title: `${c.name}'s interfaces`,
        container: c.name,
        argv: ['ip', 'a'],
      });
    }
    return out;
  });
}

/** The seed's own way to show a check: two pings from the source container, output and all. */
export function checkObservations(checks: readonly CheckResult[]): Observation[] {
  return checks
    .filter((c) => c.address !== '')
    .map((c) => ({
      kind: 'container',
      host: c.check.from.host,
      title: `${c.check.id}: ${c.check.from.container} → ${c.check.to.label}`,
      container: c.check.from.container,
      argv: ['ping', '-c', '2', '-W', '1', c.address],
    }));
}
