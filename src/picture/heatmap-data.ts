/**
 * The matrix in the form the HTML report carries it: thousands of cells in a few compact strings.
 * Repeated texts (reasons, observations, commands) go once into a string table; in each text the
 * cell's own address, source and target names become one-character placeholders first, so a
 * reason written for every pair is stored once. Every index is a fixed-width base-64 number in one
 * string per column. DECODE_JS, the page's decoder, gives back exactly the cells encoded (a unit test
 * runs it).
 */
import {
  containerKey,
  type PicCell,
  type PicMatrix,
  type PicTarget,
  type PicTopology,
} from './model.js';
import { networkNode, nodeId } from './graph.js';

const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** Placeholders: characters no report text has (they are refused in input, see `templated`). */
const HOLES = ['\u0001', '\u0002', '\u0003', '\u0004', '\u0005'] as const;
/** Durations are stored as ms + 1 (0: none) in 3 digits; a longer one is left in its text. */
const MS_WIDTH = 3;
const MS_MAX = 64 ** MS_WIDTH - 2;

/** Outcome and what was seen, one letter: reached or isolated as expected, FAIL, ERROR. */
export type CellCode = 'r' | 'i' | 'f' | 'e' | 'd';

export interface EncodedMatrix {
  /** [name, host, networks it is on]. */
  sources: [string, string, string[]][];
  /** [label, kind, host, networks it is on, topology node, address]. */
  targets: [string, string, string, string[], string, string][];
  /** One letter per cell (CellCode). */
  outcome: string;
  /** One letter per cell: R must reach, N must not. */
  expect: string;
  width: number;
  /** Fixed-width numbers, one per cell: source, target, address, reason, observed, reproduce. */
  columns: {
    source: string;
    target: string;
    address: string;
    reason: string;
    observed: string;
    reproduce: string;
    /** Three digits per cell: the probe's duration in ms + 1, 0 when none. */
    ms: string;
  };
  strings: string[];
}

export function codeOf(c: Pick<PicCell, 'outcome' | 'reached' | 'expect'>): CellCode {
  if (c.outcome === 'error') return 'e';
  if (c.outcome === 'fail') return 'f';
  if (c.outcome === 'differs') return 'd';
  return (c.reached ?? c.expect === 'reach') ? 'r' : 'i';
}

const KIND_ORDER = ['container', 'name', 'gateway', 'host', 'address'];

/** The node a target is on the topology ('' when it is not drawn: an outside address). */
export function targetNode(t: PicTarget, topology: PicTopology): string {
  if ((t.kind === 'container' || t.kind === 'name') && t.container && t.host)
    return nodeId.container(t.host, t.container);
  if (t.kind === 'host' && t.host) return nodeId.host(t.host);
  if (t.kind === 'gateway' && t.network) {
    for (const h of topology.hosts) {
      const n = h.networks.find((x) => x.name === t.network);
      if (n && (t.host === undefined || t.host === h.name))
        return networkNode(h.name, n.name, n.driver);
    }
  }
  return '';
}

/** The encoded matrix, and its cells in the order the page numbers them. */
export function encodeMatrix(
  m: PicMatrix,
  topology: PicTopology,
): { data: EncodedMatrix; cells: PicCell[] } {
  const hostOrder = new Map(topology.hosts.map((h, i) => [h.name, i]));
  const netsOf = networksOf(topology);
  const { sources, targets } = sortAxes(m, hostOrder);
  const sourceIndex = new Map(sources.map((s, i) => [s.key, i]));
  const targetIndex = new Map(targets.map((t, i) => [t.key, i]));
  const table = new Map<string, number>();
  const intern = (s: string) => {
    let i = table.get(s);
    if (i === undefined) table.set(s, (i = table.size));
    return i;
  };
  intern('');
  const nodes = targets.map((t) => targetNode(t, topology));
  const cells = m.cells.filter((c) => sourceIndex.has(c.source) && targetIndex.has(c.target));
  const rows = cells.map((c) => {
    const ti = targetIndex.get(c.target) ?? 0;
    const s = sources[sourceIndex.get(c.source) ?? 0];
    // The target's container name as the decoder finds it: from its topology node.
    const node = nodes[ti] ?? '';
    const container = node.startsWith('c:') ? node.slice(2, node.lastIndexOf('@')) : '';
    const ms = c.durationMs !== undefined && c.durationMs <= MS_MAX ? c.durationMs : undefined;
    const fill = [
      c.address,
      s?.name ?? '',
      container,
      s?.host ?? '',
      ms === undefined ? '' : String(ms),
    ];
    return [
      sourceIndex.get(c.source) ?? 0,
      ti,
      intern(c.address),
      intern(templated(c.reason, fill)),
      intern(templated(c.observed, fill)),
      intern(templated(c.reproduce, fill)),
      ms === undefined ? 0 : ms + 1,
    ];
  });
  const width = Math.max(
    1,
    Math.ceil(Math.log(Math.max(table.size, sources.length, targets.length) + 1) / Math.log(64)),
  );
  const column = (k: number) => rows.map((r) => fixed(r[k] ?? 0, width)).join('');
  const data: EncodedMatrix = {
    sources: sources.map((s) => [s.name, s.host, netsOf.get(s.key) ?? []]),
    targets: targets.map((t, i) => [
      t.label,
      t.kind,
      t.host ?? '',
      t.network
        ? [t.network]
        : t.kind === 'name' && t.container && t.host
          ? (netsOf.get(containerKey({ name: t.container, host: t.host })) ?? [])
          : [],
      nodes[i] ?? '',
      t.address ?? '',
    ]),
    outcome: cells.map(codeOf).join(''),
    expect: cells.map((c) => (c.expect === 'reach' ? 'R' : 'N')).join(''),
    width,
    columns: {
      source: column(0),
      target: column(1),
      address: column(2),
      reason: column(3),
      observed: column(4),
      reproduce: column(5),
      ms: rows.map((r) => fixed(r[6] ?? 0, MS_WIDTH)).join(''),
    },
    strings: [...table.keys()],
  };
  return { data, cells };
}

