import type { Step } from './model.js';

/**
 * Orders steps so that each comes after everything it depends on, keeping the written order
 * otherwise (a stable topological sort), so that `lab plan` reads like the scenario file.
 */
export function orderSteps<S extends Step>(steps: readonly S[]): S[] {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const done = new Set<string>();
  const visiting = new Set<string>();
  const out: S[] = [];
  const visit = (s: S) => {
    if (done.has(s.id)) return;
    if (visiting.has(s.id)) throw new Error(`dependency cycle through ${s.id}`);
    visiting.add(s.id);
    for (const dep of s.dependsOn) {
      const d = byId.get(dep);
      if (d) visit(d);
    }
    visiting.delete(s.id);
    done.add(s.id);
    out.push(s);
  };
  for (const s of steps) visit(s);
  return out;
}
