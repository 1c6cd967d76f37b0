import { InventoryProblem, show } from './problem.js';

/**
 * Ansible's host ranges, as in lib/ansible/plugins/inventory/__init__.py (expand_hostname_range):
 * `web[01:10]`, `db-[a:c]`, `node[1:10:2]`, several per name (`rack[1:2]-node[a:b]`). Ansible's rules
 * kept: an empty start means 0; a start with a leading zero pads every number to its width and then
 * the end must be as wide; letter ranges walk Python's string.ascii_letters (a…z then A…Z). Stricter
 * than Ansible, which silently yields nothing or fails with a Python error: a start after the end, a
 * mix of letter and number, a step of 0, and more than MAX_RANGE_HOSTS names are errors here.
 */

/** Python's string.ascii_letters: the order letter ranges follow. */
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** More names than this from one host line is a typo, not a lab. */
export const MAX_RANGE_HOSTS = 10_000;

const RANGE_HINT =
  'write a range as [start:end] or [start:end:step]: web[1:3], web[01:10], db-[a:c], node[1:9:2]';

/** Expands every `[start:end(:step)]` in a host pattern into host names, in order. */
export function expandHostPattern(pattern: string): string[] {
  const open = pattern.indexOf('[');
  if (open === -1) {
    if (pattern.includes(']')) {
      throw new InventoryProblem(`host name ${show(pattern)} has a "]" without a "["`, RANGE_HINT);
    }
    return [pattern];
  }
  const close = pattern.indexOf(']', open);
  if (close === -1) {
    throw new InventoryProblem(`host range in ${show(pattern)} has no closing "]"`, RANGE_HINT);
  }
  const head = pattern.slice(0, open);
  const items = expandRange(pattern.slice(open + 1, close), pattern);
  const tails = expandHostPattern(pattern.slice(close + 1));
  if (items.length * tails.length > MAX_RANGE_HOSTS) {
    throw new InventoryProblem(
      `host pattern ${show(pattern)} expands to ${items.length * tails.length} hosts, more than the ${MAX_RANGE_HOSTS} lab accepts`,
      'check the range bounds',
    );
  }
  const names: string[] = [];
  for (const item of items) for (const tail of tails) names.push(`${head}${item}${tail}`);
  return names;
}

/** The values of one range body (`01:10:2`, without the brackets). */
function expandRange(body: string, pattern: string): string[] {
  const where = `host range [${body}] in ${show(pattern)}`;
  const bounds = body.split(':');
  if (bounds.length !== 2 && bounds.length !== 3) {
    throw new InventoryProblem(`${where} must be start:end or start:end:step`, RANGE_HINT);
  }
  const begin = bounds[0] || '0';
  const end = bounds[1] ?? '';
  const stepText = bounds[2];
  if (end === '') throw new InventoryProblem(`${where} has no end`, RANGE_HINT);
  let step = 1;
  if (stepText !== undefined) {
    step = /^\d+$/.test(stepText) ? Number(stepText) : 0;
    if (step < 1) {
      throw new InventoryProblem(
        `${where}: the step must be a whole number of 1 or more, got ${show(stepText)}`,
        RANGE_HINT,
      );
    }
  }

  if (/^[A-Za-z]$/.test(begin) && /^[A-Za-z]$/.test(end)) {
    const from = LETTERS.indexOf(begin);
    const to = LETTERS.indexOf(end);
    if (from > to) {
      throw new InventoryProblem(
        `${where} starts after it ends`,
        `swap the ends: [${end}:${begin}] (letters run a…z, then A…Z)`,
      );
    }
    const letters: string[] = [];
    for (let i = from; i <= to; i += step) letters.push(LETTERS[i] ?? '');
    return letters;
  }

  if (/^\d+$/.test(begin) && /^\d+$/.test(end)) {
    const padded = begin.length > 1 && begin.startsWith('0');
    if (padded && end.length !== begin.length) {
      throw new InventoryProblem(
        `${where}: a zero-padded start needs an end of the same width`,
        `write both ends with ${begin.length} digits, e.g. [${'0'.repeat(begin.length - 1)}1:${'9'.repeat(begin.length)}]`,
      );
    }
    const from = Number(begin);
    const to = Number(end);
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to)) {
      throw new InventoryProblem(`${where} has bounds too large to count`, RANGE_HINT);
    }
    if (from > to) {
      throw new InventoryProblem(
        `${where} starts after it ends`,
        `swap the ends: [${end}:${begin}]`,
      );
    }
    const count = Math.floor((to - from) / step) + 1;
    if (count > MAX_RANGE_HOSTS) {
      throw new InventoryProblem(
        `${where} expands to ${count} hosts, more than the ${MAX_RANGE_HOSTS} lab accepts`,
        'check the range bounds',
      );
    }
    const numbers: string[] = [];
    for (let n = from; n <= to; n += step)
      numbers.push(padded ? String(n).padStart(begin.length, '0') : String(n));
    return numbers;
  }

  throw new InventoryProblem(
    `${where}: both ends must be whole numbers ([1:3], [01:10]) or both single letters ([a:c])`,
    RANGE_HINT,
  );
}
