// `handoff claim …` and `handoff hook pre-edit` through the built CLI: output, exit codes
// (2 bad input, 3 not found, 4 conflict), the overlap warning on stderr, and `--strict` as
// a real mutual exclusion — 20 processes racing for one path, exactly one wins.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { claimAddResult, claimCheckResult, claimView } from '../../src/schema/claim.js';
import { Repos, T0, handoff, handoffInBackground, parseOk, type GitRepo } from './context-helpers.js';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const list = (repo: GitRepo, as: string, extra: string[] = []) =>
  parseOk(z.array(claimView), handoff(['claim', 'list', '--json', ...extra], { cwd: repo.dir, as }), 'claim list');

describe('handoff claim', { tags: ['slow'] }, () => {
  const repos = new Repos();
  afterAll(() => repos.cleanup());
  const fresh = (): GitRepo => repos.make({ 'src/auth/jwt.ts': 'export const jwt = 1;\n', 'src/db.ts': 'x\n' });

  it('add prints the id; an overlap is recorded with a one-line warning naming holder and reason', () => {
    const repo = fresh();
    const bob = handoff(['claim', 'add', 'src/auth/**', '--reason', 'refactoring auth'], { cwd: repo.dir, as: 'bob' });
    expect(bob.stderr).toBe('');
    expect(bob.code).toBe(0);
    expect(bob.stdout.trim()).toMatch(ULID);
    const alice = handoff(['claim', 'add', 'src/auth/jwt.ts'], { cwd: repo.dir, as: 'alice' });
    expect(alice.code).toBe(0);
    expect(alice.stderr).toBe(
      'handoff: warning: src/auth/jwt.ts overlaps src/auth/**, which is claimed by bob (refactoring auth) until 13:00 UTC\n',
    );
    expect(
      list(repo, 'carol')
        .map((c) => c.holder)
        .sort(),
    ).toEqual(['alice', 'bob']);

    const check = handoff(['claim', 'check', 'src/auth/jwt.ts', 'src/db.ts'], { cwd: repo.dir, as: 'carol' });
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('src/db.ts: not claimed');
    const strict = handoff(['claim', 'check', 'src/auth/jwt.ts', '--exit-code'], { cwd: repo.dir, as: 'carol' });
    expect(strict.code).toBe(4);
    const json = handoff(['claim', 'check', 'src/db.ts', '--exit-code', '--json'], { cwd: repo.dir, as: 'carol' });
    expect(parseOk(claimCheckResult, json, 'claim check --json').conflict).toBe(false);
  });

  it('--strict refuses an overlapping claim: exit 4, "conflict", nothing recorded', () => {
    const repo = fresh();
    expect(handoff(['claim', 'add', 'src/**'], { cwd: repo.dir, as: 'bob' }).code).toBe(0);
    const res = handoff(['claim', 'add', 'src/db.ts', '--strict'], { cwd: repo.dir, as: 'alice' });
    expect(res.code).toBe(4);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(
      /^handoff: conflict: src\/db\.ts overlaps src\/\*\*, which is claimed by bob until 13:00 UTC; nothing was claimed/,
    );
    expect(list(repo, 'alice').map((c) => c.holder)).toEqual(['bob']);
  });

  it('--strict is a mutual exclusion: of 20 processes racing for one path exactly one succeeds', async () => {
    const repo = fresh();
    const racers = Array.from({ length: 20 }, (_, i) =>
      handoffInBackground(['claim', 'add', 'src/db.ts', '--strict', '--json'], { cwd: repo.dir, as: `dev${i}` }),
    );
    const results = await Promise.all(racers.map((r) => r.done));
    const won = results.filter((r) => r.code === 0);
    expect(won).toHaveLength(1);
    expect(results.filter((r) => r.code === 4)).toHaveLength(19);
    const winner = claimAddResult.parse(JSON.parse(won[0]!.stdout)).claims[0]!;
    expect(list(repo, 'x').map((c) => [c.id, c.holder])).toEqual([[winner.id, winner.holder]]);
  });

  it('release: by id (only one’s own, exit 3 otherwise) or --all; list --all keeps the history', () => {
    const repo = fresh();
    const id = handoff(['claim', 'add', 'src/db.ts'], { cwd: repo.dir, as: 'bob' }).stdout.trim();
    expect(handoff(['claim', 'release', id], { cwd: repo.dir, as: 'alice' }).code).toBe(3);
    const released = handoff(['claim', 'release', id], { cwd: repo.dir, as: 'bob' });
    expect(released.stdout).toBe(`released ${id} src/db.ts\n`);
    expect(list(repo, 'bob')).toEqual([]);
    expect(list(repo, 'bob', ['--all']).map((c) => c.status)).toEqual(['released']);
    handoff(['claim', 'add', 'a', 'b'], { cwd: repo.dir, as: 'bob' });
    expect(handoff(['claim', 'release', '--all'], { cwd: repo.dir, as: 'bob' }).stdout).toMatch(/^released .* a\n/m);
    expect(list(repo, 'bob')).toEqual([]);
  });

  it('bad input is one line and exit 2, nothing recorded', () => {
    const repo = fresh();
    for (const args of [['../**'], ['/etc/passwd'], ['x', '--ttl-minutes', '4'], ['x', '--ttl-minutes', '1e3']]) {
      const res = handoff(['claim', 'add', ...args], { cwd: repo.dir, as: 'bob' });
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    expect(list(repo, 'bob')).toEqual([]);
  });

  it('expires by TTL (HANDOFF_NOW)', () => {
    const repo = fresh();
    handoff(['claim', 'add', 'src/db.ts', '--ttl-minutes', '5'], { cwd: repo.dir, as: 'bob' });
    const later = new Date(Date.parse(T0) + 6 * 60_000).toISOString();
    const res = handoff(['claim', 'check', 'src/db.ts', '--exit-code'], { cwd: repo.dir, as: 'alice', now: later });
    expect(res.code).toBe(0);
  });
});

describe('handoff hook pre-edit', { tags: ['slow'] }, () => {
  const repos = new Repos();
  afterAll(() => repos.cleanup());

  it('tells the agent who holds the file; with --claims enforce asks; always exits 0', () => {
    const repo = repos.make({ 'src/auth/jwt.ts': 'x\n' });
    handoff(['claim', 'add', 'src/auth/**', '--reason', 'refactoring auth'], { cwd: repo.dir, as: 'bob' });
    const payload = JSON.stringify({
      session_id: 's-alice',
      transcript_path: join(repo.dir, 't.jsonl'),
      cwd: repo.dir,
      permission_mode: 'acceptEdits',
      hook_event_name: 'PreToolUse',
      tool_name: 'Write',
      tool_input: { file_path: join(repo.dir, 'src/auth/new.ts'), content: 'y\n' },
      tool_use_id: 'toolu_1',
    });
    const run = (...flags: string[]) =>
      handoff(['hook', 'pre-edit', '--budget-ms', '5000', ...flags], { cwd: repo.dir, as: 'alice', input: payload });
    const warn = run();
    expect(warn.code).toBe(0);
    expect(warn.stderr).toBe('');
    const told = JSON.parse(warn.stdout) as { hookSpecificOutput: Record<string, string> };
    expect(told.hookSpecificOutput).toMatchObject({ hookEventName: 'PreToolUse' });
    expect(told.hookSpecificOutput.additionalContext).toContain('src/auth/new.ts is claimed by bob (refactoring auth)');
    expect(told.hookSpecificOutput.permissionDecision).toBeUndefined();
    const asked = JSON.parse(run('--claims', 'enforce').stdout) as { hookSpecificOutput: Record<string, string> };
    expect(asked.hookSpecificOutput).toMatchObject({ permissionDecision: 'ask' });
    expect(asked.hookSpecificOutput.permissionDecisionReason).toContain('claimed by bob');
    for (const input of ['', 'not json', '{"tool_input": 5}']) {
      const res = handoff(['hook', 'pre-edit'], { cwd: repo.dir, as: 'alice', input });
      expect(res.code).toBe(0);
      expect(res.stdout).toBe('');
    }
  });
});
