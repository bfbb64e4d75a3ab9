// End to end: where the Go tool codemap's handoff and ours must agree — the base-ref
// fallback order, "HEAD" as the base when none is found, reading a handoff file the Go
// tool wrote (and keeping its agent history through our next save), and serving
// `--latest --detail` from the saved handoff without recomputing it.
import { afterAll, describe, expect, it } from 'vitest';
import { execGit, FIXED_NOW, handoffJson, readSaved, runCli, Scratch, statuses, type GitRepo } from './helpers.js';

const env = { HANDOFF_NOW: FIXED_NOW };

describe('Go compatibility: base ref fallback', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  /** A repository whose only branch is `name`, plus a feature branch with one commit and one untracked file. */
  function repoWithOnly(name: string): GitRepo {
    const repo = scratch.repo({ 'a.txt': 'a\n' });
    repo.git('branch', '-q', '-m', 'main', name);
    repo.git('checkout', '-q', '-b', 'feature/x');
    repo.write({ 'b.txt': 'b\n' });
    repo.commit('b');
    repo.write({ 'c.txt': 'c\n' });
    return repo;
  }

  it('a repository with only trunk compares against trunk', () => {
    const repo = repoWithOnly('trunk');
    const res = runCli(['--json', '--no-save'], { cwd: repo.dir, env });
    expect(res.stderr).toBe('');
    const a = JSON.parse(res.stdout) as { base_ref: string; delta: { changed: { path: string; status: string }[] } };
    expect(a.base_ref).toBe('trunk');
    expect(statuses(a)).toEqual({ 'b.txt': 'branch', 'c.txt': 'untracked' });
  });

  it('develop is tried after trunk, and local branches before origin/*', () => {
    const repo = repoWithOnly('develop');
    expect(handoffJson(['--no-save'], { cwd: repo.dir, env }).base_ref).toBe('develop');
    repo.git('branch', '-q', 'trunk', 'develop');
    expect(handoffJson(['--no-save'], { cwd: repo.dir, env }).base_ref).toBe('trunk');
  });

  it('a clone set up with `git remote add` + fetch (no origin/HEAD) whose only branch is origin/develop', () => {
    const source = repoWithOnly('develop');
    source.git('checkout', '-q', 'develop');
    source.git('branch', '-q', '-D', 'feature/x');
    const clone = scratch.repo();
    clone.git('remote', 'add', 'origin', source.dir);
    clone.git('fetch', '-q', 'origin');
    expect(clone.git('for-each-ref', '--format=%(refname)').trim().split('\n')).toEqual(['refs/remotes/origin/develop']);
    clone.git('checkout', '-q', '-b', 'feature/y', 'origin/develop');
    clone.write({ 'y.txt': 'y\n' });
    clone.commit('y');
    const res = runCli(['--json', '--no-save'], { cwd: clone.dir, env });
    expect(res.stderr).toBe('');
    const a = JSON.parse(res.stdout) as { base_ref: string; delta: { base_commit: string; changed: { path: string; status: string }[] } };
    expect(a.base_ref).toBe('origin/develop');
    expect(a.delta.base_commit).toBe(execGit(clone.dir, 'rev-parse', 'origin/develop').trim());
    expect(statuses(a)).toEqual({ 'y.txt': 'branch' });
  });

  it('origin/HEAD wins over a local main and is named by its target', () => {
    const source = scratch.repo({ 'a.txt': 'a\n' });
    source.git('branch', '-q', '-m', 'main', 'develop');
    const clone = scratch.clone(source);
    expect(clone.git('symbolic-ref', 'refs/remotes/origin/HEAD').trim()).toBe('refs/remotes/origin/develop');
    clone.git('checkout', '-q', '-b', 'feat');
    clone.write({ 'b.txt': 'b\n' });
    clone.commit('b');
    clone.git('branch', '-q', 'main', 'feat');
    expect(handoffJson(['--no-save'], { cwd: clone.dir, env }).base_ref).toBe('origin/develop');
  });
});

describe('Go compatibility: no base found', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  function featureOnly(): GitRepo {
    const repo = scratch.repo({ 'a.txt': 'a\n' });
    repo.git('branch', '-q', '-m', 'main', 'feature/x');
    repo.write({ 'c.txt': 'c\n' });
    return repo;
  }

  it('on feature/x with no base, base_ref is "HEAD" in the artifact, the layers and the heading', () => {
    const repo = featureOnly();
    const res = runCli(['--json'], { cwd: repo.dir, env });
    expect(res.code, res.stderr).toBe(0);
    const tried = 'origin/HEAD, main, master, trunk, develop, origin/main, origin/master, origin/trunk, origin/develop';
    expect(res.stderr).toBe(
      `handoff: no base ref found (tried ${tried}); comparing against HEAD — pass --ref <branch> or set base_ref in .codemap/config.json\n`,
    );
    const saved = readSaved(repo.dir);
    expect(saved.latest.branch).toBe('feature/x');
    expect(saved.latest.base_ref).toBe('HEAD');
    expect(saved.prefix.base_ref).toBe('HEAD');
    expect(saved.delta.base_ref).toBe('HEAD');
    expect(saved.metrics.at(-1)?.base_ref).toBe('HEAD');
    expect(saved.latest.delta.open_questions[0]).toBe(
      `No base ref found (tried ${tried}): compared against HEAD. Which branch does this work merge into?`,
    );
    const md = runCli(['--latest'], { cwd: repo.dir, env });
    expect(md.stdout.split('\n')[0]).toBe('# Handoff: feature/x → HEAD');
    expect(md.stdout).toContain('## Delta — work in progress vs HEAD');
  });

  it('an unborn feature/x and a detached HEAD also say HEAD, never the branch', () => {
    const unborn = scratch.repo();
    unborn.git('checkout', '-q', '-b', 'feature/x');
    unborn.write({ 'new.txt': 'n\n' });
    const a = handoffJson(['--no-save'], { cwd: unborn.dir, env: { ...env } });
    expect(a.base_ref).toBe('HEAD');
    const repo = featureOnly();
    repo.git('checkout', '-q', '--detach');
    expect(runCli(['--no-save'], { cwd: repo.dir, env }).stdout.split('\n')[0]).toBe('# Handoff: HEAD → HEAD');
  });

  it('--ref HEAD names HEAD without a warning; on the base branch itself the base is that branch', () => {
    const repo = featureOnly();
    const res = runCli(['--no-save', '--ref', 'HEAD'], { cwd: repo.dir, env });
    expect(res.stderr).toBe('');
    expect(res.stdout.split('\n')[0]).toBe('# Handoff: feature/x → HEAD');
    const onMain = scratch.repo({ 'a.txt': 'a\n' });
    expect(handoffJson(['--no-save'], { cwd: onMain.dir, env }).base_ref).toBe('main');
  });
});
