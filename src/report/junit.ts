/**
 * `lab check connectivity --junit FILE`: one test suite per source container, one test case per
 * cell; FAIL is a <failure>, ERROR an <error>, so CI tells a broken network from a broken setup.
 * Written by hand: the format is small, and escaping is all it needs.
 */
import type { CellResult, ConnectivityReport } from '../probe/connectivity-model.js';
import { containerKey } from '../probe/topology.js';
import { xmlEscape } from '../common/xml.js';

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function testcase(r: CellResult, label: string): string {
  const name = `${r.cell.source} → ${label}: ${r.cell.expect === 'reach' ? 'reaches' : 'does not reach'}`;
  const open = `    <testcase classname="${xmlEscape(`lab.connectivity.${r.cell.source}`)}" name="${xmlEscape(name)}" time="${seconds(r.durationMs)}">`;
  const body = [
    `expected: ${r.cell.expect} (${r.cell.origin}) — ${r.cell.reason}`,
    `observed: ${r.observed}`,
    `probed: ${r.address}${r.iface ? ` via ${r.iface}` : ''}`,
    `reproduce: ${r.reproduce}`,
  ].join('\n');
  const inner =
    r.outcome === 'fail'
      ? `      <failure type="FAIL" message="${xmlEscape(`expected ${r.cell.expect}; ${r.observed}`)}">${xmlEscape(body)}</failure>`
      : r.outcome === 'error'
        ? `      <error type="ERROR" message="${xmlEscape(r.observed)}">${xmlEscape(body)}</error>`
        : `      <system-out>${xmlEscape(body)}</system-out>`;
  return `${open}\n${inner}\n    </testcase>`;
}

export function connectivityToJunit(report: ConnectivityReport, timestamp: string): string {
  const labels = new Map(report.matrix.targets.map((t) => [t.key, t.label]));
  const count = (rs: readonly CellResult[], o: string) => rs.filter((r) => r.outcome === o).length;
  const suites = report.matrix.sources.map((s) => {
    const key = containerKey(s);
    const rs = report.results.filter((r) => r.cell.source === key);
    const time = rs.reduce((m, r) => Math.max(m, r.durationMs), 0);
    return [
      `  <testsuite name="${xmlEscape(key)}" tests="${rs.length}" failures="${count(rs, 'fail')}" errors="${count(rs, 'error')}" skipped="0" time="${seconds(time)}" timestamp="${xmlEscape(timestamp)}" hostname="${xmlEscape(s.host)}">`,
      ...rs.map((r) => testcase(r, labels.get(r.cell.target) ?? r.cell.target)),
      '  </testsuite>',
    ].join('\n');
  });
  const all = report.results;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="lab check connectivity" tests="${all.length}" failures="${count(all, 'fail')}" errors="${count(all, 'error')}" time="${seconds(report.durationMs)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
