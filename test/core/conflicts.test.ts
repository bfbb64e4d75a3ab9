// The pure conflict rules: which contexts make targets (others', grouped by branch, then the
// --with refs), and which ref holds a context's branch here (local first, never my own
// branch's local ref, then origin's, then another remote's).
import { describe, expect, it } from 'vitest';
import { branchRefFor, conflictTargets } from '../../src/core/conflicts.js';
import type { Context } from '../../src/schema/context.js';
import { sampleContext } from '../../fixtures/contexts.js';

const ctx = (developer: string, branch: string, repo = 'r'): Context =>
  sampleContext(`${developer}-${branch}`, { developer, branch, repo });

describe('conflictTargets', () => {
  it('groups other contexts of this repository by branch; skips mine on my branch, detached ones and other repos', () => {
    const active = [
      ctx('bob', 'pay'),
      ctx('carol', 'pay'),
      ctx('me', 'main'),
      ctx('me', 'other'),
      ctx('dan', 'HEAD'),
      ctx('eve', 'x', 'another-repo'),
      ctx('fay', 'main'),
    ];
    const targets = conflictTargets(active, { developer: 'me', repo: 'r', branch: 'main' }, ['pay', 'v1', 'v1']);
    expect(targets.map((t) => [t.ref, t.source, t.contexts.map((c) => c.developer)])).toEqual([
      ['main', 'context', ['fay']],
      ['other', 'context', ['me']],
      ['pay', 'context', ['bob', 'carol']],
      ['v1', 'with', []],
    ]);
  });
});

describe('branchRefFor', () => {
  const tips = new Map(
    ['refs/heads/a', 'refs/heads/main', 'refs/remotes/origin/main', 'refs/remotes/up/b', 'refs/remotes/up/x/b'].map(
      (r) => [r, '0'.repeat(40)],
    ),
  );
  it('prefers the local branch, never my own branch locally, then origin, then another remote', () => {
    expect(branchRefFor('a', tips, 'main')).toBe('refs/heads/a');
    expect(branchRefFor('main', tips, 'main')).toBe('refs/remotes/origin/main');
    expect(branchRefFor('b', tips, 'main')).toBe('refs/remotes/up/b');
    expect(branchRefFor('x/b', tips, 'main')).toBe('refs/remotes/up/x/b');
    expect(branchRefFor('gone', tips, 'main')).toBeUndefined();
  });
});
