import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LabError } from '../common/errors.js';
import { findScenario, listScenarios } from './find.js';

describe('findScenario and listScenarios', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lab-scenario-find-'));
    writeFileSync(
      join(dir, 'bridge-basics.yaml'),
      'name: bridge-basics\ndescription: |\n  Bridges isolate.\n  More words.\n',
    );
    writeFileSync(join(dir, 'short.yml'), 'name: short\n');
    writeFileSync(
      join(dir, 'broken.yaml'),
      'name: broken\nnetworks:\n  - { name: n, driver: macvlon }\n',
    );
    writeFileSync(join(dir, 'notes.txt'), 'not a scenario');
    mkdirSync(join(dir, 'sub.yaml'));
  });

  it('finds a name as <dir>/<name>.yaml or .yml', () => {
    expect(findScenario('bridge-basics', dir)).toBe(join(dir, 'bridge-basics.yaml'));
    expect(findScenario('short', dir)).toBe(join(dir, 'short.yml'));
  });

  it('takes a path as it is', () => {
    const file = join(dir, 'bridge-basics.yaml');
    expect(findScenario(file, '/nowhere')).toBe(file);
    expect(() => findScenario(join(dir, 'missing.yaml'), dir)).toThrow(
      /scenario file .*missing\.yaml does not exist/,
    );
    expect(() => findScenario(join(dir, 'sub.yaml'), dir)).toThrow(LabError);
  });

  it('an unknown name lists the available ones, with a suggestion', () => {
    let err: unknown;
    try {
      findScenario('bridge-basic', dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LabError);
    expect((err as LabError).message).toBe(
      'no scenario named "bridge-basic" (did you mean "bridge-basics"?)',
    );
    expect((err as LabError).context.hint).toBe(
      `scenarios in ${dir}: bridge-basics, broken, short; or give a path to a .yaml file`,
    );
  });

  it('lists name and first description line, and shows a broken file with its error', async () => {
    const list = await listScenarios(dir);
    expect(list.map(({ name, title }) => ({ name, title }))).toEqual([
      { name: 'bridge-basics', title: 'Bridges isolate.' },
      { name: 'broken', title: '' },
      { name: 'short', title: '' },
    ]);
    expect(list[1]?.error?.describe()).toMatch(
      /broken\.yaml:3:24: networks\[0\]\.driver: expected one of bridge, macvlan, overlay/,
    );
  });

  it('an absent directory is bad input (issue 10: `lab ls --scenarios /nonexistent` said nothing)', async () => {
    const err = (await listScenarios(join(dir, 'absent')).catch((e: unknown) => e)) as LabError;
    expect(err).toBeInstanceOf(LabError);
    expect(err.kind).toBe('input');
    expect(err.message).toBe(`the scenarios directory ${join(dir, 'absent')} does not exist`);
  });

  it('a file given as the scenarios directory is bad input', async () => {
    const err = (await listScenarios(join(dir, 'notes.txt')).catch((e: unknown) => e)) as LabError;
    expect(err.message).toBe(`--scenarios ${join(dir, 'notes.txt')} is not a directory`);
  });

  it('a path that does not exist but names a scenario points at it', () => {
    let err: unknown;
    try {
      findScenario('bridge-basics.yaml', dir);
    } catch (e) {
      err = e;
    }
    expect((err as LabError).describe()).toBe(
      'scenario file bridge-basics.yaml does not exist\n' +
        `  hint: there is a scenario named bridge-basics in ${dir}: give its name (lab plan bridge-basics …) or its path ${join(dir, 'bridge-basics.yaml')}`,
    );
  });
});
