// Where the Go tool codemap's handoff and ours must agree, through the whole CLI in-process
// (test/support/in-process.ts): the base-ref fallback order, "HEAD" as the base when none
// is found, reading a handoff file the Go tool wrote (and keeping its agent history through
// our next save), its per-project file, and serving `--latest --detail` from the saved
// handoff without recomputing it. The session-stop hook reading stdin over a Go file, and
// real exit statuses: test/e2e/handoff-go-compat.test.ts.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifact, fileDetail } from '../../src/schema/artifact.js';
import {
  execGit,
  expectFailure,
  FIXED_NOW,
  parseWith,
  readSaved,
  Scratch,
  statuses,
  type GitRepo,
} from '../e2e/helpers.js';
import { GO_FILE, GO_STORE, goShapedRepo, putGoFile } from '../support/handoff-trees.js';
import {
  handoffJsonInProcess as handoffJson,
  runInProcess as runCli,
  runJsonInProcess as runJson,
} from '../support/in-process.js';

const env = { HANDOFF_NOW: FIXED_NOW };

describe('Go compatibility: base ref fallback', () => {
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

  it('a repository with only trunk compares against trunk', async () => {
    const repo = repoWithOnly('trunk');
    const res = await runCli(['--json', '--no-save'], { cwd: repo.dir, env });
    expect(res.stderr).toBe('');
    const a = JSON.parse(res.stdout) as { base_ref: string; delta: { changed: { path: string; status: string }[] } };
    expect(a.base_ref).toBe('trunk');
    expect(statuses(a)).toEqual({ 'b.txt': 'branch', 'c.txt': 'untracked' });
  });

  it('develop is tried after trunk, and local branches before origin/*', async () => {
    const repo = repoWithOnly('develop');
    expect((await handoffJson(['--no-save'], { cwd: repo.dir, env })).base_ref).toBe('develop');
    repo.git('branch', '-q', 'trunk', 'develop');
    expect((await handoffJson(['--no-save'], { cwd: repo.dir, env })).base_ref).toBe('trunk');
  });

  it('a clone set up with `git remote add` + fetch (no origin/HEAD) whose only branch is origin/develop', async () => {
    const source = repoWithOnly('develop');
    source.git('checkout', '-q', 'develop');
    source.git('branch', '-q', '-D', 'feature/x');
    const clone = scratch.repo();
    clone.git('remote', 'add', 'origin', source.dir);
    clone.git('fetch', '-q', 'origin');
    const refs = clone.git('for-each-ref', '--format=%(refname)').trim().split('\n');
    expect(refs).toEqual(['refs/remotes/origin/develop']);
    clone.git('checkout', '-q', '-b', 'feature/y', 'origin/develop');
    clone.write({ 'y.txt': 'y\n' });
    clone.commit('y');
    const res = await runCli(['--json', '--no-save'], { cwd: clone.dir, env });
    expect(res.stderr).toBe('');
    const a = parseWith(artifact, res.stdout);
    expect(a.base_ref).toBe('origin/develop');
    expect(a.delta.base_commit).toBe(execGit(clone.dir, 'rev-parse', 'origin/develop').trim());
    expect(statuses(a)).toEqual({ 'y.txt': 'branch' });
  });

  it('origin/HEAD wins over a local main and is named by its target', async () => {
    const source = scratch.repo({ 'a.txt': 'a\n' });
    source.git('branch', '-q', '-m', 'main', 'develop');
    const clone = scratch.clone(source);
    expect(clone.git('symbolic-ref', 'refs/remotes/origin/HEAD').trim()).toBe('refs/remotes/origin/develop');
    clone.git('checkout', '-q', '-b', 'feat');
    clone.write({ 'b.txt': 'b\n' });
    clone.commit('b');
    clone.git('branch', '-q', 'main', 'feat');
    expect((await handoffJson(['--no-save'], { cwd: clone.dir, env })).base_ref).toBe('origin/develop');
  });
});

