// `handoff setup` and settings files reached through symlinks, through the built CLI. A
// link the user made (dotfiles) is written through and kept; a link the repository
// commits could aim at any JSON file of the user's, so setup refuses it (exit 2) and the
// target stays byte-identical. Each refusal here wrote into the user's file before.
import { lstatSync, mkdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitRepo, type Tree } from '../../fixtures/git-repo.js';
import { expectFailure, runCli, Scratch, type CliResult } from './helpers.js';

describe('setup and symlinked project settings files', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  /**
   * A clone at <base>/repo beside a JSON file of the user's at <base>/config/x.json; the
   * tree may link to it relatively, as `../../config/x.json` from `.claude/settings.json`.
   */
  const world = (tree: Tree) => {
    const base = scratch.dir('links-');
    const target = join(base, 'config', 'x.json');
    const text = '{\n    "theme": "dark",\n    "n": 12345678901234567890\n}\n';
    mkdirSync(dirname(target));
    writeFileSync(target, text);
    const repo = gitRepo({ 'README.md': '# r\n', ...tree }, { dir: join(base, 'repo') });
    const home = scratch.dir('handoff-home-');
    const run = (...args: string[]): CliResult => runCli(args, { cwd: repo.dir, env: { HOME: home } });
    return { dir: repo.dir, base, home, target, text, run };
  };

  it('a committed .claude/settings.json symlink to a file outside the repository is refused, target untouched', () => {
    const { dir, target, text, run } = world({ '.claude/settings.json': { symlink: '../../config/x.json' } });
    const link = join(dir, '.claude', 'settings.json');
    expect(readFileSync(link, 'utf8'), 'the fixture link resolves to the user file').toBe(text);
    const why = /settings\.json is a symlink committed to the repository.*--local or --global/;
    expectFailure(run('setup', '--agent', 'claude'), 2, why);
    expectFailure(run('setup', '--agent', 'claude', '--remove'), 2, /symlink committed/);
    expectFailure(run('setup', '--agent', 'claude', '--dry-run'), 2, /symlink committed/);
    expect(readFileSync(target, 'utf8')).toBe(text);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    // The way out the message names: --local writes the (untracked) local file instead.
    expect(run('setup', '--agent', 'claude', '--local').code).toBe(0);
    expect(readFileSync(join(dir, '.claude', 'settings.local.json'), 'utf8')).toContain('hook session-start');
    expect(readFileSync(target, 'utf8')).toBe(text);
  });

  it('a committed .codex/hooks.json symlink and a committed .claude folder symlink are refused too', () => {
    const { dir, base, target, text, run } = world({
      '.codex/hooks.json': { symlink: '../../config/x.json' },
      '.claude': { symlink: '../config' },
    });
    const outsideDir = join(base, 'config');
    writeFileSync(join(outsideDir, 'settings.json'), '{}\n');
    expectFailure(run('setup', '--agent', 'codex'), 2, /hooks\.json is a symlink committed.*use --global/);
    const folder = /\.claude is a symlink committed.*replace \.claude by a real folder/;
    expectFailure(run('setup', '--agent', 'claude'), 2, folder);
    expectFailure(run('setup', '--agent', 'claude', '--local'), 2, /\.claude is a symlink committed/);
    expect(readFileSync(target, 'utf8')).toBe(text);
    expect(readFileSync(join(outsideDir, 'settings.json'), 'utf8')).toBe('{}\n');
    expect(readlinkSync(join(dir, '.claude'))).not.toBe('');
    // Global scope is the user's own: still followed as before.
    expect(run('setup', '--agent', 'codex', '--global').code).toBe(0);
  });

  it('a link the user made (not tracked) is written through and stays a link', () => {
    const { dir, target, text, run } = world({});
    mkdirSync(join(dir, '.claude'));
    const link = join(dir, '.claude', 'settings.json');
    symlinkSync(target, link);
    const res = run('setup', '--agent', 'claude');
    expect(res.code, res.stderr).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toContain('hook session-start');
    expect(run('setup', '--agent', 'claude', '--remove').code).toBe(0);
    expect(readFileSync(target, 'utf8')).toBe(text);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });
});
