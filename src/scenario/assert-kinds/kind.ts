/**
 * The definition of an assertion kind (docs/architecture.md, "a new assertion kind"), all in one
 * module: the YAML keys that name it, the keys that go with it, the ones it needs, the zod shape of
 * its own keys (schema), how its source becomes a resolved claim (resolve), and how a resolved claim
 * becomes one planned check per host (plan). How it is shown and checked on the hosts is its check
 * half (assert/kinds/), one layer up: it needs the host sessions. The keys several kinds share (host,
 * container, from, has, reason, seed) are in common.ts.
 *
 * A kind reaches the scenario and the plan only through the tools it is handed (ResolveTools,
 * PlanTools), so that it imports nothing of the loader, the resolver or the compiler that list it.
 */
import type { z } from 'zod';
import type { Labels } from '../../docker/docker-client.js';
import type { NetworkSpec } from '../network-spec.js';
import type { YamlPath } from '../positions.js';
import type { SchemaHelpers } from '../schema-helpers.js';
import type { commonShape } from './common.js';
import type { SeedClaim, StaticAddress } from './refs.js';

type Outputs<S> = { [K in keyof S]?: S[K] extends z.ZodType ? z.output<S[K]> : never };
/**
 * An assertion as written (schema-checked, variables substituted), as a kind's resolve sees it: its
 * own keys and the common ones, every one optional but `reason`.
 */
export type SourceOf<Shape> = Outputs<Shape> &
  Outputs<ReturnType<typeof commonShape>> & { reason: string };

/** A container of the scenario, as far as an assertion needs it. */
export interface KnownContainer {
  name: string;
  host: string;
  networks: readonly { network: string }[];
}

/** What resolution offers a kind: names checked against the scenario, errors at a YAML path. */
export interface ResolveTools {
  /** Where the assertion is written (['assert', 3]). */
  path: YamlPath;
  /** The scenario's hosts. */
  hosts: string[];
  /** The hosts the assertion names (`host:`), else `fallback`. */
  hostsOr(fallback: string[]): string[];
  /** An error at `path`, prefixed with the path like the schema's. */
  fail(path: YamlPath, text: string, hint?: string): Error;
  /** The scenario's network of that name; undefined for Docker's default bridge; else an error. */
  network(name: string, path: YamlPath): NetworkSpec | undefined;
  /** The scenario's container of that name, else an error. */
  container(name: string, path: YamlPath): KnownContainer;
  isOwnContainer(name: string): boolean;
  isOwnNetwork(name: string): boolean;
  /** An `ip:` on a network: an address when the subnet is known, else a host number for later. */
  staticAddress(
    net: NetworkSpec | undefined,
    name: string,
    ip: number | string,
    path: YamlPath,
  ): StaticAddress;
  /** Host number `n` of `subnet`, checked to lie in it. */
  toAddress(n: number, subnet: string, path: YamlPath): string;
  /** The image an operation runs when it names none: the variable `image`, checked. */
  defaultImage(path: YamlPath): string;
  /** A network written like one of `networks:` (its hosts dropped). */
  resolveNetwork(source: object, path: YamlPath): Omit<NetworkSpec, 'hosts'>;
}

/** What planning offers a kind. */
export interface PlanTools {
  /** The steps of a host (an assertion waits for every step of the hosts it looks at). */
  stepsOf(host: string): string[];
  /** The host of a container of the scenario. */
  hostOf(container: string): string | undefined;
  /** A host's inventory address. */
  addressOf(host: string): string;
  /** The labels of what lab makes on `host`, with lab.kind = `kind`. */
  labels(host: string, kind: string): Labels;
}

/** What every planned assertion has, whatever its kind. */
export interface PlannedBase {
  /** "assert-3", or "assert-3@server2" when one assertion is checked on several hosts. */
  id: string;
  /** Where it is checked (for http: the host asked; for resolves: the source container's host). */
  host: string;
  /** Steps that must be done first (any host's). */
  dependsOn: string[];
  reason: string;
  /** The seed's claim it checks (scenario `seed:`). */
  seed?: SeedClaim;
  line?: number;
}

/** What every resolved assertion has, whatever its kind. */
export interface AssertionCommon {
  reason: string;
  seed?: SeedClaim;
  /** Where it was written, for messages. */
  line?: number;
}

export interface AssertionKindDef<
  Key extends string,
  Shape extends Record<string, z.ZodType>,
  Resolved extends { kind: string },
  Planned extends { kind: Resolved['kind'] },
> {
  /** The kind of its resolved and planned claims (resolves and not_resolves share one). */
  kind: Resolved['kind'];
  /** The YAML keys that name this kind. */
  keys: readonly Key[];
  /** The keys that may go with it besides its own and `reason`. */
  companions: readonly string[];
  /** Of those, the ones it must have. */
  required?: readonly string[];
  /** The facts its `has:` may name, and what they are facts of ("a network"). */
  has?: { fields: readonly string[]; of: string };
  /** Its own keys (and the companions no other kind has), every one optional. */
  shape(h: SchemaHelpers): Shape;
  /** The assertion as written → the resolved claim (reason, seed and line are added for it). */
  resolve(a: SourceOf<Shape>, t: ResolveTools): Resolved;
  /** The hosts it is checked on, one planned check each. */
  checkedOn(a: Resolved, t: PlanTools): string[];
  /** One planned check on `base.host` (`base` first, so that its keys come first). */
  plan(a: Resolved, base: PlannedBase, t: PlanTools): PlannedBase & Planned;
}

/** Keeps the shape's and the claims' types for the schema's and the models' inference. */
export const defineKind = <
  const Key extends string,
  Shape extends Record<string, z.ZodType>,
  Resolved extends { kind: string },
  Planned extends { kind: Resolved['kind'] },
>(
  k: AssertionKindDef<Key, Shape, Resolved, Planned>,
): AssertionKindDef<Key, Shape, Resolved, Planned> => k;

/** Any kind's definition, as the registry and the machinery around it hold them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- variance: each kind's own types
export type AnyKindDef = AssertionKindDef<string, any, { kind: string }, { kind: string }>;

/** The resolved claims of a kind (or of a union of kinds). */
export type ResolvedOf<K extends AnyKindDef> = ReturnType<K['resolve']>;

/** The planned checks of a kind (or of a union of kinds). */
export type PlannedOfKind<K extends AnyKindDef> = ReturnType<K['plan']>;
