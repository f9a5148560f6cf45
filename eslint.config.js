// Layer rules (see README "Architecture"): the folder a file lives in says where it may run,
// and these patterns check every import against that, so the layering is enforced, not remembered.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeOnly = ['node:*', 'fs', 'fs/*', 'path', 'http', 'https', 'net', 'tls', 'crypto', 'child_process', 'os', 'stream', 'zlib', 'better-sqlite3', 'ws', 'axios', 'node-forge', 'electron', 'electron-store', 'croner'];
const nodeOnlyCore = ['**/core/runtime/**', '**/core/store/**', '**/core/http/**', '**/core/cli/**', '**/core/secrets/**', '**/core/webhook/**', '**/core/host/server*', '**/core/host/impl*', '**/nodes/*/run', '**/nodes/registry'];
const wrappers = [
  { group: ['axios', 'axios/*'], message: 'axios only through core/http/.' },
  { group: ['node-forge', 'node-forge/*'], message: 'node-forge only through core/http/tls*.' },
  { group: ['electron-store'], message: 'electron-store only through electron/.' },
  { group: ['monaco-editor', 'monaco-editor/*'], message: 'Monaco only through renderer/editor/.' },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'dist-electron/**', 'release/**', 'test-results/**', '.data/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-empty': ['error', { allowEmptyCatch: true }],
      'max-lines': ['warn', { max: 450, skipBlankLines: true, skipComments: true }],
      'no-restricted-imports': 'off',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['core/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [
        { group: ['electron', 'react', 'react-dom', '**/renderer/**', '**/electron/**'], message: 'core/ is headless: no Electron, no DOM, no renderer.' },
        ...wrappers.filter((w) => !w.group[0].startsWith('monaco')),
      ] }],
    },
  },
  {
    files: ['core/http/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [
        { group: ['electron', 'react', 'react-dom', '**/renderer/**', '**/electron/**'], message: 'core/ is headless.' },
      ] }],
    },
  },
  {
    files: ['core/model/**/*.ts', 'core/template/**/*.ts', 'core/nodes/*/spec.ts', 'core/nodes/catalogue.ts', 'core/nodes/spec-types.ts', 'core/host/api.ts', 'core/host/transport-wire.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [
        { group: nodeOnly, message: 'Browser-safe core (model, template, node specs, host api) may not import Node-only modules.' },
        { group: nodeOnlyCore, message: 'Browser-safe core may not import Node-only core layers.', allowTypeImports: true },
        { group: ['react', 'react-dom', '**/renderer/**', '**/electron/**'], message: 'core/ is headless.' },
      ] }],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    ignores: ['renderer/editor/**', 'renderer/vite.config.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [
        { group: nodeOnly, message: 'renderer/ runs in a browser: use the host API.' },
        { group: nodeOnlyCore, message: 'renderer/ reaches the runtime only through the host API (window.hookline).', allowTypeImports: true },
        ...wrappers.filter((w) => w.group[0].startsWith('monaco')),
      ] }],
    },
  },
  {
    files: ['renderer/editor/**/*.ts', 'renderer/editor/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [
        { group: nodeOnly, message: 'renderer/ runs in a browser.' },
        { group: nodeOnlyCore, message: 'renderer/ reaches the runtime only through the host API.', allowTypeImports: true },
      ] }],
    },
  },
  {
    files: ['electron/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [
        { group: ['**/renderer/**', 'react', 'react-dom'], message: 'electron/ is a thin shell over core.' },
        ...wrappers.filter((w) => !w.group[0].startsWith('electron-store') && !w.group[0].startsWith('monaco')),
      ] }],
    },
  },
);
