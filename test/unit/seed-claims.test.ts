/**
 * docs/seed-claims.md, the register of the seed's claims, and the scenarios' `seed:` tags in step:
 * a row that names a scenario has a check there with the same section and claim; every tagged
 * check has its row; a row with no scenario says it is prose or not checked yet (issue 14 item 1).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  ENGINES_BEGIN,
  ENGINES_END,
  norm,
  registerRows,
  type RegisterRow,
} from '../docs/seed-register.js';

const root = path.resolve(import.meta.dirname, '../..');

function readRegister(): RegisterRow[] {
  return registerRows(readFileSync(path.join(root, 'docs/seed-claims.md'), 'utf8'));
}

interface Tag {
  scenario: string;
  section: string;
  says: string;
}

function scenarioTags(): Tag[] {
  const dir = path.join(root, 'scenarios');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => {
      const doc = parse(readFileSync(path.join(dir, f), 'utf8')) as Record<string, unknown>;
      const items = [
        ...((doc['expect'] as unknown[]) ?? []),
        ...((doc['assert'] as unknown[]) ?? []),
      ];
      return items.flatMap((item) => {
        const seed = (item as { seed?: { section: string; says: string } }).seed;
        return seed
          ? [{ scenario: f.replace(/\.yaml$/, ''), section: seed.section, says: norm(seed.says) }]
          : [];
      });
    });
}

describe('the register of the seed’s claims', () => {
  const rows = readRegister();
  const tags = scenarioTags();

  it('lists about 22 checkable claims, by section, from 二.1 to 五.3', () => {
    expect(rows.filter((r) => r.scenario).length).toBeGreaterThanOrEqual(22);
    for (const s of ['二.1', '二.3', '二.4', '二.6', '二.7', '二.8', '三', '五.1', '五.2', '五.3'])
      expect(rows.some((r) => r.section === s && r.scenario)).toBe(true);
  });

  it('every row that names a scenario has a check there tagged with its section and claim', () => {
    const missing = rows
      .filter((r) => r.scenario)
      .filter(
        (r) =>
          !tags.some(
            (t) => t.scenario === r.scenario && t.section === r.section && t.says === r.says,
          ),
      );
    expect(missing).toEqual([]);
  });

  it('every check tagged with a claim of the seed has its row', () => {
    const unlisted = tags.filter(
      (t) =>
        !rows.some(
          (r) => r.scenario === t.scenario && r.section === t.section && r.says === t.says,
        ),
    );
    expect(unlisted).toEqual([]);
  });

  it('a row with no check says why: prose, or not checked yet', () => {
    const silent = rows
      .filter((r) => !r.scenario)
      .filter((r) => !/^(prose|not checked yet)/.test(r.checkedBy));
    expect(silent).toEqual([]);
  });

  it('says per Docker release how every claim with a check came out (scripts/seed-claims-engines.ts)', () => {
    const text = readFileSync(path.join(root, 'docs/seed-claims.md'), 'utf8');
    const section = text.slice(text.indexOf(ENGINES_BEGIN), text.indexOf(ENGINES_END));
    expect(section.length, 'the generated section is missing').toBeGreaterThan(
      ENGINES_BEGIN.length,
    );
    for (const release of ['20.10', '26.1']) expect(section).toContain(`| Docker ${release} `);
    const listed = section
      .split('\n')
      .filter((l) => /^\| [一二三四五]/.test(l))
      .map((l) =>
        l
          .slice(1, -1)
          .split(' | ')
          .map((c) => c.trim()),
      );
    const missing = rows
      .filter((r) => r.scenario)
      .filter(
        (r) =>
          !listed.some(
            ([section, says, scenario]) =>
              section === r.section && norm(says ?? '') === r.says && scenario === r.scenario,
          ),
      );
    expect(
      missing,
      'regenerate: npm run build && flock /tmp/lab-box.lock npx tsx scripts/seed-claims-engines.ts',
    ).toEqual([]);
  });
});
