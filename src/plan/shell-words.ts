/**
 * Quotes one word for display as a POSIX shell command, only when it needs quoting, so that rendered
 * plans read like what a person types (`docker run -d --name vm4 …`) yet paste safely.
 */
export function quoteShellWord(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
