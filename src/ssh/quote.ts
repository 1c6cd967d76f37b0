import { LabError } from '../common/errors.js';

/**
 * Quoting of argv words for a POSIX shell: SSH only carries one command string, which the remote
 * user's login shell parses, so every word must reach the remote program exactly as given.
 */

// Words made only of these characters mean the same quoted or not in any POSIX shell, so they stay
// bare and `lab plan`, logs and error messages read like what a person types. '=' is left out (a
// first word `A=b` would be an assignment), and so are '~' and '#' (tilde expansion, comments).
const SAFE_WORD = /^[A-Za-z0-9_@%+,./:-]+$/;

/**
 * Quotes one word. Single quotes keep everything literal in a POSIX shell, newlines and `$` included;
 * a single quote inside is written as `'\''` (close, escaped quote, reopen).
 */
export function quoteWord(word: string): string {
  if (word.includes('\0')) {
    // A NUL cannot be part of a C string, so no remote program could receive it: say so instead of
    // letting the shell silently cut the word short.
    throw new LabError('input', `a command word contains a NUL byte: ${JSON.stringify(word)}`);
  }
  if (word === '') return "''";
  if (SAFE_WORD.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

// After the first word, `key=value` is a plain argument (`-o parent=eth0`): no assignment there. A
// word starting with '=' stays quoted (zsh expands `=cmd` to a path).
const SAFE_ARGUMENT = /^[A-Za-z0-9_@%+,./:-][A-Za-z0-9_@%+,./:=-]*$/;

/** Quotes one word that is not the first of a command: `parent=eth0` stays as typed. */
export function quoteArgument(word: string): string {
  return SAFE_ARGUMENT.test(word) ? word : quoteWord(word);
}

/** Quotes argv into one command line for a POSIX shell. */
export function quoteCommand(argv: readonly string[]): string {
  if (argv.length === 0) throw new LabError('input', 'an empty command cannot be run');
  const [first, ...rest] = argv;
  return [quoteWord(first as string), ...rest.map(quoteArgument)].join(' ');
}

/**
 * Free text (a `reason`, a regex, a name from a file) made safe to follow `#` in a line a person may
 * paste into a shell: no newline, carriage return, Unicode line break or other control character
 * survives, so nothing can start a line of its own. Each is shown as an escape (`\n`, `\x1b`).
 */
export function commentText(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}
