/**
 * A scenario with several mistakes reports all of them at once (up to a cap), sorted by position, so
 * that fixing a file takes one round instead of one per mistake. The error is still a LabError of
 * kind 'input' whose own file:line:column and message are the first problem's.
 */
import { LabError } from '../common/errors.js';
import type { Locator, YamlPath } from './positions.js';
import type { Problem } from './issues.js';

/** At most this many problems are spelled out; the rest are counted. */
export const MAX_PROBLEMS_SHOWN = 20;

export interface LocatedProblem {
  message: string;
  file: string;
  line: number;
  column: number;
  /** The YAML path of the node, e.g. networks[0].driver (also the message's prefix). */
  path: YamlPath;
  hint?: string;
}

export class ScenarioProblems extends LabError {
  /** Every problem found, sorted by position; `describe` and `toJSON` show the first MAX_PROBLEMS_SHOWN. */
  readonly problems: readonly LocatedProblem[];

  constructor(problems: readonly LocatedProblem[]) {
    const first = problems[0];
    if (!first) throw new Error('ScenarioProblems needs at least one problem');
    super('input', first.message, {
      file: first.file,
      line: first.line,
      column: first.column,
      ...(first.hint !== undefined && { hint: first.hint }),
    });
    this.problems = problems;
  }

  /** Each problem as `file:line:col: message` with its hint; then "and N more" past the cap. */
  override describe(): string {
    if (this.problems.length === 1) return super.describe();
    const shown = this.problems.slice(0, MAX_PROBLEMS_SHOWN);
    const lines = [`${this.problems.length} problems in ${this.context.file}:`];
    for (const p of shown) {
      lines.push(`${p.file}:${p.line}:${p.column}: ${p.message}`);
      if (p.hint) lines.push(`  hint: ${p.hint}`);
    }
    const more = this.problems.length - shown.length;
    if (more > 0) lines.push(`… and ${more} more problem(s) not shown`);
    return lines.join('\n');
  }

  override toJSON(): ReturnType<LabError['toJSON']> & {
    problems: Omit<LocatedProblem, 'path'>[];
    problemCount: number;
  } {
    return {
      ...super.toJSON(),
      problemCount: this.problems.length,
      problems: this.problems.slice(0, MAX_PROBLEMS_SHOWN).map(({ path: _path, ...p }) => p),
    };
  }
}

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
