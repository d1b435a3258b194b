// ESLint flat config for RayOS. Run: npx eslint --max-warnings 0 .   (./rayos test does)
//
// - TypeScript (src/, test/, bench/, guest/): typescript-eslint "recommended", without type
//   information so lint stays fast (tsc -b does the type checking).
// - Plain JS (tools/*.js, this file): ESLint's recommended rules.
// - Everywhere: no focused or skipped tests (test.only, it.skip, { only: true }, { skip: true }).
// - src/**: the dependency rule (tools/eslint-plugin-rayos-layers.js, see shared/DESIGN.md).

import { builtinRules } from 'eslint/use-at-your-own-risk';
import tseslint from 'typescript-eslint';
import rayosLayers from './tools/eslint-plugin-rayos-layers.js';

const TS_FILES = ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'guest/**/*.ts'];
const JS_FILES = ['tools/*.js', 'eslint.config.js'];

// ESLint's own "recommended" rule set (what @eslint/js's configs.recommended contains), read
// from the installed eslint so no extra package is needed.
const eslintRecommended = Object.fromEntries(
  [...builtinRules]
    .filter(([, rule]) => rule.meta?.docs?.recommended === true && !rule.meta.deprecated)
    .map(([name]) => [name, 'error']),
);

// The Node.js globals the tools scripts may use (plain JS has no type information).
const nodeGlobals = Object.fromEntries(
  [
    'AbortController', 'AbortSignal', 'Buffer', 'URL', 'URLSearchParams', 'TextDecoder', 'TextEncoder',
    'clearImmediate', 'clearInterval', 'clearTimeout', 'console', 'fetch', 'globalThis', 'performance',
    'process', 'queueMicrotask', 'setImmediate', 'setInterval', 'setTimeout', 'structuredClone',
  ].map((name) => [name, 'readonly']),
);

const unusedVars = [
  'error',
  {
    args: 'after-used',
    argsIgnorePattern: '^_',
    varsIgnorePattern: '^_',
    caughtErrorsIgnorePattern: '^_',
    destructuredArrayIgnorePattern: '^_',
  },
];

const TEST_FNS = ['test', 'it', 'describe', 'suite'];
// test(…), it(…), describe(…), suite(…) and t.test(…) & co.
const TEST_CALL = `CallExpression:matches(${TEST_FNS.map((f) => `[callee.name='${f}']`).join(', ')}, ${TEST_FNS.map(
  (f) => `[callee.property.name='${f}']`,
).join(', ')})`;
const noFocusedOrSkippedTests = {
  'no-restricted-properties': [
    'error',
    ...TEST_FNS.flatMap((object) =>
      ['only', 'skip'].map((property) => ({
        object,
        property,
        message: `${object}.${property}() focuses or skips tests; remove it before committing (a skipped test hides a failure).`,
      })),
    ),
  ],
  'no-restricted-syntax': [
    'error',
    {
      // { only } in any form except `only: false`
      selector: `${TEST_CALL} > ObjectExpression > Property[key.name='only']:not([value.value=false])`,
      message: 'A test option { only } focuses tests; remove it before committing.',
    },
    {
      // an unconditional { skip: true } / { skip: 'reason' }; a computed condition such as
      // { skip: qemuMissing } is allowed (setup installs what the tests need, so CI never skips)
      selector: `${TEST_CALL} > ObjectExpression > Property[key.name='skip']:matches([value.type='Literal'], [value.type='TemplateLiteral']):not([value.value=false])`,
      message: 'A test option { skip: true } skips a test for good and hides its failure; remove it before committing.',
    },
  ],
};

export default [
  {
    ignores: ['dist/**', 'node_modules/**', '**/node_modules/**', '.cache/**', '.rayos-data/**'],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },

  // TypeScript
  ...tseslint.configs.recommended.map((config) => ({ ...config, files: TS_FILES })),
  {
    files: TS_FILES,
    rules: {
      '@typescript-eslint/no-unused-vars': unusedVars,
      ...noFocusedOrSkippedTests,
    },
  },

  // Plain JS tools
  {
    files: JS_FILES,
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: nodeGlobals,
    },
    rules: {
      ...eslintRecommended,
      'no-unused-vars': unusedVars,
      ...noFocusedOrSkippedTests,
    },
  },

  // The dependency rule
  {
    files: ['src/**/*.ts'],
    plugins: { 'rayos-layers': rayosLayers },
    rules: { 'rayos-layers/imports': 'error' },
  },
];
