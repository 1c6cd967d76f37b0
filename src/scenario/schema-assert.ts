/**
 * The schema of `assert:` (claims beyond ping: an operation Docker must refuse, facts read from a
 * host, an HTTP answer, name resolution) and of `swarm:`. See docs/scenario-format.md.
 *
 * An assertion is one mapping with exactly one *kind* key (fails, network, interface, iptables,
 * listening, http, resolves, not_resolves) and the keys that go with it. It is one strict object with
 * the cross-key rules checked afterwards, rather than a union of shapes: a mistake then gets one
 * precise message ("rule goes with iptables only") instead of every shape's complaint.
 */
import { z } from 'zod';
import * as f from './formats.js';
import { DRIVERS, type SchemaHelpers } from './schema-helpers.js';

export const ASSERTION_KINDS = [
  'fails',
  'network',
  'interface',
  'iptables',
  'listening',
  'http',
  'resolves',
  'not_resolves',
] as const;
export type AssertionKindKey = (typeof ASSERTION_KINDS)[number];

/** The keys each kind may have besides its own and `reason`. */
const COMPANIONS: Record<AssertionKindKey, readonly string[]> = {
  fails: ['host', 'message'],
  network: ['host', 'has'],
  interface: ['host', 'container', 'has'],
  iptables: ['host', 'rule'],
  listening: ['host', 'process'],
  http: ['host', 'status', 'body'],
  resolves: ['from', 'ping'],
  not_resolves: ['from'],
};
const REQUIRED: Partial<Record<AssertionKindKey, readonly string[]>> = {
  fails: ['message'],
  iptables: ['rule'],
  resolves: ['from'],
  not_resolves: ['from'],
  network: ['has'],
  interface: ['has'],
};
/** `has:` fields per kind. */
const HAS_FIELDS: Partial<Record<AssertionKindKey, readonly string[]>> = {
  network: ['driver', 'subnet', 'gateway', 'parent', 'scope', 'attachable'],
  interface: ['address', 'up', 'promisc'],
};

export function swarmSchema(h: SchemaHelpers) {
  return z
    .strictObject({
      manager: h.str(f.hostSelector).optional(),
      address_pool: h.str(f.cidr4).optional(),
      pool_size: z
        .number()
        .int()
        .min(16)
        .max(28)
        .describe('a prefix length from 16 to 28')
        .optional(),
    })
    .describe('a mapping {manager: HOST, address_pool: CIDR, pool_size: 24}');
}

