// End to end: `handoff conflicts` through the built CLI: the text report, --json under its
// schema, --exit-code (0 when clean, 4 on a definite conflict), a missing --with ref (exit 3),
// outside a repository (exit 2), and a git older than 2.38 (one line naming 2.38, exit 1).
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conflictReport } from '../../src/schema/conflicts.js';
import { expectFailure, FIXED_NOW, parseWith, runCli, Scratch, type GitRepo } from './helpers.js';

describe('handoff conflicts', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  let repo: GitRepo;
  const env = { HANDOFF_NOW: FIXED_NOW, HANDOFF_DEVELOPER: 'me@example.com' };

  beforeAll(() => {
    repo = scratch.repo({ 'src/db.ts': 'one\ntwo\nthree\n', 'src/other.ts': 'other\n' });
    repo.git('checkout', '-q', '-b', 'feature/payments');
    repo.write({ 'src/db.ts': 'one\npayments\nthree\n' });
    repo.commit('payments');
    repo.git('checkout', '-q', '-b', 'side', 'main');
    repo.write({ 'src/side.ts': 'side\n' });
    repo.commit('side');
    repo.git('checkout', '-q', 'main');
    repo.write({ 'src/db.ts': 'one\nmain\nthree\n' });
    repo.commit('main');
    const bob = { ...env, HANDOFF_DEVELOPER: 'bob@example.com' };
    const published = runCli(['context', 'publish', '--title', 'payments', '--branch', 'feature/payments'], {
      cwd: repo.dir,
      env: bob,
    });
    expect(published.code, published.stderr).toBe(0);
  });
  afterAll(() => scratch.cleanup());

  it('prints the report per teammate branch; --exit-code exits 4 on a definite conflict', () => {
    const res = runCli(['conflicts'], { cwd: repo.dir, env });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('## feature/payments (bob@example.com): CONFLICT');
    expect(res.stdout).toContain('conflict: src/db.ts');
    const strict = runCli(['conflicts', '--exit-code'], { cwd: repo.dir, env });
    expectFailure(strict, 4, /definite conflicts with 1 branch/);
    expect(strict.stdout).toContain('CONFLICT');
  });

  it('--json prints one document under the schema; a clean --with ref alone exits 0 with --exit-code', () => {
    const res = runCli(['conflicts', '--json', '--with', 'side'], { cwd: repo.dir, env });
    const report = parseWith(conflictReport, res.stdout);
    expect(report.others.map((o) => [o.ref, o.source, o.status])).toEqual([
      ['feature/payments', 'context', 'conflict'],
      ['side', 'with', 'clean'],
    ]);
    const other = { ...env, HANDOFF_DEVELOPER: 'bob@example.com' };
    // Bob compares his checkout (main here) with side only: clean, so --exit-code exits 0.
    repo.git('checkout', '-q', 'feature/payments');
    try {
      const clean = runCli(['conflicts', '--exit-code', '--with', 'side'], { cwd: repo.dir, env: other });
      expect(clean.code, clean.stderr).toBe(0);
    } finally {
      repo.git('checkout', '-q', 'main');
    }
  });

  it('a --with ref that names no commit is exit 3; outside a repository exit 2', () => {
    expectFailure(runCli(['conflicts', '--with', 'no/such'], { cwd: repo.dir, env }), 3, /no commit named "no\/such"/);
    expectFailure(runCli(['conflicts'], { cwd: scratch.dir(), env }), 2, /not a git repository/);
  });

  it('a git older than 2.38 gets one line naming the version needed', () => {
    const bin = scratch.dir('handoff-old-git-');
    const wrapper = join(bin, 'git');
    // Answers `git version` as 2.37.1 and hands every other call to the real git.
    const path = process.env.PATH ?? '';
    writeFileSync(
      wrapper,
      `#!/bin/sh\nfor a in "$@"; do [ "$a" = version ] && { echo "git version 2.37.1"; exit 0; }; done\nPATH='${path}' exec git "$@"\n`,
    );
    chmodSync(wrapper, 0o755);
    const res = runCli(['conflicts'], { cwd: repo.dir, env: { ...env, PATH: `${bin}:${path}` } });
    expectFailure(res, 1, /needs git 2\.38 or newer/);
  });
});
