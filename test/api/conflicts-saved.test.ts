// The saved conflicts result: the stop hook refreshes and saves it (and skips the work when
// nothing it depends on moved), the read shows it as the reader may see it now (a developer
// gone private drops out), and the artifact lists definite conflicts as open questions
// outside the hashed layers: the delta hash stays a function of the repository state.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_EPOCH, gitRepo, type GitRepo } from '../../fixtures/git-repo.js';
import { readConflicts } from '../../src/api/conflicts-saved.js';
import { publishContext, setVisibility } from '../../src/api/context.js';
import { computeHandoff } from '../../src/api/handoff.js';
import { recordStop } from '../../src/api/session-stop.js';

const NOW = new Date((FIXTURE_EPOCH + 3600) * 1000);
const LATER = new Date(NOW.getTime() + 60_000);
const ME = 'me@example.com';
const BOB = 'bob@example.com';
const env = (developer = ME): NodeJS.ProcessEnv => ({ HANDOFF_DEVELOPER: developer });
const QUESTION = `conflicts with ${BOB}'s feature/payments in src/db.ts`;

describe('saved conflicts', { tags: ['slow'] }, () => {
  let repo: GitRepo;
  const saved = (): string => join(repo.dir, '.codemap', 'handoff.conflicts.json');
  const stop = (now: Date) =>
    recordStop({
      cwd: repo.dir,
      env: env(),
      now,
      sessionId: 's1',
      agent: 'claude',
      nudge: 'off',
      stopHookActive: false,
    });
  const handoff = () => computeHandoff({ cwd: repo.dir, now: NOW, env: env(), warn: () => {} });

  beforeAll(async () => {
    repo = gitRepo({ 'src/db.ts': 'one\ntwo\nthree\n', 'README.md': '# r\n' });
    repo.git('checkout', '-q', '-b', 'feature/payments');
    repo.write({ 'src/db.ts': 'one\npayments\nthree\n' });
    repo.commit('payments');
    repo.git('checkout', '-q', 'main');
    repo.write({ 'src/db.ts': 'one\nmain\nthree\n' });
    repo.commit('main');
    const publish = { title: 'payments', branch: 'feature/payments', files_touched: ['src/db.ts'] };
    await publishContext({ cwd: repo.dir, now: NOW, env: env(BOB) }, publish);
  });
  afterAll(() => repo.cleanup());

  it('the stop hook saves the result, and the read returns it', async () => {
    await stop(NOW);
    expect(existsSync(saved())).toBe(true);
    const report = await readConflicts({ cwd: repo.dir, now: NOW, env: env() });
    expect(report?.definite).toBe(true);
    expect(report?.checked_at).toBe(NOW.toISOString());
    expect(report?.others.map((o) => [o.ref, o.status])).toEqual([['feature/payments', 'conflict']]);
  });

  it('a stop with nothing changed keeps the saved result; a change refreshes it', async () => {
    await stop(LATER);
    expect((await readConflicts({ cwd: repo.dir, now: LATER, env: env() }))?.checked_at).toBe(NOW.toISOString());
    repo.write({ 'notes.txt': 'new\n' });
    try {
      await stop(LATER);
      const report = await readConflicts({ cwd: repo.dir, now: LATER, env: env() });
      expect(report?.checked_at).toBe(LATER.toISOString());
      expect(report?.uncommitted).toBe(true);
    } finally {
      rmSync(join(repo.dir, 'notes.txt'));
    }
  });

  it('the artifact gains the open question outside the hashed delta', async () => {
    const withSaved = (await handoff()).artifact;
    expect(withSaved.open_questions).toContain(QUESTION);
    expect(withSaved.delta.open_questions).not.toContain(QUESTION);
    const file = saved();
    const kept = existsSync(file);
    rmSync(file, { force: true });
    const without = (await handoff()).artifact;
    expect(kept).toBe(true);
    expect(without.open_questions).not.toContain(QUESTION);
    expect(without.delta_hash).toBe(withSaved.delta_hash);
    expect(without.combined_hash).toBe(withSaved.combined_hash);
    await stop(LATER);
  });

  it('a developer gone private drops out of the saved result for everyone else', async () => {
    await setVisibility({ cwd: repo.dir, now: NOW, env: env(BOB) }, 'private');
    try {
      const report = await readConflicts({ cwd: repo.dir, now: NOW, env: env() });
      expect(report?.others).toEqual([]);
      expect(report?.definite).toBe(false);
      expect(JSON.stringify(report)).not.toContain(BOB);
      expect((await handoff()).artifact.open_questions).not.toContain(QUESTION);
    } finally {
      await setVisibility({ cwd: repo.dir, now: NOW, env: env(BOB) }, 'public');
    }
  });

  it('on another branch of the worktree the saved result is not shown', async () => {
    repo.git('checkout', '-q', '-b', 'elsewhere');
    try {
      expect(await readConflicts({ cwd: repo.dir, now: NOW, env: env() })).toBeUndefined();
    } finally {
      repo.git('checkout', '-q', 'main');
    }
  });

  it('a new context, a moved branch or an expired context refreshes it on the next stop', async () => {
    const checked = async (now: Date) => (await readConflicts({ cwd: repo.dir, now, env: env() }))?.checked_at;
    const later = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
    await stop(later(2));
    const before = await checked(later(2));
    await stop(later(3));
    expect(await checked(later(3))).toBe(before);
    const carol = { cwd: repo.dir, now: NOW, env: env('carol@example.com') };
    await publishContext(carol, { title: 'side', branch: 'side/work', files_touched: [] });
    await stop(later(4));
    expect(await checked(later(4))).toBe(later(4).toISOString());
    repo.git('branch', 'side/work', 'feature/payments');
    await stop(later(5));
    const report = await readConflicts({ cwd: repo.dir, now: later(5), env: env() });
    expect(report?.others.find((o) => o.ref === 'side/work')?.status).toBe('conflict');
    // Bob's and carol's contexts expire after the default 24 h: the next stop drops them.
    const dayLater = later(25 * 60);
    await stop(dayLater);
    expect((await readConflicts({ cwd: repo.dir, now: dayLater, env: env() }))?.others).toEqual([]);
    repo.git('branch', '-D', 'side/work');
  });
});
