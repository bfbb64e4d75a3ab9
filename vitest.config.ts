import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Every run tests the current source: dist/ is rebuilt first (the e2e suites spawn it).
    globalSetup: ['./test/support/build-dist.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.ts'],
    tags: [{ name: 'slow', description: 'Drives real git repositories or spawns the built CLI.' }],
  },
});
