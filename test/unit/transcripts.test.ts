/**
 * docs/transcripts/ (scripts/docs-transcripts.ts, from a real run on the box) is structurally
 * current: one transcript per shipped scenario, each with every expectation and assertion of the
 * scenario as it is now, and every claim of the seed it makes, said in the seed's words.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const dir = path.join(root, 'docs/transcripts');
const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
const REGENERATE = 'flock /tmp/lab-box.lock npx tsx scripts/docs-transcripts.ts';

interface Claim {
  seed?: { section: string; says: string; words?: string };
  host?: unknown;
}

const scenarios = readdirSync(path.join(root, 'scenarios'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => {
    const doc = parse(readFileSync(path.join(root, 'scenarios', f), 'utf8')) as {
      name: string;
      expect?: Claim[];
      assert?: Claim[];
    };
    return { name: doc.name, expect: doc.expect ?? [], assert: doc.assert ?? [] };
  });

describe('the transcripts in docs/transcripts', () => {
  it('the index lists every scenario, with its transcript', () => {
    const index = readFileSync(path.join(dir, 'README.md'), 'utf8');
    for (const s of scenarios) expect(index, REGENERATE).toContain(`](${s.name}.md)`);
  });

  it.each(scenarios.map((s) => [s.name, s] as const))(
    '%s: every expectation, assertion and claim of the seed of the scenario appears',
    (name, s) => {
      const text = norm(readFileSync(path.join(dir, `${name}.md`), 'utf8'));
      expect(text, REGENERATE).toContain(`# ${name}: a transcript`);
      const checks = [...text.matchAll(/- \*\*check-(\d+)\*\* \(/g)].map((m) => Number(m[1]));
      expect(checks, `${name}: the expectations (${REGENERATE})`).toEqual(
        s.expect.map((_, i) => i + 1),
      );
      const assertions = (text.split('## 6. Assertions')[1] ?? '').match(/### \S+ [A-Z]/g) ?? [];
      expect(assertions.length, `${name}: the assertions (${REGENERATE})`).toBeGreaterThanOrEqual(
        s.assert.length,
      );
      for (const c of [...s.expect, ...s.assert]) {
        if (!c.seed) continue;
        const words = c.seed.words ? `"${norm(c.seed.words)}" — ` : '';
        expect(text, REGENERATE).toContain(
          `The seed (${c.seed.section}) says: ${words}${norm(c.seed.says)}`,
        );
      }
    },
  );
});
