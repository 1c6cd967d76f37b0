/**
 * Fuzzing lab's input edge (issue 10, item 8): generated scenarios and inventories, each of which
 * must end in a result or a bad-input LabError naming file and line, never another exception.
 * Shared by the CI test (test/unit/fuzz.test.ts, fixed seed, time budget) and `npm run fuzz`.
 * Nothing here can reach a host: the validation path (parse, resolve, plan) opens no connection.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { LabError } from '../../src/common/errors.js';
import { loadInventory, parseInventory } from '../../src/inventory/load.js';
import type { Inventory } from '../../src/inventory/model.js';
import { compilePlan } from '../../src/plan/compile.js';
import { parseScenario, resolveScenario } from '../../src/scenario/index.js';
import { applyEdits, editsOf } from './edits.js';

const root = path.resolve(import.meta.dirname, '../..');
const read = (dir: string, ext: RegExp) =>
  readdirSync(path.join(root, dir))
    .filter((f) => ext.test(f))
    .sort()
    .map((f) => readFileSync(path.join(root, dir, f), 'utf8'));

export const SHIPPED_SCENARIOS = read('scenarios', /\.ya?ml$/);
export const SHIPPED_INVENTORIES = read('inventory', /\.ini$/);

/** Words that matter to the scenario schema and to YAML, for token replacement. */
const SCENARIO_WORDS = [
  'name',
  'hosts',
  'vars',
  'networks',
  'containers',
  'expect',
  'assert',
  'nics',
  'swarm',
  'driver',
  'bridge',
  'macvlan',
  'overlay',
  'parent',
  'subnet',
  'gateway',
  'reach',
  'not_reach',
  'reason',
  'from',
  'host',
  'image',
  'ip',
  'ipv4',
  'publish',
  'command',
  'all',
  'server1',
  'server2',
  '${x}',
  '${image}',
  '$',
  '{',
  '}',
  '[',
  ']',
  ':',
  '- ',
  '&a',
  '*a',
  '!!str',
  '!!binary',
  '|',
  '>',
  '"',
  "'",
  '#',
  '\t',
  '\n',
  '\r',
  '\u2028',
  '0',
  '-1',
  '1e9',
  '65536',
  '198.18.0.1',
  '198.19.0.0/33',
  'eth0',
  'eth0.1',
  'null',
  '~',
  'true',
  'yes',
  '<<',
  '? ',
  '---',
  '...',
  '%YAML 1.2',
];
const INVENTORY_WORDS = [
  '[all]',
  '[all:vars]',
  '[servers]',
  '[servers:children]',
  '[a:children]',
  '[x',
  ']',
  '=',
  '==',
  'ansible_host=',
  'ansible_port=',
  'ansible_user=',
  'ansible_ssh_private_key_file=',
  'ansible_become=yes',
  'lab_known_hosts=',
  'lab_outside_address=',
  'server[1:3]',
  'server[a:z]',
  'server[1:99999999]',
  '198.18.0.1',
  '2222',
  '0',
  '-1',
  '65536',
  'abc',
  '"',
  "'",
  '#',
  ';',
  '\t',
  '\n',
  '\r',
  '\\',
  '~/.key',
  '---',
  'all:',
  '  hosts:',
  '    server1:',
  'children:',
  '\0',
];

const mutated = (seeds: readonly string[], words: readonly string[]) =>
  fc
    .tuple(fc.constantFrom(...seeds), editsOf(words))
    .map(([seed, edits]) => applyEdits(seed, edits));

/** Random YAML: arbitrary JSON-like data, shaped like a scenario or not, written as YAML. */
const randomYaml = fc.oneof(
  fc.jsonValue().map((v) => stringify(v)),
  fc
    .dictionary(fc.constantFrom(...SCENARIO_WORDS.slice(0, 30)), fc.jsonValue(), { maxKeys: 6 })
    .map((v) => stringify({ name: 'fuzz', ...v })),
  fc.string({ maxLength: 200, unit: fc.constantFrom(...'ab:- \n[]{}&*!|>"\'#$%@`,?'.split('')) }),
);

export const scenarioText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: mutated(SHIPPED_SCENARIOS, SCENARIO_WORDS) },
  { weight: 1, arbitrary: randomYaml },
);

const randomIni = fc
  .array(
    fc.oneof(
      fc.constantFrom(...INVENTORY_WORDS),
      fc.string({ maxLength: 20 }),
      fc
        .tuple(fc.constantFrom('server1', 'h', 'x-y', '_a'), fc.constantFrom(...INVENTORY_WORDS))
        .map(([h, v]) => `${h} ${v}`),
    ),
    { maxLength: 12 },
  )
  .map((lines) => lines.join('\n'));

export const inventoryText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: mutated(SHIPPED_INVENTORIES, INVENTORY_WORDS) },
  { weight: 1, arbitrary: randomIni },
  { weight: 1, arbitrary: randomYaml },
);

/** What an input ended in: a result, or bad input that names its file and line. Anything else throws. */
export type Verdict = 'ok' | 'bad input';

function badInput(err: unknown): Verdict {
  if (!(err instanceof LabError)) {
    throw new Error(
      `not a LabError: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
  }
  if (err.kind !== 'input')
    throw new Error(`a LabError of kind ${err.kind}, not input: ${err.message}`);
  if (err.context.file === undefined) throw new Error(`bad input without a file: ${err.message}`);
  // The file may be another than the one fuzzed (the inventory, for a variable from [all:vars]).
  if (err.context.line === undefined && !/bytes; lab reads/.test(err.message)) {
    throw new Error(`bad input without a line: ${err.describe()}`);
  }
  return 'bad input';
}

const FUZZ_INVENTORY: Inventory = parseInventory(
  '[servers]\nserver1 ansible_host=198.18.0.1\nserver2 ansible_host=198.18.0.2\n[all:vars]\nimage=busybox\n',
  'fuzz.ini',
);

/** A scenario text through the whole validation path: parse, resolve, plan. */
export function checkScenario(text: string): Verdict {
  try {
    const doc = parseScenario(text, 'fuzz.yaml');
    compilePlan(resolveScenario(doc, FUZZ_INVENTORY, {}), FUZZ_INVENTORY);
    return 'ok';
  } catch (err) {
    return badInput(err);
  }
}

/** An inventory text through the public loader (a file, as `-i` reads it). */
export async function checkInventory(text: string, file: string): Promise<Verdict> {
  writeFileSync(file, text);
  try {
    await loadInventory(file);
    return 'ok';
  } catch (err) {
    return badInput(err);
  }
}
