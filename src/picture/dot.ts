/** The topology as Graphviz DOT: a cluster per host, overlay networks and segments outside them. */
import type { GEdge, GNode, Graph } from './graph.js';

const EDGE_STYLE: Record<GEdge['kind'], string> = {
  attach: '',
  parent: ', style=dashed, color="#bc4c00"',
  vlan: ', style=dotted',
  cable: ', penwidth=2',
};
const NODE_STYLE: Record<GNode['kind'], string> = {
  host: '',
  container: 'color="#0969da"',
  network: 'style=filled, fillcolor="#dafbe1", color="#1a7f37"',
  overlay: 'style=filled, fillcolor="#fbefff", color="#8250df"',
  nic: 'style=filled, fillcolor="#eaeef2"',
  segment: 'style=filled, fillcolor="#57606a", fontcolor="#ffffff"',
};

const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const label = (n: GNode) => q(n.lines.join('\n')).replace(/\n/g, '\\n');

export function renderDot(graph: Graph): string {
  const out = [
    'graph lab {',
    '  rankdir=TB;',
    '  node [shape=box, fontname="monospace", fontsize=10];',
    '  edge [fontname="monospace", fontsize=9];',
  ];
  const node = (n: GNode, indent: string) =>
    `${indent}${q(n.id)} [label=${label(n)}${NODE_STYLE[n.kind] ? `, ${NODE_STYLE[n.kind]}` : ''}];`;
  for (const [i, host] of graph.nodes.filter((n) => n.kind === 'host').entries()) {
    out.push(`  subgraph cluster_${i} {`, `    label=${label(host)};`);
    for (const n of graph.nodes.filter((x) => x.parent === host.id)) out.push(node(n, '    '));
    out.push('  }');
  }
  for (const n of graph.nodes.filter((x) => x.kind !== 'host' && !x.parent))
    out.push(node(n, '  '));
  for (const e of graph.edges) {
    out.push(
      `  ${q(e.from)} -- ${q(e.to)} [${e.label ? `label=${q(e.label)}` : 'label=""'}${EDGE_STYLE[e.kind]}];`,
    );
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}
