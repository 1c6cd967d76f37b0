/**
 * `assert:` → AssertionSpec: hosts resolved (each kind has a sensible default), names checked against
 * the scenario's networks and containers (Docker's default bridge counts as a network), addresses
 * computed where the subnet is known before the run.
 */
import { normalize, parseSubnet } from '../common/subnet.js';
import { HOST_NUMBER } from './formats.js';
import { DEFAULT_BRIDGE } from '../docker/bridge.js';
import {
  type AddressRef,
  type AssertionSpec,
  type FailingOp,
  type NetworkFacts,
  type RuleSpec,
  type StaticAddress,
  type SubnetRef,
} from './model-assert.js';
import type { ContainerSpec, NetworkSpec, SeedClaim } from './model.js';
import { seedClaim } from './resolve-expect.js';
import type { YamlPath } from './positions.js';
import { fail, type ResolveContext } from './resolve-context.js';
import { resolveSelectors } from './resolve-hosts.js';
import { resolveNetwork, toAddress } from './resolve-network.js';
import { checkString, type SourceAssertion } from './schema.js';
import type { AssertionKindKey } from './schema-assert.js';
import * as f from './formats.js';
import { didYouMean, listOrNone } from './suggest.js';

interface Known {
  hosts: string[];
  containers: ContainerSpec[];
  networks: NetworkSpec[];
}

type Source = SourceAssertion;

function network(
  ctx: ResolveContext,
  known: Known,
  name: string,
  path: YamlPath,
): NetworkSpec | undefined {
  if (name === DEFAULT_BRIDGE) return undefined;
  const n = known.networks.find((x) => x.name === name);
  if (n) return n;
  const names = [...known.networks.map((x) => x.name), DEFAULT_BRIDGE];
  throw fail(
    ctx,
    path,
    `unknown network "${name}"${didYouMean(name, names)}`,
    `networks here: ${listOrNone(names)} (${DEFAULT_BRIDGE} is Docker's default bridge)`,
  );
}

function container(ctx: ResolveContext, known: Known, name: string, path: YamlPath): ContainerSpec {
  const c = known.containers.find((x) => x.name === name);
  if (c) return c;
  const names = known.containers.map((x) => x.name);
  throw fail(
    ctx,
    path,
    `unknown container "${name}"${didYouMean(name, names)}`,
    `containers of this scenario: ${listOrNone(names)}`,
  );
}

/** An `ip:` on a network: an address now when the subnet is known, else a host number for later. */
function staticAddress(
  ctx: ResolveContext,
  net: NetworkSpec | undefined,
  name: string,
  ip: number | string,
  path: YamlPath,
): StaticAddress {
  const n = typeof ip === 'number' ? ip : HOST_NUMBER.test(ip) ? Number(ip) : undefined;
  if (n === undefined) return { ipv4: normalize(String(ip)) };
  if (net?.subnet !== undefined) return { ipv4: toAddress(ctx, n, parseSubnet(net.subnet), path) };
  // The default bridge's subnet (and a user network's that Docker chose) is read at run time.
  if (net === undefined) return { hostNumber: n };
  throw fail(
    ctx,
    path,
    `host number ${n} needs a subnet, and network ${name} has none`,
    'write an address, or give the network a subnet',
  );
}

function failingOp(ctx: ResolveContext, known: Known, a: Source, path: YamlPath): FailingOp {
  const op = a.fails ?? {};
  if (op.run) {
    const at = [...path, 'run'];
    const r = op.run;
    if (known.containers.some((c) => c.name === r.name)) {
      throw fail(
        ctx,
        [...at, 'name'],
        `container ${r.name} is one of the scenario's own; the operation that must fail needs a name of its own`,
      );
    }
    let image = r.image;
    if (image === undefined) {
      image = ctx.vars.get('image');
      const problem =
        image === undefined ? 'it is not defined' : checkString(image, f.imageRef, 'final');
      if (image === undefined || problem) {
        throw fail(ctx, at, `no image: give one, or define the variable image (${problem ?? ''})`);
      }
    }
    const networks = r.networks.map((n, j) => {
      const { network: name, ip } = typeof n === 'string' ? { network: n, ip: undefined } : n;
      const where =
        typeof n === 'string' ? [...at, 'networks', j] : [...at, 'networks', j, 'network'];
      const net = network(ctx, known, name, where);
      if (ip === undefined) return { network: name };
      return { network: name, ...staticAddress(ctx, net, name, ip, [...at, 'networks', j, 'ip']) };
    });
    return {
      op: 'run',
      name: r.name,
      image,
      networks,
      ...(r.command !== undefined && { command: [...r.command] }),
      ...(r.publish !== undefined && { publish: [...r.publish] }),
    };
  }
  if (op.create_network) {
    const at = [...path, 'create_network'];
    const n = op.create_network;
    if (known.networks.some((x) => x.name === n.name)) {
      throw fail(
        ctx,
        [...at, 'name'],
        `network ${n.name} is one of the scenario's own; the network that must be refused needs a name of its own`,
      );
    }
    const { hosts: _hosts, ...spec } = resolveNetwork(ctx, n, 0, known.hosts, at);
    if (spec.driver === 'macvlan' && spec.parent === undefined) {
      throw fail(ctx, [...at, 'driver'], 'a macvlan network needs a parent interface');
    }
    return { op: 'create_network', network: spec };
  }
  const c = op.connect;
  if (!c) throw fail(ctx, [...path], 'give exactly one operation: run, create_network or connect');
  const at = [...path, 'connect'];
  container(ctx, known, c.container, [...at, 'container']);
  const net = network(ctx, known, c.network, [...at, 'network']);
  return {
    op: 'connect',
    network: c.network,
    container: c.container,
    ...(c.ip !== undefined && {
      address: staticAddress(ctx, net, c.network, c.ip, [...at, 'ip']),
    }),
  };
}

