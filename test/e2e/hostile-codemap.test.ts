// End to end: a cloned repository that commits symlinks (or a file) where handoff keeps
// its own files under `.codemap/`. Nothing handoff or its hooks do may write through such
// a link to a file outside the repository, read a FIFO it points at, or follow a
// symlinked `.codemap`; a `.codemap` that is not a directory is one clear error.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, cliEnv, expectFailure, FIXED_NOW, runCli, Scratch, type GitRepo } from './helpers.js';

const OWN_FILES = [
  '.codemap/handoff.latest.json',
  '.codemap/handoff.prefix.json',
  '.codemap/handoff.delta.json',
  '.codemap/handoff.metrics.log',
  '.codemap/handoff.detail.json',
  '.codemap/handoff.conflicts.json',
  '.codemap/sessions.json',
  '.codemap/cache/worktree.json',
  '.codemap/cache/imports.json',
  '.codemap/cache/saved-state.json',
];

describe('a hostile repository cannot redirect writes under .codemap', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());
  const env = { HANDOFF_NOW: FIXED_NOW, HANDOFF_DEVELOPER: 'me' };
  const startPayload = JSON.stringify({ session_id: 's1', hook_event_name: 'SessionStart' });
  const stopPayload = JSON.stringify({ session_id: 's1', hook_event_name: 'Stop' });

  /** Files outside the repository, one per planted link, with known bytes. */
  function outsideFiles(names: readonly string[]): Map<string, Buffer> {
    const dir = scratch.dir('handoff-outside-');
    const files = new Map<string, Buffer>();
    names.forEach((name, i) => {
      const path = join(dir, `precious-${i}.txt`);
      const bytes = Buffer.from(`precious ${name}\nexport PATH=/usr/bin\n`);
      writeFileSync(path, bytes);
      files.set(path, bytes);
    });
    return files;
  }

  /** A clone of a repository whose commit holds `tree` (paths to link targets or contents). */
  function hostileClone(plant: (repo: GitRepo) => void): GitRepo {
    const origin = scratch.repo({ 'README.md': '# r\n', 'src/a.ts': 'export const a = 1;\n' });
    plant(origin);
    origin.commit('plant');
    const clone = scratch.clone(origin);
    writeFileSync(join(clone.dir, 'src/a.ts'), 'export const a = 2;\n');
    return clone;
  }

  function expectUntouched(files: Map<string, Buffer>): void {
    for (const [path, bytes] of files) expect(readFileSync(path).equals(bytes), `${path} was changed`).toBe(true);
  }

  function runAll(cwd: string): void {
    const run = runCli([], { cwd, env });
    expect(run.code, run.stderr).toBe(0);
    for (const [hook, input] of [
      ['session-start', startPayload],
      ['session-stop', stopPayload],
      ['session-start', startPayload],
    ] as const) {
      const res = runCli(['hook', hook], { cwd, env, input });
      expect(res.code, `${hook}: ${res.stderr}`).toBe(0);
    }
  }

  it('symlinks committed in place of every artifact, log and cache: the targets stay byte-identical', () => {
    const files = outsideFiles(OWN_FILES);
    const targets = [...files.keys()];
    const clone = hostileClone((origin) => {
      OWN_FILES.forEach((name, i) => {
        mkdirSync(join(origin.dir, name, '..'), { recursive: true });
        symlinkSync(targets[i]!, join(origin.dir, name));
      });
    });
    runAll(clone.dir);
    // A second round: the files are now handoff's own and are rewritten in place.
    runAll(clone.dir);
    expectUntouched(files);
    // Artifacts are handoff's own regular files now (caches the repository tracks are left alone).
    for (const name of OWN_FILES.filter((n) => !n.includes('/cache/')))
      expect(lstatSync(join(clone.dir, name)).isFile(), name).toBe(true);
    const doctor = runCli(['doctor'], { cwd: clone.dir, env: { ...env, HOME: scratch.dir() } });
    expect(doctor.stdout).toMatch(/warn\s+\.codemap — the repository tracks 3 file\(s\) in \.codemap\/cache\//);
  });

  it('a symlinked .codemap is refused with one line; the hooks stay quiet; nothing is written through it', () => {
    const outside = scratch.dir('handoff-outside-dir-');
    writeFileSync(join(outside, 'keep.txt'), 'keep\n');
    const clone = hostileClone((origin) => symlinkSync(outside, join(origin.dir, '.codemap')));
    expectFailure(
      runCli([], { cwd: clone.dir, env }),
      1,
      /^handoff: \.codemap in .* is a symlink, not a directory — remove it/,
    );
    expectFailure(runCli(['--latest'], { cwd: clone.dir, env }), 1, /\.codemap in .* is a symlink/);
    for (const [hook, input] of [
      ['session-start', startPayload],
      ['session-stop', stopPayload],
    ] as const) {
      const res = runCli(['hook', hook], { cwd: clone.dir, env, input });
      expect(res.code, `${hook}: ${res.stderr}`).toBe(0);
    }
    expect(readdirSync(outside)).toEqual(['keep.txt']);
    const doctor = runCli(['doctor'], { cwd: clone.dir, env: { ...env, HOME: scratch.dir() } });
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(/fail\s+\.codemap — \.codemap in .* is a symlink, not a directory/);
  });

  it('setup makes no backup through a symlinked .codemap', () => {
    const outside = scratch.dir('handoff-outside-setup-');
    const clone = hostileClone((origin) => {
      symlinkSync(outside, join(origin.dir, '.codemap'));
      mkdirSync(join(origin.dir, '.claude'));
      writeFileSync(join(origin.dir, '.claude', 'settings.json'), '{ "model": "x" }\n');
    });
    const res = runCli(['setup', '--agent', 'claude'], { cwd: clone.dir, env: { ...env, HOME: scratch.dir() } });
    expectFailure(res, 1, /\.codemap in .* is a symlink, not a directory/);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('a symlinked .codemap/cache is refused; the directory it points at stays empty', () => {
    const outside = scratch.dir('handoff-outside-cache-');
    const clone = hostileClone((origin) => {
      mkdirSync(join(origin.dir, '.codemap'));
      writeFileSync(join(origin.dir, '.codemap', 'config.json'), '{}\n');
      symlinkSync(outside, join(origin.dir, '.codemap', 'cache'));
    });
    expectFailure(runCli([], { cwd: clone.dir, env }), 1, /\.codemap\/cache in .* is a symlink, not a directory/);
    expect(runCli(['hook', 'session-stop'], { cwd: clone.dir, env, input: stopPayload }).code).toBe(0);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('.codemap as a file is one typed line (exit 1), not a raw ENOTDIR', () => {
    const clone = hostileClone((origin) => writeFileSync(join(origin.dir, '.codemap'), 'not a directory\n'));
    for (const args of [[], ['--latest'], ['--no-save']]) {
      const res = runCli(args, { cwd: clone.dir, env });
      expectFailure(res, 1, /^handoff: \.codemap in .* is a file, not a directory — remove it/);
      expect(res.stderr).not.toMatch(/ENOTDIR/);
    }
    expect(readFileSync(join(clone.dir, '.codemap'), 'utf8')).toBe('not a directory\n');
    const doctor = runCli(['doctor'], { cwd: clone.dir, env: { ...env, HOME: scratch.dir() } });
    expect(doctor.stdout).toMatch(/fail\s+\.codemap — \.codemap in .* is a file/);
    expect(doctor.stdout).not.toMatch(/ENOTDIR/);
  });

  it('a saved artifact linked to a FIFO does not hang session-start (never read through the link)', () => {
    const outside = scratch.dir('handoff-outside-fifo-');
    const fifo = join(outside, 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const clone = hostileClone((origin) => {
      mkdirSync(join(origin.dir, '.codemap'));
      symlinkSync(fifo, join(origin.dir, '.codemap', 'handoff.latest.json'));
    });
    const res = spawnSync(process.execPath, [BIN, 'hook', 'session-start'], {
      cwd: clone.dir,
      env: cliEnv(env),
      input: startPayload,
      encoding: 'utf8',
      // Blocked on the FIFO, the hook would never return: a timeout is the failure.
      timeout: 20_000,
    });
    expect(res.error, 'session-start hung on the FIFO').toBeUndefined();
    expect(res.status).toBe(0);
    expect(existsSync(fifo) && lstatSync(fifo).isFIFO()).toBe(true);
    expect(lstatSync(join(clone.dir, '.codemap', 'handoff.latest.json')).isFile()).toBe(true);
  });
});
