/**
 * Text the way Python's str methods see it, since Ansible's INI plugin reads lines with
 * `str.splitlines()` and trims them with `str.strip()`, which know more line breaks and blanks than
 * JavaScript's split and trim.
 */
// eslint-disable-next-line no-control-regex -- Python's splitlines() breaks at these too
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;
const PY_SPACE = '[\\s\\x1c-\\x1f\\x85]';
const LEADING = new RegExp(`^${PY_SPACE}+`);
const TRAILING = new RegExp(`${PY_SPACE}+$`);

export function splitLines(text: string): string[] {
  const lines = text.replace(/^\uFEFF/, '').split(LINE_BREAK);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function pyStrip(text: string): string {
  return text.replace(LEADING, '').replace(TRAILING, '');
}
