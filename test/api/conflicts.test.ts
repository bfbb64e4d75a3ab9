// `handoff conflicts` in-process on real repositories: a clean merge, a content conflict, a
// rename/delete conflict, files both sides changed that merge cleanly, uncommitted work
// (staged, modified, untracked, deleted), a detached HEAD, no commits, a shallow clone, a
// branch only on the remote, a missing ref, privacy; and the repository (index, worktree,
// refs, objects) exactly as it was after every run.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseGitEnv, cloneRepo, FIXTURE_EPOCH, gitRepo, makeTempDir, type GitRepo } from '../../fixtures/git-repo.js';
import { addClaims, releaseClaims } from '../../src/api/claim.js';
import { findConflicts } from '../../src/api/conflicts.js';
import { openStore, publishContext, setVisibility } from '../../src/api/context.js';
import { mergeTreeVersion } from '../../src/git/merge-tree.js';
import { conflictReport, type ConflictEntry, type ConflictReport } from '../../src/schema/conflicts.js';
import { EXIT } from '../../src/errors.js';

const NOW = new Date((FIXTURE_EPOCH + 3600) * 1000);
const ME = 'me@example.com';
const BOB = 'bob@example.com';
const CAROL = 'carol@example.com';
const lines = (n: number, edit: Record<number, string> = {}): string =>
  Array.from({ length: n }, (_, i) => `${edit[i + 1] ?? `line ${i + 1}`}\n`).join('');

const req = (dir: string, developer = ME, extra: { with?: string[] } = {}) => ({
  cwd: dir,
  now: NOW,
  env: { HANDOFF_DEVELOPER: developer },
  ...extra,
});

async function publish(dir: string, developer: string, branch: string, files: string[] = []): Promise<void> {
  await publishContext(req(dir, developer), { title: `${developer} on ${branch}`, branch, files_touched: files });
}

async function conflicts(dir: string, withRefs: string[] = [], developer = ME): Promise<ConflictReport> {
  const report = await findConflicts(req(dir, developer, { with: withRefs }));
  return conflictReport.parse(report);
}

const entry = (report: ConflictReport, ref: string): ConflictEntry => {
  const found = report.others.find((o) => o.ref === ref);
  if (!found) throw new Error(`no entry for ${ref}: ${JSON.stringify(report.others.map((o) => o.ref))}`);
  return found;
};

/** Everything a run must leave alone: index bytes, status, refs, HEAD, every object file, the git dir's entries. */
function repoState(dir: string): Record<string, string> {
  const git = (...args: string[]): string =>
    execFileSync('git', args, { cwd: dir, env: { ...baseGitEnv(), GIT_OPTIONAL_LOCKS: '0' }, encoding: 'utf8' });
  const gitDir = git('rev-parse', '--absolute-git-dir').trim();
  const files = (root: string): string[] =>
    readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((p) => !p.startsWith('codemap-handoff'))
      .sort();
  let index = '';
  try {
    index = createHash('sha256')
      .update(readFileSync(join(gitDir, 'index')))
      .digest('hex');
    index += ` ${statSync(join(gitDir, 'index')).mtimeMs}`;
  } catch {
    index = 'none';
  }
  return {
    index,
    status: git('status', '--porcelain=v2', '--untracked-files=all', '--branch'),
    refs: git('for-each-ref'),
    head: git('rev-parse', '--symbolic-full-name', 'HEAD'),
    gitDir: files(gitDir).join('\n'),
  };
}

