/**
 * An assertion as `lab plan` shows it: the command a person would type to see the fact (run-time
 * values in <angle brackets>), and the claim in words.
 */
import type { AddressRef, StaticAddress, SubnetRef } from '../scenario/model-assert.js';
import { commentText, quoteCommand } from '../ssh/quote.js';
import { opCommand } from './expected-error.js';
import { httpUrl } from './http-fact.js';
import { describeClaim } from './iptables-rules.js';
import type { PlannedAssertion } from '../plan/assertion-model.js';
import { describeFacts } from './network-fact.js';

const subnet = (r: SubnetRef) => (r.kind === 'literal' ? r.cidr : `<subnet of ${r.network}>`);

const address = (r: AddressRef) =>
  r.kind === 'literal'
    ? `${r.address}${r.prefixLength !== undefined ? `/${r.prefixLength}` : ''}`
    : r.kind === 'gateway_of'
      ? `the gateway of ${r.network}`
      : `an address in ${r.network}`;

const staticAddress = (network: string, a: StaticAddress | undefined) =>
  a === undefined ? undefined : 'ipv4' in a ? a.ipv4 : `<host ${a.hostNumber} of ${network}>`;

export function assertionCommand(a: PlannedAssertion): string {
  switch (a.kind) {
    case 'fails': {
      const op = a.op;
      const addresses =
        op.op === 'run'
          ? op.networks.map((n) =>
              staticAddress(
                n.network,
                'ipv4' in n || 'hostNumber' in n ? (n as StaticAddress) : undefined,
              ),
            )
          : op.op === 'connect'
            ? [staticAddress(op.network, op.address)]
            : [];
      return opCommand(op, a.labels, addresses);
    }
    case 'network':
      return `docker network inspect ${a.network}`;
    case 'interface': {
      const name = 'name' in a.interface ? a.interface.name : `<bridge of ${a.interface.bridgeOf}>`;
      return `${a.container ? `docker exec ${a.container} ` : ''}ip addr show ${name}`;
    }
    case 'iptables':
      return quoteCommand(['iptables', '-t', a.table, '-S', ...(a.chain ? [a.chain] : [])]);
    case 'listening':
      return `ss ${a.protocol === 'udp' ? '-lunp' : '-ltnp'}`;
    case 'http':
      return `curl -s -i ${httpUrl(a)}    # from the machine running lab`;
    case 'resolves':
      return `docker exec ${a.container} nslookup ${a.name}${a.ping ? `; docker exec ${a.container} ping -c 1 -W 1 ${a.name}` : ''}`;
  }
}

export function assertionClaim(a: PlannedAssertion): string {
  switch (a.kind) {
    case 'fails':
      return `Docker refuses it, with a message matching /${a.message}/`;
    case 'network':
      return `network ${a.network} has ${describeFacts(a.has)}`;
    case 'interface': {
      const parts = [
        ...(a.has.up !== undefined ? [a.has.up ? 'is UP' : 'is DOWN'] : []),
        ...(a.has.promisc !== undefined
          ? [a.has.promisc ? 'is promiscuous' : 'is not promiscuous']
          : []),
        ...(a.has.address ? [`carries ${address(a.has.address)}`] : []),
      ];
      return parts.join(' and ') || 'exists';
    }
    case 'iptables': {
      const r = a.rule;
      const words = describeClaim({
        target: r.target,
        ...(r.source && { source: subnet(r.source) }),
        ...(r.destination && { destination: subnet(r.destination) }),
        ...(r.protocol && { protocol: r.protocol }),
        ...(r.dport !== undefined && { dport: r.dport }),
        ...(r.to && { toDestination: `<${r.to.container} on ${r.to.network}>:${r.to.port}` }),
      });
      return `a rule ${words}`;
    }
    case 'listening':
      return `something${a.process ? ` (${a.process})` : ''} listens on ${a.protocol} port ${a.port}`;
    case 'http':
      return `answers ${a.status}${a.body !== undefined ? ` with a body matching /${a.body}/` : ''}`;
    case 'resolves':
      return a.resolve
        ? `${a.name} resolves${a.ping ? ' and answers a ping by name' : ''}`
        : `${a.name} does not resolve`;
  }
}

/** The assertions section of `lab plan`: empty when there are none. */
export function renderAssertionPlan(assertions: readonly PlannedAssertion[] | undefined): string {
  if (!assertions || assertions.length === 0) return '';
  const byHost = new Map<string, PlannedAssertion[]>();
  for (const a of assertions) {
    const where = a.kind === 'http' ? 'this machine' : a.host;
    byHost.set(where, [...(byHost.get(where) ?? []), a]);
  }
  const lines = ['', '# assertions, once the steps they look at are done'];
  for (const [where, list] of byHost) {
    lines.push(`## on ${commentText(where)}`);
    for (const a of list) {
      const must = a.kind === 'fails' ? 'must FAIL' : 'must show';
      lines.push(
        `${assertionCommand(a)}    # ${must}: ${commentText(`${assertionClaim(a)} — ${a.reason}`)}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
