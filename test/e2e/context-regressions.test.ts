// Regressions found in review of context exchange: each test failed before its fix.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { teamState } from '../../src/schema/context.js';
import { getJson, handoff, hoursAfter, parseOk, publishId, Repos, storeDirOf, T0 } from './context-helpers.js';

describe('context exchange regressions', { tags: ['slow'] }, () => {
  const repos = new Repos();
  afterAll(() => repos.cleanup());

  it('a touched path with a space that is missing on another branch does not hang state or get', () => {
    const repo = repos.make();
    repo.git('checkout', '-q', '-b', 'feat');
    writeFileSync(join(repo.dir, 'a b.md'), 'y\n');
    publishId({ cwd: repo.dir, now: T0, as: 'bob' }, ['--title', 'T', '--file', 'a b.md', '--file', 'src/a.ts']);
    repo.git('checkout', '-q', 'main');
    const state = parseOk(teamState, handoff(['state', '--json'], { cwd: repo.dir, now: hoursAfter(1), as: 'carol' }), 'state');
    expect(state.contexts).toHaveLength(1);
    expect(state.contexts[0]?.staleness?.changed_files.map((f) => [f.path, f.change])).toEqual([['a b.md', 'deleted']]);
    expect(getJson({ cwd: repo.dir, now: hoursAfter(1), as: 'carol' })).toHaveLength(1);
  });
});