describe('Go compatibility: no base found', () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  function featureOnly(): GitRepo {
    const repo = scratch.repo({ 'a.txt': 'a\n' });
    repo.git('branch', '-q', '-m', 'main', 'feature/x');
    repo.write({ 'c.txt': 'c\n' });
    return repo;
  }

  it('on feature/x with no base, base_ref is "HEAD" in the artifact, the layers and the heading', async () => {
    const repo = featureOnly();
    const res = await runCli(['--json'], { cwd: repo.dir, env });
    expect(res.code, res.stderr).toBe(0);
    const tried = 'origin/HEAD, main, master, trunk, develop, origin/main, origin/master, origin/trunk, origin/develop';
    const fix = 'pass --ref <branch> or set base_ref in .codemap/config.json';
    expect(res.stderr).toBe(`handoff: no base ref found (tried ${tried}); comparing against HEAD — ${fix}\n`);
    const saved = readSaved(repo.dir);
    expect(saved.latest.branch).toBe('feature/x');
    expect(saved.latest.base_ref).toBe('HEAD');
    expect(saved.prefix.base_ref).toBe('HEAD');
    expect(saved.delta.base_ref).toBe('HEAD');
    expect(saved.metrics.at(-1)?.base_ref).toBe('HEAD');
    expect(saved.latest.delta.open_questions[0]).toBe(
      `No base ref found (tried ${tried}): compared against HEAD. Which branch does this work merge into?`,
    );
    const md = await runCli(['--latest'], { cwd: repo.dir, env });
    expect(md.stdout.split('\n')[0]).toBe('# Handoff: feature/x → HEAD');
    expect(md.stdout).toContain('## Delta — work in progress vs HEAD');
  });

  it('an unborn feature/x and a detached HEAD also say HEAD, never the branch', async () => {
    const unborn = scratch.repo();
    unborn.git('checkout', '-q', '-b', 'feature/x');
    unborn.write({ 'new.txt': 'n\n' });
    const a = await handoffJson(['--no-save'], { cwd: unborn.dir, env: { ...env } });
    expect(a.base_ref).toBe('HEAD');
    const repo = featureOnly();
    repo.git('checkout', '-q', '--detach');
    expect((await runCli(['--no-save'], { cwd: repo.dir, env })).stdout.split('\n')[0]).toBe('# Handoff: HEAD → HEAD');
  });

  it('--ref HEAD names HEAD without a warning; on the base branch itself the base is that branch', async () => {
    const repo = featureOnly();
    const res = await runCli(['--no-save', '--ref', 'HEAD'], { cwd: repo.dir, env });
    expect(res.stderr).toBe('');
    expect(res.stdout.split('\n')[0]).toBe('# Handoff: feature/x → HEAD');
    const onMain = scratch.repo({ 'a.txt': 'a\n' });
    expect((await handoffJson(['--no-save'], { cwd: onMain.dir, env })).base_ref).toBe('main');
  });
});

