// The repository shapes a handoff meets in the wild, through the whole CLI in-process on
// real repositories — odd path names, symlinks, detached HEAD, unborn branches, missing base
// refs, shallow clones, subdirectories, linked worktrees, bare repositories — and the output
// budgets. Exit codes of the built CLI: test/e2e/handoff.test.ts.
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifact, fileDetail } from '../../src/schema/artifact.js';
import type { Tree } from '../../fixtures/git-repo.js';
import {
  execGit,
  expectFailure,
  FIXED_NOW,
  hasSaved,
  parseWith,
  readSaved,
  Scratch,
  statuses,
  type GitRepo,
} from '../e2e/helpers.js';
import {
  handoffJsonInProcess as handoffJson,
  runInProcess as runCli,
  runJsonInProcess as runJson,
} from '../support/in-process.js';

const env = { HANDOFF_NOW: FIXED_NOW };

describe('edge cases: path names', () => {
  const scratch = new Scratch();
  let repo: GitRepo;
  const names = {
    unicodeCommitted: 'src/naïve café.ts',
    cjk: 'docs/日本語のファイル.md',
    space: 'with space/a b.txt',
    emoji: 'emoji 🎉.txt',
    newline: 'line\nbreak.txt',
    tab: 'tab\there.txt',
    quote: 'quote"and\'apostrophe.txt',
    backslash: 'back\\slash.txt',
    stagedUnicode: 'ünïcödé/ß.ts',
    leadingDash: '-dash.txt',
  };

  beforeAll(async () => {
    repo = scratch.repo({
      [names.unicodeCommitted]: 'export const x = 1;\n',
      [names.cjk]: '# doc\n',
      'plain.txt': 'p\n',
    });
    repo.git('checkout', '-q', '-b', 'feat');
    repo.write({ [names.unicodeCommitted]: 'export const x = 2;\n', [names.cjk]: '# doc 2\n' });
    repo.commit('unicode edits');
    repo.write({
      [names.space]: 'space\n',
      [names.emoji]: 'emoji\n',
      [names.newline]: 'newline\n',
      [names.tab]: 'tab\n',
      [names.quote]: 'quote\n',
      [names.backslash]: 'backslash\n',
      [names.stagedUnicode]: 'export const s = 1;\n',
      [names.leadingDash]: 'dash\n',
    });
    repo.git('add', '--', names.stagedUnicode);
  });
  afterAll(() => scratch.cleanup());

  it('lists unicode, space, newline, tab, quote and backslash paths exactly as on disk', async () => {
    const a = await handoffJson(['--no-save'], { cwd: repo.dir, env });
    expect(statuses(a)).toEqual({
      [names.unicodeCommitted]: 'branch',
      [names.cjk]: 'branch',
      [names.space]: 'untracked',
      [names.emoji]: 'untracked',
      [names.newline]: 'untracked',
      [names.tab]: 'untracked',
      [names.quote]: 'untracked',
      [names.backslash]: 'untracked',
      [names.stagedUnicode]: 'staged',
      [names.leadingDash]: 'untracked',
    });
    for (const c of a.delta.changed) expect(c.size, c.path).toBe(readFileSync(join(repo.dir, c.path)).length);
  });

  it('saves and re-reads odd paths, and escapes control characters in markdown', async () => {
    const res = await runCli([], { cwd: repo.dir, env });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('line\\nbreak.txt');
    expect(res.stdout).toContain('tab\\there.txt');
    expect(res.stdout).toContain(names.emoji);
    expect(res.stdout).toContain(names.unicodeCommitted);
    // No path breaks a markdown line in two.
    expect(res.stdout.split('\n').some((l) => l.startsWith('break.txt'))).toBe(false);
    const saved = readSaved(repo.dir);
    expect(saved.latest.changed_files).toContain(names.newline);
    expect((await runCli(['--latest'], { cwd: repo.dir })).stdout).toContain('line\\nbreak.txt');
  });

  it('--detail finds odd paths', async () => {
    for (const name of [
      names.space,
      names.newline,
      names.unicodeCommitted,
      names.emoji,
      names.stagedUnicode,
      names.leadingDash,
    ]) {
      const res = await runCli(['--no-save', '--json', '--detail', name], { cwd: repo.dir, env });
      expect(res.code, `--detail ${JSON.stringify(name)}: ${res.stderr}`).toBe(0);
      expect(parseWith(fileDetail, res.stdout).path).toBe(name);
    }
    const fromSub = await runCli(['--no-save', '--json', '--detail', 'a b.txt'], {
      cwd: join(repo.dir, 'with space'),
      env,
    });
    expect(fromSub.code, fromSub.stderr).toBe(0);
    expect(parseWith(fileDetail, fromSub.stdout).path).toBe(names.space);
  });
});

