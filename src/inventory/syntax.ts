import ini from 'ini';
import { InventoryProblem, show } from './problem.js';

/**
 * The lexical layer of Ansible's INI inventory: splitting host lines into words, and reading the value
 * of a `[group:vars]` line. Ansible splits host lines with Python's shlex (POSIX mode, `#` comments)
 * and then runs each value through ast.literal_eval; `:vars` values are the text after the first `=`.
 * We do the same, except that values stay strings (see docs/inventory.md).
 */

const QUOTE_HINT =
  'close the quote; a quote that belongs to the value is written \\" (or \\\' outside quotes)';

/**
 * Splits a host line the way Python's shlex.split(line, comments=True) does: words separated by
 * blanks; '…' is literal; "…" takes \" and \\ as escapes; a backslash outside quotes escapes the next
 * character; an unquoted `#` starts a comment, also in the middle of a word (`a=b#c` is `a=b`).
 * An unterminated quote is an error.
 */
export function splitHostLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const c = line[i] ?? '';
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i += 1;
    } else if (c === '#') {
      break;
    } else if (c === '\\') {
      const next = line[i + 1];
      if (next === undefined) {
        throw new InventoryProblem(
          'the line ends with a backslash that escapes nothing',
          'remove the backslash',
        );
      }
      word += next;
      inWord = true;
      i += 2;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end === -1)
        throw new InventoryProblem(`unterminated ' quote in ${show(line.slice(i))}`, QUOTE_HINT);
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      const start = i;
      inWord = true;
      i += 1;
      let closed = false;
      while (i < line.length) {
        const d = line[i] ?? '';
        if (d === '"') {
          closed = true;
          i += 1;
          break;
        }
        const next = line[i + 1];
        if (d === '\\' && (next === '"' || next === '\\')) {
          word += next;
          i += 2;
        } else {
          word += d;
          i += 1;
        }
      }
      if (!closed)
        throw new InventoryProblem(
          `unterminated " quote in ${show(line.slice(start))}`,
          QUOTE_HINT,
        );
    } else {
      word += c;
      inWord = true;
      i += 1;
    }
  }
  if (inWord) words.push(word);
  return words;
}

const DOUBLE_QUOTED = /^"(?:[^"\\]|\\.)*"$/s;
const SINGLE_QUOTED = /^'(?:[^'\\]|\\.)*'$/s;

/**
 * A value that is one whole quoted string loses its quotes, as Ansible's literal_eval would do
 * (`x="'03#pa33w0rd'"` on a host line is `03#pa33w0rd` there, and here). Anything else is returned
 * unchanged: numbers, True, lists stay text. "…" is decoded with ini's quoted-value decoder (JSON
 * escapes: \" \\ \n \t \uXXXX), the convention the `ini` library reads and writes; '…' is taken
 * literally apart from \' and \\.
 */
export function unquoteValue(value: string): string {
  if (DOUBLE_QUOTED.test(value)) {
    const decoded = ini.unsafe(value);
    // ini.unsafe hands back its input when JSON.parse refuses it (an escape JSON lacks, like \x41).
    if (typeof decoded !== 'string' || decoded === value) {
      throw new InventoryProblem(
        `cannot decode the quoted value ${value}: inside "…" only \\" \\\\ \\n \\t \\r \\/ \\b \\f and \\uXXXX are escapes`,
        "write the value in single quotes ('…'), which take everything literally",
      );
    }
    return decoded;
  }
  if (SINGLE_QUOTED.test(value)) return value.slice(1, -1).replace(/\\(['\\])/g, '$1');
  return value;
}

/**
 * The value of a `[group:vars]` line: the text after the first `=`, trimmed, without a trailing
 * ` # comment`; a value that is one quoted string loses its quotes (see unquoteValue). A value
 * opening a quote it never closes is an error.
 */
export function parseVarsValue(raw: string): string {
  const text = raw.trim();
  const quote = text[0];
  if (quote === '"' || quote === "'") {
    let end = -1;
    for (let i = 1; i < text.length; i += 1) {
      const c = text[i];
      if (c === '\\') i += 1;
      else if (c === quote) {
        end = i;
        break;
      }
    }
    if (end === -1)
      throw new InventoryProblem(`unterminated ${quote} quote in ${show(text)}`, QUOTE_HINT);
    const rest = text.slice(end + 1);
    if (/^\s*(?:#.*)?$/.test(rest)) return unquoteValue(text.slice(0, end + 1));
  }
  return stripTrailingComment(text);
}

/** Removes a ` # comment` (a `#` after a blank) from the end of a line or value. */
export function stripTrailingComment(text: string): string {
  const m = /\s#/.exec(text);
  return (m ? text.slice(0, m.index) : text).trimEnd();
}
