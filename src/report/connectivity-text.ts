/**
 * `lab check connectivity` on a terminal: hosts that failed, the matrix, then every FAIL and ERROR
 * with the address probed, the reason it was expected, what was seen and the command that repeats
 * it by hand; last a one-line summary.
 */
import { counted } from './counted.js';
import type { ConnectivityReport } from '../probe/connectivity-model.js';
import { renderMatrix } from './matrix-text.js';
import type { Style } from './style.js';
import { claimOfCell, explainProbe } from './probe-detail.js';

export interface RoundTrips {
  sshConnections: number;
  sshCommands: number;
  /** Engine operations (DockerClient calls). */
  dockerCalls: number;
  /** The HTTP requests behind them, over the hosts' SSH connections. */
  dockerRequests: number;
  probers: number;
}

export function summaryLine(report: ConnectivityReport, trips: RoundTrips): string {
  const n = report.results.length;
  const count = (o: string) => report.results.filter((r) => r.outcome === o).length;
  const pass = count('pass');
  const fail = count('fail');
  const error = count('error');
  const differs = count('differs');
  const reach = report.results.filter((r) => r.outcome === 'pass' && r.reached).length;
  const hostsDown = report.hosts.filter((h) => h.error).length;
  const hostsNote = `${counted(report.matrix.sources.length, 'source')} on ${counted(report.hosts.length, 'host')}`;
  const timing = `${(report.durationMs / 1000).toFixed(1)} s`;
  const trip = [
    counted(trips.sshConnections, 'SSH connection'),
    counted(trips.sshCommands, 'SSH command'),
    counted(trips.dockerRequests, 'Docker API request'),
    counted(trips.probers, 'prober'),
  ].join(', ');
  const head =
    n === 0 && report.verdict === 'pass'
      ? 'NOTHING TO CHECK: no cells'
      : report.verdict === 'pass'
        ? `PASS: all ${n} cells as expected (${reach} reach, ${pass - reach} isolated)`
        : report.verdict === 'differs'
          ? `DIFFERS FROM THE SEED: ${n - differs} of ${n} cells as expected; ${counted(differs, 'cell')} of claims of the seed not borne out by this Docker (above); not a failure of the lab (--strict-seed makes it one)`
          : report.verdict === 'fail'
            ? `FAIL: ${fail} of ${n} cells not as expected${differs ? `; ${differs} DIFFERS FROM THE SEED` : ''}`
            : `ERROR: ${error} of ${n} cells could not be probed${hostsDown ? `, ${counted(hostsDown, 'host')} failed` : ''}${fail ? `; ${fail} FAIL` : ''}`;
  return `${head} — ${hostsNote}, ${timing}; ${trip}`;
}

export function renderConnectivity(
  report: ConnectivityReport,
  trips: RoundTrips,
  style: Style,
  width = 100,
): string {
  const out: string[] = [];
  for (const h of report.hosts.filter((x) => x.error)) {
    out.push(
      style.error(`! ${h.host} (${h.address}): ${h.error?.describe().split('\n').join('\n  ')}`),
    );
  }
  if (out.length > 0) out.push('');
  if (report.matrix.sources.length === 0) {
    out.push('No containers lab deployed were found to probe from.');
  } else {
    out.push(
      renderMatrix(
        { sources: report.matrix.sources, targets: report.matrix.targets, results: report.results },
        style,
        width,
      ).trimEnd(),
    );
  }
  const labels = new Map(report.matrix.targets.map((t) => [t.key, t.label]));
  const hostOf = new Map(report.matrix.sources.map((s) => [`${s.name}@${s.host}`, s.host]));
  const bad = report.results.filter((r) => r.outcome !== 'pass');
  if (bad.length > 0) out.push('');
  for (const r of bad) {
    const claim = claimOfCell(
      r,
      labels.get(r.cell.target) ?? r.cell.target,
      hostOf.get(r.cell.source) ?? '?',
    );
    out.push(explainProbe(r, claim, style));
  }
  // Each expectation once, by its two ends: two of them may share a source and a reason.
  const notes = report.matrix.skipped.map(
    (s) => `note: the scenario's expectation ${s.from} → ${s.to} was not checked: ${s.why}`,
  );
  for (const note of new Set(notes)) out.push(style.dim(note));
  const summary = summaryLine(report, trips);
  out.push(
    '',
    report.verdict === 'pass'
      ? style.pass(summary)
      : report.verdict === 'fail'
        ? style.fail(summary)
        : style.error(summary),
  );
  return `${out.join('\n')}\n`;
}

/** "1 host", "2 hosts". */