describe('edge cases: symlinks', () => {
  const scratch = new Scratch();
  let repo: GitRepo;

  beforeAll(async () => {
    repo = scratch.repo({
      'target.txt': 'target\n',
      'src/real.ts': 'export const real = 1;\n',
      'link-committed': { symlink: 'target.txt' },
    });
    repo.git('checkout', '-q', '-b', 'feat');
    repo.write({ 'link-branch': { symlink: 'target.txt' } });
    repo.commit('link on branch');
    repo.write({
      'link-committed': { symlink: 'src/real.ts' },
      'link-dir': { symlink: 'src' },
      'link-dangling': { symlink: 'does/not/exist' },
      'link-outside': { symlink: '/etc' },
      'link-self': { symlink: 'link-self' },
      // Same bytes as the dangling link's target text: a stub hashes the link text.
      'same-as-link.txt': 'does/not/exist',
    });
  });
  afterAll(() => scratch.cleanup());

  it('lists symlinks as stubs of their target text, never following them', async () => {
    const a = await handoffJson(['--no-save'], { cwd: repo.dir, env });
    expect(statuses(a)).toEqual({
      'link-branch': 'branch',
      'link-committed': 'modified',
      'link-dangling': 'untracked',
      'link-dir': 'untracked',
      'link-outside': 'untracked',
      'link-self': 'untracked',
      'same-as-link.txt': 'untracked',
    });
    const byPath = new Map(a.delta.changed.map((c) => [c.path, c]));
    expect(byPath.get('link-dangling')).toMatchObject({ size: 'does/not/exist'.length });
    expect(byPath.get('link-dangling')?.hash).toBe(byPath.get('same-as-link.txt')?.hash);
    expect(byPath.get('link-dir')?.size).toBe('src'.length);
    expect(byPath.get('link-outside')?.size).toBe('/etc'.length);
    expect(byPath.get('link-committed')?.size).toBe('src/real.ts'.length);
    expect(byPath.get('link-branch')?.hash).not.toBe(byPath.get('link-committed')?.hash);
    // Nothing reached through a link.
    expect(a.delta.changed.some((c) => c.path.startsWith('link-dir/') || c.path.startsWith('link-outside/'))).toBe(
      false,
    );
  });

  it('saves, and details a symlink', async () => {
    expect((await runCli([], { cwd: repo.dir, env })).code).toBe(0);
    expect(readSaved(repo.dir).latest.changed_files).toContain('link-dangling');
    const d = await runJson(fileDetail, ['--no-save', '--detail', 'link-dir'], { cwd: repo.dir, env });
    expect(d).toMatchObject({ path: 'link-dir', status: 'untracked', size: 3, imports: [] });
  });
});

