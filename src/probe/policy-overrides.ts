/**
 * A policy file's expectations placed on the matrix: each entry chooses its sources and targets by
 * label, name pattern or network (scenario/selector.ts); every (source, column) pair it names takes
 * its verdict and its reason, which names the policy's file and line. When two entries name the same
 * cell, the later one decides. A port no column has yet becomes a column of its own.
 */
import { portText, portWords, type PortSpec } from '../common/port.js';
import type { Policy, PolicyRule, PolicyTarget } from '../scenario/policy.js';
import { describeSelector, matchesSelector, type Selectable } from '../scenario/selector.js';
import type { Expect, MatrixTarget } from './matrix-model.js';
import { samePort, withPort } from './scenario-overrides.js';
import { containerKey, type TopoContainer } from './topology.js';

export interface PolicyCell {
  /** containerKey of the source, and the column's key. */
  source: string;
  target: string;
  expect: Expect;
  reason: string;
}

export interface PlacedPolicy {
  /** By `${sourceKey} ${targetKey}`. */
  cells: Map<string, PolicyCell>;
  /** Columns only the policy asked for (no cell is derived for them). */
  newTargets: MatrixTarget[];
  /** Entries that chose nothing, and why. */
  skipped: { from: string; to: string; reason: string; why: string }[];
}

export function selectableOf(c: TopoContainer): Selectable {
  return {
    name: c.name,
    ...(c.labels && { labels: c.labels }),
    networks: c.endpoints.map((e) => e.network),
  };
}

export function describePolicyTarget(to: PolicyTarget): string {
  switch (to.kind) {
    case 'outside':
      return 'anything outside its own networks';
    case 'select':
      return `containers with ${describeSelector(to.select)}${portWords(to.port)}`;
    case 'host':
      return `host ${to.host}${portWords(to.port)}`;
    case 'address':
      return `${to.address}${portWords(to.port)}`;
  }
}

export function placePolicy(
  policy: Policy,
  sources: readonly TopoContainer[],
  containers: readonly TopoContainer[],
  targets: readonly MatrixTarget[],
): PlacedPolicy {
  const placed: PlacedPolicy = { cells: new Map(), newTargets: [], skipped: [] };
  const columns = [...targets];
  for (const rule of policy.rules) {
    const from = sources.filter((s) => matchesSelector(rule.from, selectableOf(s)));
    const skip = (why: string) =>
      placed.skipped.push({
        from: `containers with ${describeSelector(rule.from)}`,
        to: describePolicyTarget(rule.to),
        reason: rule.reason,
        why: `${rule.file}:${rule.line}: ${why}`,
      });
    if (from.length === 0) {
      skip(`no container checked here has ${describeSelector(rule.from)}`);
      continue;
    }
    let count = 0;
    for (const source of from) {
      for (const t of columnsFor(rule, source, containers, columns)) {
        if (!columns.includes(t)) {
          columns.push(t);
          placed.newTargets.push(t);
        }
        count++;
        placed.cells.set(`${containerKey(source)} ${t.key}`, {
          source: containerKey(source),
          target: t.key,
          expect: rule.reach ? 'reach' : 'no-reach',
          reason: `${rule.reason} (policy ${rule.file}:${rule.line})`,
        });
      }
    }
    if (count === 0) skip(`nothing checked here is ${describePolicyTarget(rule.to)}`);
  }
  return placed;
}

/** The columns one entry names for one source; new ones (a port no column has) are made here. */
function columnsFor(
  rule: PolicyRule,
  source: TopoContainer,
  containers: readonly TopoContainer[],
  columns: readonly MatrixTarget[],
): MatrixTarget[] {
  const to = rule.to;
  switch (to.kind) {
    case 'outside': {
      const mine = new Set(source.endpoints.map((e) => e.network));
      return columns.filter(
        (t) =>
          t.kind === 'host' ||
          t.kind === 'address' ||
          ((t.kind === 'container' || t.kind === 'gateway') &&
            t.network !== undefined &&
            !mine.has(t.network)),
      );
    }
    case 'host':
      return orWithPort(
        columns.filter((t) => t.kind === 'host' && t.host === to.host),
        to.port,
        columns,
      );
    case 'address': {
      const found = columns.filter(
        (t) => t.kind !== 'name' && t.address === to.address && samePort(t.port, to.port),
      );
      if (found.length > 0) return found;
      const key = to.port ? `port:ip:${to.address}:${portText(to.port)}` : `ip:${to.address}`;
      const label = to.port ? `${to.address}:${portText(to.port)}` : to.address;
      const port = to.port && { port: to.port };
      return [{ key, kind: 'address', label, address: to.address, ...port, scenarioOnly: true }];
    }
    case 'select': {
      const chosen = containers.filter(
        (c) =>
          !(c.name === source.name && c.host === source.host) &&
          matchesSelector(to.select, selectableOf(c)),
      );
      return chosen.flatMap((c) => addressColumns(source, c, to, columns));
    }
  }
}

/**
 * A chosen container's address columns (on the selector's network, if it names one): those on a
 * network the source shares when there are any, else all; with the entry's port.
 */
function addressColumns(
  source: TopoContainer,
  c: TopoContainer,
  to: Extract<PolicyTarget, { kind: 'select' }>,
  columns: readonly MatrixTarget[],
): MatrixTarget[] {
  const plain = columns.filter(
    (t) =>
      t.kind === 'container' &&
      !t.port &&
      t.container === c.name &&
      t.host === c.host &&
      (to.select.network === undefined || t.network === to.select.network),
  );
  const mine = new Set(source.endpoints.map((e) => e.network));
  const shared = plain.filter((t) => t.network !== undefined && mine.has(t.network));
  return orWithPort(shared.length > 0 ? shared : plain, to.port, columns);
}

/** The plain columns, or with a port the port columns on the same address (made when missing). */
function orWithPort(
  plain: readonly MatrixTarget[],
  port: PortSpec | undefined,
  columns: readonly MatrixTarget[],
): MatrixTarget[] {
  if (!port) return plain.filter((t) => !t.port);
  return plain
    .filter((t) => !t.port)
    .map((p) => {
      const made = withPort(p, port);
      return columns.find((t) => t.key === made.key) ?? made;
    });
}
