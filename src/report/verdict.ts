import type { CheckResult } from '../probe/probe-result.js';
import { claimOfCheck, explainProbe } from './probe-detail.js';
import type { ClaimOutcome } from '../plan/claim-outcome.js';
import type { LabError } from '../common/errors.js';
import {
  anythingChanged,
  changesOf,
  describeTally,
  type HostReport,
  type RunReport,
} from '../run/run-report.js';
import { counted } from './counted.js';
import { assertionToJson, renderAssertionDetail, renderAssertionLine } from './assertion-lines.js';
import { claimWord, seedToJson } from './seed-lines.js';

/** One line per check, readable without colour: the symbol is doubled by a word. */
export function renderCheckLine(r: CheckResult): string {
  const must = r.check.expect === 'reach' ? 'reaches' : 'does not reach';
  // A target named by its address (an outside address, a published port) is not said twice.
  const address =
    r.address && !r.check.to.label.split(' ').includes(r.address) ? ` ${r.address}` : '';
  return `${claimWord(r.outcome, r.check.seed, r)} ${r.check.from.container} (${r.check.from.host}) ${must} ${r.check.to.label}${address}`;
}

/** The explanation a person needs for a check that did not pass. */
export function renderCheckDetail(r: CheckResult): string {
  return explainProbe(r, claimOfCheck(r.check));
}

/** What the verdict needs beyond the report: the exact command that undoes the run. */
export interface VerdictContext {
  /** `lab down …` with every flag it needs to work as written. */
  downCommand?: string;
}

export function renderVerdict(report: RunReport, context: VerdictContext = {}): string {
  const out: string[] = [];
  for (const h of report.hosts) {
    if (h.error && h.error.kind !== 'aborted') out.push(...hostErrorLines(h));
  }
  const notes = report.hosts.flatMap((h) => (h.notes ?? []).map((n) => `  ${h.host}: ${n}`));
  if (notes.length > 0) out.push('', 'Notes:', ...notes);
  const said = saidAbove(report);
  out.push(...section('Expectations', report.checks.map(said), renderCheckLine, renderCheckDetail));
  out.push(
    ...section(
      'Assertions',
      (report.assertions ?? []).map(said),
      renderAssertionLine,
      renderAssertionDetail,
    ),
  );
  const changed = anythingChanged(report.hosts);
  const down = context.downCommand ?? `lab down ${report.scenario} -i INVENTORY`;
  if (changed && (report.verdict === 'interrupted' || report.verdict === 'error')) {
    out.push('', 'What this run changed (lab down removes it):');
    for (const h of report.hosts) {
      const changes = changesOf(h);
      out.push(`  ${h.host}: ${changes.length > 0 ? changes.join(', ') : 'nothing'}`);
    }
    if (report.verdict === 'error') out.push(`Remove it with: ${down}`);
  }
  out.push('', summaryLine(report, changed ? down : undefined));
  return `${out.join('\n')}\n`;
}

/** "this Docker", or the other engines whose claims differ ("Podman", "Docker and Podman"). */
function differingEngines(report: RunReport): string {
  const differing = [...report.checks, ...(report.assertions ?? [])].filter(
    (r) => r.outcome === 'differs',
  );
  const products = [...new Set(differing.map((r) => r.engine ?? 'Docker'))].sort();
  return products.length === 1 && products[0] === 'Docker' ? 'this Docker' : products.join(' and ');
}

/** The last line: the verdict in one word, and what it rests on. */
function summaryLine(report: RunReport, down: string | undefined): string {
  const s = report.scenario;
  const failed = report.hosts.filter((h) => h.error && h.error.kind !== 'aborted');
  switch (report.verdict) {
    case 'pass':
      if (report.tally.expectations.total + report.tally.assertions.total === 0)
        return `PASS: ${s} — every step done; the scenario claims nothing to check (${(report.durationMs / 1000).toFixed(1)} s)`;
      return `PASS: ${s} — all ${describeTally(report.tally, 'all')} hold (${(report.durationMs / 1000).toFixed(1)} s)`;
    case 'differs':
      return `DIFFERS FROM THE SEED: ${s} — ${describeTally(report.tally, 'held')} hold; ${counted(report.tally.differs ?? 0, 'claim')} of the seed ${report.tally.differs === 1 ? 'is' : 'are'} not borne out by ${differingEngines(report)} (above); not a failure of the lab (--strict-seed makes it one) (${(report.durationMs / 1000).toFixed(1)} s)`;
    case 'fail':
      return `FAIL: ${s} — ${describeTally(report.tally, 'missed')} did not hold`;
    case 'bad-input':
      return `NOT RUN: ${s} — refused before any change on ${failed.map((h) => h.host).join(', ')} (see above); nothing was changed on any host`;
    case 'interrupted':
      return `INTERRUPTED: ${s} — stopped during ${PHASE[report.interruptedDuring ?? 'checks']}; ${down ? `what was made stays, remove it with: ${down}` : 'nothing was changed on any host'}`;
    case 'error':
      return `ERROR: ${s} — ${failed.length > 0 ? `${counted(failed.length, 'host')} failed (${failed.map((h) => h.host).join(', ')})` : 'some probes could not run'}`;
  }
}

