// Measures the structure of src/: import cycles between files and between folders, imports that
// point up the layer order of docs/architecture.md, and functions longer than 80 lines.
// Usage: npx tsx scripts/structure-report.ts [--json]
// The rules themselves are enforced by dependency-cruiser (.dependency-cruiser.cjs, run by npm run lint);
// this script only counts, so that a change to the structure can say what it changed.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');
const MAX_FUNCTION_LINES = 80;

/** Rank of each top-level folder of src/ (as in .dependency-cruiser.cjs): imports go to lower ranks only. */
const LAYER: Record<string, number> = {
  cli: 12,
  report: 11,
  transcript: 11,
  suite: 10,
  run: 9,
  probe: 8,
  assert: 8,
  swarm: 8,
  preflight: 8,
  plan: 7,
  scenario: 6,
  inventory: 5,
  host: 4,
  docker: 3,
  ssh: 2,
  common: 1,
  'errors.ts': 1,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

function importsOf(file: string, source: ts.SourceFile): string[] {
  const specs: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      specs.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      specs.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specs
    .filter((s) => s.startsWith('.'))
    .map((s) => resolve(dirname(file), s.replace(/\.js$/, '.ts')))
    .filter((p) => existsSync(p));
}

function longFunctions(file: string, source: ts.SourceFile): { name: string; lines: number }[] {
  const found: { name: string; lines: number }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      if (lines > MAX_FUNCTION_LINES) {
        const named = node as ts.FunctionLikeDeclaration;
        let name = named.name?.getText(source);
        if (!name && ts.isVariableDeclaration(node.parent)) name = node.parent.name.getText(source);
        if (!name && ts.isPropertyAssignment(node.parent)) name = node.parent.name.getText(source);
        found.push({
          name: `${relative(ROOT, file)}:${start + 1} ${name ?? '(anonymous)'}`,
          lines,
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Strongly connected components with more than one member (Tarjan). */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const strong = (v: string): void => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) strong(v);
  return out;
}

const topFolder = (file: string): string => relative(SRC, file).split('/')[0]!;

const files = sourceFiles(SRC);
const fileGraph = new Map<string, Set<string>>();
const folderGraph = new Map<string, Set<string>>();
const upward: string[] = [];
const sideways = new Set<string>();
const intoBox: string[] = [];
const long: { name: string; lines: number }[] = [];

for (const file of files) {
  const source = ts.createSourceFile(
    file,
    readFileSync(file, 'utf8'),
    ts.ScriptTarget.ES2022,
    true,
  );
  long.push(...longFunctions(file, source));
  const from = topFolder(file);
  const targets = importsOf(file, source);
  fileGraph.set(relative(ROOT, file), new Set(targets.map((t) => relative(ROOT, t))));
  for (const target of targets) {
    const to = topFolder(target);
    if (to === from) continue;
    if (!folderGraph.has(from)) folderGraph.set(from, new Set());
    folderGraph.get(from)!.add(to);
    const edge = `${relative(ROOT, file)} -> ${relative(ROOT, target)}`;
    if (to === 'box') {
      if (from !== 'cli') intoBox.push(edge);
      continue;
    }
    if (from === 'box') continue;
    const a = LAYER[from];
    const b = LAYER[to];
    if (a === undefined || b === undefined) continue;
    if (b > a) upward.push(edge);
    else if (b === a) sideways.add(`${from} -> ${to}`);
  }
}

const fileCycles = cycles(fileGraph);
const folderCycles = cycles(folderGraph);
const folderTwoCycles = [...folderGraph].flatMap(([a, tos]) =>
  [...tos].filter((b) => a < b && folderGraph.get(b)?.has(a)).map((b) => `${a} <-> ${b}`),
);
const report = {
  files: files.length,
  upwardImports: upward.length,
  importsIntoBoxFromOutsideCli: intoBox.length,
  folderCycles: folderCycles.length,
  folderTwoCycles,
  fileCycles: fileCycles.length,
  sidewaysFolderEdges: [...sideways].sort(),
  functionsOver80Lines: long.length,
  details: {
    upward,
    intoBox,
    folderCycles,
    fileCycles,
    long: long.sort((x, y) => y.lines - x.lines),
  },
};
if (process.argv.includes('--json')) console.log(JSON.stringify(report, null, 2));
else {
  const { details, ...counts } = report;
  console.log(counts);
  for (const c of details.folderCycles) console.log('folder cycle:', c.join(' <-> '));
  for (const c of details.fileCycles) console.log('file cycle:', c.join(' <-> '));
  for (const e of details.upward) console.log('upward:', e);
  for (const e of details.intoBox) console.log('into box:', e);
  for (const f of details.long) console.log(`long: ${f.lines} ${f.name}`);
}
