/** "1 host", "2 hosts": a count with its noun (regular plurals only). */
export function counted(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
