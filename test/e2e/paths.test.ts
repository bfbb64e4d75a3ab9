// End to end: paths that are not plain text, where only a real process shows it. Files
// that vanish mid-run are `deleted` rather than a crash while other processes race it, and
// in a repository whose own path holds a newline, a tab, a space and unicode the process's
// own cwd, the agent hooks reading stdin and the git hooks run through /bin/sh all work.
// Names that are not UTF-8 and the handoff and context exchange in such a repository:
// in-process in test/cli/handoff-paths-command.test.ts.
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { artifact } from '../../src/schema/artifact.js';
import { oddDirRepo } from '../support/handoff-trees.js';
import { FIXED_NOW, parseWith, readSaved, runCli, runCliAsync, Scratch, statuses } from './helpers.js';

const env = { HANDOFF_NOW: FIXED_NOW };

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

  it('a run started there, the agent hooks and the git hooks all work', async () => {
    const repo = oddDirRepo(scratch);
    const dir = repo.dir;
    const me = { ...env, HANDOFF_DEVELOPER: 'me' };

    // The process starts in the directory itself.
    const md = runCli(['--no-save'], { cwd: dir, env });
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toContain('# Handoff: feat → main');

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
