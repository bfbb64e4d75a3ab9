// End to end: paths that are not plain text. File names that are not UTF-8 keep their
// real status under an escaped name (`f\xff.txt`), files that vanish mid-run are
// `deleted` rather than a crash, and a repository whose own path holds a newline, a tab,
// a space and unicode works for the handoff, the context exchange and the hooks.
import { spawn } from 'node:child_process';
import { mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { artifact, fileDetail } from '../../src/schema/artifact.js';
import { context } from '../../src/schema/context.js';
import { gitRepo } from '../../fixtures/git-repo.js';
import { FIXED_NOW, handoffJson, parseWith, readSaved, runCli, runCliAsync, Scratch, statuses } from './helpers.js';

const env = { HANDOFF_NOW: FIXED_NOW };
const bytes = (...parts: (string | number)[]): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from([p]))));

describe('paths: file names that are not UTF-8', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  function oddRepo(dir?: string): ReturnType<typeof gitRepo> {
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

  it('reports each with its real status under an escaped name, and saves it', () => {
    const repo = oddRepo();
    const a = handoffJson([], { cwd: repo.dir, env });
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
    const detail = runCli(['--no-save', '--json', '--detail', 'f\\xff.txt'], { cwd: repo.dir, env });
    expect(detail.code, detail.stderr).toBe(0);
    expect(parseWith(fileDetail, detail.stdout)).toMatchObject({ path: 'f\\xff.txt', status: 'modified', size: 7 });
    const md = runCli(['--no-save'], { cwd: repo.dir, env });
    // The terminal escape doubles a backslash that could read as an escape, and that printed
    // form finds the file too.
    expect(md.stdout).toContain('`modified` f\\\\xff.txt');
    expect(md.stdout).not.toContain('\ufffd');
    const printed = runCli(['--no-save', '--json', '--detail', 'f\\\\xff.txt'], { cwd: repo.dir, env });
    expect(printed.code, printed.stderr).toBe(0);
    expect(parseWith(fileDetail, printed.stdout)).toMatchObject({ path: 'f\\xff.txt', status: 'modified' });
  });

  it('gives the same hashes in another checkout of the same state', () => {
    const a = handoffJson(['--no-save'], { cwd: oddRepo().dir, env });
    const b = handoffJson(['--no-save'], { cwd: oddRepo(join(scratch.dir(), 'elsewhere', 'checkout')).dir, env });
    expect(b.combined_hash).toBe(a.combined_hash);
    expect(b.delta.changed).toEqual(a.delta.changed);
  });
});

describe('paths: files that vanish while handoff runs', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  // One process deletes and re-creates files (and untracked ones); the other swaps files
  // for symlinks by rename, so a path lstat saw as one type is read as another.
  const VANISH = `
    const fs = require('node:fs');
    fs.mkdirSync('new', { recursive: true });
    for (let n = 0; ; n++) {
      for (let i = 0; i < 100; i++) {
        const p = 'src/f' + i + '.ts', u = 'new/u' + i + '.ts';
        try { fs.unlinkSync(p); } catch {}
        try { fs.unlinkSync(u); } catch {}
        fs.writeFileSync(p, 'export const v = ' + n + ';\\n');
        if (i % 2 === 0) fs.writeFileSync(u, 'import { v } from "../src/f' + i + '.js";\\n');
      }
    }`;
  const SWAP = `
    const fs = require('node:fs');
    for (let n = 0; ; n++) {
      for (let i = 0; i < 6; i++) {
        const tmp = 'src/.swap' + i;
        try { fs.unlinkSync(tmp); } catch {}
        if (n % 2 === 0) fs.symlinkSync('f' + (i + 10) + '.ts', tmp);
        else fs.writeFileSync(tmp, 'export const s = ' + n + ';\\n');
        fs.renameSync(tmp, 'src/f' + i + '.ts');
      }
    }`;

  it('every run exits 0 while other processes delete, re-create and swap files', async () => {
    const tree: Record<string, string> = {};
    for (let i = 0; i < 100; i++) tree[`src/f${i}.ts`] = `export const v${i} = ${i};\n`;
    const repo = scratch.repo(tree);
    const children = [VANISH, SWAP].map((code) =>
      spawn(process.execPath, ['-e', code], { cwd: repo.dir, stdio: 'ignore' }),
    );
    const exited = children.map((c) => new Promise((resolve) => c.once('exit', resolve)));
    try {
      const failures: string[] = [];
      for (let run = 0; run < 10; run++) {
        const res = await runCliAsync(run % 2 === 0 ? ['--json', '--no-save'] : [], { cwd: repo.dir, env });
        if (res.code !== 0) failures.push(`run ${run}: exit ${res.code}: ${res.stderr.trim()}`);
        else if (run % 2 === 0) parseWith(artifact, res.stdout);
      }
      expect(failures).toEqual([]);
    } finally {
      for (const c of children) c.kill();
      await Promise.all(exited);
    }
  }, 300_000);
});

