import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import simpleImportSort from 'eslint-plugin-simple-import-sort';
import { layering, specsMayClimb } from './eslint.layers.mjs';

export default tseslint.config(
  {
    ignores: [
      '.scratch/',
      'dist/',
      'node_modules/',
      '.kafka/',
      '.registry/',
      '.postgres/',
      'coverage/',
      '**/*.js',
      '**/*.mjs',
      // Deliberately broken: src/layering.spec.ts lints it to prove the layering rules bite.
      'test/fixtures/layering/',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'simple-import-sort': simpleImportSort },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'simple-import-sort/imports': 'error',
      'simple-import-sort/exports': 'error',
    },
  },
  layering('src', 'tsconfig.json'),
  specsMayClimb('src'),
  {
    // Small files with one job; tests may hold a whole scenario.
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.spec.ts'],
    rules: { 'max-lines': ['error', { max: 300, skipBlankLines: false, skipComments: false }] },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  prettier,
);
