// Regressions found in review of `handoff setup`: each test failed before its fix.
import { chmodSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, Scratch } from './helpers.js';

describe('setup keeps the settings file it edits as it was', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  it('a symlinked 0600 settings file stays a symlink, its target is edited, and its mode is kept', () => {
    const repo = scratch.repo({ 'README.md': '# r\n' });
    const home = scratch.dir();
    const dotfiles = join(home, 'dotfiles');
    mkdirSync(dotfiles);
    mkdirSync(join(home, '.claude'));
    const target = join(dotfiles, 'claude-settings.json');
    writeFileSync(target, JSON.stringify({ env: { TOKEN: 'secret' } }));
    chmodSync(target, 0o600);
    const link = join(home, '.claude', 'settings.json');
    symlinkSync(target, link);
    const res = runCli(['setup', '--agent', 'claude', '--global'], { cwd: repo.dir, env: { HOME: home } });
    expect(res.code, res.stderr).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    const written = JSON.parse(readFileSync(target, 'utf8')) as { env: unknown; hooks: Record<string, unknown> };
    expect(written.env).toEqual({ TOKEN: 'secret' });
    expect(Object.keys(written.hooks).sort()).toEqual(['PreToolUse', 'SessionEnd', 'SessionStart', 'Stop']);
    expect(statSync(target).mode & 0o777).toBe(0o600);
  });
});

describe('doctor runs the installed command', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  it('a hook command whose handoff exists but does not start is a failed check', () => {
    const repo = scratch.repo({ 'README.md': '# r\n' });
    const home = scratch.dir();
    expect(runCli(['setup', '--agent', 'claude'], { cwd: repo.dir, env: { HOME: home } }).code).toBe(0);
    expect(runCli(['doctor'], { cwd: repo.dir, env: { HOME: home } }).stdout).toMatch(/^ok\s+claude hooks/m);
    // A real (if broken) install: the bin of a codemap-handoff package outside the repository.
    const pkg = scratch.dir();
    mkdirSync(join(pkg, 'bin'));
    writeFileSync(
      join(pkg, 'package.json'),
      JSON.stringify({ name: 'codemap-handoff', bin: { handoff: 'bin/handoff.js' } }),
    );
    const broken = join(pkg, 'bin', 'handoff.js');
    writeFileSync(broken, "throw new Error('broken install');\n");
    const settings = join(repo.dir, '.claude', 'settings.json');
    const text = readFileSync(settings, 'utf8').replace(/'[^']*bin\/handoff\.js'/g, `'${broken}'`);
    writeFileSync(settings, text);
    const res = runCli(['doctor'], { cwd: repo.dir, env: { HOME: home } });
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/^fail\s+claude hooks — .*does not start.*\(fix: handoff setup --agent claude\)$/m);
  });
});
