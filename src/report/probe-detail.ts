/**
 * The one explanation of a probe that did not pass (src/probe/probe-result.ts), for `lab run`'s
 * expectations and `lab check connectivity`'s cells alike: what was expected and why, what was seen
 * (or why the probe could not run), for a DIFFERS both sides, and the command that repeats it. The
 * two views keep their own layout: a run names its target's address in the head line, a check the
 * address and interface it probed on a line of their own.
 */
import type { PlannedCheck } from '../plan/model.js';
import type { CellResult, ProbeResult } from '../probe/probe-result.js';
import type { MatrixCell } from '../probe/matrix-model.js';
import type { SeedClaim } from '../scenario/model-assert.js';
import { differsWord, OUTCOME_WORD, seedSides } from './seed-lines.js';
import { makeStyle, type Style } from './style.js';

/** What the explanation says the probe claimed, from a planned check or a matrix cell. */
export interface ProbeClaim {
  /** expectation: a line of `lab run`'s verdict; cell: under `lab check`'s matrix. */
  view: 'expectation' | 'cell';
  /** The source as the view names it ("vm4", "vm4@server1"), and its host. */
  source: string;
  host: string;
  /** The target in words. */
  target: string;
  expect: 'reach' | 'no-reach';
  reason: string;
  origin?: MatrixCell['origin'];
  seed?: SeedClaim;
  /** A port probe says itself what it saw. */
  port: boolean;
}

export function claimOfCheck(check: PlannedCheck): ProbeClaim {
  return {
    view: 'expectation',
    source: check.from.container,
    host: check.from.host,
    target: check.to.label,
    expect: check.expect,
    reason: check.reason,
    ...(check.seed && { seed: check.seed }),
    port: check.to.port !== undefined,
  };
}

export function claimOfCell(r: CellResult, targetLabel: string, sourceHost: string): ProbeClaim {
  return {
    view: 'cell',
    source: r.cell.source,
    host: sourceHost,
    target: targetLabel,
    expect: r.cell.expect,
    reason: r.cell.reason,
    origin: r.cell.origin,
    ...(r.cell.seed && { seed: r.cell.seed }),
    port: false,
  };
}

const ORIGIN = { derived: '', scenario: ' (the scenario says)', policy: ' (the policy says)' };

/** The explanation a person needs for a probe that did not pass. */
export function explainProbe(
  r: ProbeResult,
  claim: ProbeClaim,
  style: Style = makeStyle(false),
): string {
  const cell = claim.view === 'cell';
  const observed = cell ? r.evidence : expectationObserved(r, claim);
  const reproduce = cell && !r.reproduce ? [] : [`  reproduce on ${claim.host}: ${r.reproduce}`];
  const to = cell
    ? `${claim.source} → ${claim.target}`
    : `${claim.source} → ${claim.target} (${r.address || 'address unknown'})`;
  if (r.outcome === 'differs' && (claim.seed || !cell)) {
    const word = differsWord(claim.seed, r);
    return [
      cell ? `${style.error(word)} ${to}` : `${word}: ${to}`,
      ...seedSides(claim.seed, r, claim.host, observed),
      `  why it is checked: ${claim.reason}`,
      ...reproduce,
    ].join('\n');
  }
  const word = !cell
    ? `${OUTCOME_WORD[r.outcome]}:`
    : r.outcome === 'fail'
      ? style.fail('FAIL ')
      : style.error('ERROR');
  const notRun = cell
    ? `  could not probe: ${r.evidence}`
    : `  the probe could not run: ${r.evidence.split('\n')[0] ?? ''}`;
  return [
    `${word} ${to}`,
    `  expected: ${claim.expect === 'reach' ? 'reach' : 'no reach'}${ORIGIN[claim.origin ?? 'derived']} — ${claim.reason}`,
    r.outcome === 'error' ? notRun : `  observed: ${observed}`,
    ...(cell
      ? [
          `  probed:   ${r.address}${r.iface ? ` from ${claim.source.split('@')[0]}'s ${r.iface}` : ''}`,
        ]
      : []),
    ...reproduce,
  ].join('\n');
}

/** A port or path-MTU result says itself what was seen; a ping says whether a reply came. */
function expectationObserved(r: ProbeResult, claim: ProbeClaim): string {
  if (claim.port || (r.reached && claim.expect === 'reach')) return r.evidence;
  const tries = `${r.attempts} attempt${r.attempts === 1 ? '' : 's'} (${r.durationMs} ms)`;
  return `${r.reached ? 'a reply came back' : 'no reply'} after ${tries}`;
}
