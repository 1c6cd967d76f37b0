/**
 * Sample output in the docs: a command's real output between markers, written by
 * scripts/docs-samples.ts from a run on the box and compared with a fresh run by
 * test/integration/newcomer.test.ts. The markers carry the command as a reader types it:
 *
 *     <!-- sample: npx lab box up -->
 *     ```text
 *     $ npx lab box up
 *     the box is up: 2 hosts in #.# s
 *     ```
 *     <!-- /sample -->
 */

export interface Sample {
  /** As written in the page, e.g. `npx lab run macvlan-two-nic -i box`. */
  command: string;
  /** The exit code the page claims: `<!-- sample exit=2: … -->`, 0 when not written. */
  exit: number;
  /** The output lines in the page (without the `$ command` line). */
  output: string[];
}

const BLOCK = /<!-- sample(?: exit=(\d+))?: (.+?) -->\n([\s\S]*?)<!-- \/sample -->/g;

export function findSamples(markdown: string): Sample[] {
  return [...markdown.matchAll(BLOCK)].map((m) => ({
    command: m[2]!.trim(),
    exit: Number(m[1] ?? 0),
    output: outputLines(m[3]!, m[2]!.trim()),
  }));
}

function outputLines(block: string, command: string): string[] {
  const inner = /```text\n([\s\S]*?)```/.exec(block);
  if (!inner) throw new Error(`sample "${command}": no \`\`\`text block between its markers`);
  const lines = inner[1]!.replace(/\n$/, '').split('\n');
  if (lines[0] !== `$ ${command}`)
    throw new Error(`sample "${command}": its block starts with "${lines[0]}", not "$ ${command}"`);
  return lines.slice(1);
}

/** The page with its sample blocks, in order, replaced by these outputs. */
export function fillSamples(markdown: string, outputs: string[][]): string {
  let index = 0;
  return markdown.replace(BLOCK, (all, exit: string | undefined, raw: string) => {
    const output = outputs[index++];
    if (!output) return all;
    const command = raw.trim();
    const body = [`$ ${command}`, ...output].join('\n');
    const marker = exit === undefined ? 'sample' : `sample exit=${exit}`;
    return `<!-- ${marker}: ${command} -->\n\n\`\`\`text\n${body}\n\`\`\`\n\n<!-- /sample -->`;
  });
}

/** `npx lab run x -i box` → `['run', 'x', '-i', 'box']`: the arguments for bin/lab.js. */
export function labArgs(command: string): string[] {
  const words = command.split(/\s+/);
  if (words[0] !== 'npx' || words[1] !== 'lab' || /['"\\$|;&<>]/.test(command))
    throw new Error(`sample "${command}": only plain \`npx lab …\` commands can be run`);
  return words.slice(2);
}

/**
 * What the page shows of an output: the run's real lines, with what differs on every run replaced —
 * timings (`5.1 s`, `830 ms` → `#.# s`) and process ids (`/proc/13187/` → `/proc/PID/`) — and
 * trailing blanks dropped.
 */
// NO_COLOR is set for the run; this only guards against a stray escape sequence.
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

export function forPage(output: string): string[] {
  return output
    .replace(ANSI_COLOUR, '')
    .replace(/\b\d+(?:\.\d+)? ?(?:ms|s)\b/g, '#.# s')
    .replace(/\/proc\/\d+\//g, '/proc/PID/')
    .replace(/\s+$/, '')
    .split('\n')
    .map((line) => line.replace(/\s+$/, ''));
}

/**
 * What must match between the page and a fresh run. Lines are compared in order, except a run of
 * consecutive lines that each start with a host name (live progress, `lab down`'s per-host lines):
 * hosts work in parallel, so such a run is compared as a set, and a comma-separated list in it
 * (what `lab down` removed) as a set too. Also set aside: the Docker release of the hosts and the
 * request counts of `lab check`'s footer — neither is a claim of the docs.
 */
export function structureOf(lines: string[]): string[] {
  const normal = lines.map(normaliseLine);
  const out: string[] = [];
  for (let i = 0; i < normal.length;) {
    if (!HOST_LINE.test(normal[i]!)) {
      out.push(normal[i]!);
      i += 1;
      continue;
    }
    const group: string[] = [];
    while (i < normal.length && HOST_LINE.test(normal[i]!)) group.push(sortList(normal[i++]!));
    out.push(...group.sort());
  }
  return out;
}

const HOST_LINE = /^(?:[✔✘!] )?server\d+(?:: |\s{2,})/;

function normaliseLine(line: string): string {
  return line
    .replace(/Docker [0-9][^\s,]*, API [0-9.]+/g, 'Docker VERSION, API VERSION')
    .replace(
      /\d+ SSH connections?, \d+ SSH commands?, \d+ Docker API requests?, \d+ probers?/g,
      'N SSH connections, N SSH commands, N Docker API requests, N probers',
    );
}

/** `server1: removed a, b; restored c, d`: each part's comma-separated list as a set. */
function sortList(line: string): string {
  const m = /^(.*?: )(removed .*)$/.exec(line);
  if (!m) return line;
  const parts = m[2]!.split('; ').map((part) => {
    const p = /^(\S+ )(.*)$/.exec(part);
    return p ? p[1]! + p[2]!.split(', ').sort().join(', ') : part;
  });
  return m[1]! + parts.join('; ');
}
