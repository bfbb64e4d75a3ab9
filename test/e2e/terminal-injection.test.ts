// Terminal injection (issue 7, item 3), the thin spawned layer: a real process prints stored
// hostile text escaped (exit 0) and refuses a control character in a published field with
// exit 2 and a clean stderr line. Every output (get, list, state, the markdown handoff,
// --detail, --latest, doctor, the session-start briefing) and every refused field moved
// in-process to test/cli/escape-command.test.ts.
import { afterAll, describe, expect, it } from 'vitest';
import { expectSafe, RAW_UNSAFE, seedHostileStore } from '../support/hostile-store.js';
import { expectFailure, handoff, hoursAfter, Repos } from './context-helpers.js';

describe('terminal injection through the built CLI', { tags: ['slow'] }, () => {
  const repos = new Repos();
  afterAll(() => repos.cleanup());

  it('context get prints stored control characters escaped; publishing one exits 2 with a clean stderr', async () => {
    const repo = repos.make();
    await seedHostileStore(repo);
    const res = handoff(['context', 'get'], { cwd: repo.dir, as: 'carol', now: hoursAfter(1) });
    expect(res.code, res.stderr).toBe(0);
    expectSafe(res.stdout, 'context get');
    expect(res.stdout).toContain('\\x1b');
    const refused = handoff(['context', 'publish', '--title', 'a\x1b[2Jb'], { cwd: repo.dir, as: 'bob' });
    expectFailure(refused, 2, /title/);
    expect(refused.stderr).not.toMatch(RAW_UNSAFE);
  });
});
