import { defineConfig } from 'vitest/config';

// Two named layers of one suite (issue 9 §4):
// - fast: everything in-process, in test/ mirroring src/ (core, schema, render, git, store,
//   collect, api, hooks, setup, cli through runCommand with a captured Io), on real temporary
//   repositories. `npm run test:fast`.
// - e2e: the built CLI as real child processes (exit codes, stdout/stderr, stdin, signals,
//   concurrent writers, hook budgets) and the real agent clients. `npm run test:e2e`.
const E2E = ['test/e2e/**/*.test.ts', 'test/agents/**/*.test.ts'];

export default defineConfig({
  test: {
    // Every run tests the current source: dist/ is rebuilt first (the e2e suites spawn it).
    globalSetup: ['./test/support/build-dist.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.ts'],
    tags: [{ name: 'slow', description: 'Drives real git repositories or spawns the built CLI.' }],
    projects: [
      { extends: true, test: { name: 'fast', include: ['test/**/*.test.ts'], exclude: E2E } },
      { extends: true, test: { name: 'e2e', include: E2E } },
    ],
  },
});
