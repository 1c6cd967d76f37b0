/**
 * A scenario's own expectations, placed on the matrix: each names a source container and a target;
 * found here as a (source, target) pair so that its verdict and its text replace the derived ones.
 * A literal address that is no column yet becomes one.
 */
import type { ExpectationSpec, Scenario, TargetSpec } from '../scenario/model.js';
import type { MatrixTarget } from './matrix-model.js';
import { containerKey } from './topology.js';

/** A scenario expectation's target in words: "vm6", "vm6 on mac_net2", "the gateway of mac_net2". */
export function describeTargetSpec(to: TargetSpec): string {
  switch (to.kind) {
    case 'container':
      return to.network === undefined ? to.container : `${to.container} on ${to.network}`;
    case 'gateway':
      return `the gateway of ${to.network}`;
    case 'host':
      return `host ${to.host}`;
    case 'address':
      return to.address;
  }
}

export interface PlacedExpectation {
  source: string;
  target: string;
  expect: 'reach' | 'no-reach';
  reason: string;
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
    const base = { source, expect: e.reach ? 'reach' : 'no-reach', reason: e.reason } as const;
    const to = e.to;
    let target: MatrixTarget | undefined;
    switch (to.kind) {
      case 'container': {
        const host = hostOf.get(to.container);
        target = targets.find(
          (t) =>
            t.kind === 'container' &&
            t.container === to.container &&
            t.host === host &&
            (to.network === undefined || t.network === to.network),
        );
        break;
      }
      case 'gateway': {
        const candidates = targets.filter((t) => t.kind === 'gateway' && t.network === to.network);
        // A bridge's gateway exists once per host: the one on the source's host is meant.
        target = candidates.find((t) => t.host === undefined || t.host === fromHost);
        break;
      }
      case 'host':
        target = targets.find((t) => t.kind === 'host' && t.host === to.host);
        break;
      case 'address': {
        target = targets.find((t) => t.kind !== 'name' && t.address === to.address);
        if (!target) {
          placed.push({
            ...base,
            target: `ip:${to.address}`,
            newTarget: {
              key: `ip:${to.address}`,
              kind: 'address',
              label: to.address,
              address: to.address,
            },
          });
          continue;
        }
        break;
      }
    }
    if (target) placed.push({ ...base, target: target.key });
    else {
      const why = `${describeTargetSpec(to)} is not in the matrix (filtered out by --network or --host?)`;
      skipped.push({ expectation: e, why });
    }
  }
  return { placed, skipped };
}
