// resolveBaseRef in-process on a real repository: each default base in the Go tool's order
// wins over every later one, origin/HEAD is named by its target, a dangling origin/HEAD or
// a ref to a non-commit is skipped, and with none the base is HEAD.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitRepo, type GitRepo } from '../../fixtures/git-repo.js';
import { DEFAULT_BASE_REFS, resolveBaseRef, TRIED_BASE_REFS } from '../../src/api/base-ref.js';
import { openRepository } from '../../src/git/repo.js';

describe('resolveBaseRef', { tags: ['slow'] }, () => {
  let repo: GitRepo;
  let commit: string;
  const resolve = async (): Promise<{ name: string; source: string; commit?: string }> =>
    resolveBaseRef(await openRepository(repo.dir), undefined, {});
  const refOf = (name: string): string => (name.startsWith('origin/') ? `refs/remotes/${name}` : `refs/heads/${name}`);

  beforeAll(() => {
    repo = gitRepo({ 'a.txt': 'a\n' });
    commit = repo.git('rev-parse', 'HEAD').trim();
    repo.git('branch', '-q', '-m', 'main', 'feature/x');
  });
  afterAll(() => repo.cleanup());

  it('lists what it tries in the Go order', () => {
    expect(TRIED_BASE_REFS).toBe(
      'origin/HEAD, main, master, trunk, develop, origin/main, origin/master, origin/trunk, origin/develop',
    );
  });

  it('with none of them, the base is HEAD (never the branch)', async () => {
    expect(await resolve()).toEqual({ name: 'HEAD', commit, source: 'fallback' });
  });

  it('a dangling origin/HEAD and a tag object under refs/remotes are skipped', async () => {
    repo.git('symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/gone');
    repo.git('tag', '-a', '-m', 't', 'v1');
    repo.git('update-ref', 'refs/remotes/origin/develop', repo.git('rev-parse', 'refs/tags/v1').trim());
    expect((await resolve()).name).toBe('HEAD');
    repo.git('update-ref', '-d', 'refs/remotes/origin/develop');
  });

  it('each default wins over every later one', async () => {
    // Create them from last to first: each new one must take over.
    for (const name of [...DEFAULT_BASE_REFS].reverse()) {
      if (name === 'origin/HEAD') {
        repo.git('symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/trunk');
        expect(await resolve()).toEqual({ name: 'origin/trunk', commit, source: 'remote' });
      } else {
        repo.git('update-ref', refOf(name), commit);
        expect(await resolve()).toEqual({ name, commit, source: 'default' });
      }
    }
  });
});
