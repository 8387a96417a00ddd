// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const outsideModules = ['!../../**'];
const noEnums = { selector: 'TSEnumDeclaration', message: 'Use `as const` arrays and z.enum instead of TS enums.' };
// Every value reaches SQL as a bound parameter; raw SQL text is how injection gets in.
const noRawSql = ['raw', 'lit'].map((name) => ({
  selector: `CallExpression[callee.object.name='sql'][callee.property.name='${name}']`,
  message: `sql.${name} splices text into SQL: use the sql template with parameters, or sql.id / sql.ref for identifiers.`,
}));

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'data/**', 'coverage/**', 'bin/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/require-await': 'off',
      'no-restricted-syntax': ['error', noEnums, ...noRawSql],
    },
  },
  {
    // Migrations are fixed DDL text written by us, never built from input.
    files: ['server/db/migrations/**/*.ts', '**/*.test.ts', 'server/test/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', noEnums] },
  },
  {
    // Tests read JSON responses freely; the assertions are the type check there.
    files: ['**/*.test.ts', 'web/e2e/**/*.ts', 'server/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['eslint.config.js', 'vite.config.ts', 'vitest.config.ts'],
    ...tseslint.configs.disableTypeChecked,
  },
  // Boundaries between the three source roots.
  {
    files: ['common/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/server/**', '**/web/**'], message: 'common/ is isomorphic: it imports neither server/ nor web/.' },
            { group: ['node:*'], message: 'common/ runs in the browser too: no Node APIs.' },
          ],
        },
      ],
    },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/server/**'], message: 'web/ talks to the server over HTTP only; share types through common/.' }] },
      ],
    },
  },
  {
    files: ['web/e2e/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['server/**/*.ts'],
    ignores: ['server/modules/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/web/**'], message: 'server/ does not import web/.' }] }],
    },
  },
  // Between modules: only another module's *.service.ts is public.
  {
    files: ['server/modules/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/web/**'], message: 'server/ does not import web/.' },
            {
              group: ['../*/*', '!../*/*.service.ts', ...outsideModules],
              message: "A module imports another module's *.service.ts only.",
            },
          ],
        },
      ],
    },
  },
);
