/**
 * The scenario YAML's shape, as a zod schema. It is applied twice with the same structure:
 *
 * - 'template' mode at load time, on the file as written: a string holding a `${var}` only has to be
 *   a well-formed reference (its value is not known yet); a literal string must already have its
 *   final format, so typos and injection attempts fail at `lab ls`/load time with no inventory.
 * - 'final' mode after variable substitution: every string must have its final format, whatever
 *   the variables held.
 *
 * Unknown keys are errors everywhere (strict objects), so a misspelt key is never silently ignored.
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

export function scenarioSchema(mode: SchemaMode) {
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
  const selectors = selectorsOf(true);

  // An address, or a host number within the network's subnet: 10 in 172.183.1.0/24 is 172.183.1.10.
  const address = z
    .union([z.number().int(), str(f.ipv4OrHostNumber)])
    .describe(f.ipv4OrHostNumber.what);

  const nic = z.strictObject({
    interface: str(f.interfaceName),
    hosts: selectors.optional(),
    promisc: z.boolean().describe('true or false').optional(),
    up: z.boolean().describe('true or false').optional(),
    vlan: z
      .strictObject({
        parent: str(f.interfaceName),
        id: z.number().int().min(1).max(4094).describe('a VLAN id from 1 to 4094'),
      })
      .describe('a mapping {parent: eth0, id: 1}')
      .optional(),
  });

  const network = z.strictObject({
    name: str(f.dockerName),
    driver: z.enum(DRIVERS),
    hosts: selectors.optional(),
    subnet: str(f.cidr4).optional(),
    gateway: address.optional(),
    parent: str(f.interfaceName).optional(),
    options: keyedRecord(f.optionName, str(f.text), 'a mapping of driver options').optional(),
    attachable: z.boolean().describe('true or false').optional(),
    internal: z.boolean().describe('true or false').optional(),
  });

  const attachment = z
    .union([
      str(f.dockerName),
      z.strictObject({ network: str(f.dockerName), ip: address.optional() }),
    ])
    .describe('a network name, or a mapping {network: NAME, ip: ADDRESS-OR-HOST-NUMBER}');

  const container = z.strictObject({
    name: str(f.dockerName),
    host: str(f.hostSelector),
    image: str(f.imageRef).optional(),
    networks: z.array(attachment).min(1).describe('a list of networks'),
    command: z.array(str(f.text)).min(1).describe('a list of arguments').optional(),
    publish: z.array(str(f.publishSpec)).describe('a list of port mappings').optional(),
  });

  const target = z
    .union([
      str(f.dockerName),
      z.strictObject({ container: str(f.dockerName), network: str(f.dockerName).optional() }),
      z.strictObject({ gateway: str(f.dockerName) }),
      z.strictObject({ host: str(f.hostSelector) }),
      z.strictObject({ address: str(f.ipv4) }),
    ])
    .describe(
      'a container name, or one of {container: NAME, network: NET}, {gateway: NET}, {host: HOST}, {address: IPv4}',
    );

  const expectation = z
    .strictObject({
      from: str(f.dockerName),
      reach: target.optional(),
      not_reach: target.optional(),
      reason: str(f.reasonText),
    })
    .superRefine((e, ctx) => {
      if ((e.reach === undefined) === (e.not_reach === undefined)) {
        const message = 'give exactly one of reach or not_reach';
        ctx.addIssue({ code: 'custom', message });
      }
    });

  const varValue = z.union([str(f.text), z.number(), z.boolean()]).describe('a string or a number');

  return z.strictObject({
    // Literal: a scenario is named (and listed by `lab ls`) before any variables are known.
    name: str(f.scenarioName, false),
    description: str(f.text).optional(),
    vars: keyedRecord(f.varName, varValue, 'a mapping of variable names to values').optional(),
    // Literal too: `lab down` needs the hosts of a scenario without resolving its variables.
    hosts: selectorsOf(false).optional(),
    nics: z.array(nic).describe('a list of interfaces to prepare').optional(),
    networks: z.array(network).describe('a list of networks').optional(),
    containers: z.array(container).describe('a list of containers').optional(),
    expect: z.array(expectation).describe('a list of expectations').optional(),
  });
}

export type ScenarioSchema = ReturnType<typeof scenarioSchema>;
/** The scenario file as written, after schema validation (strings may still hold `${var}`). */
export type ScenarioSource = z.infer<ScenarioSchema>;
export type SourceNetwork = NonNullable<ScenarioSource['networks']>[number];
export type SourceContainer = NonNullable<ScenarioSource['containers']>[number];
export type SourceExpectation = NonNullable<ScenarioSource['expect']>[number];
export type SourceTarget = NonNullable<SourceExpectation['reach']>;
export type SourceSelectors = NonNullable<ScenarioSource['hosts']>;
