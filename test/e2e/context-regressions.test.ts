// Regressions found in review of context exchange, the spawned part: the session hooks as
// real processes reading stdin over an unreadable store. The staleness regressions moved to
// test/cli/context-command.test.ts, the handoff over an unreadable store and privacy after a
// lost or corrupt developer registry to test/cli/context-repair-command.test.ts.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { handoff, Repos, storeDirOf, T0 } from './context-helpers.js';

describe('an unreadable context store does not break the hooks', { tags: ['slow'] }, () => {
  const repos = new Repos();
  afterAll(() => repos.cleanup());

  it('a directory where active.json should be: both hooks still succeed, without a stack trace', () => {
    const repo = repos.make();
    mkdirSync(join(storeDirOf(repo.dir), 'active.json'), { recursive: true });
    for (const hook of ['session-start', 'session-stop']) {
      const res = handoff(['hook', hook], { cwd: repo.dir, now: T0, as: 'alice', input: '{"session_id":"s1"}' });
      expect(res.code).toBe(0);
      expect(`${res.stdout}${res.stderr}`).not.toMatch(/\n\s+at /);
      expect(res.stderr.split('\n').filter((l) => l !== '').length).toBeLessThanOrEqual(1);
    }
  });
});
