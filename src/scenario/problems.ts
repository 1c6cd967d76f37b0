/**
 * A scenario with several mistakes reports all of them at once (common/problems.ts), each placed in
 * the file by its YAML path.
 */
import { InputProblems } from '../common/problems.js';
import type { Locator, YamlPath } from './positions.js';
import type { Problem } from './issues.js';

export { MAX_PROBLEMS_SHOWN } from '../common/problems.js';

export interface LocatedProblem {
  message: string;
  file: string;
  line: number;
  column: number;
  /** The YAML path of the node, e.g. networks[0].driver (also the message's prefix). */
  path: YamlPath;
  hint?: string;
}

/** A scenario's problems, each placed at its line and column (InputProblems says how they show). */
export class ScenarioProblems extends InputProblems<LocatedProblem> {}

/** Problems from the schema, placed in the file and sorted by line, then column. */
export function locateProblems(
  problems: readonly Problem[],
  file: string,
  locator: Locator,
  hintFor: (p: Problem) => string | undefined = (p) => p.hint,
): LocatedProblem[] {
  const seen = new Set<string>();
  return problems
    .map((p): LocatedProblem => {
      const { line, column } = locator.locate(p.path, p.at);
      const hint = hintFor(p);
      return { message: p.message, file, line, column, path: p.path, ...(hint && { hint }) };
    })
    .filter((p) => {
      // Two branches of a union may say the same thing about the same place: say it once.
      const key = `${p.line}:${p.column}:${p.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.line - b.line || a.column - b.column);
}
