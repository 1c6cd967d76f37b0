/**
 * Colour for terminal reports, decided once at the CLI edge (TTY, NO_COLOR) and passed in: with
 * colour off every function returns its text unchanged, so a report reads the same without it.
 */
export interface Style {
  pass(text: string): string;
  fail(text: string): string;
  error(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) =>
  `\u001b[${open}m${text}\u001b[${close}m`;

export function makeStyle(colour: boolean): Style {
  if (!colour) {
    const same = (text: string) => text;
    return { pass: same, fail: same, error: same, dim: same, bold: same };
  }
  return {
    pass: wrap(32, 39),
    fail: wrap(31, 39),
    error: wrap(33, 39),
    dim: wrap(2, 22),
    bold: wrap(1, 22),
  };
}