describe('conflicts', { tags: ['slow'] }, () => {
  let repo: GitRepo;
  let before: Record<string, string>;

  beforeAll(async () => {
    repo = gitRepo({
      'src/db.ts': lines(5),
      'src/old.ts': 'old\n',
      'src/keep.ts': 'keep\n',
      'seq.txt': lines(20),
    });
    // bob: a content conflict in src/db.ts and a rename of a file main deletes.
    repo.git('checkout', '-q', '-b', 'feature/payments');
    repo.write({ 'src/db.ts': lines(5, { 2: 'payments' }) });
    repo.git('mv', 'src/old.ts', 'src/new.ts');
    repo.commit('payments');
    // carol: touches seq.txt far from main's edit (merges cleanly) and adds a file.
    repo.git('checkout', '-q', '-b', 'carol', 'main');
    repo.write({ 'seq.txt': lines(20, { 2: 'carol' }), 'src/extra.ts': 'extra\n' });
    repo.commit('carol');
    repo.git('checkout', '-q', 'main');
    repo.write({ 'src/db.ts': lines(5, { 2: 'main' }), 'seq.txt': lines(20, { 18: 'main' }) });
    repo.remove('src/old.ts');
    repo.commit('main');
    await publish(repo.dir, BOB, 'feature/payments', ['src/db.ts', 'src/new.ts']);
    await publish(repo.dir, CAROL, 'carol', ['seq.txt', 'src/keep.ts']);
    await publish(repo.dir, ME, 'main', ['src/db.ts']);
    before = repoState(repo.dir);
  });
  afterAll(() => repo.cleanup());

  it('reports a content conflict and a rename/delete conflict per teammate branch, definite', async () => {
    const report = await conflicts(repo.dir);
    expect(report.definite).toBe(true);
    expect(report.uncommitted).toBe(false);
    expect(report.others.map((o) => o.ref)).toEqual(['carol', 'feature/payments']);
    const bob = entry(report, 'feature/payments');
    expect(bob).toMatchObject({ status: 'conflict', source: 'context', developers: [BOB] });
    expect(bob.resolved).toBe('refs/heads/feature/payments');
    expect(bob.conflicts).toEqual([
      { path: 'src/db.ts', types: ['CONFLICT (contents)'] },
      { path: 'src/new.ts', types: ['CONFLICT (rename/delete)'] },
    ]);
    expect(bob.both_changed).toEqual(['src/db.ts', 'src/new.ts', 'src/old.ts']);
    expect(bob.touched_overlap).toEqual(['src/db.ts']);
    expect(repoState(repo.dir)).toEqual(before);
    const events = (await openStore(repo.dir)).store.readEvents();
    expect(events.filter((e) => e.name === 'conflicts').at(-1)).toMatchObject({ developer: ME, branch: 'main' });
  });

  it("lists my changed paths that a claim of the branch's developers covers", async () => {
    await addClaims(req(repo.dir, CAROL), { patterns: ['seq.txt'], reason: 'tidying' });
    await addClaims(req(repo.dir, 'dave@example.com'), { patterns: ['src/**'], reason: 'not on a compared branch' });
    const report = await conflicts(repo.dir);
    expect(entry(report, 'carol').claimed_overlap).toEqual([
      { path: 'seq.txt', pattern: 'seq.txt', holder: CAROL, reason: 'tidying', expires_at: expect.any(String) },
    ]);
    expect(entry(report, 'feature/payments').claimed_overlap).toEqual([]);
    await releaseClaims(req(repo.dir, CAROL), 'all');
    await releaseClaims(req(repo.dir, 'dave@example.com'), 'all');
  });

  it('a clean merge still lists the files both sides changed since the merge-base', async () => {
    const carol = entry(await conflicts(repo.dir), 'carol');
    expect(carol).toMatchObject({ status: 'clean', conflicts: [], both_changed: ['seq.txt'] });
    expect(carol.touched_overlap).toEqual(['seq.txt']);
    expect(carol.merge_base).toBe(repo.git('merge-base', 'main', 'carol').trim());
  });

  it('counts uncommitted work (staged, modified, untracked, deleted) and leaves no trace', async () => {
    repo.git('checkout', '-q', '-b', 'mine', 'carol~1');
    try {
      repo.write({ 'seq.txt': lines(20, { 2: 'mine, modified' }), 'src/extra.ts': 'mine, untracked\n' });
      repo.write({ 'src/keep.ts': 'staged\n' });
      repo.git('add', 'src/keep.ts');
      repo.git('rm', '-q', 'src/old.ts');
      const state = repoState(repo.dir);
      const report = await conflicts(repo.dir, ['carol']);
      expect(report.uncommitted).toBe(true);
      const carol = entry(report, 'carol');
      expect(carol.status).toBe('conflict');
      expect(carol.conflicts.map((c) => c.path)).toEqual(['seq.txt', 'src/extra.ts']);
      // Added on both sides with different contents (git 2.39 names it a contents conflict).
      expect(carol.conflicts[1]!.types).toEqual(['CONFLICT (contents)']);
      // Renamed on bob's side, deleted (staged) on mine: a rename/delete from uncommitted work.
      const bob = entry(await conflicts(repo.dir, ['feature/payments']), 'feature/payments');
      expect(bob.conflicts.map((c) => c.path)).toEqual(['src/new.ts']);
      expect(bob.both_changed).toEqual(['src/new.ts', 'src/old.ts']);
      expect(repoState(repo.dir)).toEqual(state);
    } finally {
      repo.git('reset', '-q', '--hard');
      repo.git('clean', '-qfd');
      repo.git('checkout', '-q', 'main');
      repo.git('branch', '-q', '-D', 'mine');
    }
  });

  it('a detached HEAD compares with every other context, its own branch included', async () => {
    repo.git('checkout', '-q', '--detach', 'main');
    try {
      const report = await conflicts(repo.dir);
      expect(report.branch).toBe('HEAD');
      expect(report.others.map((o) => o.ref)).toEqual(['carol', 'feature/payments', 'main']);
      expect(entry(report, 'main').status).toBe('clean');
      expect(entry(report, 'feature/payments').status).toBe('conflict');
    } finally {
      repo.git('checkout', '-q', 'main');
    }
  });

  it('a context whose branch is not here is reported missing; a --with ref that is not a commit is exit 3', async () => {
    const state = repoState(repo.dir);
    await publish(repo.dir, CAROL, 'gone/elsewhere');
    const report = await conflicts(repo.dir);
    expect(entry(report, 'gone/elsewhere')).toMatchObject({ status: 'missing', conflicts: [] });
    await expect(conflicts(repo.dir, ['no-such-ref'])).rejects.toMatchObject({ exitCode: EXIT.notFound });
    expect(repoState(repo.dir)).toEqual(state);
  });

  it('a private developer is neither compared nor named', async () => {
    await setVisibility(req(repo.dir, BOB), 'private');
    try {
      const report = await conflicts(repo.dir);
      expect(report.others.map((o) => o.ref)).not.toContain('feature/payments');
      expect(JSON.stringify(report)).not.toContain(BOB);
      // Bob himself still sees his teammates' branches against his own work.
      expect((await conflicts(repo.dir, [], BOB)).others.map((o) => o.ref)).toContain('carol');
    } finally {
      await setVisibility(req(repo.dir, BOB), 'public');
    }
  });

  it('a branch only on the remote is compared through its remote-tracking ref', async () => {
    const clone = cloneRepo(repo);
    try {
      // The store is per clone: bob's context is published here, his branch is only origin's.
      await publish(clone.dir, BOB, 'feature/payments', ['src/db.ts']);
      const report = await conflicts(clone.dir);
      const bob = entry(report, 'feature/payments');
      expect(bob.resolved).toBe('refs/remotes/origin/feature/payments');
      expect(bob.status).toBe('conflict');
    } finally {
      clone.cleanup();
    }
  });

  it('a shallow clone without the merge-base reports the branch as unrelated, not an error', async () => {
    const dir = join(makeTempDir(), 'shallow');
    execFileSync('git', ['clone', '-q', '--depth', '1', '--no-single-branch', `file://${repo.dir}`, dir], {
      env: baseGitEnv(),
    });
    const report = await conflicts(dir, ['origin/feature/payments']);
    expect(entry(report, 'origin/feature/payments').status).toBe('unrelated');
  });

  it('no commits yet: nothing merges, but new files still overlap what others touch', async () => {
    const empty = gitRepo();
    try {
      empty.write({ 'src/db.ts': 'new\n' });
      await publish(empty.dir, BOB, 'feature/x', ['src/db.ts']);
      const report = await conflicts(empty.dir);
      expect(report.head).toBeUndefined();
      expect(report.uncommitted).toBe(true);
      expect(entry(report, 'feature/x')).toMatchObject({ status: 'missing', touched_overlap: ['src/db.ts'] });
    } finally {
      empty.cleanup();
    }
  });

  it('outside a repository: a usage error (exit 2)', async () => {
    const dir = makeTempDir();
    await expect(conflicts(dir)).rejects.toMatchObject({ exitCode: EXIT.usage });
  });
});

describe('mergeTreeVersion', () => {
  it('accepts git 2.38 and newer, and names no version for older ones', () => {
    expect(mergeTreeVersion('git version 2.39.5')).toBe('2.39.5');
    expect(mergeTreeVersion('git version 2.38.0.windows.1')).toBe('2.38.0');
    expect(mergeTreeVersion('git version 3.0')).toBe('3.0');
    expect(mergeTreeVersion('git version 2.37.3')).toBeUndefined();
    expect(mergeTreeVersion('git version 1.9.5')).toBeUndefined();
    expect(mergeTreeVersion('')).toBeUndefined();
  });
});
