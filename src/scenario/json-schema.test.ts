import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { scenarioText } from '../../test/fuzz/inputs.js';
import { scenarioJsonSchema } from './json-schema.js';
import { parseScenario } from './load.js';

const root = path.resolve(import.meta.dirname, '../..');
const SHIPPED = path.join(root, 'schema/scenario.schema.json');
const scenarios = readdirSync(path.join(root, 'scenarios')).filter((f) => f.endsWith('.yaml'));
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(scenarioJsonSchema());

const MINIMAL = `name: t
description: d
hosts: [server1]
networks: [{ name: n1, driver: bridge }]
containers: [{ name: c1, host: server1, networks: [n1] }]
`;

describe('the scenario JSON Schema (editor support)', () => {
  it('is shipped as generated (npm run schema:write) and listed in the package', () => {
    expect(JSON.parse(readFileSync(SHIPPED, 'utf8'))).toEqual(scenarioJsonSchema());
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      files: string[];
    };
    expect(pkg.files).toContain('schema');
  });

  it.each(scenarios)('accepts the shipped %s, which names it in its first line', (file) => {
    const text = readFileSync(path.join(root, 'scenarios', file), 'utf8');
    const ref = /^# yaml-language-server: \$schema=(\S+)\n/.exec(text)?.[1];
    expect(ref && path.resolve(root, 'scenarios', ref)).toBe(SHIPPED);
    expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('accepts a minimal scenario the loader accepts', () => {
    expect(() => parseScenario(MINIMAL, 't.yaml')).not.toThrow();
    expect(validate(parse(MINIMAL))).toBe(true);
  });

  it.each([
    ['a misspelt key', MINIMAL.replace('networks: [{', 'network: [{')],
    ['an unknown driver', MINIMAL.replace('driver: bridge', 'driver: ipvlan2')],
    [
      'a VLAN id out of range',
      `${MINIMAL}nics: [{ interface: eth0.1, vlan: { parent: eth0, id: 5000 } }]\n`,
    ],
    ['promisc as a string', `${MINIMAL}nics: [{ interface: eth1, promisc: yes-please }]\n`],
    [
      'networks as one string',
      MINIMAL.replace('networks: [{ name: n1, driver: bridge }]', 'networks: n1'),
    ],
    ['a container without a name', MINIMAL.replace('{ name: c1, host', '{ host')],
  ])('refuses %s, as the loader does', (_what, text) => {
    expect(() => parseScenario(text, 't.yaml')).toThrow();
    expect(validate(parse(text))).toBe(false);
  });

  it('never refuses what the loader accepts, on the fuzz corpus (mutated scenarios, random YAML)', () => {
    // The schema checks the shape only (formats and cross-references are the loader's), so its
    // verdict may be looser than the loader's, never stricter: an editor must not flag a good file.
    let accepted = 0;
    fc.assert(
      fc.property(scenarioText, (text) => {
        let ok = true;
        try {
          parseScenario(text, 'fuzz.yaml');
        } catch {
          ok = false;
        }
        if (!ok) return;
        accepted++;
        expect(validate(parse(text)), `${text}\n${JSON.stringify(validate.errors)}`).toBe(true);
      }),
      { seed: 20261130, numRuns: 600 },
    );
    // Most mutations break a scenario (about 1 in 100 still loads): the seed is fixed so that some do.
    expect(accepted).toBeGreaterThan(0);
  }, 60_000);
});
