/**
 * The topology as a Mermaid flowchart, for Markdown that renders it (GitHub, GitLab, the transcript):
 * a subgraph per host, overlay networks and segments outside them.
 */
import type { GEdge, GNode, Graph } from './graph.js';

/** Each kind of line, without a label and around one: solid, dotted, thick. */
const ARROW: Record<GEdge['kind'], [string, [string, string]]> = {
  attach: ['---', ['--', '---']],
  parent: ['-.-', ['-.', '.-']],
  vlan: ['-.-', ['-.', '.-']],
  cable: ['===', ['==', '===']],
};

export function renderMermaid(graph: Graph): string {
  const ids = new Map(graph.nodes.map((n, i) => [n.id, `${n.kind[0]}${i}`]));
  const id = (node: string) => ids.get(node) ?? 'x';
  const label = (n: GNode) => `["${n.lines.map(text).join('<br/>')}"]`;
  const out = ['flowchart TB'];
  for (const host of graph.nodes.filter((n) => n.kind === 'host')) {
    out.push(`  subgraph ${id(host.id)}${label(host)}`);
    for (const n of graph.nodes.filter((x) => x.parent === host.id)) {
      out.push(`    ${id(n.id)}${label(n)}:::${n.kind}`);
    }
    out.push('  end');
  }
  for (const n of graph.nodes.filter((x) => x.kind !== 'host' && !x.parent)) {
    out.push(`  ${id(n.id)}${label(n)}:::${n.kind}`);
  }
  for (const e of graph.edges) {
    if (!ids.has(e.from) || !ids.has(e.to)) continue;
    const [plain, [open, close]] = ARROW[e.kind];
    out.push(
      e.label
        ? `  ${id(e.from)} ${open} "${text(e.label)}" ${close} ${id(e.to)}`
        : `  ${id(e.from)} ${plain} ${id(e.to)}`,
    );
  }
  out.push(
    '  classDef container fill:#fff,stroke:#0969da',
    '  classDef network fill:#dafbe1,stroke:#1a7f37',
    '  classDef overlay fill:#fbefff,stroke:#8250df',
    '  classDef nic fill:#eaeef2,stroke:#57606a',
    '  classDef segment fill:#57606a,stroke:#24292f,color:#fff',
  );
  return `${out.join('\n')}\n`;
}

/** Mermaid label text: quotes and angle brackets as entity codes, so no label ends early. */
function text(s: string): string {
  return s.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}
