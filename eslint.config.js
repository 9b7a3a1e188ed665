// Lint (npm run lint, run by npm test): typescript-eslint's type-aware recommended rules.
// Exact numbers print themselves: Q (src/core/rational.ts) and the checker's Rat may stand in templates.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'out/', 'reports/', '.stryker-tmp/', 'examples/', 'bin/', '*.config.js', '*.config.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        {
          allowNumber: true,
          allowBoolean: true,
          allow: [
            { from: 'file', name: 'Q', path: 'src/core/rational.ts' },
            { from: 'file', name: 'Rat', path: 'src/check/rational.ts' },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-floating-promises': 'error',
      // interfaces here declare function-valued fields as methods (Io.out, a reduction's maps); they are bound where it matters
      '@typescript-eslint/unbound-method': 'off',
      // engines and plugins return promises through one async interface, whether or not they await
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // a timer at a computed time overflows past 2^31 - 1 ms and fires at once: src/ arms every timer through alarmAt (src/core/deadline.ts)
    files: ['src/**/*.ts'],
    ignores: ['src/core/deadline.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'use alarmAt (src/core/deadline.ts): setTimeout fires at once past 2^31 - 1 ms' },
        { name: 'setInterval', message: 'use alarmAt (src/core/deadline.ts)' },
      ],
      'no-restricted-imports': ['error', { paths: [{ name: 'node:timers/promises', message: 'use alarmAt (src/core/deadline.ts)' }] }],
      // a function that does not fit on two screens does more than one thing (CONTRIBUTING.md); blank lines and comments not counted
      'max-lines-per-function': ['error', { max: 100, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // tests read JSON (any) and poke at it; the type-safety rules on `any` would only add casts
    files: ['tests/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // plain JavaScript that tests load into other processes (tests/cube/stall.mjs): no types to check
    files: ['tests/**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
