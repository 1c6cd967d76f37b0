/** The one summary table `lab run --all` ends with. */
import type { SuiteEntry } from '../suite/run-all.js';

const MARK: Record<SuiteEntry['verdict'], string> = {
  pass: '✔ PASS',
  differs: '≠ DIFFERS FROM THE SEED',
  fail: '✘ FAIL',
  error: '! ERROR',
  'bad input': '! BAD INPUT',
  interrupted: '! STOPPED',
};

export function renderSuiteTable(
  entries: readonly SuiteEntry[],
  totalMs: number,
  skipped: readonly string[],
): string {
  const rows = entries.map((e) => [
    e.scenario,
    MARK[e.verdict],
    e.total > 0 ? `${e.held}/${e.total}` : '—',
    `${(e.runMs / 1000).toFixed(1)} s`,
    e.down.ok ? `clean (${(e.down.ms / 1000).toFixed(1)} s)` : `FAILED: ${e.down.detail}`,
  ]);
  const head = ['scenario', 'verdict', 'held', 'run', 'lab down'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cols: string[]) =>
    cols.map((c, i) => (i === cols.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
  const passed = entries.filter((e) => e.verdict === 'pass').length;
  const differ = entries.filter((e) => e.verdict === 'differs').length;
  const out = [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  for (const s of skipped) out.push(`${s.padEnd(widths[0] ?? 0)}  not run (stopped)`);
  out.push(
    '',
    `${passed} of ${entries.length + skipped.length} scenarios pass${differ > 0 ? `, ${differ} differ from the seed` : ''}; ${(totalMs / 1000).toFixed(1)} s in all`,
  );
  return `${out.join('\n')}\n`;
}
