/**
 * The report as one self-contained HTML file: per scenario (or per check), the topology as inline
 * SVG laid out here, the reachability heatmap drawn by the page's own small script from compact data,
 * the expectations and assertions with their verdicts, the hosts' Docker versions, timing and round
 * trips. Nothing is loaded from anywhere: the page's Content-Security-Policy forbids it.
 */
import { xmlEscape as esc } from '../common/xml.js';
import { graphOf } from './graph.js';
import { encodeMatrix, codeOf, type EncodedMatrix } from './heatmap-data.js';
import { layoutGraph } from './layout.js';
import type { Outcome, PicCell, PicReport, PicSection } from './model.js';
import { PAGE_SCRIPT } from './page-script.js';
import { PAGE_STYLE } from './page-style.js';
import { renderSvg } from './svg.js';

const WORD: Record<string, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  error: 'ERROR',
  differs: 'DIFFERS FROM THE SEED',
  'bad input': 'NOT RUN',
  interrupted: 'INTERRUPTED',
};
const GLYPH = { r: '●', i: '○', f: '✘', e: '!', d: '≠' } as const;
/** Above this many cells only the ones that did not pass are listed (the heatmap has them all). */
const LIST_ALL_UP_TO = 300;

const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

export async function renderHtml(report: PicReport, generatedAt: string): Promise<string> {
  const matrices: EncodedMatrix[] = [];
  const sections: string[] = [];
  for (const [i, s] of report.sections.entries()) {
    const { data, cells } = encodeMatrix(s.matrix, s.topology);
    matrices.push(data);
    sections.push(await sectionHtml(s, i, cells, data, report.sections.length > 1));
  }
  // `<` as \u003c: no text in the data can close the script element early.
  const json = JSON.stringify({ sections: matrices }).replace(/</g, '\\u003c');
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(report.title)}: ${esc(verdictWord(report.verdict))}</title>`,
    `<style>${PAGE_STYLE}</style></head><body>`,
    `<h1>${esc(report.title)} <span class="verdict ${report.verdict.replace(' ', '-')}">${esc(verdictWord(report.verdict))}</span></h1>`,
    `<div class="facts"><span>written ${esc(generatedAt)}</span>${report.durationMs !== undefined ? `<span>took <b>${(report.durationMs / 1000).toFixed(1)} s</b></span>` : ''}</div>`,
    summaryHtml(report),
    ...sections,
    '<div class="tip" hidden></div>',
    `<script type="application/json" id="lab-data">${json}</script>`,
    `<script>${PAGE_SCRIPT}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}

function verdictWord(v: PicReport['verdict']): string {
  return WORD[v] ?? v.toUpperCase();
}

function summaryHtml(report: PicReport): string {
  if (!report.summary) return '';
  const rows = report.summary.map(
    (s) =>
      `<tr><td><a href="#s-${esc(s.scenario)}">${esc(s.scenario)}</a></td><td>${esc(verdictWord(s.verdict as Outcome))}</td><td>${s.held} of ${s.total}</td><td>${(s.runMs / 1000).toFixed(1)} s</td></tr>`,
  );
  return `<table><tr><th>scenario</th><th>verdict</th><th>expectations held</th><th>time</th></tr>${rows.join('')}</table>`;
}

async function sectionHtml(
  s: PicSection,
  index: number,
  cells: PicCell[],
  data: EncodedMatrix,
  many: boolean,
): Promise<string> {
  const svg = renderSvg(await layoutGraph(graphOf(s.topology)), {
    standalone: false,
    title: s.title,
  });
  const hosts = s.topology.hosts;
  const facts = s.facts.map(([k, v]) => `<span>${esc(k)} <b>${esc(v)}</b></span>`).join('');
  return [
    `<section class="scenario" id="s-${esc(s.title)}" data-section="${index}">`,
    `<h2>${many ? `${esc(s.title)} — ` : ''}${esc(s.source)} <span class="verdict ${s.verdict.replace(' ', '-')}">${verdictWord(s.verdict)}</span></h2>`,
    `<div class="facts">${facts}</div>`,
    ...s.notes.map((n) => `<p class="o-e">! ${esc(n)}</p>`),
    '<h3>Topology <button class="fit" title="the whole picture in the width of the page, or full size">fit / full size</button></h3>',
    `<div class="pane topo-pane">${svg}</div>`,
    `<h3>Reachability: ${data.sources.length} sources × ${data.targets.length} targets, ${cells.length} cells</h3>`,
    filtersHtml(s, data),
    `<p class="legend">${(['r', 'i', 'f', 'e', 'd'] as const).map((o) => `<span class="o-${o}">${GLYPH[o]} ${LEGEND[o]}</span>`).join('')}</p>`,
    '<div class="heat-row"><div class="pane heat-pane"><div class="heat-sizer"><canvas class="heatmap" role="img" aria-label="reachability heatmap"></canvas></div></div>',
    '<dl class="detail"><dt>Click a cell</dt><dd>its expectation, reason, what was observed and the command that repeats it show here; its path lights up on the topology.</dd></dl></div>',
    expectationsHtml(cells),
    assertionsHtml(s),
    hostsHtml(hosts),
    '</section>',
  ].join('\n');
}

