import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { anchorsOf, brokenLinks, linksOf, slugOf } from '../docs/links.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function markdownUnder(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.md'))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)));
}

describe('links in the docs', () => {
  it('every relative link in README.md and docs/ names a file that exists, and an anchor in it', () => {
    const pages = ['README.md', ...markdownUnder('docs')];
    expect(pages.length).toBeGreaterThan(10);
    expect(brokenLinks(root, pages)).toEqual([]);
  });

  it('finds links outside code only, and anchors as GitHub makes them', () => {
    const page = [
      '# `lab check connectivity`: the matrix',
      '## 二.8 SNAT out',
      '## Twice',
      '## Twice',
      '<a id="section-9"></a>',
      'See [this](other.md#x) and `[not](a-link.md)`.',
      '```',
      '[nor](this.md)',
      '```',
      '[ref]: ref.md',
    ].join('\n');
    expect(linksOf(page).map((l) => l.target)).toEqual(['other.md#x', 'ref.md']);
    expect([...anchorsOf(page)]).toEqual([
      'lab-check-connectivity-the-matrix',
      '二8-snat-out',
      'twice',
      'twice-1',
      'section-9',
    ]);
    expect(slugOf('Exit codes and [machine-readable](x.md) output')).toBe(
      'exit-codes-and-machine-readable-output',
    );
  });

  it('reports a missing file and a missing anchor with page and line', () => {
    const fake = brokenLinks(path.join(root, 'test/unit/fixtures/doc-links'), ['page.md']);
    expect(fake).toEqual([
      { page: 'page.md', line: 3, target: 'missing.md', problem: 'no such file' },
      {
        page: 'page.md',
        line: 4,
        target: 'page.md#nowhere',
        problem: 'no heading or id "nowhere" in page.md',
      },
    ]);
  });
});
