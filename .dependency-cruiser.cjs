/**
 * dependency-cruiser's rules for relucert (docs/architecture.md section 5):
 * `npx depcruise src scripts bench` (or `npm run deps`) checks them, and
 * tests/architecture.test.ts runs the same check in `npm test`.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycle between files, type-only and dynamic imports included: every folder reads bottom-up.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'cli-is-a-client',
      severity: 'error',
      comment: 'src/cli parses options and prints; nothing outside it imports it (the pipeline is in the library: src/run, src/index.ts).',
      from: { pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