const PHASE = {
  connect: 'the connections and checks before any change',
  together: 'the check of the hosts together',
  steps: 'the steps',
  checks: 'the checks',
} as const;

/**
 * "! server1: …" with the host's first failure in full (the host said once, even when the error's
 * message starts with it too); other steps that failed the same way folded into a count.
 */
function hostErrorLines(h: HostReport): string[] {
  const error = h.error as LabError;
  const text = error.describe().replace(new RegExp(`^${escapeRegExp(h.host)}: `), '');
  const out = [`! ${h.host}: ${text.split('\n').join('\n  ')}`];
  const [first, ...others] = h.failures ?? [];
  const alike = others.filter((f) => f.message === first?.message);
  if (alike.length > 0)
    out.push(`  (${alike.length} more like this: ${alike.map((f) => f.step).join(', ')})`);
  for (const f of others.filter((o) => o.message !== first?.message))
    out.push(`! ${h.host}: ${f.step}: ${f.message.replace(`${h.host}: `, '')}`);
  return out;
}

/**
 * A result not judged because a step it waited for failed says so in a few words, pointing at the
 * host's failure above instead of repeating the engine's message once per result.
 */
function saidAbove(report: RunReport) {
  const failed = report.hosts.flatMap((h) =>
    h.error ? [{ host: h.host, first: h.error.message.split('\n')[0] ?? '' }] : [],
  );
  return <R extends { outcome: string; evidence: string }>(r: R): R => {
    const m = /^not (probed|checked): (.*)$/.exec(r.evidence);
    const host = m && failed.find((f) => f.first === m[2])?.host;
    return host ? { ...r, evidence: `not ${m[1]}: a step it needs failed on ${host} (above)` } : r;
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A list of results, then the explanation of each that did not pass; results that failed for the
 * same reason (a step they all waited for) are explained once, the rest folded into a count.
 */
function section<R extends { outcome: ClaimOutcome; evidence: string }>(
  title: string,
  results: readonly R[],
  line: (r: R) => string,
  detail: (r: R) => string,
): string[] {
  if (results.length === 0) return [];
  const out = ['', `${title}:`, ...results.map((r) => `  ${line(r)}`)];
  const bad = results.filter((r) => r.outcome !== 'pass');
  if (bad.length === 0) return out;
  out.push('');
  const seen = new Map<string, R[]>();
  for (const r of bad) {
    const key = r.outcome === 'error' ? r.evidence : `${seen.size}:${line(r)}`;
    seen.set(key, [...(seen.get(key) ?? []), r]);
  }
  for (const group of seen.values()) {
    const [first, ...rest] = group;
    if (!first) continue;
    out.push(detail(first));
    if (rest.length > 0) out.push(`  (${rest.length} more like this, listed above)`);
  }
  return out;
}

/**
 * The report as plain JSON for tools (no class instances, errors flattened); `topology` is what the
 * plan built (src/picture/from-plan.ts), for pictures of the run.
 */
export function reportToJson(report: RunReport, extra: { topology?: object } = {}): unknown {
  return {
    scenario: report.scenario,
    verdict: report.verdict,
    tally: report.tally,
    ...(report.interruptedDuring && { interruptedDuring: report.interruptedDuring }),
    durationMs: report.durationMs,
    hosts: report.hosts.map((h) => ({
      host: h.host,
      engine: h.engine,
      ...(h.engineRoute && { engineRoute: h.engineRoute }),
      engineProduct: h.engineProduct,
      steps: h.steps.map((s) => ({
        id: s.step.id,
        action: s.action,
        detail: s.detail,
        commands: s.commands,
      })),
      ...(h.error && {
        error: { kind: h.error.kind, message: h.error.message, ...h.error.context },
      }),
      ...(h.notes && { notes: h.notes }),
      ...(h.unfinished && h.unfinished.length > 0 && { unfinished: h.unfinished }),
    })),
    ...(report.assertions && { assertions: report.assertions.map(assertionToJson) }),
    checks: report.checks.map((c) => ({
      id: c.check.id,
      from: c.check.from,
      to: { ...c.check.to, address: c.address },
      expect: c.check.expect,
      reason: c.check.reason,
      ...seedToJson(c.check.seed, c),
      outcome: c.outcome,
      reached: c.reached,
      attempts: c.attempts,
      durationMs: c.durationMs,
      evidence: c.evidence,
      reproduce: c.reproduce,
    })),
    ...(extra.topology && { topology: extra.topology }),
  };
}