describe('edge cases: HEAD states', () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  it('works on a detached HEAD: branch "HEAD" and an open question', async () => {
    const repo = scratch.repo({ 'a.txt': 'a\n' });
    repo.git('checkout', '-q', '-b', 'feat');
    repo.write({ 'b.txt': 'b\n' });
    repo.commit('b');
    repo.git('checkout', '-q', '--detach', 'feat');
    repo.write({ 'c.txt': 'c\n' });
    const a = await handoffJson([], { cwd: repo.dir, env });
    expect(a.branch).toBe('HEAD');
    expect(a.base_ref).toBe('main');
    expect(a.head).toBe(repo.git('rev-parse', 'feat').trim());
    expect(statuses(a)).toEqual({ 'b.txt': 'branch', 'c.txt': 'untracked' });
    expect(a.delta.open_questions.join('\n')).toMatch(/detached/i);
    const saved = readSaved(repo.dir);
    expect(saved.latest).toEqual(a);
    expect(saved.metrics[0]?.branch).toBe('HEAD');
    expect((await runCli([], { cwd: repo.dir, env })).code).toBe(0);
  });

  it('works on an unborn branch: staged and untracked files are listed', async () => {
    const repo = scratch.repo();
    repo.write({ 'src/first.ts': 'export const first = 1;\n', 'notes.md': 'todo\n', 'node_modules/x/index.js': 'x\n' });
    repo.git('add', 'src/first.ts');
    const res = await runCli(['--json'], { cwd: repo.dir, env });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).not.toMatch(/^\s+at /m);
    const a = parseWith(artifact, res.stdout);
    expect(statuses(a)).toEqual({ 'src/first.ts': 'staged', 'notes.md': 'untracked' });
    expect(a.branch).toBe('main');
    expect(a.prefix.file_count).toBe(0);
    expect(readSaved(repo.dir).latest).toEqual(a);
    const md = await runCli(['--no-save'], { cwd: repo.dir, env });
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('src/first.ts');
    expect((await runCli(['--no-save', '--json', '--detail', 'src/first.ts'], { cwd: repo.dir, env })).code).toBe(0);
  });

  it('works on an orphan branch next to an existing main', async () => {
    const repo = scratch.repo({ 'a.txt': 'a\n' });
    repo.git('checkout', '-q', '--orphan', 'fresh');
    repo.git('rm', '-q', '--cached', 'a.txt');
    repo.write({ 'n.txt': 'n\n' });
    repo.git('add', 'n.txt');
    const res = await runCli(['--json'], { cwd: repo.dir, env });
    expect(res.code, res.stderr).toBe(0);
    const a = parseWith(artifact, res.stdout);
    expect(a.branch).toBe('fresh');
    expect(statuses(a)).toEqual({ 'a.txt': 'untracked', 'n.txt': 'staged' });
  });

  it('works in the middle of a merge conflict', async () => {
    const repo = scratch.repo({ 'a.txt': 'a\n' });
    repo.git('checkout', '-q', '-b', 'feat');
    repo.write({ 'a.txt': 'feat\n', 'f.txt': 'f\n' });
    repo.commit('feat');
    repo.git('checkout', '-q', 'main');
    repo.write({ 'a.txt': 'main\n' });
    repo.commit('main');
    repo.git('checkout', '-q', 'feat');
    expect(() => repo.git('merge', '-q', 'main')).toThrow();
    expect(repo.git('status', '--porcelain')).toContain('UU a.txt');
    const res = await runCli(['--json'], { cwd: repo.dir, env });
    expect(res.code, res.stderr).toBe(0);
    const a = parseWith(artifact, res.stdout);
    expect(statuses(a)).toEqual({ 'a.txt': 'modified', 'f.txt': 'branch' });
  });

  it('works on an empty unborn repository', async () => {
    const repo = scratch.repo();
    const res = await runCli(['--json', '--no-save'], { cwd: repo.dir, env });
    expect(res.code, res.stderr).toBe(0);
    expect(parseWith(artifact, res.stdout).delta.changed).toEqual([]);
  });
});