/** Each container's networks, by container key. */
function networksOf(topology: PicTopology): Map<string, string[]> {
  return new Map(
    topology.hosts.flatMap((h) =>
      h.containers.map((c) => [
        containerKey({ name: c.name, host: h.name }),
        c.networks.map((n) => n.network),
      ]),
    ),
  );
}

/** Sources by host then name; targets by kind, host, then label. */
function sortAxes(
  m: PicMatrix,
  hostOrder: ReadonlyMap<string, number>,
): { sources: PicMatrix['sources']; targets: PicMatrix['targets'] } {
  const sources = [...m.sources].sort(
    (a, b) =>
      (hostOrder.get(a.host) ?? 99) - (hostOrder.get(b.host) ?? 99) || a.name.localeCompare(b.name),
  );
  const targets = [...m.targets].sort(
    (a, b) =>
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
      (hostOrder.get(a.host ?? '') ?? 99) - (hostOrder.get(b.host ?? '') ?? 99) ||
      a.label.localeCompare(b.label, undefined, { numeric: true }),
  );
  return { sources, targets };
}

/** The text with the cell's own values as placeholders; unchanged when it holds a placeholder. */
function templated(text: string, values: string[]): string {
  if (HOLES.some((h) => text.includes(h))) return text;
  let out = text;
  values.forEach((v, i) => {
    if (v.length >= 2) out = out.split(v).join(HOLES[i] as string);
  });
  return out;
}

function fixed(n: number, width: number): string {
  let s = '';
  for (let i = 0; i < width; i++) {
    s = DIGITS[n % 64] + s;
    n = Math.floor(n / 64);
  }
  return s;
}

/**
 * The page's decoder (plain browser JavaScript): EncodedMatrix → {n, s, t, o, x, detail(i)}: each
 * cell's source and target index, outcome and expectation letters; detail(i) its address, duration
 * and texts, filled back in last placeholder first.
 */
export const DECODE_JS = `function decodeMatrix(m) {
  var D = '${DIGITS}', V = new Int8Array(128);
  for (var d = 0; d < 64; d++) V[D.charCodeAt(d)] = d;
  var w = m.width, n = m.outcome.length, c = m.columns;
  // A digit's value by its char code from a table: a search of the 64 digits per digit made the
  // decode of 30,000 cells one of the page's slowest steps.
  function num(col, i, width) { var v = 0; for (var k = 0; k < width; k++) v = v * 64 + V[col.charCodeAt(i * width + k)]; return v; }
  function fill(text, vals) { for (var k = vals.length - 1; k >= 0; k--) if (vals[k].length >= 2) text = text.split(String.fromCharCode(k + 1)).join(vals[k]); return text; }
  function containerOf(tgt) { var node = tgt[4]; return node.indexOf('c:') === 0 ? node.slice(2, node.lastIndexOf('@')) : ''; }
  var s = new Int32Array(n), t = new Int32Array(n);
  for (var i = 0; i < n; i++) { s[i] = num(c.source, i, w); t[i] = num(c.target, i, w); }
  return { n: n, s: s, t: t, o: m.outcome, x: m.expect,
    // The texts of one cell, filled in only when it is shown: a page with thousands opens fast.
    detail: function (i) {
      var a = m.strings[num(c.address, i, w)], ms = num(c.ms, i, ${MS_WIDTH});
      var src = m.sources[s[i]], tgt = m.targets[t[i]];
      var vals = [a, src[0], containerOf(tgt), src[1], ms > 0 ? String(ms - 1) : ''];
      return { address: a, ms: ms > 0 ? ms - 1 : undefined,
        reason: fill(m.strings[num(c.reason, i, w)], vals), observed: fill(m.strings[num(c.observed, i, w)], vals),
        reproduce: fill(m.strings[num(c.reproduce, i, w)], vals) };
    } };
}`;
