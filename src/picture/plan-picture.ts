/** A plan's topology as a standalone SVG file (`lab graph`, the pictures in docs/). */
import type { Plan } from '../plan/model.js';
import { topologyOfPlan } from './from-plan.js';
import { graphOf } from './graph.js';
import { layoutGraph } from './layout.js';
import { renderSvg } from './svg.js';

export async function planSvg(plan: Plan): Promise<string> {
  const placed = await layoutGraph(graphOf(topologyOfPlan(plan)));
  return `${renderSvg(placed, { standalone: true, title: `${plan.scenario}: the topology` })}\n`;
}
