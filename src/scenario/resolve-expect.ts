/**
 * Expectations: the source container and the target, made concrete. A container target without a
 * network gets one here (a network it shares with the source, else its first), so the planner never
 * has to guess which of a container's addresses a probe aims at.
 */
import type {
  ContainerSpec,
  ExpectationSpec,
  NetworkSpec,
  PortSpec,
  SeedClaim,
  TargetSpec,
} from './model.js';
import { DEFAULT_BRIDGE } from '../docker/bridge.js';
import { normalize } from '../common/subnet.js';
import { isInventoryHost, selectHosts } from './hosts.js';
import type { YamlPath } from './positions.js';
import { fail, type ResolveContext } from './resolve-context.js';
import type { SourceExpectation, SourceTarget } from './schema.js';
import { didYouMean, listOrNone } from './suggest.js';

interface Known {
  containers: ContainerSpec[];
  networks: NetworkSpec[];
}

function findContainer(
  ctx: ResolveContext,
  known: Known,
  name: string,
  path: YamlPath,
): ContainerSpec {
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

function findNetwork(ctx: ResolveContext, known: Known, name: string, path: YamlPath): NetworkSpec {
  const n = known.networks.find((x) => x.name === name);
  if (n) return n;
  // Docker's default bridge is there without being declared; its subnet is Docker's business.
  if (name === DEFAULT_BRIDGE) return { name, driver: 'bridge', hosts: [], options: {} };
  const names = known.networks.map((x) => x.name);
  throw fail(
    ctx,
    path,
    `unknown network "${name}"${didYouMean(name, names)}`,
    `networks of this scenario: ${listOrNone(names)}`,
  );
}

/** The target's port, with TCP by default; none for a plain ping target. */
function portOf(t: SourceTarget): { port?: PortSpec } {
  if (typeof t === 'string' || !('port' in t) || t.port === undefined) return {};
  return { port: { port: t.port, protocol: t.protocol ?? 'tcp' } };
}

function resolveTarget(
  ctx: ResolveContext,
  known: Known,
  from: ContainerSpec,
  t: SourceTarget,
  path: YamlPath,
): TargetSpec {
  if (typeof t === 'string' || 'container' in t) {
    const { name, network, at } =
      typeof t === 'string'
        ? { name: t, network: undefined, at: path }
        : { name: t.container, network: t.network, at: [...path, 'container'] };
    const target = findContainer(ctx, known, name, at);
    const on = target.networks.map((n) => n.network);
    if (network !== undefined) {
      findNetwork(ctx, known, network, [...path, 'network']);
      if (!on.includes(network)) {
        throw fail(
          ctx,
          [...path, 'network'],
          `container ${name} is not on network ${network}`,
          `${name} is on: ${listOrNone(on)}`,
        );
      }
      return { kind: 'container', container: name, network, ...portOf(t) };
    }
    const shared = on.find((n) => from.networks.some((m) => m.network === n));
    return { kind: 'container', container: name, network: shared ?? on[0] ?? '', ...portOf(t) };
  }
  if ('gateway' in t) {
    const net = findNetwork(ctx, known, t.gateway, [...path, 'gateway']);
    if (net.gateway === undefined) {
      const hint = `give network ${net.name} a gateway: (an address or a host number, e.g. 1)`;
      throw fail(
        ctx,
        [...path, 'gateway'],
        `network ${net.name} has no gateway set, so its address is not known before the run`,
        hint,
      );
    }
    return { kind: 'gateway', network: net.name };
  }
  if ('host' in t) {
    const r = selectHosts(ctx.inventory, t.host);
    if ('error' in r) throw fail(ctx, [...path, 'host'], r.error, r.hint);
    if (!isInventoryHost(ctx.inventory, t.host)) {
      throw fail(
        ctx,
        [...path, 'host'],
        `"${t.host}" is a group; a target is one host`,
        `one of: ${listOrNone(r.hosts)}`,
      );
    }
    return { kind: 'host', host: t.host, ...portOf(t) };
  }
  return { kind: 'address', address: normalize(t.address), ...portOf(t) };
}

export function resolveExpectation(
  ctx: ResolveContext,
  known: Known,
  e: SourceExpectation,
  index: number,
): ExpectationSpec {
  const path = ['expect', index];
  const from = findContainer(ctx, known, e.from, [...path, 'from']);
  const reach = e.reach !== undefined;
  const key = reach ? 'reach' : 'not_reach';
  const raw = e.reach ?? e.not_reach;
  if (raw === undefined) throw fail(ctx, path, 'give exactly one of reach or not_reach');
  const to = resolveTarget(ctx, known, from, raw, [...path, key]);
  const line = ctx.doc.locator.locate(path).line;
  return {
    from: from.name,
    to,
    reach,
    reason: e.reason.trim(),
    ...(e.seed && { seed: seedClaim(e.seed) }),
    line,
  };
}

/** The seed's claim as written, its prose trimmed. */
export function seedClaim(s: NonNullable<SourceExpectation['seed']>): SeedClaim {
  return {
    section: s.section,
    says: s.says.trim(),
    ...(s.words !== undefined && { words: s.words.trim() }),
  };
}
