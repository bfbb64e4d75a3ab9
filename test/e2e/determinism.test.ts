// End to end: the same repository state gives byte-identical artifacts, hashes and
// markdown in two clones whatever the checkout's absolute path, the process's time zone
// and locale (only a real process takes TZ and LC_ALL as its own) or file creation order.
// Caches, the user's git configuration, the prefix's dependence on the base commit only,
// and file times and the clock: in-process in test/cli/handoff-determinism-command.test.ts.
import { utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { body, importsHub } from '../support/handoff-trees.js';
import {
  FIXTURE_EPOCH,
  fixtureTime,
  readSaved,
  runCli,
  Scratch,
  statuses,
  type GitRepo,
  type SavedHandoff,
} from './helpers.js';

/** Two environments as different as a machine can make them. */
const ENV_A = { HANDOFF_NOW: fixtureTime(3600), TZ: 'UTC', LC_ALL: 'C', LANG: 'C' };
const ENV_B = { HANDOFF_NOW: fixtureTime(3600), TZ: 'Pacific/Chatham', LC_ALL: 'tr_TR.UTF-8', LANG: 'tr_TR.UTF-8' };

function expectIdentical(a: SavedHandoff, b: SavedHandoff): void {
  expect(b.bytes.latest).toBe(a.bytes.latest);
  expect(b.bytes.prefix).toBe(a.bytes.prefix);
  expect(b.bytes.delta).toBe(a.bytes.delta);
  expect(b.bytes.metrics).toBe(a.bytes.metrics);
  expect([b.latest.prefix_hash, b.latest.delta_hash, b.latest.combined_hash]).toEqual([
    a.latest.prefix_hash,
    a.latest.delta_hash,
    a.latest.combined_hash,
  ]);
}

function expectNoMachinePaths(saved: SavedHandoff, ...dirs: string[]): void {
  for (const text of Object.values(saved.bytes)) {
    for (const dir of [...dirs, tmpdir()]) expect(text).not.toContain(dir);
  }
}

describe('determinism: two clones at different paths', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  let cloneA: GitRepo;
  let cloneB: GitRepo;

  beforeAll(() => {
    const source = scratch.repo({
      'src/hub.ts': 'export const hub = 1;\n',
      'src/a.ts': importsHub('a'),
      'src/b.ts': importsHub('b'),
      'src/c.ts': importsHub('c'),
      'src/old-name.ts': body('oldName'),
      'src/gone.ts': body('gone'),
      'src/keep.ts': body('keep'),
      'src/stage-me.ts': body('stageMe'),
      'src/rename-me.ts': body('renameMe'),
      'docs/guide.md': '# guide\n',
      'pkg/mod.py': 'import os\n',
    });
    source.git('checkout', '-q', '-b', 'feat');
    source.write({ 'src/hub.ts': 'export const hub = 2;\n', 'src/new.ts': importsHub('n') });
    source.git('mv', 'src/old-name.ts', 'src/new-name.ts');
    source.remove('src/gone.ts');
    source.commit('feature');
    source.write({ 'docs/guide.md': '# guide, edited\n' });
    source.commit('docs');
    source.git('checkout', '-q', 'main');

    cloneA = scratch.clone(source, { dir: join(scratch.dir('a-'), 'clone') });
    cloneB = scratch.clone(source, {
      dir: join(scratch.dir('a-much-longer-prefix-'), 'deeply', 'nested', 'other name'),
    });
    for (const clone of [cloneA, cloneB]) clone.git('checkout', '-q', 'feat');
  });
  afterAll(() => scratch.cleanup());

  it('committed state: byte-identical artifacts and hashes', () => {
    const ra = runCli([], { cwd: cloneA.dir, env: ENV_A });
    const rb = runCli([], { cwd: cloneB.dir, env: ENV_B });
    expect(ra.code, ra.stderr).toBe(0);
    expect(rb.code, rb.stderr).toBe(0);
    const a = readSaved(cloneA.dir);
    const b = readSaved(cloneB.dir);
    expectIdentical(a, b);
    expectNoMachinePaths(a, cloneA.dir, cloneB.dir);
    expect(a.latest.base_ref).toBe('origin/main');
    expect(statuses(a.latest)).toEqual({
      'docs/guide.md': 'branch',
      'src/gone.ts': 'deleted',
      'src/hub.ts': 'branch',
      'src/new-name.ts': 'renamed',
      'src/new.ts': 'branch',
    });
    // Markdown is the same too (the paths written are relative).
    expect(rb.stdout).toBe(ra.stdout);
  });

  it('identical edits with identical mtimes: byte-identical again, created in any order', () => {
    const mtime = FIXTURE_EPOCH + 3000;
    const untracked = ['notes/z.txt', 'notes/a.txt', 'notes/m.md', 'Zeta.txt', 'alpha.txt'];
    const edit = (clone: GitRepo, order: 'forward' | 'reverse'): void => {
      clone.write({ 'src/keep.ts': body('keepEdited') });
      clone.write({ 'src/stage-me.ts': body('stageMeEdited') });
      clone.git('add', 'src/stage-me.ts');
      clone.git('mv', 'src/rename-me.ts', 'src/renamed.ts');
      clone.git('rm', '-q', 'src/c.ts');
      const files = order === 'forward' ? untracked : [...untracked].reverse();
      for (const f of files) clone.write({ [f]: `content of ${f}\n` });
      for (const f of ['src/keep.ts', 'src/stage-me.ts', 'src/renamed.ts', ...untracked])
        utimesSync(join(clone.dir, f), mtime, mtime);
    };
    edit(cloneA, 'forward');
    edit(cloneB, 'reverse');
    const before = readSaved(cloneA.dir).latest;

    expect(runCli([], { cwd: cloneA.dir, env: ENV_A }).code).toBe(0);
    expect(runCli([], { cwd: cloneB.dir, env: ENV_B }).code).toBe(0);
    const a = readSaved(cloneA.dir);
    const b = readSaved(cloneB.dir);
    expectIdentical(a, b);
    expectNoMachinePaths(a, cloneA.dir, cloneB.dir);
    expect(a.latest.prefix_hash).toBe(before.prefix_hash);
    expect(a.latest.delta_hash).not.toBe(before.delta_hash);
    expect(statuses(a.latest)).toMatchObject({
      'src/keep.ts': 'modified',
      'src/stage-me.ts': 'staged',
      'src/renamed.ts': 'renamed',
      'src/c.ts': 'deleted',
      'notes/a.txt': 'untracked',
      'Zeta.txt': 'untracked',
    });
    const edits = a.latest.delta.recent_events.filter((e) => e.op === 'edit');
    expect(edits.length).toBeGreaterThan(0);
    for (const e of edits) expect(e.time).toBe(new Date(mtime * 1000).toISOString().replace('.000Z', 'Z'));

    // Reruns change nothing, in either clone.
    expect(runCli([], { cwd: cloneA.dir, env: { ...ENV_A, HANDOFF_NOW: fixtureTime(4000) } }).code).toBe(0);
    expect(runCli([], { cwd: cloneB.dir, env: { ...ENV_B, HANDOFF_NOW: fixtureTime(4000) } }).code).toBe(0);
    expectIdentical(readSaved(cloneA.dir), readSaved(cloneB.dir));
    expect(readSaved(cloneA.dir).bytes.prefix).toBe(a.bytes.prefix);
    expect(readSaved(cloneA.dir).bytes.delta).toBe(a.bytes.delta);
  });
});
