/**
 * Topology (+ the scenario's own expectations) → the matrix of cells, each with its expectation and
 * reason. Pure.
 */
import type { Scenario } from '../scenario/model.js';
import { deriveExpectation } from './expectations.js';
import type { Expectation, Matrix, MatrixCell, MatrixTarget } from './matrix-model.js';
import {
  describeTargetSpec,
  placeExpectations,
  type PlacedExpectation,
} from './scenario-overrides.js';
import { buildTargets } from './targets.js';
import { placePolicy, type PolicyCell } from './policy-overrides.js';
import type { Policy } from '../scenario/policy.js';
import { portTargets, type PortSelection } from './port-targets.js';
import { portText } from '../common/port.js';
import { outsideSource } from './outside.js';
import {
  allContainers,
  containerKey,
  hostSource,
  type TopoContainer,
  type Topology,
} from './topology.js';

export interface MatrixOptions {
  /** Only containers on this network, and only their addresses on it. */
  network?: string;
  /** Only sources on these hosts (targets stay everything found). */
  sourceHosts?: readonly string[];
  /** Name targets (container names resolved by Docker's DNS). Default true. */
  names?: boolean;
  /** The scenario whose expectations override the derived ones. */
  scenario?: Scenario;
  /** Port cells to derive: ports containers listen on, published ports (default none). */
  ports?: PortSelection;
  /** A policy file whose expectations override the derived ones (and the scenario's). */
  policy?: Policy;
  /** Hosts (inspected, not failed) that probe the ports other hosts publish, from their own network. */
  hostSources?: readonly string[];
  /**
   * The inventory's outside address: a row that probes the published ports from outside the hosts,
   * or, with notChecked, why they are not (listed in skipped, never a cell).
   */
  outside?: { address: string; notChecked?: string };
}

export interface BuiltMatrix extends Matrix {
  /** Scenario expectations that have no place in this matrix, and why. */
  skipped: {
    /** The source container's name. */
    from: string;
    /** The target in words ("vm6", "the gateway of mac_net2"). */
    to: string;
    reason: string;
    why: string;
  }[];
}

export function buildMatrix(topology: Topology, options: MatrixOptions = {}): BuiltMatrix {
  const inScope = allContainers(topology).filter(
    (c) => options.network === undefined || c.endpoints.some((e) => e.network === options.network),
  );
  const sources = inScope
    .filter((c) => !options.sourceHosts || options.sourceHosts.includes(c.host))
    .sort(
      (a, b) =>
        (a.endpoints[0]?.network ?? '').localeCompare(b.endpoints[0]?.network ?? '') ||
        a.host.localeCompare(b.host) ||
        a.name.localeCompare(b.name),
    );
  const targets: MatrixTarget[] = [
    ...buildTargets(topology, inScope, {
      names: options.names ?? true,
      ...(options.network !== undefined && { network: options.network }),
    }),
    ...(options.ports ? portTargets(topology, inScope, options.ports, options.network) : []),
  ];

  const { overrides, policy, skipped } = placeOverrides(options, sources, inScope, targets);
  const fromHosts = (options.hostSources ?? [])
    .filter((h) => !options.sourceHosts || options.sourceHosts.includes(h))
    .map(hostSource);
  const fromOutside = outsideRows(options, targets, skipped);
  const byKey = new Map(inScope.map((c) => [containerKey(c), c]));
  const cells: MatrixCell[] = [];
  for (const source of [...sources, ...fromHosts, ...fromOutside]) {
    const sk = containerKey(source);
    for (const target of targets) {
      if (isSelf(source, target)) continue;
      const byPolicy = policy.get(`${sk} ${target.key}`);
      const byScenario = overrides.get(`${sk} ${target.key}`);
      const override = byPolicy ?? byScenario;
      const expectation = override
        ? { expect: override.expect, reason: override.reason }
        : source.unavailable && source.endpoints.length === 0
          ? unknownExpectation(source.unavailable, topology, source, target)
          : derivePortAware(topology, source, target);
      if (!expectation) continue;
      const blocked = blockedBy(source, target, byKey);
      cells.push({
        id: `${sk} → ${target.key}`,
        source: sk,
        target: target.key,
        expect: expectation.expect,
        reason: expectation.reason,
        origin: byPolicy ? 'policy' : override ? 'scenario' : 'derived',
        ...(!byPolicy && byScenario?.seed && { seed: byScenario.seed }),
        ...(blocked !== undefined && { blocked }),
      });
    }
  }
  for (const [key, p] of [...overrides, ...policy]) {
    if (!cells.some((c) => `${c.source} ${c.target}` === key)) {
      const from = p.source.split('@')[0] ?? p.source;
      const to = targets.find((t) => t.key === p.target)?.label ?? p.target;
      skipped.push({ from, to, reason: p.reason, why: `${from} is not in the matrix` });
    }
  }
  return {
    sources: [
      ...sources,
      ...[...fromHosts, ...fromOutside].filter((h) =>
        cells.some((c) => c.source === containerKey(h)),
      ),
    ],
    targets,
    cells,
    skipped,
  };
}

/**
 * The scenario's expectations and the policy's, placed on the targets (which gain the columns only
 * they name); the ones that found no place, with why.
 */
