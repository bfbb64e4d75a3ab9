// Decisions through the built CLI, the thin spawned layer: the exit status of a real
// process for each code family (0, 2 bad input, 3 someone else's id). What each decision,
// interface and state command prints, its JSON, staleness and privacy moved in-process to
// test/cli/decision-command.test.ts.
import { afterAll, describe, expect, it } from 'vitest';
import { at, expectFailure, handoff, Repos } from './context-helpers.js';

describe('decisions through the built CLI', { tags: ['slow'] }, () => {
  const repos = new Repos();
  afterAll(() => repos.cleanup());

  it("decision add exits 0 with the id; bad input exits 2; revoking another developer's decision exits 3", () => {
    const repo = repos.make();
    const added = handoff(['decision', 'add', 'Use JWT for sessions', '--file', 'src/a.ts'], at(repo, 'alice'));
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}\n$/);
    expectFailure(handoff(['decision', 'add', ''], at(repo, 'alice')), 2, /empty/);
    const id = added.stdout.trim();
    expectFailure(handoff(['decision', 'revoke', id], at(repo, 'bob')), 3, /no decision ".*" that you can revoke/);
  });
});
