// Paths that are not plain text, through the whole CLI in-process (test/support/in-process.ts):
// file names that are not UTF-8 keep their real status under an escaped name (`f\xff.txt`),
// and a repository whose own path holds a newline, a tab, a space and unicode works for the
// handoff and the context exchange. Files vanishing under racing processes, the process's own
// cwd there, the agent hooks with stdin and the git hooks: test/e2e/paths.test.ts.
import { unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitRepo } from '../../fixtures/git-repo.js';
import { fileDetail } from '../../src/schema/artifact.js';
import { context } from '../../src/schema/context.js';
import { FIXED_NOW, parseWith, readSaved, Scratch, statuses, type GitRepo } from '../e2e/helpers.js';
import { oddDirRepo } from '../support/handoff-trees.js';
import { handoffJsonInProcess as handoffJson, runInProcess as runCli } from '../support/in-process.js';

const env = { HANDOFF_NOW: FIXED_NOW };

const bytes = (...parts: (string | number)[]): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from([p]))));

/**
 * A feature branch whose file names are not UTF-8: a branch file, an edit, a new file and
 * a deletion under such names, a literal `f\xff.txt` beside `f<0xff>.txt`, and a staged rm.
 */
export function nonUtf8Repo(scratch: Scratch, dir?: string): GitRepo {
  const repo = dir ? gitRepo({ 'a.txt': 'a\n' }, { dir }) : scratch.repo({ 'a.txt': 'a\n' });
  const at = (b: Buffer): Buffer => Buffer.concat([Buffer.from(`${repo.dir}/`), b]);
  writeFileSync(at(bytes('f', 0xff, '.txt')), 'f\n');
  writeFileSync(at(bytes('gone', 0xfa, '.txt')), 'g\n');
  writeFileSync(at(bytes('f\\xff.txt')), 'a literal backslash-x name\n');
  repo.commit('odd names');
  repo.git('checkout', '-q', '-b', 'feat');
  writeFileSync(at(bytes('c', 0xfd, '.ts')), 'export const c = 1;\n');
  repo.commit('branch file');
  writeFileSync(at(bytes('f', 0xff, '.txt')), 'edited\n');
  writeFileSync(at(bytes('g', 0xfe, '.txt')), 'new\n');
  // Deleted through bytes: argv cannot carry the name.
  unlinkSync(at(bytes('gone', 0xfa, '.txt')));
  repo.git('rm', '-q', '--', 'a.txt');
  return repo;
}

describe('paths: file names that are not UTF-8', () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  it('reports each with its real status under an escaped name, and saves it', async () => {
    const repo = nonUtf8Repo(scratch);
    const a = await handoffJson([], { cwd: repo.dir, env });
    expect(statuses(a)).toEqual({
      'a.txt': 'deleted',
      'c\\xfd.ts': 'branch',
      'f\\xff.txt': 'modified',
      'g\\xfe.txt': 'untracked',
      'gone\\xfa.txt': 'deleted',
    });
    expect(a.delta.changed.find((c) => c.path === 'f\\xff.txt')?.size).toBe(7);
    expect(a.prefix.file_count).toBe(4);
    expect(readSaved(repo.dir).latest).toEqual(a);
    // The printed name finds the file again.
    const detail = await runCli(['--no-save', '--json', '--detail', 'f\\xff.txt'], { cwd: repo.dir, env });
    expect(detail.code, detail.stderr).toBe(0);
    expect(parseWith(fileDetail, detail.stdout)).toMatchObject({ path: 'f\\xff.txt', status: 'modified', size: 7 });
    const md = await runCli(['--no-save'], { cwd: repo.dir, env });
    // The terminal escape doubles a backslash that could read as an escape, and that printed
    // form finds the file too.
    expect(md.stdout).toContain('`modified` f\\\\xff.txt');
    expect(md.stdout).not.toContain('\ufffd');
    const printed = await runCli(['--no-save', '--json', '--detail', 'f\\\\xff.txt'], { cwd: repo.dir, env });
    expect(printed.code, printed.stderr).toBe(0);
    expect(parseWith(fileDetail, printed.stdout)).toMatchObject({ path: 'f\\xff.txt', status: 'modified' });
  });

  it('gives the same hashes in another checkout of the same state', async () => {
    const a = await handoffJson(['--no-save'], { cwd: nonUtf8Repo(scratch).dir, env });
    const elsewhere = nonUtf8Repo(scratch, join(scratch.dir(), 'elsewhere', 'checkout'));
    const b = await handoffJson(['--no-save'], { cwd: elsewhere.dir, env });
    expect(b.combined_hash).toBe(a.combined_hash);
    expect(b.delta.changed).toEqual(a.delta.changed);
  });
});

describe('paths: a repository under a newline, a tab, a space and unicode', () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  it('handoff, -C from elsewhere, context publish/get and state all work', async () => {
    const repo = oddDirRepo(scratch);
    const dir = repo.dir;
    const me = { ...env, HANDOFF_DEVELOPER: 'me' };

    const a = await handoffJson([], { cwd: dir, env });
    expect(statuses(a)).toEqual({ 'b.ts': 'untracked' });
    expect(readSaved(dir).latest).toEqual(a);
    const md = await runCli(['--no-save'], { cwd: dir, env });
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toContain('# Handoff: feat → main');
    expect((await runCli(['--no-save', '-C', dir], { cwd: scratch.dir(), env })).code).toBe(0);

    const publish = ['context', 'publish', '--title', 'odd dir', '--file', 'b.ts', '--json'];
    const pub = await runCli(publish, { cwd: dir, env: me });
    expect(pub.code, pub.stderr).toBe(0);
    const published = parseWith(context, pub.stdout);
    const got = await runCli(['context', 'get', '--json'], { cwd: dir, env: me });
    expect(got.code, got.stderr).toBe(0);
    expect((JSON.parse(got.stdout) as { id: string }[]).map((c) => c.id)).toEqual([published.id]);
    const state = await runCli(['state'], { cwd: dir, env: me });
    expect(state.code, state.stderr).toBe(0);
    expect(state.stdout).toContain('odd dir');
  });
});
