/**
 * An assertion as `lab plan` shows it: the command a person would type to see the fact (run-time
 * values in <angle brackets>), and the claim in words. Each kind says its own (assert/kinds/).
 */
import { commentText } from '../ssh/quote.js';
import type { PlannedAssertion } from '../plan/assertion-model.js';
import { kindOf } from './kinds/index.js';

export const assertionCommand = (a: PlannedAssertion): string => kindOf(a).command(a);

export const assertionClaim = (a: PlannedAssertion): string => kindOf(a).claim(a);

/** The assertions section of `lab plan`: empty when there are none. */
export function renderAssertionPlan(assertions: readonly PlannedAssertion[] | undefined): string {
  if (!assertions || assertions.length === 0) return '';
  const byHost = new Map<string, PlannedAssertion[]>();
  for (const a of assertions) {
    const where = kindOf(a).local ? 'this machine' : a.host;
    byHost.set(where, [...(byHost.get(where) ?? []), a]);
  }
  const lines = ['', '# assertions, once the steps they look at are done'];
  for (const [where, list] of byHost) {
    lines.push(`## on ${commentText(where)}`);
    for (const a of list) {
      const must = kindOf(a).refusal ? 'must FAIL' : 'must show';
      lines.push(
        `${assertionCommand(a)}    # ${must}: ${commentText(`${assertionClaim(a)} — ${a.reason}`)}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
