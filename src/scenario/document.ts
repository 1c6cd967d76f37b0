/** A loaded scenario file: the validated data plus the positions needed to point at any part of it. */
import { LabError } from '../common/errors.js';
import type { Locator, YamlPath } from './positions.js';
import type { ScenarioSource } from './schema.js';

export interface ScenarioDocument {
  /** The path it was loaded from, as given (messages show it as the user typed it). */
  file: string;
  /** The data as written and schema-checked; strings may still hold `${var}` references. */
  source: ScenarioSource;
  /**
   * The top-level host selectors as written (never variables), ['all'] when absent: enough for
   * `lab down` to know where to look without an inventory-resolved scenario.
   */
  hosts: string[];
  locator: Locator;
}

/** A LabError of kind 'input' pointing at the node at `path` (its key when `at` is 'key'). */
export function errorAt(
  doc: ScenarioDocument,
  path: YamlPath,
  message: string,
  options: { hint?: string; at?: 'value' | 'key'; needle?: string } = {},
): LabError {
  const { line, column } =
    options.needle !== undefined
      ? doc.locator.locateText(path, options.needle)
      : doc.locator.locate(path, options.at);
  const context = { file: doc.file, line, column, ...(options.hint ? { hint: options.hint } : {}) };
  return new LabError('input', message, context);
}
