/**
 * A scenario's own expectations, placed on the matrix: each names a source container and a target;
 * found here as a (source, target) pair so that its verdict and its text replace the derived ones.
 * A literal address that is no column yet becomes one.
 */
import type { ExpectationSpec, Scenario, SeedClaim, TargetSpec } from '../scenario/model.js';
import type { MatrixTarget } from './matrix-model.js';
import { containerKey } from './topology.js';
import { portText, portWords, type PortSpec } from '../common/port.js';

/** A scenario expectation's target in words: "vm6", "vm6 on mac_net2", "the gateway of mac_net2". */
export function describeTargetSpec(to: TargetSpec): string {
  switch (to.kind) {
    case 'container':
      return (
        (to.network === undefined ? to.container : `${to.container} on ${to.network}`) +
        portWords(to.port)
      );
    case 'gateway':
      return `the gateway of ${to.network}`;
    case 'host':
      return `host ${to.host}${portWords(to.port)}`;
    case 'address':
      return `${to.address}${portWords(to.port)}`;
  }
}

export interface PlacedExpectation {
  source: string;
  target: string;
  expect: 'reach' | 'no-reach';
  reason: string;
  seed?: SeedClaim;
  /** A column the matrix does not have yet (a literal address). */
  newTarget?: MatrixTarget;
}

/**
 * Places each expectation, or leaves it out (with the reason) when its source or target is not in
 * the matrix (filtered out by --network/--host).
 */
export function placeExpectations(
  scenario: Scenario,
  targets: readonly MatrixTarget[],
): { placed: PlacedExpectation[]; skipped: { expectation: ExpectationSpec; why: string }[] } {
  const placed: PlacedExpectation[] = [];
  const skipped: { expectation: ExpectationSpec; why: string }[] = [];
  const hostOf = new Map(scenario.containers.map((c) => [c.name, c.host]));
  for (const e of scenario.expectations) {
    const fromHost = hostOf.get(e.from);
    if (!fromHost) {
      skipped.push({ expectation: e, why: `no container ${e.from} in the scenario` });
      continue;
    }
    const source = containerKey({ name: e.from, host: fromHost });
    const base = {
      source,
      expect: e.reach ? 'reach' : 'no-reach',
      reason: e.reason,
      ...(e.seed && { seed: e.seed }),
    } as const;
    const found = findTarget(e.to, targets, hostOf, fromHost);
    if (found?.newTarget) {
      placed.push({ ...base, target: found.newTarget.key, newTarget: found.newTarget });
      continue;
    }
    const target = found?.target;
    if (target) placed.push({ ...base, target: target.key });
    else {
      const why = `${describeTargetSpec(e.to)} is not in the matrix (filtered out by --network or --host?)`;
      skipped.push({ expectation: e, why });
    }
  }
  return { placed, skipped };
}

/**
 * The column an expectation's target names; or a new one: a literal address, or a port nobody
 * derived a column for (not found listening, --ports none) on an address the matrix has.
 */
function findTarget(
  to: TargetSpec,
  targets: readonly MatrixTarget[],
  hostOf: ReadonlyMap<string, string>,
  fromHost: string,
): { target?: MatrixTarget; newTarget?: MatrixTarget } | undefined {
  const port = 'port' in to ? to.port : undefined;
  let target: MatrixTarget | undefined;
  switch (to.kind) {
    case 'container': {
      const host = hostOf.get(to.container);
      target = targets.find(
        (t) =>
          t.kind === 'container' &&
          t.container === to.container &&
          t.host === host &&
          (to.network === undefined || t.network === to.network) &&
          samePort(t.port, port),
      );
      break;
    }
    case 'gateway': {
      const candidates = targets.filter((t) => t.kind === 'gateway' && t.network === to.network);
      // A bridge's gateway exists once per host: the one on the source's host is meant.
      const gateway = candidates.find((t) => t.host === undefined || t.host === fromHost);
      return gateway && { target: gateway };
    }
    case 'host':
      target = targets.find(
        (t) => t.kind === 'host' && t.host === to.host && samePort(t.port, port),
      );
      break;
    case 'address': {
      target = targets.find(
        (t) => t.kind !== 'name' && t.address === to.address && samePort(t.port, port),
      );
      if (target) return { target };
      const key = port ? `port:ip:${to.address}:${portText(port)}` : `ip:${to.address}`;
      const label = port ? `${to.address}:${portText(port)}` : to.address;
      return {
        newTarget: { key, kind: 'address', label, address: to.address, ...(port && { port }) },
      };
    }
  }
  if (target || !port) return target && { target };
  const plain = findPlain(targets, to, hostOf);
  return plain && { newTarget: withPort(plain, port) };
}

export function samePort(a: PortSpec | undefined, b: PortSpec | undefined): boolean {
  return a === undefined || b === undefined
    ? a === b
    : a.port === b.port && a.protocol === b.protocol;
}

/** The plain (ping) column of a container or host target. */
function findPlain(
  targets: readonly MatrixTarget[],
  to: TargetSpec,
  hostOf: ReadonlyMap<string, string>,
): MatrixTarget | undefined {
  if (to.kind === 'host')
    return targets.find((t) => t.kind === 'host' && t.host === to.host && !t.port);
  if (to.kind !== 'container') return undefined;
  const host = hostOf.get(to.container);
  return targets.find(
    (t) =>
      t.kind === 'container' &&
      !t.port &&
      t.container === to.container &&
      t.host === host &&
      (to.network === undefined || t.network === to.network),
  );
}

export function withPort(t: MatrixTarget, port: PortSpec): MatrixTarget {
  const key =
    t.kind === 'host'
      ? `port:host:${t.host ?? ''}:${portText(port)}`
      : `port:${t.key.replace(/^addr:/, '')}:${portText(port)}`;
  return { ...t, key, label: `${t.label}:${portText(port)}`, port, scenarioOnly: true };
}
