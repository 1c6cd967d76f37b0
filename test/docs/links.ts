import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** A relative link in a Markdown page that does not lead anywhere. */
export interface BrokenLink {
  page: string;
  line: number;
  target: string;
  problem: string;
}

/** Markdown links `[text](target)` and `[ref]: target` outside code, with their line numbers. */
export function linksOf(markdown: string): { line: number; target: string }[] {
  const out: { line: number; target: string }[] = [];
  let fenced = false;
  markdown.split('\n').forEach((text, i) => {
    if (/^\s*(```|~~~)/.test(text)) fenced = !fenced;
    if (fenced) return;
    const prose = text.replace(/`[^`]*`/g, '');
    for (const m of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g))
      out.push({ line: i + 1, target: m[1]! });
    const ref = /^\s*\[[^\]]+\]:\s*(\S+)/.exec(prose);
    if (ref) out.push({ line: i + 1, target: ref[1]! });
  });
  return out;
}

/**
 * The anchors a page offers: GitHub's slugs of its headings (lower case, punctuation dropped,
 * spaces to hyphens, `-1`, `-2` … for repeats) and explicit `id="…"` / `name="…"` attributes.
 */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const text of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(text)) fenced = !fenced;
    if (fenced) continue;
    for (const m of text.matchAll(/\b(?:id|name)="([^"]+)"/g)) anchors.add(m[1]!);
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(text);
    if (!heading) continue;
    const slug = slugOf(heading[1]!);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

export function slugOf(heading: string): string {
  return heading
    .replace(/<[^>]+>/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Every relative link of these pages (paths from `root`) that names no file, or no anchor in it. */
export function brokenLinks(root: string, pages: string[]): BrokenLink[] {
  const broken: BrokenLink[] = [];
  const anchorCache = new Map<string, Set<string>>();
  const anchorsIn = (file: string) => {
    if (!anchorCache.has(file)) anchorCache.set(file, anchorsOf(readFileSync(file, 'utf8')));
    return anchorCache.get(file)!;
  };
  for (const page of pages) {
    const file = path.join(root, page);
    for (const { line, target } of linksOf(readFileSync(file, 'utf8'))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: — not ours to check
      const [rawPath, anchor] = target.split('#', 2) as [string, string | undefined];
      const targetFile =
        rawPath === '' ? file : path.resolve(path.dirname(file), decodeURI(rawPath));
      const report = (problem: string) => broken.push({ page, line, target, problem });
      if (!existsSync(targetFile)) {
        report('no such file');
        continue;
      }
      if (anchor === undefined || anchor === '') continue;
      if (statSync(targetFile).isDirectory() || !targetFile.endsWith('.md')) {
        report('an anchor into something that is not a Markdown page');
        continue;
      }
      if (!anchorsIn(targetFile).has(decodeURIComponent(anchor)))
        report(`no heading or id "${anchor}" in ${path.relative(root, targetFile)}`);
    }
  }
  return broken;
}
