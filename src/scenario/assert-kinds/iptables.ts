/** `iptables:` a rule in a table (and chain) of the host's iptables. */
import { z } from 'zod';
import * as f from '../formats.js';
import type { YamlPath } from '../positions.js';
import { listOrNone } from '../suggest.js';
import { defineKind, type ResolveTools, type SourceOf } from './kind.js';
import type { RuleSpec, SubnetRef } from './refs.js';

interface Iptables {
  kind: 'iptables';
  hosts: string[];
  table: string;
  chain?: string;
  rule: RuleSpec;
}

export const iptables = defineKind({
  kind: 'iptables',
  keys: ['iptables'],
  companions: ['host', 'rule'],
  required: ['rule'],
  shape(h) {
    const { str, port } = h;
    const net = () => str(f.dockerName);
    const subnetRef = z
      .union([str(f.cidrOrIPv4), z.strictObject({ subnet_of: net() })])
      .describe('a subnet like 172.20.0.0/24, or {subnet_of: NET}');
    const rule = z
      .strictObject({
        target: str(f.chainName),
        source: subnetRef.optional(),
        destination: subnetRef.optional(),
        protocol: z.enum(['tcp', 'udp', 'icmp']).optional(),
        dport: port().optional(),
        to: z
          .strictObject({ container: net(), network: net().optional(), port: port() })
          .describe('{container: NAME, network: NET, port: 80}')
          .optional(),
      })
      .describe('a mapping {target: MASQUERADE, source: …} describing the rule');
    return {
      iptables: z
        .strictObject({
          table: z.enum(['filter', 'nat', 'mangle', 'raw']),
          chain: str(f.chainName).optional(),
        })
        .describe('a mapping {table: nat, chain: POSTROUTING}')
        .optional(),
      rule: rule.optional(),
    };
  },
  resolve(a, t): Iptables {
    const tb = a.iptables ?? { table: 'filter' as const };
    return {
      kind: 'iptables',
      hosts: t.hostsOr(t.hosts),
      table: tb.table,
      ...(tb.chain !== undefined && { chain: tb.chain }),
      rule: rule(t, a.rule ?? { target: '' }, [...t.path, 'rule']),
    };
  },
  checkedOn: (a) => a.hosts,
  plan: (a, base): typeof base & Omit<Iptables, 'hosts'> => ({
    ...base,
    kind: 'iptables',
    table: a.table,
    ...(a.chain !== undefined && { chain: a.chain }),
    rule: a.rule,
  }),
});

type SourceRule = NonNullable<SourceOf<ReturnType<typeof iptables.shape>>['rule']>;

function subnetRef(t: ResolveTools, v: string | { subnet_of: string }, path: YamlPath): SubnetRef {
  if (typeof v === 'string') return { kind: 'literal', cidr: v };
  t.network(v.subnet_of, [...path, 'subnet_of']);
  return { kind: 'subnet_of', network: v.subnet_of };
}

function rule(t: ResolveTools, r: SourceRule, path: YamlPath): RuleSpec {
  const spec: RuleSpec = { target: r.target };
  if (r.source !== undefined) spec.source = subnetRef(t, r.source, [...path, 'source']);
  if (r.destination !== undefined)
    spec.destination = subnetRef(t, r.destination, [...path, 'destination']);
  if (r.protocol !== undefined) spec.protocol = r.protocol;
  if (r.dport !== undefined) spec.dport = r.dport;
  if (r.to !== undefined) {
    const c = t.container(r.to.container, [...path, 'to', 'container']);
    const on = c.networks.map((n) => n.network);
    const net = r.to.network ?? on[0] ?? '';
    if (!on.includes(net)) {
      throw t.fail(
        [...path, 'to', 'network'],
        `container ${c.name} is not on network ${net}`,
        `${c.name} is on: ${listOrNone(on)}`,
      );
    }
    spec.to = { container: c.name, network: net, port: r.to.port };
  }
  return spec;
}
