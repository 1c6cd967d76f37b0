import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabError } from '../common/errors.js';
import { parseInventory } from '../inventory/load.js';
import { downTargets, likelyDownTargets, unknownScenarioError } from './down-targets.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lab-down-targets-'));
  await writeFile(join(dir, 'one.yaml'), 'name: one\nhosts: [server2]\n');
  // Loads as YAML, not against the schema: down visits every host then.
  await writeFile(join(dir, 'broken.yaml'), 'name: broken\nhosts: [server2]\nbogus: 1\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const inventory = parseInventory(
  'server1 ansible_host=198.18.0.1\nserver2 ansible_host=198.18.0.2 ansible_port=2222\n',
  'test.ini',
);
const names = (targets: { host: string }[]) => targets.map((t) => t.host);

describe('the hosts lab down visits', () => {
  it("the file's hosts, guessed early and then decided, as the same targets", async () => {
    const guess = await likelyDownTargets('one', inventory, dir);
    const decided = await downTargets('one', inventory, dir);
    expect(names(decided)).toEqual(['server2']);
    expect(guess).toEqual(decided);
    expect(decided[0]).toMatchObject({ address: '198.18.0.2', port: 2222 });
  });

  it('every inventory host when the file is gone', async () => {
    expect(names(await likelyDownTargets('gone', inventory, dir))).toEqual(['server1', 'server2']);
    expect(names(await downTargets('gone', inventory, dir))).toEqual(['server1', 'server2']);
  });

  it('every host when the file no longer passes the schema; the early guess may differ', async () => {
    expect(names(await downTargets('broken', inventory, dir))).toEqual(['server1', 'server2']);
    expect(names(await likelyDownTargets('broken', inventory, dir))).toEqual(['server2']);
  });
});

describe('lab down NAME for a name with no file and nothing labelled (issue 10 item 5)', () => {
  const clean = (host: string) => ({ host, containers: [], networks: [], nics: [] });

  it('a typo with nothing labelled anywhere: bad input with a suggestion', () => {
    const err = unknownScenarioError('onw', dir, {
      scenario: 'onw',
      hosts: [clean('server1'), clean('server2')],
    });
    expect(err?.kind).toBe('input');
    expect(err?.describe()).toBe(
      'no scenario named "onw", and nothing labelled lab.scenario=onw on any host (did you mean "one"?)\n' +
        `  hint: scenarios in ${dir}: broken, one`,
    );
  });

  it('a scenario whose file is gone but whose objects were labelled: removed as usual', () => {
    const report = {
      scenario: 'gone',
      hosts: [clean('server1'), { ...clean('server2'), containers: ['vm1'] }],
    };
    expect(unknownScenarioError('gone', dir, report)).toBeUndefined();
  });

  it('a host that could not be asked: no claim that nothing is there', () => {
    const report = {
      scenario: 'gone',
      hosts: [clean('server1'), { host: 'server2', error: new LabError('host', 'unreachable') }],
    };
    expect(unknownScenarioError('gone', dir, report)).toBeUndefined();
  });

  it('a scenario with a file and nothing left: not an error (already down)', () => {
    expect(
      unknownScenarioError('one', dir, { scenario: 'one', hosts: [clean('server2')] }),
    ).toBeUndefined();
  });
});
