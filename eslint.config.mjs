// @ts-check
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const TS_FILES = ['libs/**/*.ts', 'apps/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts'];
const TEST_FILES = ['test/**/*.ts', '**/*.spec.ts'];

// `_`-prefixed names are deliberate placeholders (interface-shaped args, skipped tuple items).
const unusedVars = [
  'error',
  {
    argsIgnorePattern: '^_',
    varsIgnorePattern: '^_',
    caughtErrorsIgnorePattern: '^_',
    destructuredArrayIgnorePattern: '^_',
    ignoreRestSiblings: true,
  },
];

export default defineConfig(
  globalIgnores(['**/dist/**', '**/node_modules/**', 'coverage/**', '.tmp/**']),
  // A stale `eslint-disable` comment fails CI instead of piling up as a warning.
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,

  {
    // Syntax-only (no type information, no tsconfig project): fast enough for every CI run.
    // `consistent-type-imports` stays off on purpose: with emitDecoratorMetadata, Nest DI needs
    // constructor parameter types imported as values.
    files: TS_FILES,
    extends: [tseslint.configs.recommended],
    rules: {
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': unusedVars,
      // Empty lifecycle hooks, no-op callbacks and private constructors are normal in Nest code.
      'no-empty-function': 'off',
      '@typescript-eslint/no-empty-function': 'off',
    },
  },
  {
    files: ['libs/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
  {
    // Tests poke at internals and build partial mocks; `any` is cheaper there than exact types.
    files: TEST_FILES,
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },

  {
    // Plain Node scripts: benchmarks, Jest configs/reporters, child-process fixtures.
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { 'no-unused-vars': unusedVars },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: globals.node },
  },

  // Last: turns off every stylistic rule that would fight Prettier.
  prettier,
);