const LEGEND = {
  r: 'reaches, as expected',
  i: 'does not reach, as expected',
  f: 'FAIL: the opposite of what was expected',
  e: 'ERROR: could not be probed',
  d: 'DIFFERS FROM THE SEED: a claim of the seed this engine does not bear out',
};

function filtersHtml(s: PicSection, data: EncodedMatrix): string {
  const hosts = s.topology.hosts.map(
    (h) =>
      `<label><input type="checkbox" data-host="${esc(h.name)}" checked> ${esc(h.name)}</label>`,
  );
  const networks = [...new Set(data.sources.flatMap((x) => x[2]))].sort();
  return [
    '<div class="filters">',
    `<span>hosts:</span>${hosts.join('')}`,
    `<label>network: <select class="network"><option value="">all</option>${networks.map((n) => `<option>${esc(n)}</option>`).join('')}</select></label>`,
    '<label><input type="checkbox" class="problems"> only FAIL and ERROR</label>',
    '<span>zoom: <button data-zoom="0.8" title="smaller">−</button> <button data-zoom="0" title="fit">1:1</button> <button data-zoom="1.25" title="larger">+</button></span>',
    '</div>',
  ].join('');
}

function expectationsHtml(cells: PicCell[]): string {
  const listed = cells.length <= LIST_ALL_UP_TO ? cells : cells.filter((c) => c.outcome !== 'pass');
  const items = listed.map((c) => {
    const code = codeOf(c);
    const i = cells.indexOf(c);
    return `<li data-cell="${i}" class="o-${code}">${GLYPH[code]} ${WORD[c.outcome]} ${esc(c.source)} ${c.expect === 'reach' ? 'reaches' : 'does not reach'} ${esc(c.address)} — ${esc(c.reason)}${c.seed ? ` <i>(${esc(c.seed)})</i>` : ''}</li>`;
  });
  const note =
    listed.length < cells.length
      ? `<p>${cells.length - listed.length} cells passed; the heatmap has them all. Those that did not:</p>`
      : '';
  return `<h3>Expectations</h3>${note}<ul class="problems">${items.join('')}</ul>`;
}

function assertionsHtml(s: PicSection): string {
  if (s.assertions.length === 0) return '';
  const rows = s.assertions.map(
    (a) =>
      `<tr class="o-${codeOf({ outcome: a.outcome, expect: 'reach' })}"><td>${WORD[a.outcome]}</td><td>${esc(a.claim)}</td><td>${esc(a.reason)}${a.seed ? `<br><i>${esc(a.seed)}</i>` : ''}</td><td class="mono">${esc(a.evidence)}</td><td><code>${esc(a.command)}</code></td></tr>`,
  );
  return `<h3>Assertions</h3><table><tr><th></th><th>claim</th><th>why</th><th>observed</th><th>see for yourself</th></tr>${rows.join('')}</table>`;
}

function hostsHtml(hosts: PicSection['topology']['hosts']): string {
  const rows = hosts.map(
    (h) =>
      `<tr><td>${esc(h.name)}</td><td>${esc(h.address ?? '')}</td><td>${esc(h.engine ?? '—')}</td><td>${h.containers.length}</td><td>${esc(h.error ?? '')}</td></tr>`,
  );
  return `<h3>Hosts</h3><table><tr><th>host</th><th>address</th><th>Docker</th><th>containers</th><th></th></tr>${rows.join('')}</table>`;
}