function addressRef(
  ctx: ResolveContext,
  known: Known,
  v: NonNullable<NonNullable<Source['has']>['address']>,
  path: YamlPath,
): AddressRef {
  if (typeof v === 'string') {
    const [address = '', prefix] = v.split('/');
    return {
      kind: 'literal',
      address,
      ...(prefix !== undefined && { prefixLength: Number(prefix) }),
    };
  }
  if ('gateway_of' in v) {
    network(ctx, known, v.gateway_of, [...path, 'gateway_of']);
    return { kind: 'gateway_of', network: v.gateway_of };
  }
  network(ctx, known, v.in, [...path, 'in']);
  return { kind: 'in', network: v.in };
}

function subnetRef(
  ctx: ResolveContext,
  known: Known,
  v: string | { subnet_of: string },
  path: YamlPath,
): SubnetRef {
  if (typeof v === 'string') return { kind: 'literal', cidr: v };
  network(ctx, known, v.subnet_of, [...path, 'subnet_of']);
  return { kind: 'subnet_of', network: v.subnet_of };
}

function networkFacts(
  ctx: ResolveContext,
  net: NetworkSpec | undefined,
  has: NonNullable<Source['has']>,
  path: YamlPath,
): NetworkFacts {
  const facts: NetworkFacts = {};
  if (has.driver !== undefined) facts.driver = has.driver;
  if (has.subnet !== undefined) facts.subnet = has.subnet;
  if (has.parent !== undefined) facts.parent = has.parent;
  if (has.scope !== undefined) facts.scope = has.scope;
  if (has.attachable !== undefined) facts.attachable = has.attachable;
  if (has.gateway !== undefined) {
    // A host number counts in the subnet the assertion names, else in the network's own, else in
    // the one Docker reports at run time.
    const subnet = has.subnet ?? net?.subnet;
    const g = has.gateway;
    const n = typeof g === 'number' ? g : HOST_NUMBER.test(g) ? Number(g) : undefined;
    facts.gateway =
      n === undefined
        ? { ipv4: normalize(String(g)) }
        : subnet !== undefined
          ? { ipv4: toAddress(ctx, n, parseSubnet(subnet), [...path, 'gateway']) }
          : { hostNumber: n };
  }
  return facts;
}

function rule(
  ctx: ResolveContext,
  known: Known,
  r: NonNullable<Source['rule']>,
  path: YamlPath,
): RuleSpec {
  const spec: RuleSpec = { target: r.target };
  if (r.source !== undefined) spec.source = subnetRef(ctx, known, r.source, [...path, 'source']);
  if (r.destination !== undefined)
    spec.destination = subnetRef(ctx, known, r.destination, [...path, 'destination']);
  if (r.protocol !== undefined) spec.protocol = r.protocol;
  if (r.dport !== undefined) spec.dport = r.dport;
  if (r.to !== undefined) {
    const c = container(ctx, known, r.to.container, [...path, 'to', 'container']);
    const on = c.networks.map((n) => n.network);
    const net = r.to.network ?? on[0] ?? '';
    if (!on.includes(net)) {
      throw fail(
        ctx,
        [...path, 'to', 'network'],
        `container ${c.name} is not on network ${net}`,
        `${c.name} is on: ${listOrNone(on)}`,
      );
    }
    spec.to = { container: c.name, network: net, port: r.to.port };
  }
  return spec;
}

type Common = { reason: string; seed?: SeedClaim; line: number };

/** What every kind's resolution gets: the source, where it is, and its hosts (given or a default). */
interface KindInput {
  ctx: ResolveContext;
  known: Known;
  a: Source;
  path: YamlPath;
  common: Common;
  hostsOr: (fallback: string[]) => string[];
}

function resolveFails({ ctx, known, a, path, common, hostsOr }: KindInput): AssertionSpec {
  const op = failingOp(ctx, known, a, [...path, 'fails']);
  const hosts =
    op.op === 'connect'
      ? [container(ctx, known, op.container, [...path, 'fails']).host]
      : hostsOr(known.hosts);
  return { kind: 'fails', hosts, op, message: a.message ?? '', ...common };
}

