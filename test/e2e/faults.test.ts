// End to end: faults in the middle of a write. A short write (a full disk, a file-size
// limit) must fail the command and leave the previous artifact intact, never a torn file;
// a reader that closes the pipe early (`handoff | head -1`) ends the run quietly.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { artifact } from '../../src/schema/artifact.js';
import { BIN, cliEnv, FIXED_NOW, runCli, Scratch } from './helpers.js';

describe('faults during writes', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  it('a write cut short by a file-size limit fails the run and keeps the saved artifact whole', () => {
    const tree: Record<string, string> = { 'README.md': '# r\n' };
    const repo = scratch.repo(tree);
    for (let i = 0; i < 200; i++) writeFileSync(join(repo.dir, `file-with-a-rather-long-name-number-${i}.txt`), 'x\n');
    const env = { HANDOFF_NOW: FIXED_NOW };
    expect(runCli([], { cwd: repo.dir, env }).code).toBe(0);
    const latest = join(repo.dir, '.codemap', 'handoff.latest.json');
    const before = readFileSync(latest);
    expect(before.length).toBeGreaterThan(20 * 1024);
    writeFileSync(join(repo.dir, 'one-more.txt'), 'y\n');
    // ulimit -f 20: no file may grow past 20 KiB, so the artifact write comes up short.
    const limited = spawnSync('bash', ['-c', `ulimit -f 20; exec "${process.execPath}" "${BIN}"`], {
      cwd: repo.dir,
      env: cliEnv(env),
      encoding: 'utf8',
    });
    expect(limited.status).toBe(1);
    expect(limited.stderr.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(latest).equals(before)).toBe(true);
    const read = runCli(['--latest', '--json'], { cwd: repo.dir, env });
    expect(read.code, read.stderr).toBe(0);
    expect(() => artifact.parse(JSON.parse(read.stdout))).not.toThrow();
  });

  it('a reader that closes stdout early: exit 0, no stack trace', () => {
    const tree: Record<string, string> = { 'README.md': '# r\n' };
    const repo = scratch.repo(tree);
    for (let i = 0; i < 400; i++) writeFileSync(join(repo.dir, `file-${i}.txt`), 'x\n');
    // The reader exits before handoff writes: the markdown meets a closed pipe.
    const res = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" --no-save | true`], {
      cwd: repo.dir,
      env: cliEnv({ HANDOFF_NOW: FIXED_NOW }),
      encoding: 'utf8',
    });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
  });
});
