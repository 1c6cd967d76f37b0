import { LabError } from '../common/errors.js';

/** Parses repeated `--var key=value` flags; the CLI is the only place they are read. */
export function parseVarFlags(values: readonly string[] | undefined): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const raw of values ?? []) {
    const eq = raw.indexOf('=');
    const key = eq > 0 ? raw.slice(0, eq) : '';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
      throw new LabError('input', `--var ${JSON.stringify(raw)} is not key=value`, {
        hint: 'write --var mac_net1_subnet=198.19.1.0/24 (the key a variable name: letters, digits, _)',
      });
    }
    vars[key] = raw.slice(eq + 1);
  }
  return vars;
}

/**
 * Numeric flags are declared without a yargs type (see numberOption), so a value that is not a
 * number reaches these checks as typed ("abc"), not as NaN. Every one has a range; none has a
 * value meaning "no limit": a wait that never ends is never what a verifier should do silently.
 */
export interface SecondsRange {
  /** Smallest allowed value, in seconds. */
  min: number;
  max: number;
  /** Only whole seconds (ping -W). */
  whole?: boolean;
  /** What to say when 0 is given but not allowed. */
  zero?: string;
}

/** The limits of every duration flag, in seconds; docs/exit-codes.md lists them. */
export const SECONDS: Record<
  'timeout' | 'wait' | 'ping-timeout' | 'keepalive-interval' | 'lock-wait',
  SecondsRange
> = {
  // Node's timers hold at most 2^31-1 ms (24.8 days); a day is far past any remote operation.
  timeout: {
    min: 0.1,
    max: 86_400,
    zero: '0 does not mean "no limit"; give the longest any one remote operation may take, e.g. --timeout 300',
  },
  // 0: try once, do not keep trying.
  wait: { min: 0, max: 3600 },
  'ping-timeout': { min: 1, max: 60, whole: true },
  // 0: send no keepalives (a lost host is then found only by the command timeouts).
  'keepalive-interval': { min: 0, max: 3600 },
  // 0: do not wait for another lab holding a host; refuse at once.
  'lock-wait': { min: 0, max: 86_400 },
};

/** The value as typed, for messages: `"abc"`, `1e12`, `-1`. */
function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** A flag's value as a finite number, or an input error that says what was typed. */
function numberOf(flag: string, value: unknown, what: string): number {
  if (Array.isArray(value)) {
    throw new LabError('input', `--${flag} is given ${value.length} times; give it once`);
  }
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : NaN;
  if (!Number.isFinite(n)) {
    throw new LabError('input', `--${flag} must be ${what}, got ${shown(value)}`);
  }
  return n;
}

/** Parses a duration in seconds ("5", "2.5") within its range into milliseconds. */
export function parseSeconds(flag: keyof typeof SECONDS, value: unknown): number {
  const range = SECONDS[flag];
  const words = `${range.whole ? 'a whole number of seconds' : 'a number of seconds'} from ${range.min} to ${range.max}`;
  const n = numberOf(flag, value, words);
  if (n === 0 && range.min > 0) {
    throw new LabError('input', `--${flag} must be ${words}, got 0`, {
      ...(range.zero !== undefined && { hint: range.zero }),
    });
  }
  if (n < range.min || n > range.max || (range.whole === true && !Number.isInteger(n))) {
    throw new LabError('input', `--${flag} must be ${words}, got ${shown(value)}`);
  }
  return Math.round(n * 1000);
}

/** Parses a count (hosts at once, probers per host) from 1 to `max`. */
export function parsePositiveInt(flag: string, value: unknown, max = 1000): number {
  const words = `a whole number from 1 to ${max}`;
  const n = numberOf(flag, value, words);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new LabError('input', `--${flag} must be ${words}, got ${shown(value)}`);
  }
  return n;
}
