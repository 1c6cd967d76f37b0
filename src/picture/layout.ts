/**
 * Places the graph's boxes and routes its lines with ELK's layered algorithm (elkjs, computed here
 * at report time, so a picture carries no layout code): containers on the left, then networks, NICs,
 * and on the right the segments that join the hosts.
 */
import elkModule from 'elkjs/lib/elk.bundled.js';
import type { GEdge, GNode, Graph } from './graph.js';

export const FONT_PX = 11;
/** Width of one character of the monospace font at FONT_PX, rounded up. */
const CHAR_W = 6.7;
const LINE_H = 14;
const HOST_HEADER = 18;

export interface Point {
  x: number;
  y: number;
}
export interface PlacedNode extends GNode {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface PlacedEdge extends GEdge {
  points: Point[];
  labelAt?: Point;
}
export interface Placed {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

export const textWidth = (text: string) => Math.ceil(text.length * CHAR_W);

function size(n: GNode): { width: number; height: number } {
  const width = Math.max(...n.lines.map(textWidth)) + 16;
  return { width: Math.max(width, 40), height: n.lines.length * LINE_H + 10 };
}

interface ElkShape {
  id: string;
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  children?: ElkShape[];
  edges?: ElkEdgeOut[];
  labels?: ElkShape[];
  layoutOptions?: Record<string, string>;
}
interface ElkEdgeOut {
  id: string;
  sources: string[];
  targets: string[];
  container?: string;
  sections?: { startPoint: Point; endPoint: Point; bendPoints?: Point[] }[];
}

export async function layoutGraph(graph: Graph): Promise<Placed> {
  const ids = new Set(graph.nodes.map((n) => n.id));
  const edges = graph.edges.filter((e) => ids.has(e.from) && ids.has(e.to));
  const shapes = new Map<string, ElkShape>();
  for (const n of graph.nodes) {
    shapes.set(
      n.id,
      n.kind === 'host'
        ? {
            id: n.id,
            children: [],
            layoutOptions: {
              'elk.padding': `[top=${n.lines.length * LINE_H + HOST_HEADER},left=12,bottom=12,right=12]`,
            },
          }
        : { id: n.id, ...size(n) },
    );
  }
  const root: ElkShape = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      // Left to right: hosts stack one under the other, however many there are.
      'elk.direction': 'RIGHT',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.spacing.nodeNode': '14',
      'elk.layered.spacing.nodeNodeBetweenLayers': '34',
      // Hosts, containers and networks in the order the scenario names them.
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
    },
    children: [],
    edges: edges.map((e) => ({
      id: e.id,
      sources: [e.from],
      targets: [e.to],
    })),
  };
  for (const n of graph.nodes) {
    const shape = shapes.get(n.id) as ElkShape;
    const parent = n.parent ? shapes.get(n.parent) : root;
    (parent ?? root).children?.push(shape);
  }
  // A CommonJS module: its export is the constructor (also as .default, which the types describe).
  const elk = new elkModule.default();
  const out = (await elk.layout(root as never)) as unknown as ElkShape;
  return place(graph, edges, out);
}

function place(graph: Graph, edges: GEdge[], out: ElkShape): Placed {
  const abs = new Map<string, ElkShape & Point>();
  const walk = (s: ElkShape, dx: number, dy: number) => {
    const x = dx + (s.x ?? 0);
    const y = dy + (s.y ?? 0);
    abs.set(s.id, { ...s, x, y });
    for (const c of s.children ?? []) walk(c, x, y);
  };
  walk(out, 0, 0);
  const outEdges = new Map<string, ElkEdgeOut>();
  const collect = (s: ElkShape) => {
    for (const e of s.edges ?? []) outEdges.set(e.id, e);
    for (const c of s.children ?? []) collect(c);
  };
  collect(out);
  const nodes = graph.nodes.map((n): PlacedNode => {
    const s = abs.get(n.id);
    return { ...n, x: s?.x ?? 0, y: s?.y ?? 0, width: s?.width ?? 0, height: s?.height ?? 0 };
  });
  const placedEdges = edges.map((e): PlacedEdge => {
    const o = outEdges.get(e.id);
    const base = abs.get(o?.container ?? 'root') ?? { x: 0, y: 0 };
    const shift = (p: Point) => ({ x: base.x + p.x, y: base.y + p.y });
    const points = (o?.sections ?? []).flatMap((s) => [
      shift(s.startPoint),
      ...(s.bendPoints ?? []).map(shift),
      shift(s.endPoint),
    ]);
    // A label is written beside the middle of the line's first stretch.
    const [a, b] = points;
    return {
      ...e,
      points,
      ...(e.label && a && b && { labelAt: { x: (a.x + b.x) / 2 + 4, y: (a.y + b.y) / 2 + 4 } }),
    };
  });
  return { width: out.width ?? 0, height: out.height ?? 0, nodes, edges: placedEdges };
}

export const LAYOUT = { LINE_H, HOST_HEADER, FONT_PX };
