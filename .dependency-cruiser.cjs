/**
 * The layer rule of docs/architecture.md, checked by `npm run lint` (and so by .ci/run).
 * Each folder of src/ sits in one layer and may import only from layers below it; folders in the same
 * layer do not import each other; nothing imports in a cycle. `box` (the test bed) sits beside the
 * layers: it may use host, docker, ssh and common, and only cli, tests and bench may use it.
 */

/** Top to bottom. A folder may import its own folder and the folders of any lower row. */
const LAYERS = [
  ['cli'],
  ['report', 'transcript'],
  ['suite'],
  ['run'],
  ['probe', 'assert', 'swarm', 'preflight'],
  ['plan'],
  ['scenario'],
  ['inventory'],
  ['host'],
  ['docker'],
  ['ssh'],
  ['common'],
];
const BOX_MAY_USE = ['host', 'docker', 'ssh', 'common'];

const folders = (names) => `^src/(${names.join('|')})/`;
const TEST = '\\.test\\.ts$';

const layerRules = LAYERS.flatMap((row, i) => {
  const above = LAYERS.slice(0, i).flat();
  const rules = [];
  if (above.length > 0) {
    rules.push({
      name: `layer-${row.join('-')}-not-up`,
      comment: `${row.join(', ')} may not import the layers above (${above.join(', ')}): see docs/architecture.md`,
      severity: 'error',
      from: { path: folders(row), pathNot: TEST },
      to: { path: folders([...above, 'box']) },
    });
  }
  for (const folder of row) {
    const peers = row.filter((f) => f !== folder);
    if (peers.length === 0) continue;
    rules.push({
      name: `layer-${folder}-not-sideways`,
      comment: `${folder} may not import its peers in the same layer (${peers.join(', ')}): move the shared piece down`,
      severity: 'error',
      from: { path: folders([folder]), pathNot: TEST },
      to: { path: folders(peers) },
    });
  }
  return rules;
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles between files (and so none between folders).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'box-only-from-cli',
      comment: 'The box is a test bed: only the CLI, tests and bench use it.',
      severity: 'error',
      from: { path: '^src/', pathNot: [folders(['cli', 'box']), TEST] },
      to: { path: folders(['box']) },
    },
    {
      name: 'box-uses-only-low-layers',
      comment: `The box may use ${BOX_MAY_USE.join(', ')}, nothing above them.`,
      severity: 'error',
      from: { path: folders(['box']), pathNot: TEST },
      to: { path: '^src/', pathNot: folders(['box', ...BOX_MAY_USE]) },
    },
    {
      name: 'no-files-outside-layers',
      comment:
        'Every source file lives in a layer folder (src/errors.ts and friends belong in common/).',
      severity: 'error',
      from: { path: '^src/[^/]+$' },
      to: {},
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves to a file or an installed package.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'not-to-undeclared-dependency',
      comment: 'Every package imported is declared in package.json.',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'not-to-dev-dependency',
      comment: 'Code that ships (src/, bin/) imports only dependencies, not devDependencies.',
      severity: 'error',
      from: { path: '^(src|bin)/', pathNot: TEST },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|bench/results)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts'],
    },
  },
};
