import SSHConfig, { type Line } from 'ssh-config';
import { LabError } from '../../common/errors.js';
import { hostFieldMatches } from '../known-hosts.js';

/**
 * ~/.ssh/config read as OpenSSH reads it, for the options lab uses. The `ssh-config` package
 * tokenises the file (quoting, `=` or blank separators, Host/Match sections); the lookup is ours,
 * because OpenSSH's rules are what matter: keywords are case-insensitive, Host pattern lists honour
 * `*`, `?` and `!negation`, and for each option the FIRST value obtained wins (IdentityFile
 * accumulates). Its own compute() is not used: it would run `Match exec` commands and read the
 * local user from the process.
 */

/** The options lab takes from ssh_config, as written (tokens such as %h are expanded later). */
export interface SshConfigValues {
  hostName?: string;
  user?: string;
  port?: number;
  identityFiles: string[];
  proxyJump?: string;
  /** The first file of the first UserKnownHostsFile line (ssh reads the others too; lab one). */
  userKnownHostsFile?: string;
  strictHostKeyChecking?: string;
}

interface Directive {
  keyword: string;
  values: string[];
  /** Where it was written (an included file names its own path). */
  file: string;
  line: number;
}

export type Condition =
  | { kind: 'host'; patterns: string[] }
  | { kind: 'match'; criteria: { name: string; patterns: string[] }[] };

export interface Block {
  /**
   * All must hold. Empty for the directives before the first Host or Match (they apply to every
   * host); an included file's sections add their own to the including section's.
   */
  conditions: readonly Condition[];
  directives: Directive[];
}

/** One line that matters, in file order: a section start, an option, or an Include. */
export type ConfigEntry =
  | { kind: 'section'; condition: Condition }
  | { kind: 'directive'; directive: Directive }
  | { kind: 'include'; paths: string[]; line: number };

export interface SshConfig {
  /** The file it came from, for messages. */
  readonly file: string;
  readonly blocks: readonly Block[];
}

/** The empty configuration: `--ssh-config none`, or no ~/.ssh/config. */
export function emptySshConfig(file = 'none'): SshConfig {
  return { file, blocks: [] };
}

const KEYWORDS = new Set([
  'hostname',
  'user',
  'port',
  'identityfile',
  'proxyjump',
  'userknownhostsfile',
  'stricthostkeychecking',
  'proxycommand',
]);
/** Match criteria lab evaluates; the rest (exec, canonical, final, localnetwork…) are refused. */
const MATCH_CRITERIA = new Set(['all', 'host', 'originalhost', 'user', 'localuser']);

/**
 * Parses an ssh_config text that includes nothing (tests, and texts with no file behind them): an
 * Include is refused here; readSshConfigFile (include.ts) follows them. Unsupported Match criteria
 * are refused, naming the line.
 */
export function parseSshConfig(text: string, file: string): SshConfig {
  const blocks: Block[] = [{ conditions: [], directives: [] }];
  for (const entry of tokeniseSshConfig(text, file)) {
    if (entry.kind === 'include') {
      throw new LabError(
        'input',
        'Include needs the file it is in: lab reads it with --ssh-config',
        {
          file,
          line: entry.line,
        },
      );
    }
    addEntry(blocks, entry, []);
  }
  return { file, blocks };
}

/** Adds a section or an option to the blocks; `outer` are the conditions of an including section. */
export function addEntry(
  blocks: Block[],
  entry: Exclude<ConfigEntry, { kind: 'include' }>,
  outer: readonly Condition[],
): void {
  if (entry.kind === 'section')
    blocks.push({ conditions: [...outer, entry.condition], directives: [] });
  else blocks[blocks.length - 1]?.directives.push(entry.directive);
}

/** The lines of one file that matter to lab, in order (ssh-config tokenises; we keep line numbers). */
export function tokeniseSshConfig(text: string, file: string): ConfigEntry[] {
  let parsed: Line[];
  try {
    parsed = SSHConfig.parse(text);
  } catch (err) {
    throw new LabError(
      'input',
      `not a readable ssh_config: ${(err as Error).message}`,
      {
        file,
        line: firstBadLine(text),
        hint: 'each line is `Keyword value`; Host and Match need patterns',
      },
      { cause: err },
    );
  }
  const entries: ConfigEntry[] = [];
  let line = 1;
  const walk = (lines: readonly Line[], inSection: boolean): void => {
    for (const l of lines) {
      line += count(l.before);
      if (l.type === SSHConfig.DIRECTIVE) {
        const keyword = l.param.toLowerCase();
        const values = valuesOf(l.value);
        if (keyword === 'host' || keyword === 'match') {
          entries.push({ kind: 'section', condition: condition(keyword, values, file, line) });
        } else if (keyword === 'include') {
          entries.push({ kind: 'include', paths: values.flatMap((v) => v.split(/\s+/)), line });
        } else if (KEYWORDS.has(keyword)) {
          entries.push({ kind: 'directive', directive: { keyword, values, file, line } });
        }
        line += count(l.after);
        if ('config' in l && !inSection) walk(l.config, true);
      } else {
        line += count(l.after);
      }
    }
  };
  walk(parsed, false);
  return entries;
}

