/**
 * A narrower set of tests for mutation runs of single files of src/check
 * (docs/mutation.md, "rational.ts, json.ts, fields.ts, rejection.ts,
 * index.ts"): only the checker's own tests, tests/check/, without the
 * source scan (imports.test.ts, as in vitest.mutate.config.ts). Every
 * mutant is run against the tests that cover it, so a file read only by
 * these tests gets cheap mutants. Use it through a Stryker config whose
 * "vitest.configFile" names this file; the environment variable below
 * narrows it further (rational.ts and json.ts: their unit tests only).
 */
import { defineConfig } from 'vitest/config';
export default defineConfig({
  test: {
    // RELUCERT_CHECK_TESTS=a.test.ts,b.test.ts narrows a run to those files (comma-separated globs)
    include: process.env.RELUCERT_CHECK_TESTS?.split(',') ?? ['tests/check/**/*.test.ts'],
    // the standalone checker's tests compare the committed bundle with src/check: every mutant would fail them (vitest.mutate.config.ts)
    exclude: ['tests/check/imports.test.ts', 'tests/check/standalone.test.ts', 'tests/check/standalone-agreement.test.ts'],
    // the tests that spend the whole default work budget (about ten seconds of checking, minutes under
    // Stryker's instrumentation) are left out; the work limit itself stays covered by entry, cost and
    // limits tests with small limits. A score measured without them is a lower bound.
    testNamePattern: /^(?!.*(three ReLU layers of width 150|R-witness-dos)).*$/,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    poolOptions: { forks: { maxForks: 1, minForks: 1 } },
  },
});
