// End to end: what survives the caps of a mid-sized repository (2k–20k files: 40 changed,
// 10 risk). Two shapes from the issue 8 runs: vitest (63 changed files, most of them
// branch commits and CI/docs noise, plus local work of every kind) and svelte (a local
// delete that breaks imports among many branch-changed hubs).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Artifact } from '../../src/schema/artifact.js';
import { fixtureTime, handoffJson, runCli, Scratch, type GitRepo, type Tree } from './helpers.js';

const pad = (i: number): string => String(i).padStart(2, '0');

/** 2,000 plain files: puts the repository in the 2k–20k band, whose caps are 40 changed and 10 risk. */
function filler(): Tree {
  const tree: Tree = {};
  for (let i = 0; i < 2_000; i++) tree[`data/d${String(i).padStart(4, '0')}.txt`] = `${i}\n`;
  return tree;
}

const SRC = 'packages/vitest/src';
const LOCAL = {
  untracked: `${SRC}/zz-new-feature.ts`,
  modified: `${SRC}/yy-edited.ts`,
  staged: `${SRC}/yy-staged.ts`,
  deleted: `${SRC}/yy-removed.ts`,
  renamed: `${SRC}/yy-moved.ts`,
};

describe('ranking: vitest shape, 63 changed files under a cap of 40', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  let repo: GitRepo;
  let lastCommit = 0;
  let a: Artifact;
  /** A minute after the last branch commit. */
  const now = (): NodeJS.ProcessEnv => ({ HANDOFF_NOW: fixtureTime(lastCommit + 60) });

  beforeAll(() => {
    const base: Tree = { ...filler(), 'README.md': '# vitest\n' };
    for (let i = 0; i < 44; i++) base[`${SRC}/mod-${pad(i)}.ts`] = `export const m${i} = ${i};\n`;
    for (let i = 0; i < 5; i++) base[`.github/workflows/ci-${i}.yml`] = `name: ci-${i}\n`;
    for (let i = 0; i < 8; i++) base[`docs/guide/page-${i}.md`] = `# page ${i}\n`;
    for (const name of ['yy-edited', 'yy-staged', 'yy-removed', 'old-moved', 'zz-dropped']) {
      base[`${SRC}/${name}.ts`] = `export const ${name.replace('-', '_')} = '${name}';\n`;
    }
    repo = scratch.repo(base);
    repo.git('checkout', '-q', '-b', 'feat');
    // 20 branch commits: sources first (the oldest), CI and docs in the newest commits.
    for (let c = 0; c < 17; c++) {
      const edits: Tree = {};
      for (let i = c; i < 44; i += 17) edits[`${SRC}/mod-${pad(i)}.ts`] = `export const m${i} = ${i + 100};\n`;
      repo.write(edits);
      if (c === 0) repo.remove(`${SRC}/zz-dropped.ts`);
      repo.commit(`sources ${c}`);
    }
    const ci: Tree = {};
    for (let i = 0; i < 5; i++) ci[`.github/workflows/ci-${i}.yml`] = `name: ci-${i}\non: push\n`;
    repo.write(ci);
    repo.commit('ci');
    const docs: Tree = {};
    for (let i = 0; i < 8; i++) docs[`docs/guide/page-${i}.md`] = `# page ${i}\n\nmore\n`;
    repo.write(docs);
    repo.commit('docs');
    repo.write({ '.github/workflows/ci-0.yml': 'name: ci-0\non: [push, pull_request]\n' });
    repo.commit('ci again');
    lastCommit = 21 * 60;

    // Local work of every kind: untracked, modified, staged, an unstaged delete, a staged rename.
    repo.write({ [LOCAL.untracked]: 'export const feature = 1;\n' });
    repo.write({ [LOCAL.modified]: "export const yy_edited = 'edited';\n" });
    repo.write({ [LOCAL.staged]: "export const yy_staged = 'staged';\n" });
    repo.git('add', LOCAL.staged);
    repo.remove(LOCAL.deleted);
    repo.git('mv', `${SRC}/old-moved.ts`, LOCAL.renamed);
    a = handoffJson(['--no-save'], { cwd: repo.dir, env: now() });
  });
  afterAll(() => scratch.cleanup());

  it('keeps every local change in the capped --json list, the new untracked file included', () => {
    expect(a.delta.changed_total).toBe(63);
    expect(a.delta.changed).toHaveLength(40);
    const kept = new Map(a.delta.changed.map((c) => [c.path, c.status]));
    for (const [status, path] of Object.entries(LOCAL)) expect(kept.get(path), path).toBe(status);
  });

  it('lists local work, then branch sources newest first; CI and docs are what the cap leaves out', () => {
    const paths = a.delta.changed.map((c) => c.path);
    expect(paths.slice(0, 5)).toEqual([LOCAL.modified, LOCAL.renamed, LOCAL.deleted, LOCAL.staged, LOCAL.untracked]);
    // The newest source commit touched mod-16 and mod-33, the one before mod-15 and mod-32.
    expect(paths.slice(5, 9)).toEqual([`${SRC}/mod-16.ts`, `${SRC}/mod-33.ts`, `${SRC}/mod-15.ts`, `${SRC}/mod-32.ts`]);
    expect(paths.filter((p) => p.startsWith('.github/') || p.startsWith('docs/'))).toEqual([]);
    expect(a.delta.changed_omitted).toBe(23);
    expect(a.delta.changed_omitted_by_status).toEqual({ branch: 22, deleted: 1 });
  });

  it('counts every change git status shows in the uncommitted next step', () => {
    const status = repo.git('status', '--porcelain').split('\n').filter(Boolean);
    expect(status).toHaveLength(5);
    const what = '5 uncommitted changes (1 staged, 1 modified, 1 untracked, 1 deleted, 1 renamed)';
    expect(a.delta.next_steps).toContain(`Commit or stash the ${what} before switching branches.`);
  });

  it('asks whether to split a 63-file change, whether or not the list is capped', () => {
    const split = '63 files changed vs main: is this one change, or should it be split?';
    expect(a.delta.open_questions).toContain(split);
    // Same change, a cap it fits under (.codemap/ is never part of the delta).
    repo.write({ '.codemap/config.json': `${JSON.stringify({ budgets: { max_changed: 100 } })}\n` });
    try {
      const uncapped = handoffJson(['--no-save'], { cwd: repo.dir, env: now() });
      expect(uncapped.delta.changed_omitted).toBe(0);
      expect(uncapped.delta.changed_total).toBe(63);
      expect(uncapped.delta.open_questions).toContain(split);
    } finally {
      repo.remove('.codemap/config.json');
    }
  });

  it('ranks by commit time over the whole branch while the timeline keeps only its window', () => {
    const narrow = handoffJson(['--no-save', '--since', '2m'], { cwd: repo.dir, env: now() });
    const commits = narrow.delta.recent_events.filter((e) => e.op === 'commit');
    expect(new Set(commits.map((e) => e.path))).toEqual(
      new Set(['.github/workflows/ci-0.yml', ...Array.from({ length: 8 }, (_, i) => `docs/guide/page-${i}.md`)]),
    );
    const paths = narrow.delta.changed.map((c) => c.path);
    expect(paths).toEqual(a.delta.changed.map((c) => c.path));
    expect(paths.slice(5, 9)).toEqual([`${SRC}/mod-16.ts`, `${SRC}/mod-33.ts`, `${SRC}/mod-15.ts`, `${SRC}/mod-32.ts`]);
  });

  it('names the statuses left out in markdown', () => {
    const res = runCli(['--no-save'], { cwd: repo.dir, env: now() });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(LOCAL.untracked);
    expect(res.stdout).toContain('- … 23 more changed files not shown (22 branch, 1 deleted)');
    expect(res.stdout).not.toContain('.github/workflows/ci-1.yml');
  });
});

