/**
 * The tests Stryker runs against mutants of src/check (`npm run mutate`,
 * docs/mutation.md): the checker's own tests, the region certificate tests
 * and the re-check of the shipped certificates. Everything else is left out
 * to keep a mutation run tractable.
 */
import { defineConfig } from 'vitest/config';
export default defineConfig({
  test: {
    include: ['tests/check/**/*.test.ts', 'tests/stochastic/region.test.ts', 'tests/certificates.test.ts'],
    // a scan of the source text: Stryker's instrumented copy of src/check contains its own
    // helper code (new Function), and no mutant changes what this test reads
    // and the standalone checker's tests compare the committed bundle with one generated from
    // src/check: every mutant would fail them for a reason that says nothing of the tests' strength
    exclude: ['tests/check/imports.test.ts', 'tests/check/standalone.test.ts', 'tests/check/standalone-agreement.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 1, minForks: 1 } },
  },
});