describe('Go compatibility: a handoff file the Go tool wrote', () => {
  const scratch = new Scratch();
  let repo: GitRepo;

  beforeAll(() => {
    repo = goShapedRepo(scratch);
  });
  afterAll(() => scratch.cleanup());

  it('--latest renders it, and --latest --json prints it schema-valid with its agent history', async () => {
    const md = await runCli(['--latest'], { cwd: repo.dir, env });
    expect(md.stderr).toBe('');
    expect(md.code).toBe(0);
    expect(md.stdout.split('\n')[0]).toBe('# Handoff: feature/store-split → main');
    expect(md.stdout).toContain('`modified` internal/store/store.go');
    expect(md.stdout).toContain('- 2026-02-14T08:12:44Z WRITE internal/store/store.go');
    const a = await runJson(artifact, ['--latest'], { cwd: repo.dir, env });
    expect(a.agent_history?.map((h) => h.agent_id)).toEqual(['claude-code', 'codex']);
    expect(a.delta.changed_total).toBe(4);
  });

  it('--latest --detail serves a listed file from the artifact and says the import lists are missing', async () => {
    const res = await runCli(['--latest', '--detail', 'internal/store/store.go', '--json'], { cwd: repo.dir, env });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toBe(
      `handoff: the saved handoff holds no import lists for ${GO_STORE} — ` +
        `run \`handoff --detail ${GO_STORE}\` to compute them\n`,
    );
    const d = parseWith(fileDetail, res.stdout);
    expect(d).toMatchObject({
      path: GO_STORE,
      status: 'modified',
      size: 2314,
      importers: [],
      imports: [],
      is_hub: true,
    });
    expect(d.recent_events).toEqual([{ time: '2026-02-14T08:12:44Z', op: 'WRITE', path: 'internal/store/store.go' }]);
    const md = await runCli(['--latest', '--detail', 'internal/store/store.go'], { cwd: repo.dir, env });
    expect(md.code).toBe(0);
    expect(md.stdout.split('\n')[0]).toBe('# internal/store/store.go');
    const typo = await runCli(['--latest', '--detail', 'internal/store/stor.go'], { cwd: repo.dir, env });
    expectFailure(typo, 3, /store\/store\.go/);
  });

  it('the next save keeps its agent history, moves nothing aside and fills every field', async () => {
    const res = await runCli([], { cwd: repo.dir, env });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/^Wrote [^\n]*\n$/);
    expect(readdirSync(join(repo.dir, '.codemap')).filter((f) => f.includes('corrupt'))).toEqual([]);
    const saved = readSaved(repo.dir).latest;
    expect(saved.agent_history).toEqual((await runJson(artifact, ['--latest'], { cwd: repo.dir, env })).agent_history);
    expect(saved.agent_history?.map((h) => [h.agent_id, h.started_at])).toEqual([
      ['claude-code', '2026-02-14T07:02:11Z'],
      ['codex', '2026-02-14T08:05:00Z'],
    ]);
    expect(saved).toMatchObject({ root: '.', base_ref: 'main', head: execGit(repo.dir, 'rev-parse', 'HEAD').trim() });
    expect(statuses(saved)).toEqual({
      'cmd/old.go': 'deleted',
      'internal/render/render.go': 'branch',
      'internal/store/store.go': 'modified',
      'notes/plan.md': 'untracked',
    });
  });

  it('after our save, --latest --detail serves the saved detail, with and without --json, without recomputing', async () => {
    await runCli([], { cwd: repo.dir, env });
    const fresh = await runCli(['--no-save', '--detail', 'internal/store/store.go', '--json'], { cwd: repo.dir, env });
    const fromSaved = await runCli(['--latest', '--detail', 'internal/store/store.go', '--json'], {
      cwd: repo.dir,
      env,
    });
    expect(fromSaved.stderr).toBe('');
    expect(fromSaved.stdout).toBe(fresh.stdout);
    expect(parseWith(fileDetail, fromSaved.stdout).importers).toEqual(['cmd/a/main.go', 'cmd/b/main.go']);
    const md = await runCli(['--latest', '--detail', './internal/store/store.go'], { cwd: repo.dir, env });
    expect(md.stdout).toBe(
      (await runCli(['--no-save', '--detail', 'internal/store/store.go'], { cwd: repo.dir, env })).stdout,
    );
    // The working tree moves on; the saved detail does not (nothing is recomputed).
    writeFileSync(join(repo.dir, 'internal/store/store.go'), 'package store\n\n// Split in two, then three.\n');
    const later = await runJson(fileDetail, ['--latest', '--detail', GO_STORE], { cwd: repo.dir, env });
    expect(later).toEqual(parseWith(fileDetail, fromSaved.stdout));
    expect((await runJson(fileDetail, ['--no-save', '--detail', GO_STORE], { cwd: repo.dir, env })).size).not.toBe(
      later.size,
    );
    // A file the saved handoff does not list: exit 3 with the closest listed paths.
    const unlisted = await runCli(['--latest', '--detail', 'internal/model/model.go'], { cwd: repo.dir, env });
    expectFailure(unlisted, 3, /store\/store\.go/);
  });

  it('details saved for another handoff are not served: the Go tool saved over ours', async () => {
    putGoFile(repo);
    const res = await runCli(['--latest', '--detail', 'internal/store/store.go', '--json'], { cwd: repo.dir, env });
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/no import lists/);
    expect(parseWith(fileDetail, res.stdout).size).toBe(2314);
  });
});

describe("Go compatibility: the Go tool's per-project handoff (.codemap/projects/<key>/)", () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  it('is read when we have none, its history is carried into ours, and it is never written', async () => {
    const repo = scratch.repo({ 'a.txt': 'a\n' });
    repo.git('checkout', '-q', '-b', 'feature/store-split');
    repo.write({ 'b.txt': 'b\n' });
    // codemap internal/projectpath: ProjectKey = hex of the first 6 bytes of sha256(canonical root).
    const key = createHash('sha256').update(realpathSync(repo.dir)).digest('hex').slice(0, 12);
    const goDir = join(repo.dir, '.codemap', 'projects', key);
    mkdirSync(goDir, { recursive: true });
    copyFileSync(GO_FILE, join(goDir, 'handoff.latest.json'));
    const before = readFileSync(join(goDir, 'handoff.latest.json'));

    const md = await runCli(['--latest'], { cwd: repo.dir, env });
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout.split('\n')[0]).toBe('# Handoff: feature/store-split → main');
    const saved = await runCli([], { cwd: repo.dir, env });
    expect(saved.code, saved.stderr).toBe(0);
    expect(readSaved(repo.dir).latest.agent_history?.map((h) => h.agent_id)).toEqual(['claude-code', 'codex']);
    expect(readSaved(repo.dir).latest.base_ref).toBe('main');
    expect(readFileSync(join(goDir, 'handoff.latest.json')).equals(before)).toBe(true);
    // Ours now answers --latest.
    expect((await runCli(['--latest'], { cwd: repo.dir, env })).stdout.split('\n')[0]).toBe(
      '# Handoff: feature/store-split → main',
    );
  });
});