describe('edge cases: base ref resolution', () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  function trunkRepo(): GitRepo {
    const repo = scratch.repo({ 'a.txt': 'a\n' });
    repo.git('branch', '-q', '-m', 'main', 'trunk');
    repo.git('checkout', '-q', '-b', 'feat');
    repo.write({ 'b.txt': 'b\n' });
    repo.commit('b');
    repo.write({ 'c.txt': 'c\n' });
    return repo;
  }

  it('an explicit --ref that names nothing exits 2 naming the ref', async () => {
    const repo = trunkRepo();
    expectFailure(await runCli(['--ref', 'origin/nowhere'], { cwd: repo.dir }), 2, /origin\/nowhere/);
    expectFailure(await runCli(['--ref', 'main', '--json'], { cwd: repo.dir }), 2, /main/);
    expect(hasSaved(repo.dir)).toBe(false);
  });

  it('a config base_ref that names nothing exits 2 naming the ref', async () => {
    const repo = trunkRepo();
    mkdirSync(join(repo.dir, '.codemap'), { recursive: true });
    writeFileSync(join(repo.dir, '.codemap', 'config.json'), '{"base_ref": "release/9"}\n');
    expectFailure(await runCli([], { cwd: repo.dir }), 2, /release\/9/);
  });

  it('uses the config base_ref, and --ref over it', async () => {
    const repo = trunkRepo();
    mkdirSync(join(repo.dir, '.codemap'), { recursive: true });
    writeFileSync(join(repo.dir, '.codemap', 'config.json'), '{"base_ref": "trunk"}\n');
    const a = await handoffJson(['--no-save'], { cwd: repo.dir, env });
    expect(a.base_ref).toBe('trunk');
    expect(statuses(a)).toEqual({ 'b.txt': 'branch', 'c.txt': 'untracked' });
    const b = await handoffJson(['--no-save', '--ref', 'feat'], { cwd: repo.dir, env });
    expect(b.base_ref).toBe('feat');
    expect(statuses(b)).toEqual({ 'c.txt': 'untracked' });
  });

  it('with no base ref to detect, compares against HEAD, exits 0 and asks', async () => {
    // trunk is a default base (as in the Go tool); a branch no default names is not.
    const repo = trunkRepo();
    repo.git('branch', '-q', '-m', 'trunk', 'mainline');
    const res = await runCli(['--json'], { cwd: repo.dir, env });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).not.toMatch(/^\s+at /m);
    const a = parseWith(artifact, res.stdout);
    expect(statuses(a)).toEqual({ 'c.txt': 'untracked' });
    expect(a.delta.base_commit).toBe(repo.git('rev-parse', 'HEAD').trim());
    expect(a.delta.open_questions.join('\n')).toMatch(/base ref/i);
    expect(a.open_questions).toEqual(a.delta.open_questions);
    expect(readSaved(repo.dir).latest).toEqual(a);
  });

  it('falls back to master when there is no main', async () => {
    const repo = scratch.repo({ 'a.txt': 'a\n' });
    repo.git('branch', '-q', '-m', 'main', 'master');
    repo.git('checkout', '-q', '-b', 'feat');
    repo.write({ 'b.txt': 'b\n' });
    repo.commit('b');
    const a = await handoffJson(['--no-save'], { cwd: repo.dir, env });
    expect(a.base_ref).toBe('master');
    expect(statuses(a)).toEqual({ 'b.txt': 'branch' });
  });

  it('prefers the remote default branch in a clone', async () => {
    const source = scratch.repo({ 'a.txt': 'a\n' });
    const clone = scratch.clone(source);
    clone.git('checkout', '-q', '-b', 'feat');
    clone.write({ 'b.txt': 'b\n' });
    clone.commit('b');
    // A local main that moved ahead must not be taken over origin/HEAD.
    clone.git('branch', '-q', '-f', 'main', 'feat');
    const a = await handoffJson(['--no-save'], { cwd: clone.dir, env });
    expect(a.base_ref).toBe('origin/main');
    expect(statuses(a)).toEqual({ 'b.txt': 'branch' });
  });
});

describe('edge cases: shallow clones', () => {
  const scratch = new Scratch();
  let source: GitRepo;

  beforeAll(async () => {
    source = scratch.repo({ 'a.txt': 'a\n' });
    source.write({ 'b.txt': 'b\n' });
    source.commit('b');
    source.git('checkout', '-q', '-b', 'feat');
    source.write({ 'feat.txt': 'f\n' });
    source.commit('feat');
    source.git('checkout', '-q', 'main');
    source.write({ 'c.txt': 'c\n' });
    source.commit('c');
  });
  afterAll(() => scratch.cleanup());

  it('works when the merge-base is inside the fetched history', async () => {
    const clone = scratch.shallowClone(source, ['--depth', '1']);
    expect(clone.git('rev-parse', '--is-shallow-repository').trim()).toBe('true');
    clone.git('checkout', '-q', '-b', 'work');
    clone.write({ 'w.txt': 'w\n' });
    clone.commit('w');
    clone.write({ 'c.txt': 'c changed\n', 'u.txt': 'u\n' });
    const res = await runCli(['--json'], { cwd: clone.dir, env });
    expect(res.code, res.stderr).toBe(0);
    const a = parseWith(artifact, res.stdout);
    expect(a.base_ref).toBe('origin/main');
    expect(statuses(a)).toEqual({ 'w.txt': 'branch', 'c.txt': 'modified', 'u.txt': 'untracked' });
    expect(a.delta.open_questions.join('\n')).toMatch(/shallow/i);
    expect(readSaved(clone.dir).latest).toEqual(a);
  });

  it('exits 1 mentioning the shallow clone when the merge-base was not fetched', async () => {
    const clone = scratch.shallowClone(source, ['--depth', '1', '--no-single-branch']);
    clone.git('checkout', '-q', 'feat');
    const res = await runCli([], { cwd: clone.dir, env });
    expectFailure(res, 1, /shallow/i);
    expect(hasSaved(clone.dir)).toBe(false);
  });
});

