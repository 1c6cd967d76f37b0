/**
 * A policy file: what should reach what, for containers chosen by label, name pattern or network
 * rather than by the names lab gave them (`lab check connectivity --policy FILE`). The same
 * expectation syntax as a scenario's `expect:`, with selectors where a scenario has names:
 *
 *   expect:
 *     - from: { label: tier=web }
 *       reach: { label: tier=db, port: 5432 }
 *       reason: the shop's web tier talks to its database
 *     - from: { label: tier=db }
 *       not_reach: outside
 *       reason: the database talks to nothing beyond its own networks
 *
 * Errors name file:line:column, all at once, as a scenario's do.
 */
import { z } from 'zod';
import type { PortSpec } from '../common/port.js';
import * as f from './formats.js';
import { readScenarioText, readYamlData, schemaProblems } from './load.js';
import { schemaHelpers } from './schema-helpers.js';
import { labelSelector, namePattern, parseLabel, type ContainerSelector } from './selector.js';

/** What a policy entry aims at. */
export type PolicyTarget =
  /** The addresses of every container the selector matches (on `network`, when it names one). */
  | { kind: 'select'; select: ContainerSelector; port?: PortSpec }
  | { kind: 'host'; host: string; port?: PortSpec }
  | { kind: 'address'; address: string; port?: PortSpec }
  /** Everything beyond the source's own networks: other networks' addresses, gateways and hosts. */
  | { kind: 'outside' };

export interface PolicyRule {
  from: ContainerSelector;
  to: PolicyTarget;
  reach: boolean;
  reason: string;
  /** Where it was written: every verdict it gives names it. */
  file: string;
  line: number;
}

export interface Policy {
  file: string;
  name?: string;
  rules: PolicyRule[];
}

function policySchema() {
  const { str } = schemaHelpers('final');
  const selectorKeys = {
    label: str(labelSelector).optional(),
    name: str(namePattern).optional(),
    network: str(f.dockerName).optional(),
  };
  const port = {
    port: z.number().int().min(1).max(65535).describe('a port number from 1 to 65535').optional(),
    protocol: z.enum(['tcp', 'udp']).optional(),
  };
  const selector = z
    .strictObject(selectorKeys)
    .describe('a selector {label: K=V, name: PATTERN, network: NET}');
  const target = z
    .union([
      z.literal('outside'),
      z.strictObject({ ...selectorKeys, ...port }),
      z.strictObject({ host: str(f.hostSelector), ...port }),
      z.strictObject({ address: str(f.ipv4), ...port }),
    ])
    .describe(
      'outside, or a selector {label: K=V, name: PATTERN, network: NET}, or {host: HOST}, or {address: IPv4}; each may add port: N and protocol: tcp|udp',
    );
  const entry = z
    .strictObject({
      from: selector,
      reach: target.optional(),
      not_reach: target.optional(),
      reason: str(f.reasonText),
    })
    .superRefine((e, ctx) => {
      if ((e.reach === undefined) === (e.not_reach === undefined)) {
        ctx.addIssue({ code: 'custom', message: 'give exactly one of reach or not_reach' });
      }
      if (Object.keys(e.from).length === 0) {
        const message = 'a selector needs at least one of label, name or network';
        ctx.addIssue({ code: 'custom', message, path: ['from'] });
      }
      const key = e.reach !== undefined ? 'reach' : 'not_reach';
      const t = e.reach ?? e.not_reach;
      if (typeof t !== 'object') return;
      if ('protocol' in t && t.protocol !== undefined && t.port === undefined) {
        const message = `protocol: ${t.protocol} needs a port: give port: N beside it`;
        ctx.addIssue({ code: 'custom', message, path: [key, 'protocol'] });
      }
      const selects = 'label' in t || 'name' in t || 'network' in t;
      if (!selects && !('host' in t) && !('address' in t)) {
        const message = 'a target needs label, name or network (or host, or address)';
        ctx.addIssue({ code: 'custom', message, path: [key] });
      }
    });
  return z.strictObject({
    name: str(f.text).optional(),
    description: str(f.text).optional(),
    expect: z.array(entry).min(1).describe('a list of expectations'),
  });
}

let schema: ReturnType<typeof policySchema> | undefined;

type SourceTarget = Exclude<
  z.infer<ReturnType<typeof policySchema>>['expect'][number]['reach'],
  undefined
>;

function toSelector(s: {
  label?: string | undefined;
  name?: string | undefined;
  network?: string | undefined;
}): ContainerSelector {
  return {
    ...(s.label !== undefined && { label: parseLabel(s.label) }),
    ...(s.name !== undefined && { name: s.name }),
    ...(s.network !== undefined && { network: s.network }),
  };
}

function toTarget(t: SourceTarget): PolicyTarget {
  if (t === 'outside') return { kind: 'outside' };
  const port: PortSpec | undefined =
    t.port === undefined ? undefined : { port: t.port, protocol: t.protocol ?? 'tcp' };
  const withPort = port ? { port } : {};
  if ('host' in t) return { kind: 'host', host: t.host, ...withPort };
  if ('address' in t) return { kind: 'address', address: t.address, ...withPort };
  return { kind: 'select', select: toSelector(t), ...withPort };
}

/** Policy text → a Policy; every mistake at once, each with file:line:column. */
export function parsePolicy(text: string, file: string): Policy {
  schema ??= policySchema();
  const read = readYamlData(text, file, 'policy file');
  const parsed = schema.safeParse(read.data);
  if (!parsed.success) throw schemaProblems(parsed.error.issues, schema, read, file, 'policy');
  const rules = parsed.data.expect.map((e, i): PolicyRule => {
    const reach = e.reach !== undefined;
    const to = (e.reach ?? e.not_reach) as SourceTarget;
    return {
      from: toSelector(e.from),
      to: toTarget(to),
      reach,
      reason: e.reason,
      file,
      line: read.locator.locate(['expect', i]).line,
    };
  });
  return { file, ...(parsed.data.name !== undefined && { name: parsed.data.name }), rules };
}

export async function loadPolicyFile(path: string): Promise<Policy> {
  return parsePolicy(await readScenarioText(path, 'policy'), path);
}
