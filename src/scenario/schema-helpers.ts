/**
 * The building blocks of the scenario schema, shared by its parts (schema.ts for NICs, networks,
 * containers and expectations; schema-assert.ts for assertions and the swarm). Each is built for one
 * mode: 'template' at load time (a `${var}` only has to be well formed), 'final' after substitution.
 */
import { z } from 'zod';
import * as f from './formats.js';
import { isSyntaxError, parseTemplate } from './template.js';

export type SchemaMode = 'template' | 'final';

export const DRIVERS = ['bridge', 'macvlan', 'overlay'] as const;

/** The problem with one string value in this mode, as a full message; undefined when it is fine. */
export function checkString(
  value: string,
  format: f.Format,
  mode: SchemaMode,
  allowVariables = true,
): string | undefined {
  let literal = value;
  if (mode === 'template') {
    const parts = parseTemplate(value);
    if (isSyntaxError(parts)) return parts.message;
    const hasVariables = parts.some((p) => 'variable' in p);
    if (hasVariables && !allowVariables) {
      return `expected ${format.what}, got ${JSON.stringify(value)} (variables are not allowed here)`;
    }
    // Checked again in 'final' mode, once the variables have values.
    if (hasVariables) return undefined;
    literal = parts.map((p) => ('text' in p ? p.text : '')).join('');
  }
  const why = format.problem(literal);
  return why === undefined ? undefined : f.formatMessage(format, literal, why);
}

export function schemaHelpers(mode: SchemaMode) {
  const str = (format: f.Format, allowVariables = true) =>
    z
      .string()
      .superRefine((value, ctx) => {
        const message = checkString(value, format, mode, allowVariables);
        if (message) ctx.addIssue({ code: 'custom', message });
      })
      .describe(format.what);

  /** A mapping whose keys must have `keyFormat`; the issue points at the offending key. */
  const keyedRecord = <V extends z.ZodType>(keyFormat: f.Format, value: V, what: string) =>
    z
      .record(z.string(), value)
      .superRefine((rec, ctx) => {
        for (const key of Object.keys(rec)) {
          const why = keyFormat.problem(key);
          if (why === undefined) continue;
          const message = `${f.formatMessage(keyFormat, key, why)}`;
          ctx.addIssue({ code: 'custom', message, path: [key], params: { at: 'key' } });
        }
      })
      .describe(what);

  const selectorsOf = (allowVariables: boolean) => {
    const selector = str(f.hostSelector, allowVariables);
    return z
      .union([selector, z.array(selector).min(1)])
      .describe('an inventory host or group name, or a list of them');
  };

  // An address, or a host number within the network's subnet: 10 in 172.183.1.0/24 is 172.183.1.10.
  const address = z
    .union([z.number().int(), str(f.ipv4OrHostNumber)])
    .describe(f.ipv4OrHostNumber.what);

  const attachment = z
    .union([
      str(f.dockerName),
      z.strictObject({ network: str(f.dockerName), ip: address.optional() }),
    ])
    .describe('a network name, or a mapping {network: NAME, ip: ADDRESS-OR-HOST-NUMBER}');

  const bool = () => z.boolean().describe('true or false');
  const port = () => z.number().int().min(1).max(65535).describe('a port number from 1 to 65535');

  // The seed's claim an expectation or assertion checks (docs/seed-claims.md): when the hosts do
  // not bear it out, the result is DIFFERS FROM THE SEED, not FAIL.
  const seed = z
    .strictObject({
      section: str(f.seedSection, false),
      says: str(f.reasonText),
      words: str(f.text).optional(),
    })
    .describe("a mapping {section: 二.6, says: THE CLAIM IN ENGLISH, words: THE SEED'S OWN WORDS}");

  return { str, keyedRecord, selectorsOf, address, attachment, bool, port, seed };
}

export type SchemaHelpers = ReturnType<typeof schemaHelpers>;