describe('ranking: svelte shape, a local delete among many hub risks', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  let repo: GitRepo;
  let a: Artifact;
  const removed = 'packages/svelte/src/compiler/utils/removed.js';

  beforeAll(() => {
    const base: Tree = filler();
    const hubs = Array.from({ length: 14 }, (_, i) => `packages/svelte/src/internal/hub-${pad(i)}.js`);
    for (const hub of hubs) base[hub] = 'export const x = 1;\n';
    // Test files import every hub (svelte's hubs are imported mostly by tests).
    const imports = hubs.map((_, i) => `import { x as x${i} } from '../src/internal/hub-${pad(i)}.js';\n`);
    for (let t = 0; t < 12; t++) base[`packages/svelte/tests/t-${pad(t)}.test.js`] = imports.join('');
    base[removed] = 'export const removed = 1;\n';
    const importsRemoved = "import { removed } from '../utils/removed.js';\n";
    for (let k = 0; k < 4; k++) base[`packages/svelte/src/compiler/phases/p-${k}.js`] = importsRemoved;
    repo = scratch.repo(base);
    repo.git('checkout', '-q', '-b', 'feat');
    const edits: Tree = {};
    for (const hub of hubs) edits[hub] = 'export const x = 2;\n';
    repo.write(edits);
    repo.commit('hubs');
    repo.remove(removed);
    a = handoffJson(['--no-save'], { cwd: repo.dir, env: { HANDOFF_NOW: fixtureTime(600) } });
  });
  afterAll(() => scratch.cleanup());

  it('puts the local break first in the capped risk list and in the next steps', () => {
    expect(a.delta.risk_files).toHaveLength(10);
    expect(a.delta.risk_omitted).toBe(5);
    expect(a.delta.risk_files[0]).toMatchObject({ path: removed, importers: 4 });
    expect(a.delta.next_steps[0]).toBe(`Fix the 4 files that still import deleted ${removed}.`);
    expect(a.delta.changed[0]).toMatchObject({ path: removed, status: 'deleted' });
  });

  it('shows the local break in markdown before the hubs', () => {
    const res = runCli(['--no-save'], { cwd: repo.dir, env: { HANDOFF_NOW: fixtureTime(600) } });
    expect(res.code, res.stderr).toBe(0);
    const risk = res.stdout.slice(res.stdout.indexOf('### Risk'));
    expect(risk.split('\n')[1]).toContain(removed);
  });
});
