/**
 * Expectation + what the probe saw → PASS, FAIL or ERROR. A probe that did not run is an ERROR,
 * whatever was expected: "no reply" is only ever a reply that did not come.
 */
import type { Expect } from './matrix-model.js';
import type { ProbeLine } from './probe-script.js';

export type Outcome = 'pass' | 'fail' | 'error';

export interface Judged {
  outcome: Outcome;
  /** True: a reply came back; false: none did; undefined: the probe did not run. */
  reached?: boolean;
}

export function judge(expect: Expect, line: ProbeLine | undefined): Judged {
  if (!line || line.status === 'error') return { outcome: 'error' };
  const reached = line.status === 'reached';
  return { outcome: reached === (expect === 'reach') ? 'pass' : 'fail', reached };
}

/** What was observed, in words, for reports. */
export function describeObservation(line: ProbeLine | undefined, kind: 'ip' | 'name'): string {
  if (!line) return 'no result: the probe script was cut short';
  if (line.status === 'error') return line.detail ?? 'the probe could not run';
  const tries = `${line.attempts} attempt${line.attempts === 1 ? '' : 's'}, ${line.durationMs} ms`;
  const via = line.iface ? ` via ${line.iface}` : '';
  if (kind === 'name' && line.resolved === false) return `the name did not resolve (${tries})`;
  const resolved = kind === 'name' && line.resolved ? 'resolved; ' : '';
  return line.status === 'reached'
    ? `${resolved}a reply came back${via} (${tries})`
    : `${resolved}no reply${via} (ping exit ${line.exitCode ?? '?'}; ${tries})`;
}
