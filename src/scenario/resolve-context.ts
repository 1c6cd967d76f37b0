/**
 * What the resolution steps share: the document (for positions), the inventory, the substituted and
 * validated data, and error helpers that prefix the YAML path like the schema errors do.
 */
import type { LabError } from '../common/errors.js';
import type { Inventory } from '../inventory/model.js';
import { errorAt, type ScenarioDocument } from './document.js';
import { formatPath, type YamlPath } from './positions.js';
import type { ScenarioSource } from './schema.js';

export interface ResolveContext {
  doc: ScenarioDocument;
  inventory: Inventory;
  /** After substitution and the 'final' schema: every string has its final value and format. */
  source: ScenarioSource;
  vars: Map<string, string>;
}

/** `networks[1].subnet: <text>` at that node. */
export function fail(ctx: ResolveContext, path: YamlPath, text: string, hint?: string): LabError {
  return errorAt(ctx.doc, path, `${formatPath(path)}: ${text}`, hint ? { hint } : {});
}
