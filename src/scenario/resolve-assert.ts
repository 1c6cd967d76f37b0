/**
 * `assert:` → AssertionSpec: each kind resolves its own claim (assert-kinds/, one module each) with
 * the tools made here: hosts resolved (each kind has a sensible default), names checked against the
 * scenario's networks and containers (Docker's default bridge counts as a network), addresses
 * computed where the subnet is known before the run.
 */
import { normalize, parseSubnet } from '../common/subnet.js';
import { HOST_NUMBER } from './formats.js';
import { DEFAULT_BRIDGE } from '../docker/bridge.js';
import { KIND_DEFS } from './assert-kinds/index.js';
import type { AnyKindDef, ResolveTools } from './assert-kinds/kind.js';
import type { AssertionSpec, StaticAddress } from './model-assert.js';
import type { ContainerSpec, NetworkSpec } from './model.js';
import { seedClaim } from './resolve-expect.js';
import type { YamlPath } from './positions.js';
import { fail, type ResolveContext } from './resolve-context.js';
import { resolveSelectors } from './resolve-hosts.js';
import { resolveNetwork, toAddress } from './resolve-network.js';
import { checkString, type SourceAssertion, type SourceNetwork } from './schema.js';
import * as f from './formats.js';
import { didYouMean, listOrNone } from './suggest.js';

interface Known {
  hosts: string[];
  containers: ContainerSpec[];
  networks: NetworkSpec[];
}

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

function defaultImage(ctx: ResolveContext, at: YamlPath): string {
  const image = ctx.vars.get('image');
  const problem =
    image === undefined ? 'it is not defined' : checkString(image, f.imageRef, 'final');
  if (image === undefined || problem) {
    throw fail(ctx, at, `no image: give one, or define the variable image (${problem ?? ''})`);
  }
  return image;
}

/** The tools a kind resolves with, for the assertion at `path`. */
function resolveTools(
  ctx: ResolveContext,
  known: Known,
  a: SourceAssertion,
  path: YamlPath,
): ResolveTools {
  return {
    path,
    hosts: known.hosts,
    hostsOr: (fallback) =>
      a.host === undefined
        ? fallback
        : resolveSelectors(ctx, a.host, [...path, 'host'], known.hosts),
    fail: (at, text, hint) => fail(ctx, at, text, hint),
    network: (name, at) => network(ctx, known, name, at),
    container: (name, at) => container(ctx, known, name, at),
    isOwnContainer: (name) => known.containers.some((c) => c.name === name),
    isOwnNetwork: (name) => known.networks.some((n) => n.name === name),
    staticAddress: (net, name, ip, at) => staticAddress(ctx, net, name, ip, at),
    toAddress: (n, subnet, at) => toAddress(ctx, n, parseSubnet(subnet), at),
    defaultImage: (at) => defaultImage(ctx, at),
    resolveNetwork(source, at) {
      // The schema gave `fails: create_network:` the keys of a `networks:` entry (without hosts).
      const { hosts: _hosts, ...spec } = resolveNetwork(
        ctx,
        source as SourceNetwork,
        0,
        known.hosts,
        at,
      );
      return spec;
    },
  };
}

/** The kind of an assertion as written: the one whose key it has (the schema made sure of one). */
function kindOf(defs: readonly AnyKindDef[], a: SourceAssertion): AnyKindDef | undefined {
  const given = a as Record<string, unknown>;
  return defs.find((d) => d.keys.some((k) => given[k] !== undefined));
}

export function resolveAssertion(
  ctx: ResolveContext,
  known: Known,
  a: SourceAssertion,
  index: number,
  defs: readonly AnyKindDef[] = KIND_DEFS,
): AssertionSpec {
  const path: YamlPath = ['assert', index];
  const line = ctx.doc.locator.locate(path).line;
  const common = { reason: a.reason.trim(), ...(a.seed && { seed: seedClaim(a.seed) }), line };
  const def = kindOf(defs, a);
  if (!def) throw fail(ctx, path, `give exactly one of ${defs.flatMap((d) => d.keys).join(', ')}`);
  const resolved = def.resolve(a, resolveTools(ctx, known, a, path)) as AssertionSpec;
  return { ...resolved, ...common };
}
