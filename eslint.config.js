// ESLint flat config: typescript-eslint's type-checked rules on every TypeScript file of the project (one program,
// tsconfig.test.json, which covers the sources, tests and benchmarks), plain JavaScript rules on the .mjs scripts,
// and eslint-config-prettier last so that no style rule fights Prettier (Prettier owns formatting).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Files that ship in the package or run the stacks: small functions are enforced there, not in tests. */
const PRODUCT_CODE = ['core/**/*.ts', 'constructs/**/*.ts', 'stacks/**/*.ts', 'app/**/*.ts', 'main.ts'];

export default defineConfig(
  {
    ignores: [
      '.gen/**',
      'dist/**',
      'docs/api/**',
      'node_modules/**',
      'cdktf.out/**',
      '.sovstack-cache/**',
      'coverage/**',
      '.tools/**',
      // A separate project (its own package.json and tsconfig) that installs the packed package.
      'examples/**',
      'test/fixtures/**',
      'test/check/corpus/**',
    ],
  },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked, ...tseslint.configs.stylisticTypeChecked],
    languageOptions: {
      parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_name` is the convention for a parameter a signature requires but the body does not use.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Numbers and booleans in messages are fine; objects that would print "[object Object]" are not.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // Type aliases and interfaces are both used on purpose (aliases for unions and zod-inferred shapes).
      '@typescript-eslint/consistent-type-definitions': 'off',
      // `''` is a missing name as much as `undefined` is: `name || 'default'` on strings is deliberate.
      '@typescript-eslint/prefer-nullish-coalescing': ['error', { ignorePrimitives: { string: true } }],
      // Chains only where a value is compared with null/undefined: `!a || !b || a.x !== b.x` stays readable.
      '@typescript-eslint/prefer-optional-chain': ['error', { requireNullish: true }],
      // Terraform JSON and parsed YAML are read as records: `attrs['remote_ip_prefix']` reads a key of data.
      '@typescript-eslint/dot-notation': ['error', { allowIndexSignaturePropertyAccess: true }],
    },
  },
  {
    files: PRODUCT_CODE,
    rules: {
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true, IIFEs: true }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Tests read synthesized Terraform JSON, state and plans loosely typed and assert on them with expect(): a wrong
      // shape fails the assertion, which is the check these rules would otherwise demand as casts at every access.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // The same loosely typed YAML/JSON (e.g. a generated CI pipeline) is turned into text for messages with String().
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  {
    // Node scripts in plain JavaScript: no type information (they are not part of a tsconfig), Node's globals.
    files: ['**/*.mjs', '**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node, sourceType: 'module' },
  },
  prettier,
);
