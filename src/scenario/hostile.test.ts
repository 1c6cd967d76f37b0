import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LabError } from '../common/errors.js';
import { listScenarios } from './find.js';
import { MAX_DEPTH, MAX_SCENARIO_BYTES, loadScenarioFile, parseScenario } from './load.js';

function caught(fn: () => unknown): LabError {
  try {
    fn();
  } catch (err) {
    if (err instanceof LabError) return err;
    throw err;
  }
  throw new Error('expected a LabError');
}

/** A billion-laughs style alias bomb: each level repeats the one before nine times. */
export function aliasBomb(): string {
  const letters = 'abcdefghi';
  let text = 'name: bomb\nvars:\n  a: &a ["x","x","x","x","x","x","x","x","x"]\n';
  for (let i = 1; i < letters.length; i++) {
    const prev = letters[i - 1] ?? 'a';
    text += `  ${letters[i]}: &${letters[i]} [${Array(9).fill(`*${prev}`).join(',')}]\n`;
  }
  return text;
}

describe('hostile scenario files are bad input with a place, never an internal error', () => {
  it('an alias bomb: refused at the first alias', () => {
    const err = caught(() => parseScenario(aliasBomb(), 'bomb.yaml'));
    expect(err.kind).toBe('input');
    expect(err.describe()).toBe(
      'bomb.yaml:4:10: the YAML aliases (*name) expand to too much data (more than 100 nodes per alias)\n' +
        '  hint: write the values out instead of nesting aliases of aliases',
    );
  });

  it('a file over 1 MiB is refused before it is read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-hostile-'));
    const file = join(dir, 'big.yaml');
    writeFileSync(file, `name: big\ndescription: "${'x'.repeat(MAX_SCENARIO_BYTES)}"\n`);
    const err = (await loadScenarioFile(file).catch((e: unknown) => e)) as LabError;
    expect(err).toBeInstanceOf(LabError);
    expect(err.describe()).toMatch(
      new RegExp(
        `^${file}: the scenario file is ${MAX_SCENARIO_BYTES + 26} bytes; lab reads scenario files of at most 1048576 bytes \\(1 MiB\\)\n`,
      ),
    );
  });

  it('text over 1 MiB handed to parseScenario is refused too', () => {
    const err = caught(() => parseScenario(`# ${'x'.repeat(MAX_SCENARIO_BYTES)}`, 'big.yaml'));
    expect(err.message).toMatch(/at most 1048576 bytes/);
  });

  it('deep flow nesting: refused with its line, not "Maximum call stack size exceeded"', () => {
    const err = caught(() =>
      parseScenario(
        `name: deep\nvars:\n  x: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`,
        'd.yaml',
      ),
    );
    expect(err.kind).toBe('input');
    expect(err.message).toMatch(/^the YAML nests (too deeply|more than 64 levels deep)/);
    expect(err.context.file).toBe('d.yaml');
    expect(err.context.line).toBe(3);
  }, 30_000);

  it(`nesting just past ${MAX_DEPTH} levels: refused where the too-deep level starts`, () => {
    const err = caught(() =>
      parseScenario(
        `name: deep\nvars:\n  x: ${'['.repeat(MAX_DEPTH)}${']'.repeat(MAX_DEPTH)}\n`,
        'd.yaml',
      ),
    );
    expect(err.message).toBe(`the YAML nests more than ${MAX_DEPTH} levels deep`);
    expect(`${err.context.line}:${err.context.column}`).toBe(`3:${4 + MAX_DEPTH}`);
  });

  it('deep block nesting', () => {
    let text = 'name: deep\n';
    for (let i = 0; i < 1000; i++) text += `${' '.repeat(i)}k:\n`;
    const err = caught(() => parseScenario(text, 'd.yaml'));
    expect(err.message).toMatch(/^the YAML nests (too deeply|more than 64 levels deep)/);
    expect(err.context.line).toBeGreaterThan(1);
  });

  it('`lab ls`: one bomb in the directory is listed as broken, the others still load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-hostile-ls-'));
    writeFileSync(join(dir, 'bomb.yaml'), aliasBomb());
    writeFileSync(join(dir, 'fine.yaml'), 'name: fine\ndescription: a fine one\n');
    const list = await listScenarios(dir);
    expect(list.map((s) => [s.name, s.title, s.error?.message])).toEqual([
      [
        'bomb',
        '',
        'the YAML aliases (*name) expand to too much data (more than 100 nodes per alias)',
      ],
      ['fine', 'a fine one', undefined],
    ]);
  });
});
