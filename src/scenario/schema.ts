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
import { assertionSchema, swarmSchema } from './schema-assert.js';
import { DRIVERS, schemaHelpers, type SchemaMode } from './schema-helpers.js';

export { checkString, DRIVERS, type SchemaMode } from './schema-helpers.js';

export function scenarioSchema(mode: SchemaMode) {
  const h = schemaHelpers(mode);
  const { str, keyedRecord, selectorsOf, address, attachment } = h;
  const selectors = selectorsOf(true);

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

  const container = z.strictObject({
    name: str(f.dockerName),
    host: str(f.hostSelector),
    image: str(f.imageRef).optional(),
    networks: z.array(attachment).min(1).describe('a list of networks'),
    command: z.array(str(f.text)).min(1).describe('a list of arguments').optional(),
    publish: z.array(str(f.publishSpec)).describe('a list of port mappings').optional(),
  });

  const expectation = expectationSchema(h);

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
    swarm: swarmSchema(h).optional(),
    assert: z.array(assertionSchema(h)).describe('a list of assertions').optional(),
  });
}

/** One `expect` entry: from a container, reach or not_reach a target, and why. */
function expectationSchema({ str, seed }: ReturnType<typeof schemaHelpers>) {
  // A port turns the ping into a connection to that port (TCP unless `protocol: udp`).
  const port = {
    port: z.number().int().min(1).max(65535).describe('a port number from 1 to 65535').optional(),
    protocol: z.enum(['tcp', 'udp']).optional(),
  };
  const target = z
    .union([
      str(f.dockerName),
      z.strictObject({
        container: str(f.dockerName),
        network: str(f.dockerName).optional(),
        ...port,
      }),
      z.strictObject({ gateway: str(f.dockerName) }),
      z.strictObject({ host: str(f.hostSelector), ...port }),
      z.strictObject({ address: str(f.ipv4), ...port }),
    ])
    .describe(
      'a container name, or one of {container: NAME, network: NET}, {gateway: NET}, {host: HOST}, {address: IPv4}; container, host and address may add port: N and protocol: tcp|udp',
    );

  return z
    .strictObject({
      from: str(f.dockerName),
      reach: target.optional(),
      not_reach: target.optional(),
      reason: str(f.reasonText),
      seed: seed.optional(),
    })
    .superRefine((e, ctx) => {
      if ((e.reach === undefined) === (e.not_reach === undefined)) {
        const message = 'give exactly one of reach or not_reach';
        ctx.addIssue({ code: 'custom', message });
      }
      const key = e.reach !== undefined ? 'reach' : 'not_reach';
      const t = e.reach ?? e.not_reach;
      if (typeof t === 'object' && 'protocol' in t && t.protocol !== undefined && !('port' in t)) {
        const message = `protocol: ${t.protocol} needs a port: give port: N beside it`;
        ctx.addIssue({ code: 'custom', message, path: [key, 'protocol'] });
      }
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
export type SourceAssertion = NonNullable<ScenarioSource['assert']>[number];
export type SourceSwarm = NonNullable<ScenarioSource['swarm']>;
