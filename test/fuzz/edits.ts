/** Text mutations for the fuzzers: lines deleted, repeated, swapped, re-indented, cut; words put in. */
import fc from 'fast-check';

/** One edit of a text: lines deleted, repeated, swapped, re-indented, cut; words put in. */
const edit = (words: readonly string[]) =>
  fc.oneof(
    fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
    fc.record({ op: fc.constant('duplicate' as const), at: fc.nat() }),
    fc.record({ op: fc.constant('swap' as const), at: fc.nat(), to: fc.nat() }),
    fc.record({
      op: fc.constant('indent' as const),
      at: fc.nat(),
      by: fc.integer({ min: -4, max: 4 }),
    }),
    fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({
      op: fc.constant('insert' as const),
      at: fc.nat(),
      text: fc.constantFrom(...words),
    }),
    fc.record({
      op: fc.constant('replace' as const),
      at: fc.nat(),
      text: fc.constantFrom(...words),
    }),
    fc.record({
      op: fc.constant('chars' as const),
      at: fc.nat(),
      text: fc.string({ maxLength: 8, unit: 'binary' }),
    }),
  );
type Edit = typeof edit extends (w: readonly string[]) => fc.Arbitrary<infer E> ? E : never;

function applyEdit(text: string, e: Edit): string {
  const lines = text.split('\n');
  const i = lines.length === 0 ? 0 : e.at % lines.length;
  switch (e.op) {
    case 'delete':
      lines.splice(i, 1);
      return lines.join('\n');
    case 'duplicate':
      lines.splice(i, 0, lines[i] ?? '');
      return lines.join('\n');
    case 'swap': {
      const j = e.to % Math.max(1, lines.length);
      [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? ''];
      return lines.join('\n');
    }
    case 'indent': {
      const line = lines[i] ?? '';
      lines[i] =
        e.by >= 0 ? ' '.repeat(e.by) + line : line.replace(new RegExp(`^ {0,${-e.by}}`), '');
      return lines.join('\n');
    }
    case 'truncate':
      return text.slice(0, e.at % (text.length + 1));
    case 'insert':
    case 'chars': {
      const at = e.at % (text.length + 1);
      return text.slice(0, at) + e.text + text.slice(at);
    }
    case 'replace': {
      // Replace the word (run of non-space characters) at a position.
      const at = e.at % (text.length + 1);
      const start = text.slice(0, at).search(/\S*$/);
      const end = at + (text.slice(at).match(/^\S*/)?.[0].length ?? 0);
      return text.slice(0, start) + e.text + text.slice(end);
    }
  }
}

/** One to six edits with words from `words`. */
export const editsOf = (words: readonly string[]) =>
  fc.array(edit(words), { minLength: 1, maxLength: 6 });

export function applyEdits(text: string, edits: readonly Edit[]): string {
  return edits.reduce(applyEdit, text);
}
