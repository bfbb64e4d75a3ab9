// Regressions found in review of context exchange: each test failed before its fix.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { teamState } from '../../src/schema/state.js';
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
    const state = parseOk(
      teamState,
      handoff(['state', '--json'], { cwd: repo.dir, now: hoursAfter(1), as: 'carol' }),
      'state',
    );
    expect(state.contexts).toHaveLength(1);
    expect(state.contexts[0]?.staleness?.changed_files.map((f) => [f.path, f.change])).toEqual([['a b.md', 'deleted']]);
    expect(getJson({ cwd: repo.dir, now: hoursAfter(1), as: 'carol' })).toHaveLength(1);
  });
});

describe('an unreadable context store does not break the handoff or the hooks', { tags: ['slow'] }, () => {
  const repos = new Repos();
  afterAll(() => repos.cleanup());

  it('a directory where active.json should be: handoff and both hooks still succeed', () => {
    const repo = repos.make();
    mkdirSync(join(storeDirOf(repo.dir), 'active.json'), { recursive: true });
    const run = handoff(['--no-save', '--json'], { cwd: repo.dir, now: T0, as: 'alice' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    for (const hook of ['session-start', 'session-stop']) {
      const res = handoff(['hook', hook], { cwd: repo.dir, now: T0, as: 'alice', input: '{"session_id":"s1"}' });
      expect(res.code).toBe(0);
      expect(`${res.stdout}${res.stderr}`).not.toMatch(/\n\s+at /);
      expect(res.stderr.split('\n').filter((l) => l !== '').length).toBeLessThanOrEqual(1);
    }
  });
});

describe('privacy survives a lost or corrupt developer registry', { tags: ['slow'] }, () => {
  const repos = new Repos();
  afterAll(() => repos.cleanup());

  for (const damage of ['corrupt', 'deleted'] as const) {
    it(`a private developer stays hidden after the registry is ${damage}${damage === 'corrupt' ? ' and repaired' : ''}`, () => {
      const repo = repos.make();
      expect(handoff(['context', 'visibility', 'private'], { cwd: repo.dir, now: T0, as: 'alice' }).code).toBe(0);
      publishId({ cwd: repo.dir, now: T0, as: 'alice' }, [
        '--title',
        'secret work',
        '--summary',
        'nobody else should see this',
      ]);
      publishId({ cwd: repo.dir, now: T0, as: 'bob' }, ['--title', 'open work']);
      const registry = join(storeDirOf(repo.dir), 'developers.json');
      if (damage === 'corrupt') {
        writeFileSync(registry, '{ not json');
        expect(handoff(['context', 'repair'], { cwd: repo.dir, now: T0, as: 'bob' }).code).toBe(0);
      } else {
        rmSync(registry);
      }
      const seen = getJson({ cwd: repo.dir, now: hoursAfter(1), as: 'bob' });
      expect(seen.map((c) => c.title)).toEqual(['open work']);
      const state = handoff(['state'], { cwd: repo.dir, now: hoursAfter(1), as: 'bob' });
      expect(state.stdout).not.toContain('secret');
      expect(
        getJson({ cwd: repo.dir, now: hoursAfter(1), as: 'alice' })
          .map((c) => c.title)
          .sort(),
      ).toEqual(['open work', 'secret work']);
    });
  }
});

describe('staleness against another branch ignores eol conversion', { tags: ['slow'] }, () => {
  const repos = new Repos();
  afterAll(() => repos.cleanup());

  it('a CRLF checkout of an unchanged file is not stale when read from the branch tip', () => {
    const repo = repos.make({ '.gitattributes': '* text eol=crlf\n', 'a.txt': 'one\ntwo\n', 'README.md': '# r\n' });
    repo.git('checkout', '-q', '-b', 'feat');
    rmSync(join(repo.dir, 'a.txt'));
    repo.git('checkout', '--', 'a.txt');
    expect(readFileSync(join(repo.dir, 'a.txt'), 'utf8')).toBe('one\r\ntwo\r\n');
    publishId({ cwd: repo.dir, now: T0, as: 'bob' }, ['--title', 'T', '--file', 'a.txt']);
    repo.git('checkout', '-q', 'main');
    const [seen] = getJson({ cwd: repo.dir, now: hoursAfter(1), as: 'carol' });
    expect(seen?.staleness).toEqual({ stale: false, changed_files: [] });
  });
});