describe('edge cases: where it runs from', () => {
  const scratch = new Scratch();
  let repo: GitRepo;

  beforeAll(async () => {
    repo = scratch.repo({
      'src/core/hub.ts': 'export const hub = 1;\n',
      'src/core/a.ts': "import { hub } from './hub.js';\n",
      'src/core/b.ts': "import { hub } from './hub.js';\n",
      'src/cli/c.ts': "import { hub } from '../core/hub.js';\n",
      'README.md': '# r\n',
    });
    repo.git('checkout', '-q', '-b', 'feat');
    repo.write({ 'src/core/hub.ts': 'export const hub = 2;\n' });
    repo.commit('hub');
    repo.write({ 'src/cli/new.ts': "import { hub } from '../core/hub.js';\n", 'README.md': '# r2\n' });
  });
  afterAll(() => scratch.cleanup());

  it('a subdirectory, a [path] argument and -C all give the root artifact', async () => {
    const fromRoot = await runCli(['--json', '--no-save'], { cwd: repo.dir, env });
    expect(fromRoot.code).toBe(0);
    const a = parseWith(artifact, fromRoot.stdout);
    expect(statuses(a)).toEqual({
      'README.md': 'modified',
      'src/cli/new.ts': 'untracked',
      'src/core/hub.ts': 'branch',
    });
    const sub = join(repo.dir, 'src', 'core');
    expect((await runCli(['--json', '--no-save'], { cwd: sub, env })).stdout).toBe(fromRoot.stdout);
    expect((await runCli(['--json', '--no-save', 'src/core'], { cwd: repo.dir, env })).stdout).toBe(fromRoot.stdout);
    expect((await runCli(['--json', '--no-save', '-C', 'src/cli'], { cwd: repo.dir, env })).stdout).toBe(
      fromRoot.stdout,
    );
    expect((await runCli(['--json', '--no-save', '../..'], { cwd: sub, env })).stdout).toBe(fromRoot.stdout);
  });

  it('a first run from a subdirectory excludes .codemap in this repository, not a parent path', async () => {
    const fresh = scratch.repo({ 'pkg/deep/a.ts': 'export const a = 1;\n' });
    const deep = join(fresh.dir, 'pkg', 'deep');
    const res = await runCli([], { cwd: deep, env });
    expect(res.code, res.stderr).toBe(0);
    expect(readFileSync(join(fresh.dir, '.git', 'info', 'exclude'), 'utf8')).toContain('/.codemap/*');
    expect(fresh.git('status', '--porcelain')).toBe('');
    const published = await runCli(['context', 'publish', '--title', 'from deep', '--as', 'dev'], { cwd: deep, env });
    expect(published.code, published.stderr).toBe(0);
    expect(existsSync(join(fresh.dir, '.git', 'codemap-handoff', 'active.json'))).toBe(true);
  });

  it('saves to the worktree root when run from a subdirectory', async () => {
    const sub = join(repo.dir, 'src', 'core');
    const res = await runCli([], { cwd: sub, env });
    expect(res.code, res.stderr).toBe(0);
    expect(existsSync(join(sub, '.codemap'))).toBe(false);
    expect(hasSaved(repo.dir)).toBe(true);
    expect(readSaved(repo.dir).latest.root).toBe('.');
    expect(await runJson(artifact, ['--latest'], { cwd: sub })).toEqual(readSaved(repo.dir).latest);
    expect(repo.git('status', '--porcelain')).not.toContain('.codemap');
  });
});

