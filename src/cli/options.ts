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

/** Parses a positive duration in seconds ("5", "2.5") into milliseconds. */
export function parseSeconds(flag: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new LabError('input', `--${flag} must be a number of seconds, 0 or more, got ${value}`);
  }
  return Math.round(value * 1000);
}

export function parsePositiveInt(flag: string, value: number, max = 1000): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new LabError('input', `--${flag} must be a whole number from 1 to ${max}, got ${value}`);
  }
  return value;
}
