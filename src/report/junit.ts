/**
 * `lab check connectivity --junit FILE`: one test suite per source container, one test case per
 * cell; FAIL is a <failure>, ERROR an <error>, so CI tells a broken network from a broken setup.
 * A cell of a claim of the seed carries it as <properties> (lab.outcome, seed.section, seed.says,
 * seed.words, docker); DIFFERS FROM THE SEED passes, with both sides in <system-out>, unless
 * --strict-seed makes it a <failure type="DIFFERS FROM THE SEED">.
 * Written by hand: the format is small, and escaping is all it needs.
 */
import type { ConnectivityReport } from '../probe/connectivity-model.js';
import type { CellResult } from '../probe/probe-result.js';
import { containerKey } from '../probe/topology.js';
import { xmlEscape } from '../common/xml.js';
import { OUTCOME_WORD, seedSides } from './seed-lines.js';

/** A DIFFERS counts among the failures only with --strict-seed. */
const failsStrictly = (r: CellResult, o: JunitOptions) =>
  r.outcome === 'differs' && o.strictSeed === true;

const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** JUnit's options: --strict-seed makes a claim of the seed not borne out a <failure>. */
export interface JunitOptions {
  strictSeed?: boolean;
}

/** A cell of a claim of the seed: the claim as properties CI can read, lab's outcome among them. */
function seedProperties(r: CellResult): string[] {
  const seed = r.cell.seed;
  if (!seed) return [];
  const props: [string, string | undefined][] = [
    ['lab.outcome', OUTCOME_WORD[r.outcome]],
    ['seed.section', seed.section],
    ['seed.says', seed.says],
    ['seed.words', seed.words],
    ['docker', r.docker],
  ];
  return [
    '      <properties>',
    ...props.flatMap(([name, value]) =>
      value === undefined ? [] : [`        <property name="${name}" value="${xmlEscape(value)}"/>`],
    ),
    '      </properties>',
  ];
}

function testcase(r: CellResult, label: string, options: JunitOptions): string {
  const name = `${r.cell.source} → ${label}: ${r.cell.expect === 'reach' ? 'reaches' : 'does not reach'}`;
  const open = `    <testcase classname="${xmlEscape(`lab.connectivity.${r.cell.source}`)}" name="${xmlEscape(name)}" time="${seconds(r.durationMs)}">`;
  const host = r.cell.source.split('@')[1] ?? '?';
  const sides =
    r.outcome === 'differs' && r.cell.seed
      ? [
          `${OUTCOME_WORD.differs} (${r.cell.seed.section})`,
          ...seedSides(r.cell.seed, { docker: r.docker }, host, r.evidence).map((l) => l.trim()),
        ]
      : [];
  const body = [
    ...sides,
    `expected: ${r.cell.expect} (${r.cell.origin}) — ${r.cell.reason}`,
    `observed: ${r.evidence}`,
    `probed: ${r.address}${r.iface ? ` via ${r.iface}` : ''}`,
    `reproduce: ${r.reproduce}`,
  ].join('\n');
  const differsMessage = `${sides[1] ?? ''}; ${sides[2] ?? ''}`;
  const inner =
    r.outcome === 'fail'
      ? `      <failure type="FAIL" message="${xmlEscape(`expected ${r.cell.expect}; ${r.evidence}`)}">${xmlEscape(body)}</failure>`
      : r.outcome === 'error'
        ? `      <error type="ERROR" message="${xmlEscape(r.evidence)}">${xmlEscape(body)}</error>`
        : r.outcome === 'differs' && options.strictSeed
          ? `      <failure type="${OUTCOME_WORD.differs}" message="${xmlEscape(differsMessage)}">${xmlEscape(body)}</failure>`
          : `      <system-out>${xmlEscape(body)}</system-out>`;
  return [open, ...seedProperties(r), inner, '    </testcase>'].join('\n');
}

export function connectivityToJunit(
  report: ConnectivityReport,
  timestamp: string,
  options: JunitOptions = {},
): string {
  const labels = new Map(report.matrix.targets.map((t) => [t.key, t.label]));
  const count = (rs: readonly CellResult[], o: string) =>
    rs.filter((r) => r.outcome === o || (o === 'fail' && failsStrictly(r, options))).length;
  const suites = report.matrix.sources.map((s) => {
    const key = containerKey(s);
    const rs = report.results.filter((r) => r.cell.source === key);
    const time = rs.reduce((m, r) => Math.max(m, r.durationMs), 0);
    return [
      `  <testsuite name="${xmlEscape(key)}" tests="${rs.length}" failures="${count(rs, 'fail')}" errors="${count(rs, 'error')}" skipped="0" time="${seconds(time)}" timestamp="${xmlEscape(timestamp)}" hostname="${xmlEscape(s.host)}">`,
      ...rs.map((r) => testcase(r, labels.get(r.cell.target) ?? r.cell.target, options)),
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
