/**
 * Scenario assertions → planned ones: one per host it is checked on, each waiting for every step of
 * the hosts it looks at, so that what it reads is the finished state (assertions are few and quick;
 * waiting for a host's last step costs less than a claim read half-way through).
 */
import type { InventoryHost } from '../inventory/model.js';
import { LABEL, ownershipLabels } from './labels.js';
import type { HostPlan } from './model.js';
import type { AssertionSpec, SeedClaim } from '../scenario/model-assert.js';
import type { Scenario } from '../scenario/model.js';
import type { PlannedAssertion } from './assertion-model.js';

/** lab.kind of whatever an operation that should have failed made: `lab down` removes it too. */
export const EXPECTED_FAILURE_KIND = 'expected-failure';

export function compileAssertions(
  scenario: Scenario,
  hosts: readonly HostPlan[],
  hostsByName: ReadonlyMap<string, InventoryHost>,
): PlannedAssertion[] {
  const stepsOf = (host: string) =>
    hosts.find((h) => h.host === host)?.steps.map((s) => s.id) ?? [];
  const hostOf = (container: string) => scenario.containers.find((c) => c.name === container)?.host;
  return (scenario.assertions ?? []).flatMap((a, i) => {
    const base = `assert-${i + 1}`;
    const targets = a.kind === 'resolves' ? [hostOf(a.from) ?? ''] : a.hosts;
    return targets.map((host): PlannedAssertion => {
      const common = {
        id: targets.length > 1 ? `${base}@${host}` : base,
        host,
        reason: a.reason,
        ...(a.seed && { seed: a.seed }),
        ...(a.line !== undefined && { line: a.line }),
      };
      return planOne(a, common, stepsOf, hostOf, hostsByName, scenario.name);
    });
  });
}

function planOne(
  a: AssertionSpec,
  common: { id: string; host: string; reason: string; seed?: SeedClaim; line?: number },
  stepsOf: (host: string) => string[],
  hostOf: (container: string) => string | undefined,
  hostsByName: ReadonlyMap<string, InventoryHost>,
  scenario: string,
): PlannedAssertion {
  const dependsOn = stepsOf(common.host);
  const base = { ...common, dependsOn };
  switch (a.kind) {
    case 'fails':
      return {
        ...base,
        kind: 'fails',
        op: a.op,
        message: a.message,
        labels: { ...ownershipLabels(scenario, common.host), [LABEL.kind]: EXPECTED_FAILURE_KIND },
      };
    case 'network':
      return { ...base, kind: 'network', network: a.network, has: a.has };
    case 'interface':
      return {
        ...base,
        kind: 'interface',
        ...(a.container !== undefined && { container: a.container }),
        interface: a.interface,
        has: a.has,
      };
    case 'iptables':
      return {
        ...base,
        kind: 'iptables',
        table: a.table,
        ...(a.chain !== undefined && { chain: a.chain }),
        rule: a.rule,
      };
    case 'listening':
      return {
        ...base,
        kind: 'listening',
        port: a.port,
        protocol: a.protocol,
        ...(a.process !== undefined && { process: a.process }),
      };
    case 'http':
      return {
        ...base,
        kind: 'http',
        address: hostsByName.get(common.host)?.address ?? common.host,
        port: a.port,
        path: a.path,
        status: a.status,
        ...(a.body !== undefined && { body: a.body }),
      };
    case 'resolves': {
      const targetHost = hostOf(a.name);
      return {
        ...base,
        // The name's container must be running too, wherever it is.
        dependsOn: [...new Set([...dependsOn, ...(targetHost ? stepsOf(targetHost) : [])])],
        kind: 'resolves',
        container: a.from,
        name: a.name,
        resolve: a.resolve,
        ping: a.ping,
        ...(targetHost !== undefined && { target: { container: a.name, host: targetHost } }),
      };
    }
  }
}
