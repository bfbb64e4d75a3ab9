import { defineConfig } from 'vitest/config';

// One suite in three named layers (issue 9 §4); test/ mirrors src/.
// - fast: every layer in-process on real temporary repositories — core, schema, render, git,
//   store, collect, api, hooks, setup, and the CLI run in-process (runCommand with a captured
//   Io). `npm run test:fast`.
// - integration: the behaviour suites of the whole CLI and the session hooks in-process (many
//   repositories and commands each). `npm run test:integration`.
// - e2e: the built CLI as real child processes (exit codes, stdout/stderr, stdin, signals,
//   concurrent writers, hook budgets) and the real agent clients, and e2e-races, the files of
//   many racing processes, run last. `npm run test:e2e` runs both.
const E2E = ['test/e2e/**/*.test.ts', 'test/agents/**/*.test.ts'];
// The files that race dozens of processes at once (50 publishers or senders, 20 claimers,
// SIGKILL loops). They run after the rest, two at a time: beside them a hook on the other
// worker could be starved past the budget its test leaves it.
const RACES = ['test/e2e/context-concurrency.test.ts', 'test/e2e/message.test.ts', 'test/e2e/claim.test.ts'];
const INTEGRATION = ['test/cli/*-command.test.ts', 'test/cli/edge-cases.test.ts', 'test/hooks/session-hooks.test.ts'];

export default defineConfig({
  test: {
    // Every run tests the current source: dist/ is rebuilt first (the e2e suites spawn it).
    globalSetup: ['./test/support/build-dist.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two files at once on the two-core machine (vitest's default leaves one core idle): the
    // tests mostly wait on the git and handoff processes they spawn, which then share both.
    maxWorkers: 2,
    // A worker keeps the modules it loaded from one file to the next (vitest re-imports them
    // per file otherwise, a third of the fast layer's time): no test relies on fresh module
    // state — process settings such as git's environment are passed in per call.
    isolate: false,
    reporters: ['default', './test/support/summary-reporter.ts'],
    tags: [{ name: 'slow', description: 'Drives real git repositories or spawns the built CLI.' }],
    projects: [
      { extends: true, test: { name: 'fast', include: ['test/**/*.test.ts'], exclude: [...E2E, ...INTEGRATION] } },
      { extends: true, test: { name: 'integration', include: INTEGRATION } },
      { extends: true, test: { name: 'e2e', include: E2E, exclude: RACES } },
      { extends: true, test: { name: 'e2e-races', include: RACES, sequence: { groupOrder: 1 } } },
    ],
  },
});
