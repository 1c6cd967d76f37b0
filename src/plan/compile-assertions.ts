/**
 * Scenario assertions → planned ones, by their kind's plan (scenario/assert-kinds/): one per host it
 * is checked on, each waiting for every step of the hosts it looks at, so that what it reads is the
 * finished state (assertions are few and quick; waiting for a host's last step costs less than a
 * claim read half-way through).
 */
import type { InventoryHost } from '../inventory/model.js';
import { LABEL, ownershipLabels } from './labels.js';
import type { HostPlan } from './model.js';
import { KIND_DEFS } from '../scenario/assert-kinds/index.js';
import type { AnyKindDef, PlanTools } from '../scenario/assert-kinds/kind.js';
import type { Scenario } from '../scenario/model.js';
import type { PlannedAssertion } from './assertion-model.js';

/** lab.kind of whatever an operation that should have failed made: `lab down` removes it too. */
export { EXPECTED_FAILURE_KIND } from '../scenario/assert-kinds/fails.js';

export function compileAssertions(
  scenario: Scenario,
  hosts: readonly HostPlan[],
  hostsByName: ReadonlyMap<string, InventoryHost>,
  defs: readonly AnyKindDef[] = KIND_DEFS,
): PlannedAssertion[] {
  const stepsOf = (host: string) =>
    hosts.find((h) => h.host === host)?.steps.map((s) => s.id) ?? [];
  const tools: PlanTools = {
    stepsOf,
    hostOf: (container) => scenario.containers.find((c) => c.name === container)?.host,
    addressOf: (host) => hostsByName.get(host)?.address ?? host,
    labels: (host, kind) => ({ ...ownershipLabels(scenario.name, host), [LABEL.kind]: kind }),
  };
  return (scenario.assertions ?? []).flatMap((a, i) => {
    const def = defs.find((d) => d.kind === a.kind);
    if (!def) throw new Error(`assertion kind ${a.kind} is not in the registry`);
    const base = `assert-${i + 1}`;
    const targets = def.checkedOn(a, tools);
    return targets.map((host): PlannedAssertion => {
      const common = {
        id: targets.length > 1 ? `${base}@${host}` : base,
        host,
        reason: a.reason,
        ...(a.seed && { seed: a.seed }),
        ...(a.line !== undefined && { line: a.line }),
      };
      return def.plan(a, { ...common, dependsOn: stepsOf(host) }, tools) as PlannedAssertion;
    });
  });
}
