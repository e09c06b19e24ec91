import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Time comes only from the injected clock (src/time/): the wall clock is banned elsewhere in src/.
const wallClock = [
  { selector: "CallExpression[callee.name='setTimeout']", message: 'Use the injected clock (src/time/).' },
  { selector: "CallExpression[callee.name='setInterval']", message: 'Use the injected clock (src/time/).' },
  { selector: "CallExpression[callee.name='setImmediate']", message: 'Use the injected clock (src/time/).' },
  { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'Use now(clock) from src/time/.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.cache/**', 'coverage/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/time/**'],
    rules: { 'no-restricted-syntax': ['error', ...wallClock] },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      // Operators come from 'rxjs' itself (7.2+); 'rxjs/internal/*' is not public API.
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'rxjs/operators', message: "Import operators from 'rxjs'." }],
          patterns: [{ group: ['rxjs/internal/*'], message: 'Not public API.' }],
        },
      ],
    },
  },
);