describe('paths: a repository under a newline, a tab, a space and unicode', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  it('handoff, context publish/get, the agent hooks and the git hooks all work', async () => {
    const dir = join(scratch.dir(), 'x\ny z\tñ 日本', 'repo');
    mkdirSync(dir, { recursive: true });
    const repo = gitRepo({ 'a.ts': 'export const a = 1;\n' }, { dir });
    repo.git('checkout', '-q', '-b', 'feat');
    repo.write({ 'b.ts': "import { a } from './a.js';\n" });
    const me = { ...env, HANDOFF_DEVELOPER: 'me' };

    const a = handoffJson([], { cwd: dir, env });
    expect(statuses(a)).toEqual({ 'b.ts': 'untracked' });
    expect(readSaved(dir).latest).toEqual(a);
    const md = runCli(['--no-save'], { cwd: dir, env });
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toContain('# Handoff: feat → main');
    expect(runCli(['--no-save', '-C', dir], { cwd: scratch.dir(), env }).code).toBe(0);

    const pub = runCli(['context', 'publish', '--title', 'odd dir', '--file', 'b.ts', '--json'], { cwd: dir, env: me });
    expect(pub.code, pub.stderr).toBe(0);
    const published = parseWith(context, pub.stdout);
    const got = runCli(['context', 'get', '--json'], { cwd: dir, env: me });
    expect(got.code, got.stderr).toBe(0);
    expect((JSON.parse(got.stdout) as { id: string }[]).map((c) => c.id)).toEqual([published.id]);
    const state = runCli(['state'], { cwd: dir, env: me });
    expect(state.code, state.stderr).toBe(0);
    expect(state.stdout).toContain('odd dir');

    const start = runCli(['hook', 'session-start'], {
      cwd: dir,
      env: me,
      input: JSON.stringify({ session_id: 's1', cwd: dir }),
    });
    expect(start.code).toBe(0);
    expect(start.stderr).toBe('');
    expect(start.stdout).toContain('b.ts');
    repo.write({ 'c.ts': 'export const c = 3;\n' });
    const stop = runCli(['hook', 'session-stop'], {
      cwd: dir,
      env: me,
      input: JSON.stringify({ session_id: 's1', cwd: dir }),
    });
    expect(stop.code).toBe(0);
    expect(stop.stderr).toBe('');
    expect(statuses(readSaved(dir).latest)).toEqual({ 'b.ts': 'untracked', 'c.ts': 'untracked' });

    // The git hooks find the repository too: a commit refreshes the saved handoff.
    const setup = runCli(['setup', '--agent', 'git'], { cwd: dir, env: me });
    expect(setup.code, setup.stderr).toBe(0);
    repo.git('add', 'b.ts', 'c.ts');
    repo.commit('b and c');
    let latest = readSaved(dir).latest;
    for (let i = 0; i < 120 && Object.keys(statuses(latest)).some((p) => statuses(latest)[p] === 'untracked'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      latest = readSaved(dir).latest;
    }
    expect(statuses(latest)).toEqual({ 'b.ts': 'branch', 'c.ts': 'branch' });
  }, 180_000);
});
