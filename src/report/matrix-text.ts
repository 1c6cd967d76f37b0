/**
 * The reachability matrix on a terminal: one row per source container, one numbered column per
 * target, one symbol per cell, then the numbered targets and a legend. Every symbol has its own
 * shape, so it reads the same without colour; columns that do not fit the width continue in a
 * second block.
 */
import type { MatrixTarget, TargetKind } from '../probe/matrix-model.js';
import type { CellResult } from '../probe/probe-result.js';
import type { TopoContainer } from '../probe/topology.js';
import { containerKey } from '../probe/topology.js';
import type { Style } from './style.js';

export const SYMBOLS = {
  reached: '●',
  isolated: '○',
  fail: '✘',
  differs: '≠',
  error: '!',
  none: '·',
} as const;

/** The symbols' meanings; DIFFERS only when a cell has it (most matrices carry no claim of the seed). */
export function legend(style: Style, differs = false): string {
  return [
    `${style.pass(SYMBOLS.reached)} reaches, as expected`,
    `${style.pass(SYMBOLS.isolated)} does not reach, as expected`,
    `${style.fail(SYMBOLS.fail)} FAIL: the opposite of what was expected`,
    ...(differs
      ? [`${style.error(SYMBOLS.differs)} DIFFERS FROM THE SEED: the opposite of the seed's claim`]
      : []),
    `${style.error(SYMBOLS.error)} ERROR: could not be probed`,
    `${style.dim(SYMBOLS.none)} no cell (itself)`,
  ].join('   ');
}

export function cellSymbol(r: CellResult | undefined, style: Style): string {
  if (!r) return style.dim(SYMBOLS.none);
  if (r.outcome === 'error') return style.error(SYMBOLS.error);
  if (r.outcome === 'fail') return style.fail(SYMBOLS.fail);
  if (r.outcome === 'differs') return style.error(SYMBOLS.differs);
  return style.pass(r.reached ? SYMBOLS.reached : SYMBOLS.isolated);
}

const GROUP: Record<TargetKind | 'port', string> = {
  container: 'container addresses',
  gateway: 'network gateways',
  host: "hosts' own addresses",
  name: 'container names (resolved by Docker’s DNS)',
  address: 'other addresses',
  port: 'ports (TCP: a connection is accepted; UDP: the datagram is not refused)',
};

export interface MatrixTextInput {
  sources: readonly TopoContainer[];
  targets: readonly MatrixTarget[];
  results: readonly CellResult[];
}

export function renderMatrix(input: MatrixTextInput, style: Style, width = 100): string {
  const { sources, targets } = input;
  const byPair = new Map(input.results.map((r) => [`${r.cell.source} ${r.cell.target}`, r]));
  const rowLabels = sources.map((s) => containerKey(s));
  const labelWidth = Math.max(6, ...rowLabels.map((l) => l.length)) + 2;
  const colWidth = Math.max(3, String(targets.length).length + 1);
  const perBlock = Math.max(1, Math.floor((width - labelWidth) / colWidth));
  const out: string[] = [];
  for (let start = 0; start < targets.length; start += perBlock) {
    const block = targets.slice(start, start + perBlock);
    out.push(
      ' '.repeat(labelWidth) +
        block.map((_, i) => String(start + i + 1).padStart(colWidth)).join(''),
    );
    for (const [row, source] of sources.entries()) {
      const key = rowLabels[row] ?? '';
      const cells = block.map((t) => {
        const symbol = cellSymbol(byPair.get(`${key} ${t.key}`), style);
        return ' '.repeat(colWidth - 1) + symbol;
      });
      const label = source.unavailable ? style.error(key) : key;
      out.push(label + ' '.repeat(labelWidth - key.length) + cells.join(''));
    }
    if (start + perBlock < targets.length) out.push('');
  }
  out.push('', 'Targets:');
  let group: TargetKind | 'port' | undefined;
  const numWidth = String(targets.length).length;
  for (const [i, t] of targets.entries()) {
    const kind = t.port ? 'port' : t.kind;
    if (kind !== group) {
      group = kind;
      out.push(`  ${style.dim(GROUP[kind])}`);
    }
    out.push(`  ${String(i + 1).padStart(numWidth)}  ${t.label}${whereOf(t)}`);
  }
  out.push(
    '',
    legend(
      style,
      input.results.some((r) => r.outcome === 'differs'),
    ),
  );
  return `${out.join('\n')}\n`;
}

function whereOf(t: MatrixTarget): string {
  switch (t.kind) {
    case 'container':
      return `  (${t.network} on ${t.host})`;
    case 'gateway':
      return `  (${t.network}, ${t.driver})`;
    case 'name':
      return `  (on ${t.host})`;
    default:
      return '';
  }
}
