/**
 * A laid-out topology as one SVG document: boxes for hosts, containers, networks, NICs and segments,
 * lines for attachments (labelled with the address), macvlan parents, VLANs and cables. Every box
 * and line carries data-node / data-edge attributes, so the HTML report can highlight a path.
 */
import { xmlEscape } from '../common/xml.js';
import { LAYOUT, type Placed, type PlacedEdge, type PlacedNode } from './layout.js';

/** The picture's own styles: a standalone .svg file and the HTML report look alike. */
export const SVG_STYLE = `
.topo text{font:${LAYOUT.FONT_PX}px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;fill:#1f2328}
.topo .node rect{stroke-width:1.2}
.topo .host>rect{fill:#f6f8fa;stroke:#8c959f;stroke-width:1.5}
.topo .host.failed>rect{stroke:#cf222e;stroke-dasharray:6 3}
.topo .container rect{fill:#fff;stroke:#0969da}
.topo .container.failed rect{stroke:#cf222e;stroke-dasharray:4 2}
.topo .network rect{fill:#dafbe1;stroke:#1a7f37}
.topo .network.driver-macvlan rect,.topo .network.driver-ipvlan rect{fill:#fff1e5;stroke:#bc4c00}
.topo .overlay rect{fill:#fbefff;stroke:#8250df}
.topo .nic rect{fill:#eaeef2;stroke:#57606a}
.topo .segment rect{fill:#57606a;stroke:#24292f}
.topo .segment text{fill:#fff}
.topo .edge{fill:none;stroke:#8c959f;stroke-width:1.2}
.topo .edge.parent{stroke:#bc4c00;stroke-dasharray:5 3}
.topo .edge.vlan{stroke:#57606a;stroke-dasharray:2 2}
.topo .edge.cable{stroke:#24292f;stroke-width:2}
.topo .elabel{font-size:10px;fill:#57606a}
.topo .title{font-weight:600}
`;

const r = (n: number) => Math.round(n * 10) / 10;

function nodeSvg(n: PlacedNode): string {
  // The driver's class is prefixed: Docker's own `host` network must not style (or count) as a host.
  const cls = ['node', n.kind, n.driver ? `driver-${n.driver}` : '', n.failed ? 'failed' : '']
    .filter(Boolean)
    .join(' ');
  const lines = n.lines
    .map((line, i) => {
      const y = r(n.y + 4 + (i + 1) * LAYOUT.LINE_H - 3);
      return `<text x="${r(n.x + 8)}" y="${y}"${i === 0 ? ' class="title"' : ''}>${xmlEscape(line)}</text>`;
    })
    .join('');
  const title = `<title>${xmlEscape(n.lines.join('\n'))}</title>`;
  return `<g class="${cls}" data-node="${xmlEscape(n.id)}">${title}<rect x="${r(n.x)}" y="${r(n.y)}" width="${r(n.width)}" height="${r(n.height)}" rx="${n.kind === 'host' ? 6 : 3}"/>${lines}</g>`;
}

function edgeSvg(e: PlacedEdge): string {
  if (e.points.length === 0) return '';
  const d = e.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${r(p.x)} ${r(p.y)}`).join('');
  const label =
    e.label && e.labelAt
      ? `<text class="elabel" x="${r(e.labelAt.x)}" y="${r(e.labelAt.y)}" >${xmlEscape(e.label)}</text>`
      : '';
  return `<g data-edge="${e.id}" data-from="${xmlEscape(e.from)}" data-to="${xmlEscape(e.to)}"><path class="edge ${e.kind}" d="${d}"/>${label}</g>`;
}

/** The SVG element; `standalone` adds the XML namespace and the styles, for a file of its own. */
export function renderSvg(
  placed: Placed,
  options: { standalone: boolean; title?: string },
): string {
  const w = Math.ceil(placed.width);
  const h = Math.ceil(placed.height);
  // Hosts first, so the boxes inside them are drawn on top.
  const hosts = placed.nodes.filter((n) => n.kind === 'host').map(nodeSvg);
  const others = placed.nodes.filter((n) => n.kind !== 'host').map(nodeSvg);
  return [
    `<svg class="topo"${options.standalone ? ' xmlns="http://www.w3.org/2000/svg"' : ''} viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img">`,
    options.title ? `<title>${xmlEscape(options.title)}</title>` : '',
    options.standalone ? `<style>${SVG_STYLE}</style>` : '',
    `<rect width="${w}" height="${h}" fill="#fff"/>`,
    ...hosts,
    ...placed.edges.map(edgeSvg),
    ...others,
    '</svg>',
  ].join('\n');
}