describe('edge cases: linked worktrees and bare repositories', () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  it('a linked worktree keeps its own .codemap and reads the primary config', async () => {
    const primary = scratch.repo({ 'a.txt': 'a\n', 'src/x.ts': 'export const x = 1;\n' });
    primary.git('checkout', '-q', '-b', 'feat');
    primary.write({ 'p.txt': 'primary work\n' });
    mkdirSync(join(primary.dir, '.codemap'), { recursive: true });
    writeFileSync(join(primary.dir, '.codemap', 'config.json'), '{"ignore": ["generated/**"]}\n');
    const wtDir = join(scratch.dir(), 'linked wt');
    primary.git('worktree', 'add', '-q', '-b', 'wt-branch', wtDir, 'main');
    writeFileSync(join(wtDir, 'src', 'x.ts'), 'export const x = 2;\n');
    writeFileSync(join(wtDir, 'w.txt'), 'worktree work\n');
    mkdirSync(join(wtDir, 'generated'), { recursive: true });
    writeFileSync(join(wtDir, 'generated', 'g.ts'), 'export const g = 1;\n');

    const res = await runCli(['--json'], { cwd: wtDir, env });
    expect(res.code, res.stderr).toBe(0);
    const a = parseWith(artifact, res.stdout);
    expect(a.branch).toBe('wt-branch');
    expect(a.root).toBe('.');
    expect(statuses(a)).toEqual({ 'src/x.ts': 'modified', 'w.txt': 'untracked' });
    expect(readSaved(wtDir).latest).toEqual(a);
    expect(hasSaved(primary.dir)).toBe(false);
    const wtStatus = execGit(wtDir, 'status', '--porcelain', '--untracked-files=all');
    expect(wtStatus).not.toContain('.codemap');

    const p = await handoffJson([], { cwd: primary.dir, env });
    expect(p.branch).toBe('feat');
    expect(statuses(p)).toEqual({ 'p.txt': 'untracked' });
    expect(readSaved(wtDir).latest).toEqual(a);
    expect(readSaved(primary.dir).latest).toEqual(p);
    expect((await runJson(artifact, ['--latest'], { cwd: wtDir })).branch).toBe('wt-branch');
  });

  it('a bare repository exits 2', async () => {
    const dir = scratch.dir();
    execGit(dir, 'init', '-q', '--bare', 'bare.git');
    expectFailure(await runCli([], { cwd: join(dir, 'bare.git') }), 2);
  });
});