/**
 * The line where the text stops parsing (the package's errors carry none): the shortest prefix of
 * lines that fails, by bisection.
 */
function firstBadLine(text: string): number {
  const lines = text.split('\n');
  const parses = (n: number): boolean => {
    try {
      SSHConfig.parse(lines.slice(0, n).join('\n'));
      return true;
    } catch {
      return false;
    }
  };
  let lo = 1;
  let hi = lines.length;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (parses(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function count(text: string | undefined): number {
  return (text?.match(/\n/g) ?? []).length;
}

function valuesOf(value: string | { val: string }[]): string[] {
  return typeof value === 'string' ? [value] : value.map((v) => v.val);
}

function condition(keyword: string, values: string[], file: string, line: number): Condition {
  const patterns = values.flatMap((v) => v.split(',')).filter((p) => p !== '');
  if (keyword === 'host') return { kind: 'host', patterns };
  const criteria: { name: string; patterns: string[] }[] = [];
  for (let i = 0; i < values.length; i++) {
    const raw = values[i] ?? '';
    const name = raw.replace(/^!/, '').toLowerCase();
    if (!MATCH_CRITERIA.has(name) || raw.startsWith('!')) {
      throw new LabError(
        'input',
        `\`Match ${raw}\` is not supported by lab (it understands Match all, host, originalhost, user and localuser; it never runs Match exec commands)`,
        {
          file,
          line,
          hint: 'use Host blocks instead, or pass --ssh-config with a file lab can read (--ssh-config none reads none)',
        },
      );
    }
    if (name === 'all') {
      criteria.push({ name, patterns: ['*'] });
      continue;
    }
    const arg = values[++i];
    if (arg === undefined) {
      throw new LabError('input', `\`Match ${raw}\` needs a pattern list`, {
        file,
        line,
      });
    }
    criteria.push({ name, patterns: arg.split(',').filter((p) => p !== '') });
  }
  return { kind: 'match', criteria };
}

export interface LookupContext {
  /** The local user (%u, Match localuser). */
  localUser: string;
  /** The user already chosen on the command line or in the inventory (Match user). */
  user?: string;
}

/**
 * The values that apply to `host` (the name given to ssh: the inventory's ansible_host, else its
 * name), first obtained wins, as ssh's readconf does.
 */
export function lookupSshConfig(
  config: SshConfig,
  host: string,
  context: LookupContext,
): SshConfigValues {
  const original = host.toLowerCase();
  const out: SshConfigValues = { identityFiles: [] };
  for (const block of config.blocks) {
    if (!block.conditions.every((c) => applies(c, original, out, context))) continue;
    for (const d of block.directives) take(out, d);
  }
  return out;
}

function applies(
  cond: Condition,
  original: string,
  sofar: SshConfigValues,
  context: LookupContext,
): boolean {
  const matches = (patterns: string[], name: string) =>
    hostFieldMatches({ kind: 'patterns', patterns }, name);
  if (cond.kind === 'host') return matches(cond.patterns, original);
  const current = (sofar.hostName ?? original).replaceAll('%h', original).toLowerCase();
  return cond.criteria.every((c) => {
    switch (c.name) {
      case 'all':
        return true;
      case 'host':
        return matches(c.patterns, current);
      case 'originalhost':
        return matches(c.patterns, original);
      case 'user':
        return matches(c.patterns, sofar.user ?? context.user ?? context.localUser);
      default:
        return matches(c.patterns, context.localUser);
    }
  });
}

function take(out: SshConfigValues, d: Directive): void {
  const file = d.file;
  const first = d.values[0] ?? '';
  switch (d.keyword) {
    case 'hostname':
      out.hostName ??= first;
      break;
    case 'user':
      out.user ??= first;
      break;
    case 'port':
      if (out.port === undefined) out.port = parseConfigPort(first, file, d.line);
      break;
    case 'identityfile':
      out.identityFiles.push(first);
      break;
    case 'proxyjump':
      out.proxyJump ??= d.values.join(' ');
      break;
    case 'userknownhostsfile':
      out.userKnownHostsFile ??= first;
      break;
    case 'stricthostkeychecking':
      out.strictHostKeyChecking ??= first.toLowerCase();
      break;
    case 'proxycommand':
      // First obtained wins between the two as well; "ProxyCommand none" switches one off.
      if (out.proxyJump !== undefined) break;
      if (first.toLowerCase() === 'none') {
        out.proxyJump = 'none';
      } else {
        throw new LabError(
          'input',
          `ProxyCommand is not supported by lab (it runs no local commands); use ProxyJump`,
          { file, line: d.line },
        );
      }
      break;
  }
}

function parseConfigPort(text: string, file: string, line: number): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (port >= 1 && port <= 65535) return port;
  throw new LabError('input', `Port must be 1 to 65535, got "${text}"`, {
    file,
    line,
  });
}