export function assertionSchema(h: SchemaHelpers) {
  const { str, address, attachment, bool, port } = h;
  const net = () => str(f.dockerName);

  const run = z.strictObject({
    name: net(),
    image: str(f.imageRef).optional(),
    networks: z.array(attachment).min(1).describe('a list of networks'),
    command: z.array(str(f.text)).min(1).describe('a list of arguments').optional(),
    publish: z.array(str(f.publishSpec)).describe('a list of port mappings').optional(),
  });
  const createNetwork = z.strictObject({
    name: net(),
    driver: z.enum(DRIVERS),
    subnet: str(f.cidr4).optional(),
    gateway: address.optional(),
    parent: str(f.interfaceName).optional(),
    options: h.keyedRecord(f.optionName, str(f.text), 'a mapping of driver options').optional(),
    attachable: bool().optional(),
    internal: bool().optional(),
  });
  const connect = z.strictObject({ network: net(), container: net(), ip: address.optional() });
  const fails = z
    .strictObject({
      run: run.optional(),
      create_network: createNetwork.optional(),
      connect: connect.optional(),
    })
    .superRefine((v, ctx) => {
      const given = Object.keys(v).filter((k) => v[k as keyof typeof v] !== undefined);
      if (given.length !== 1) {
        const message = `give exactly one operation: run, create_network or connect${given.length > 1 ? ` (got ${given.join(', ')})` : ''}`;
        ctx.addIssue({ code: 'custom', message });
      }
    })
    .describe('a mapping with one of run, create_network, connect');

  const interfaceAddress = z
    .union([
      str(f.ipv4WithOptionalPrefix),
      z.strictObject({ gateway_of: net() }),
      z.strictObject({ in: net() }),
    ])
    .describe('an address like 172.20.0.1/24, or {gateway_of: NET}, or {in: NET}');

  const has = z
    .strictObject({
      driver: z.enum(DRIVERS).optional(),
      subnet: str(f.cidr4).optional(),
      gateway: address.optional(),
      parent: str(f.interfaceName).optional(),
      scope: z.enum(['local', 'swarm']).optional(),
      attachable: bool().optional(),
      address: interfaceAddress.optional(),
      up: bool().optional(),
      promisc: bool().optional(),
    })
    .describe('a mapping of the facts that must hold');

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

  return z
    .strictObject({
      fails: fails.optional(),
      network: net().optional(),
      interface: z
        .union([str(f.interfaceName), z.strictObject({ bridge_of: net() })])
        .describe('an interface name like eth0.1, or {bridge_of: NET}')
        .optional(),
      iptables: z
        .strictObject({
          table: z.enum(['filter', 'nat', 'mangle', 'raw']),
          chain: str(f.chainName).optional(),
        })
        .describe('a mapping {table: nat, chain: POSTROUTING}')
        .optional(),
      listening: z
        .strictObject({ port: port(), protocol: z.enum(['tcp', 'udp']).optional() })
        .describe('a mapping {port: 80, protocol: tcp}')
        .optional(),
      http: z
        .strictObject({ port: port(), path: str(f.httpPath).optional() })
        .describe('a mapping {port: 80, path: /}')
        .optional(),
      resolves: net().optional(),
      not_resolves: net().optional(),
      host: h.selectorsOf(true).optional(),
      container: net().optional(),
      from: net().optional(),
      has: has.optional(),
      rule: rule.optional(),
      process: str(f.processName).optional(),
      status: z.number().int().min(100).max(599).describe('an HTTP status like 200').optional(),
      body: str(f.pattern).optional(),
      message: str(f.pattern).optional(),
      ping: bool().optional(),
      reason: str(f.reasonText),
    })
    .superRefine((a, ctx) => {
      const present = (k: string) => (a as Record<string, unknown>)[k] !== undefined;
      const kinds = ASSERTION_KINDS.filter(present);
      const [kind] = kinds;
      if (kind === undefined || kinds.length > 1) {
        const message = `give exactly one of ${ASSERTION_KINDS.join(', ')}${kinds.length > 1 ? ` (got ${kinds.join(' and ')})` : ''}`;
        ctx.addIssue({ code: 'custom', message });
        return;
      }
      const allowed = new Set<string>([kind, 'reason', ...COMPANIONS[kind]]);
      for (const key of Object.keys(a)) {
        if (!present(key) || allowed.has(key)) continue;
        const message = `${key} does not go with ${kind} (with ${kind}: ${[...allowed].join(', ')})`;
        ctx.addIssue({ code: 'custom', message, path: [key], params: { at: 'key' } });
      }
      for (const key of REQUIRED[kind] ?? []) {
        if (!present(key)) ctx.addIssue({ code: 'custom', message: `${kind} needs ${key}:` });
      }
      const fields = HAS_FIELDS[kind];
      if (fields && a.has) {
        for (const key of Object.keys(a.has)) {
          if (fields.includes(key)) continue;
          const message = `${key} is not a fact of ${kind === 'network' ? 'a network' : 'an interface'} (facts: ${fields.join(', ')})`;
          ctx.addIssue({ code: 'custom', message, path: ['has', key], params: { at: 'key' } });
        }
        if (Object.keys(a.has).length === 0) {
          ctx.addIssue({ code: 'custom', message: 'has: names no fact', path: ['has'] });
        }
      }
    });
}
