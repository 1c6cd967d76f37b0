/**
 * Containers chosen by what they carry rather than by a name lab gave them: a label (`tier=db`, or
 * just `tier`), a name pattern (`shop-*`) or a network. Used by `lab check connectivity --select` and
 * by policy files (policy.ts) to name containers lab did not make.
 */
import * as f from './formats.js';

export interface ContainerSelector {
  /** Has this label (with this value, when given). */
  label?: { key: string; value?: string };
  /** Its name matches this pattern (`*` any run of characters, `?` one). */
  name?: string;
  /** It has an address on this network. */
  network?: string;
}

/** What a selector needs to know of a container. */
export interface Selectable {
  name: string;
  labels?: Readonly<Record<string, string>>;
  networks: readonly string[];
}

export const labelSelector = f.byPattern(
  'a label like tier=db or tier',
  /^[A-Za-z0-9][A-Za-z0-9._/-]*(=[^\0]*)?$/,
  'a label key (letters, digits and . _ / -), optionally followed by =VALUE',
);

export const namePattern = f.byPattern(
  'a container name pattern like shop-* or web?',
  /^[A-Za-z0-9_.*?-]+$/,
  'only letters, digits, _ . - and the wildcards * and ?',
);

export function parseLabel(text: string): { key: string; value?: string } {
  const eq = text.indexOf('=');
  return eq < 0 ? { key: text } : { key: text.slice(0, eq), value: text.slice(eq + 1) };
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\-]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

export function matchesSelector(s: ContainerSelector, c: Selectable): boolean {
  if (s.label) {
    const v = c.labels?.[s.label.key];
    if (v === undefined || (s.label.value !== undefined && v !== s.label.value)) return false;
  }
  if (s.name !== undefined && !globToRegExp(s.name).test(c.name)) return false;
  return s.network === undefined || c.networks.includes(s.network);
}

/**
 * `--select` values: one kind (label, name, network) may be given several times and any of them
 * matches; different kinds must all match (as `docker ps --filter` combines names and networks).
 */
export function matchesAll(selectors: readonly ContainerSelector[], c: Selectable): boolean {
  const kinds = ['label', 'name', 'network'] as const;
  return kinds.every((k) => {
    const of = selectors.filter((s) => s[k] !== undefined);
    return of.length === 0 || of.some((s) => matchesSelector(s, c));
  });
}

/** "label tier=db", "name shop-*", "network shop_back", joined with "and". */
export function describeSelector(s: ContainerSelector): string {
  const parts: string[] = [];
  if (s.label) {
    parts.push(
      s.label.value === undefined
        ? `label ${s.label.key}`
        : `label ${s.label.key}=${s.label.value}`,
    );
  }
  if (s.name !== undefined) parts.push(`name ${s.name}`);
  if (s.network !== undefined) parts.push(`network ${s.network}`);
  return parts.join(' and ') || 'every container';
}

/**
 * One `--select` value (`label=KEY[=VALUE]`, `name=PATTERN`, `network=NAME`) → a selector, or what
 * is wrong with it.
 */
export function parseSelectText(text: string): ContainerSelector | string {
  const eq = text.indexOf('=');
  const kind = eq < 0 ? text : text.slice(0, eq);
  const value = eq < 0 ? '' : text.slice(eq + 1);
  const why = (format: f.Format) => {
    const problem = format.problem(value);
    return problem === undefined ? undefined : f.formatMessage(format, value, problem);
  };
  switch (kind) {
    case 'label':
      return why(labelSelector) ?? { label: parseLabel(value) };
    case 'name':
      return why(namePattern) ?? { name: value };
    case 'network':
      return why(f.dockerName) ?? { network: value };
    default:
      return `expected label=KEY[=VALUE], name=PATTERN or network=NAME, got ${JSON.stringify(text)}`;
  }
}
