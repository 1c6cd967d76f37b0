import type { CheckResult } from '../probe/checks.js';
import type { RunReport } from '../run/execute.js';
import { counted } from './counted.js';
import { assertionToJson, renderAssertionDetail, renderAssertionLine } from './assertion-lines.js';

const SYMBOL = { pass: '✔', fail: '✘', error: '!' } as const;
const WORD = { pass: 'PASS', fail: 'FAIL', error: 'ERROR' } as const;

/** One line per check, readable without colour: the symbol is doubled by a word. */
export function renderCheckLine(r: CheckResult): string {
  const must = r.check.expect === 'reach' ? 'reaches' : 'does not reach';
  return `${SYMBOL[r.outcome]} ${WORD[r.outcome].padEnd(5)} ${r.check.from.container} (${r.check.from.host}) ${must} ${r.check.to.label}${r.address ? ` ${r.address}` : ''}`;
}

/** The explanation a person needs for a check that did not pass. */
export function renderCheckDetail(r: CheckResult): string {
  const lines = [
    `${WORD[r.outcome]}: ${r.check.from.container} → ${r.check.to.label} (${r.address || 'address unknown'})`,
    `  expected: ${r.check.expect === 'reach' ? 'reach' : 'no reach'} — ${r.check.reason}`,
    r.outcome === 'error'
      ? `  the probe could not run: ${firstLine(r.evidence)}`
      : `  observed: ${r.reached ? 'a reply came back' : 'no reply'} after ${r.attempts} attempt${r.attempts === 1 ? '' : 's'} (${r.durationMs} ms)`,
    `  reproduce on ${r.check.from.host}: ${r.reproduce}`,
  ];
  return lines.join('\n');
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? '';
}

export function renderVerdict(report: RunReport): string {
  const out: string[] = [];
  const failedHosts = report.hosts.filter((h) => h.error);
  for (const h of failedHosts)
    out.push(`! ${h.host}: ${h.error?.describe().split('\n').join('\n  ')}`);
  const notes = report.hosts.flatMap((h) => (h.notes ?? []).map((n) => `  ${h.host}: ${n}`));
  if (notes.length > 0) out.push('', 'Notes:', ...notes);
  if (report.checks.length > 0) {
    out.push('', 'Expectations:');
    for (const r of report.checks) out.push(`  ${renderCheckLine(r)}`);
    const bad = report.checks.filter((r) => r.outcome !== 'pass');
    if (bad.length > 0) {
      out.push('');
      for (const r of bad) out.push(renderCheckDetail(r));
    }
  }
  const asserted = report.assertions ?? [];
  if (asserted.length > 0) {
    out.push('', 'Assertions:');
    for (const r of asserted) out.push(`  ${renderAssertionLine(r)}`);
    const bad = asserted.filter((r) => r.outcome !== 'pass');
    if (bad.length > 0) {
      out.push('');
      for (const r of bad) out.push(renderAssertionDetail(r));
    }
  }
  const total = report.checks.length + asserted.length;
  const held =
    report.checks.filter((c) => c.outcome === 'pass').length +
    asserted.filter((a) => a.outcome === 'pass').length;
  const summary =
    report.verdict === 'pass'
      ? `PASS: ${report.scenario} — all ${total} expectations hold (${(report.durationMs / 1000).toFixed(1)} s)`
      : report.verdict === 'fail'
        ? `FAIL: ${report.scenario} — ${total - held} of ${total} expectations did not hold`
        : `ERROR: ${report.scenario} — ${failedHosts.length > 0 ? `${counted(failedHosts.length, 'host')} failed` : 'some probes could not run'}`;
  out.push('', summary);
  return `${out.join('\n')}\n`;
}

/**
 * The report as plain JSON for tools (no class instances, errors flattened); `topology` is what the
 * plan built (src/picture/from-plan.ts), for pictures of the run.
 */
export function reportToJson(report: RunReport, extra: { topology?: object } = {}): unknown {
  return {
    scenario: report.scenario,
    verdict: report.verdict,
    durationMs: report.durationMs,
    hosts: report.hosts.map((h) => ({
      host: h.host,
      engine: h.engine,
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
    })),
    ...(report.assertions && { assertions: report.assertions.map(assertionToJson) }),
    checks: report.checks.map((c) => ({
      id: c.check.id,
      from: c.check.from,
      to: { ...c.check.to, address: c.address },
      expect: c.check.expect,
      reason: c.check.reason,
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
