/**
 * What is wrong with one piece of a line, before the parser knows which line it is: the helpers that
 * split host lines, expand ranges and check values throw this, and the parser turns it into a
 * LabError carrying the file and line.
 */
export class InventoryProblem extends Error {
  override readonly name = 'InventoryProblem';
  /** What would have been right, in words. */
  readonly hint: string | undefined;

  constructor(message: string, hint?: string) {
    super(message);
    this.hint = hint;
  }
}

/** A value in a message: quoted, with anything unprintable escaped. */
export function show(value: string): string {
  return JSON.stringify(value);
}