function resolveNetworkFacts({ ctx, known, a, path, common, hostsOr }: KindInput): AssertionSpec {
  const name = a.network ?? '';
  const net = network(ctx, known, name, [...path, 'network']);
  return {
    kind: 'network',
    hosts: hostsOr(net?.hosts ?? known.hosts),
    network: name,
    has: networkFacts(ctx, net, a.has ?? {}, [...path, 'has']),
    ...common,
  };
}

function resolveInterface({ ctx, known, a, path, common, hostsOr }: KindInput): AssertionSpec {
  const has = a.has ?? {};
  const given = a.interface ?? '';
  const iface: { name: string } | { bridgeOf: string } =
    typeof given === 'string' ? { name: given } : { bridgeOf: given.bridge_of };
  let fallback = known.hosts;
  if ('bridgeOf' in iface) {
    const net = network(ctx, known, iface.bridgeOf, [...path, 'interface', 'bridge_of']);
    if (net && net.driver !== 'bridge') {
      throw fail(
        ctx,
        [...path, 'interface', 'bridge_of'],
        `network ${net.name} is a ${net.driver} network; only bridge networks have a bridge interface`,
      );
    }
    fallback = net?.hosts ?? known.hosts;
  }
  if (a.container !== undefined) {
    const c = container(ctx, known, a.container, [...path, 'container']);
    if ('bridgeOf' in iface)
      throw fail(
        ctx,
        [...path, 'interface'],
        'a container has no bridge interface; name the interface (eth0, eth1)',
      );
    fallback = [c.host];
  }
  return {
    kind: 'interface',
    hosts: a.container !== undefined ? fallback : hostsOr(fallback),
    ...(a.container !== undefined && { container: a.container }),
    interface: iface,
    has: {
      ...(has.address !== undefined && {
        address: addressRef(ctx, known, has.address, [...path, 'has', 'address']),
      }),
      ...(has.up !== undefined && { up: has.up }),
      ...(has.promisc !== undefined && { promisc: has.promisc }),
    },
    ...common,
  };
}

function resolveIptables({ ctx, known, a, path, common, hostsOr }: KindInput): AssertionSpec {
  const t = a.iptables ?? { table: 'filter' as const };
  return {
    kind: 'iptables',
    hosts: hostsOr(known.hosts),
    table: t.table,
    ...(t.chain !== undefined && { chain: t.chain }),
    rule: rule(ctx, known, a.rule ?? { target: '' }, [...path, 'rule']),
    ...common,
  };
}

function resolveListening({ known, a, common, hostsOr }: KindInput): AssertionSpec {
  const l = a.listening ?? { port: 0 };
  return {
    kind: 'listening',
    hosts: hostsOr(known.hosts),
    port: l.port,
    protocol: l.protocol ?? 'tcp',
    ...(a.process !== undefined && { process: a.process }),
    ...common,
  };
}

function resolveHttp({ known, a, common, hostsOr }: KindInput): AssertionSpec {
  const r = a.http ?? { port: 0 };
  return {
    kind: 'http',
    hosts: hostsOr(known.hosts),
    port: r.port,
    path: r.path ?? '/',
    status: a.status ?? 200,
    ...(a.body !== undefined && { body: a.body }),
    ...common,
  };
}

function resolveResolves({ ctx, known, a, path, common }: KindInput): AssertionSpec {
  const name = a.resolves ?? a.not_resolves ?? '';
  const from = container(ctx, known, a.from ?? '', [...path, 'from']);
  if (name === from.name) {
    throw fail(
      ctx,
      [...path, a.resolves !== undefined ? 'resolves' : 'not_resolves'],
      `${from.name} looking up its own name proves nothing: every container knows its own hostname`,
    );
  }
  return {
    kind: 'resolves',
    from: from.name,
    name,
    resolve: a.resolves !== undefined,
    ping: a.ping === true,
    ...common,
  };
}

/** Each kind's resolution, by the YAML key that names it (the schema made sure there is one). */
const RESOLVERS: Record<AssertionKindKey, (input: KindInput) => AssertionSpec> = {
  fails: resolveFails,
  network: resolveNetworkFacts,
  interface: resolveInterface,
  iptables: resolveIptables,
  listening: resolveListening,
  http: resolveHttp,
  resolves: resolveResolves,
  not_resolves: resolveResolves,
};

export function resolveAssertion(
  ctx: ResolveContext,
  known: Known,
  a: Source,
  index: number,
): AssertionSpec {
  const path: YamlPath = ['assert', index];
  const line = ctx.doc.locator.locate(path).line;
  const common = { reason: a.reason.trim(), ...(a.seed && { seed: seedClaim(a.seed) }), line };
  const hostsOr = (fallback: string[]) =>
    a.host === undefined ? fallback : resolveSelectors(ctx, a.host, [...path, 'host'], known.hosts);
  const key = (Object.keys(RESOLVERS) as AssertionKindKey[]).find(
    (k) => (a as Record<string, unknown>)[k] !== undefined,
  );
  return RESOLVERS[key ?? 'resolves']({ ctx, known, a, path, common, hostsOr });
}