function placeOverrides(
  options: MatrixOptions,
  sources: readonly TopoContainer[],
  inScope: readonly TopoContainer[],
  targets: MatrixTarget[],
): {
  overrides: Map<string, PlacedExpectation>;
  policy: Map<string, PolicyCell>;
  skipped: BuiltMatrix['skipped'];
} {
  const overrides = new Map<string, PlacedExpectation>();
  const skipped: BuiltMatrix['skipped'] = [];
  if (options.scenario) {
    const r = placeExpectations(options.scenario, targets);
    for (const p of r.placed) {
      if (p.newTarget && !targets.some((t) => t.key === p.newTarget?.key))
        targets.push(p.newTarget);
      overrides.set(`${p.source} ${p.target}`, p);
    }
    for (const s of r.skipped) {
      const e = s.expectation;
      skipped.push({ from: e.from, to: describeTargetSpec(e.to), reason: e.reason, why: s.why });
    }
  }
  if (!options.policy) return { overrides, policy: new Map(), skipped };
  const placed = placePolicy(options.policy, sources, inScope, targets);
  targets.push(...placed.newTargets);
  return { overrides, policy: placed.cells, skipped: [...skipped, ...placed.skipped] };
}

/**
 * A port cell expects what its address cell expects: a port that listens is there for whoever
 * reaches the address. The reason says which port and why it is a column.
 */
function derivePortAware(
  topology: Topology,
  source: TopoContainer,
  target: MatrixTarget,
): Expectation | undefined {
  if (source.outsideSource) return fromOutside(source, target);
  // A literal address means nothing to the topology; a port only a scenario named, neither.
  if (target.scenarioOnly) return undefined;
  if (source.hostSource) return fromHost(source, target);
  const derived = deriveExpectation(topology, source, target);
  if (!derived || !target.port) return derived;
  const port = portText(target.port);
  const why = target.publishedBy
    ? `${target.publishedBy.split('@')[0] ?? ''} publishes ${port} on ${target.host ?? ''}'s address`
    : `${target.container ?? ''} listens on ${port}`;
  return { expect: derived.expect, reason: `${why}; ${derived.reason}` };
}

/**
 * A host's own row: only the ports another host publishes, which Docker binds on every address of
 * that host (unless published on one), so the hosts' own network carries them.
 */
function fromHost(source: TopoContainer, target: MatrixTarget): Expectation | undefined {
  if (!target.port || !target.publishedBy || target.host === source.host) return undefined;
  const by = target.publishedBy.split('@')[0] ?? '';
  return {
    expect: 'reach',
    reason: `${by} publishes ${portText(target.port)} on ${target.host ?? ''}'s address ${target.address}, and ${source.host} reaches that address on the hosts' own network: a published port is open to other machines.`,
  };
}

/**
 * The outside row, when the inventory names an outside address and published ports are asked for;
 * when this machine cannot probe from it, each published port goes to skipped with the reason.
 */
function outsideRows(
  options: MatrixOptions,
  targets: readonly MatrixTarget[],
  skipped: BuiltMatrix['skipped'],
): TopoContainer[] {
  const outside = options.outside;
  if (!outside || !options.ports?.published) return [];
  if (outside.notChecked === undefined) return [outsideSource(outside.address)];
  for (const t of targets) {
    if (t.kind !== 'host' || !t.port || !t.publishedBy) continue;
    skipped.push({
      from: `(outside) ${outside.address}`,
      to: t.label,
      reason: 'a published port is open to other machines',
      why: `not checked: ${outside.notChecked}`,
    });
  }
  return [];
}

/**
 * The outside row: a host's port that a container publishes must answer from outside the hosts; one
 * nobody publishes (a column the scenario or policy names) must not.
 */
function fromOutside(source: TopoContainer, target: MatrixTarget): Expectation | undefined {
  if (target.kind !== 'host' || !target.port) return undefined;
  const port = portText(target.port);
  const from = `${source.host} (outside the hosts)`;
  if (target.publishedBy) {
    const by = target.publishedBy.split('@')[0] ?? '';
    return {
      expect: 'reach',
      reason: `${by} publishes ${port} on ${target.host ?? ''}'s address ${target.address}: a published port is open to other machines, ${from} too.`,
    };
  }
  return {
    expect: 'no-reach',
    reason: `no container publishes ${port} on ${target.host ?? ''}'s address ${target.address}: from ${from} a connection there finds nothing (unless a service of the host itself listens on it).`,
  };
}

/**
 * A source that is not running has no addresses to derive from: "no network", "no way out" would be
 * claims about a container that is only stopped. The cell says why it is not known instead.
 */
function unknownExpectation(
  why: string,
  topology: Topology,
  source: TopoContainer,
  target: MatrixTarget,
): Expectation | undefined {
  const derived = deriveExpectation(topology, source, target);
  return (
    derived && {
      expect: derived.expect,
      reason: `not known: ${why}, so its networks are not known`,
    }
  );
}

function isSelf(source: TopoContainer, target: MatrixTarget): boolean {
  return (
    (target.kind === 'container' || target.kind === 'name') &&
    target.container === source.name &&
    target.host === source.host
  );
}

function blockedBy(
  source: TopoContainer,
  target: MatrixTarget,
  byKey: Map<string, TopoContainer>,
): string | undefined {
  if (source.unavailable) return source.unavailable;
  if ((target.kind === 'container' || target.kind === 'name') && target.container && target.host) {
    const other = byKey.get(containerKey({ name: target.container, host: target.host }));
    if (other?.unavailable) return other.unavailable;
  }
  return undefined;
}