describe('edge cases: budgets and truncation', () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  describe('a repository with about 3,000 changed files', () => {
    let repo: GitRepo;
    const DATA = 2_100;
    const NEW = 900;

    beforeAll(async () => {
      const base: Tree = {
        'zzz/risk.ts': 'export const risk = 1;\n',
        'src/i1.ts': "import { risk } from '../zzz/risk.js';\n",
        'src/i2.ts': "import { risk } from '../zzz/risk.js';\n",
        'src/i3.ts': "import { risk } from '../zzz/risk.js';\n",
      };
      for (let i = 0; i < DATA; i++) base[`data/f${String(i).padStart(4, '0')}.txt`] = `data ${i}\n`;
      repo = scratch.repo(base);
      repo.git('checkout', '-q', '-b', 'feat');
      repo.write({ 'zzz/risk.ts': 'export const risk = 2;\n' });
      repo.commit('risk');
      const edits: Tree = {};
      for (let i = 0; i < DATA; i++) edits[`data/f${String(i).padStart(4, '0')}.txt`] = `data ${i} edited\n`;
      for (let i = 0; i < NEW; i++) edits[`new/n${String(i).padStart(4, '0')}.txt`] = `new ${i}\n`;
      repo.write(edits);
    });

    it('caps the changed list, says how many were left out, and keeps risk files first', async () => {
      const a = await handoffJson(['--no-save'], { cwd: repo.dir, env });
      expect(a.prefix.file_count).toBe(DATA + 4);
      expect(a.delta.changed_total).toBe(DATA + NEW + 1);
      // The list shrinks as the repository grows: below the cap of a small repository.
      expect(a.delta.changed.length).toBeGreaterThan(0);
      expect(a.delta.changed.length).toBeLessThan(60);
      expect(a.delta.changed_omitted).toBe(a.delta.changed_total - a.delta.changed.length);
      expect(a.changed_files).toHaveLength(a.delta.changed.length);
      expect(a.delta.changed[0]).toMatchObject({ path: 'zzz/risk.ts', status: 'branch' });
      expect(a.delta.risk_files).toEqual([
        expect.objectContaining({ path: 'zzz/risk.ts', importers: 3, is_hub: true }),
      ]);
      expect(a.delta.recent_events.length).toBeLessThan(25);
      expect(a.delta.events_omitted).toBe(DATA + NEW + 1 - a.delta.recent_events.length);
    });

    it('renders markdown within budget and says what was left out', async () => {
      const res = await runCli(['--no-save'], { cwd: repo.dir, env });
      expect(res.code).toBe(0);
      expect(Buffer.byteLength(res.stdout)).toBeLessThanOrEqual(20_000);
      expect(res.stdout).toMatch(/more changed files not shown/);
      expect(res.stdout).toContain('zzz/risk.ts');
    });
  });

  describe('long path names that overflow the byte budgets', () => {
    let repo: GitRepo;
    const IMPORTERS = 80;
    const NEW = 70;
    const longDir = `new/${'a'.repeat(200)}`;

    beforeAll(async () => {
      const base: Tree = { 'hub.ts': 'export const hub = 1;\n' };
      for (let i = 0; i < IMPORTERS; i++) base[`imp/${'i'.repeat(200)}-${i}.ts`] = "import { hub } from '../hub.js';\n";
      repo = scratch.repo(base);
      repo.git('checkout', '-q', '-b', 'feat');
      const edits: Tree = { 'hub.ts': 'export const hub = 2;\n' };
      for (let i = 0; i < NEW; i++) edits[`${longDir}/${'b'.repeat(200)}-${i}.txt`] = `${i}\n`;
      repo.write(edits);
    });

    it('cuts markdown at 20,000 bytes on a line boundary with a visible truncated line', async () => {
      const res = await runCli(['--no-save'], { cwd: repo.dir, env });
      expect(res.code).toBe(0);
      expect(Buffer.byteLength(res.stdout)).toBeLessThanOrEqual(20_000);
      expect(res.stdout.endsWith('\n')).toBe(true);
      const lines = res.stdout.trimEnd().split('\n');
      expect(lines.at(-1)).toMatch(/truncated/i);
      // Every kept line is whole: each changed-file line ends with its size.
      for (const l of lines.filter((x) => x.startsWith('- `untracked`'))) expect(l).toMatch(/\(\d+ B\)$/);
      // Saving adds a "Wrote …" note: on stderr, so stdout stays within the budget.
      const saved = await runCli([], { cwd: repo.dir, env });
      expect(saved.stdout).toMatch(/truncated/i);
      expect(Buffer.byteLength(saved.stdout)).toBeLessThanOrEqual(20_000);
      expect(saved.stdout).not.toContain('Wrote');
      expect(saved.stderr).toMatch(/^Wrote .*\.codemap\/handoff\.latest\.json/);
    });

    it('keeps the JSON whole: lists are capped, never cut', async () => {
      const a = await handoffJson(['--no-save'], { cwd: repo.dir, env });
      expect(a.delta.changed_total).toBe(NEW + 1);
      expect(a.delta.changed.length).toBeLessThanOrEqual(60);
      expect(a.delta.changed_omitted).toBe(a.delta.changed_total - a.delta.changed.length);
      expect(a.delta.changed[0]?.path).toBe('hub.ts');
    });

    it('cuts the file detail at 12,000 bytes; the JSON detail stays whole', async () => {
      const md = await runCli(['--no-save', '--detail', 'hub.ts'], { cwd: repo.dir, env });
      expect(md.code).toBe(0);
      expect(Buffer.byteLength(md.stdout)).toBeLessThanOrEqual(12_000);
      expect(md.stdout.trimEnd().split('\n').at(-1)).toMatch(/truncated/i);
      const d = await runJson(fileDetail, ['--no-save', '--detail', 'hub.ts'], { cwd: repo.dir, env });
      expect(d.importers).toHaveLength(IMPORTERS);
      expect(d.is_hub).toBe(true);
    });
  });
});

describe('edge cases: a symlinked -C directory', () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  it('--detail resolves a path relative to a -C reached through a symlink', async () => {
    const repo = scratch.repo({ 'src/a.ts': 'export const a = 1;\n', 'del.txt': 'x\n' });
    repo.remove('del.txt');
    const link = join(scratch.dir(), 'link');
    symlinkSync(repo.dir, link);
    const res = await runCli(['-C', join(link, 'src'), '--detail', '../del.txt', '--json'], { cwd: repo.dir, env });
    expect(res.code, res.stderr).toBe(0);
    expect(parseWith(fileDetail, res.stdout)).toMatchObject({ path: 'del.txt', status: 'deleted' });
  });
});
