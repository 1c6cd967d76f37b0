/**
 * Input with several mistakes reports all of them at once (up to a cap), sorted by position, so that
 * fixing a file takes one round instead of one per mistake. The error is still a LabError of kind
 * 'input' whose own file:line:column, message and hint are the first problem's.
 */
import { LabError } from './errors.js';

/** At most this many problems are spelled out; the rest are counted. */
export const MAX_PROBLEMS_SHOWN = 20;

export interface InputProblem {
  message: string;
  file: string;
  line?: number;
  column?: number;
  hint?: string;
}

export class InputProblems<P extends InputProblem = InputProblem> extends LabError {
  /** Every problem found, sorted by position; `describe` and `toJSON` show the first MAX_PROBLEMS_SHOWN. */
  readonly problems: readonly P[];

  constructor(problems: readonly P[]) {
    const first = problems[0];
    if (!first) throw new Error('InputProblems needs at least one problem');
    super('input', first.message, {
      file: first.file,
      ...(first.line !== undefined && { line: first.line }),
      ...(first.column !== undefined && { column: first.column }),
      ...(first.hint !== undefined && { hint: first.hint }),
    });
    this.problems = problems;
  }

  /** Each problem as `file:line:col: message` with its hint; then "and N more" past the cap. */
  override describe(): string {
    if (this.problems.length === 1) return super.describe();
    const shown = this.problems.slice(0, MAX_PROBLEMS_SHOWN);
    const files = [...new Set(this.problems.map((p) => p.file))];
    const lines = [`${this.problems.length} problems in ${files.join(', ')}:`];
    for (const p of shown) {
      lines.push(`${placeOf(p)}: ${p.message}`);
      if (p.hint) lines.push(`  hint: ${p.hint}`);
    }
    const more = this.problems.length - shown.length;
    if (more > 0) lines.push(`… and ${more} more problem(s) not shown`);
    return lines.join('\n');
  }

  override toJSON(): ReturnType<LabError['toJSON']> & {
    problems: InputProblem[];
    problemCount: number;
  } {
    return {
      ...super.toJSON(),
      problemCount: this.problems.length,
      problems: this.problems
        .slice(0, MAX_PROBLEMS_SHOWN)
        .map(({ message, file, line, column, hint }) => ({
          message,
          file,
          ...(line !== undefined && { line }),
          ...(column !== undefined && { column }),
          ...(hint !== undefined && { hint }),
        })),
    };
  }
}

function placeOf(p: InputProblem): string {
  if (p.line === undefined) return p.file;
  return `${p.file}:${p.line}${p.column !== undefined ? `:${p.column}` : ''}`;
}

/** A LabError of kind 'input' (file, line and hint in its context) as one problem of a list. */
export function problemOf(err: LabError): InputProblem {
  const { file, line, column, hint } = err.context;
  return {
    message: err.message,
    file: file ?? '',
    ...(line !== undefined && { line }),
    ...(column !== undefined && { column }),
    ...(hint !== undefined && { hint }),
  };
}

/**
 * Runs each piece of work, collecting the input errors they throw instead of stopping at the first;
 * one InputProblems for all of them at the end. Anything else thrown goes through at once.
 */
export function collectProblems<T>(items: Iterable<T>, work: (item: T) => void): void {
  const problems: InputProblem[] = [];
  for (const item of items) {
    try {
      work(item);
    } catch (err) {
      if (err instanceof InputProblems) problems.push(...(err.problems as InputProblem[]));
      else if (err instanceof LabError && err.kind === 'input') problems.push(problemOf(err));
      else throw err;
    }
  }
  if (problems.length > 0) throw new InputProblems(problems);
}
