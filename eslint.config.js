// ESLint flat config: strict typed rules, and import boundaries that keep the core pure.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'http', 'https', 'net', 'tls', 'child_process'];
const edgePackages = ['fastify', 'pino', '@kubernetes/client-node', 'prom-client', 'commander'];

/** Forbid imports of the given patterns in files under `files`. */
function boundary(files, patterns, message, { pure = true } = {}) {
  return {
    files,
    rules: {
      ...(pure ? { 'no-restricted-globals': ['error', { name: 'process', message }] } : {}),
      // Type-only imports are allowed: the core may describe Kubernetes shapes with V1Probe etc.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: patterns, message, allowTypeImports: true }] },
      ],
    },
  };
}

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'charts/**',
      'deploy/**',
      'bench/.cache/**',
      '.scratch/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/explicit-function-return-type': ['error', { allowExpressions: true }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      eqeqeq: 'error',
      complexity: ['error', 14],
      'max-depth': ['error', 3],
      'max-params': ['error', 4],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      '@typescript-eslint/explicit-function-return-type': 'off',
    },
  },
  {
    files: ['test/**/*.ts', '**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      complexity: 'off',
      // Table-driven tests destructure whole rows.
      'max-params': 'off',
      'max-depth': ['error', 4],
    },
  },
  {
    // The e2e suite writes Kubernetes objects as literals typed with client-node's models (V1Pod
    // etc.), which are data-only classes: a literal is exactly what client-node serialises.
    files: ['test/e2e/**/*.ts'],
    rules: { '@typescript-eslint/no-unsafe-class-instance-assignment': 'off' },
  },
  boundary(
    ['src/core/**/*.ts'],
    [
      ...nodeBuiltins,
      ...edgePackages,
      '**/admission/**',
      '**/server/**',
      '**/cli/**',
      '**/kube/**',
      '**/config/**',
    ],
    'src/core is pure: no I/O, no env, no logger, and it imports nothing from the edges.',
  ),
  boundary(
    ['src/admission/**/*.ts'],
    [...nodeBuiltins, ...edgePackages, '**/server/**', '**/cli/**', '**/kube/**'],
    'src/admission is pure: it depends on core only.',
  ),
  boundary(
    ['src/cli/**/*.ts'],
    ['**/server/**', '**/kube/**', 'fastify'],
    'The CLI does not depend on the server edge.',
    { pure: false },
  ),
);
