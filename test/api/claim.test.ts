// Claims in-process through api's {cwd, now, env} seam, on a real repository and store:
// add, extend by the same session, release (only one's own), expiry by the injectable
// clock, a private developer's claims, `context revoke` leaving claims alone, SessionEnd
// releasing the session's claims (Stop keeping them), the pre-edit hook's answer for real
// payload shapes, the briefing block and the artifact's open question.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitRepo, type GitRepo } from '../../fixtures/git-repo.js';
import {
  addClaims,
  checkClaims,
  computeHandoff,
  listClaims,
  publishContext,
  releaseClaims,
  revokeContext,
  setVisibility,
  type ContextRequest,
} from '../../src/api.js';
import { HandoffError } from '../../src/errors.js';
import type { HookMessage } from '../../src/hooks/runner.js';
import { createHookWork } from '../../src/hooks/work.js';

const T0 = new Date('2026-03-01T13:05:00.000Z');
const minutes = (n: number): Date => new Date(T0.getTime() + n * 60_000);

describe('claims through the api', { tags: ['slow'] }, () => {
  let repo: GitRepo;
  const as = (who: string, now = T0, session?: string): ContextRequest => ({
    cwd: repo.dir,
    now,
    env: { HANDOFF_DEVELOPER: who },
    ...(session ? { session } : {}),
  });

  beforeAll(() => {
    repo = gitRepo({ 'src/auth/jwt.ts': 'export const jwt = 1;\n', 'src/db.ts': 'export const db = 1;\n' });
  });
  afterAll(() => repo.cleanup());

  async function hook(kind: 'edit' | 'stop', payload: object, env: NodeJS.ProcessEnv, now = T0): Promise<string> {
    const posted: HookMessage[] = [];
    const run = { cwd: repo.dir, env, now, format: 'text' as const, budgetMs: 10_000, agent: 'claude-code' };
    const job = { kind, run, payloadText: JSON.stringify(payload), configMayBudget: false };
    await createHookWork({ uptimeMs: () => 0 })(job, (m) => posted.push(m));
    const last = posted.at(-1)!;
    if (last.type !== 'done') throw new Error(JSON.stringify(last));
    return last.output;
  }

  it('records a claim, warns of overlaps, extends the same session’s, and releases only one’s own', async () => {
    const bob = await addClaims(as('bob', T0, 'b1'), { patterns: ['src/auth/'], reason: 'refactoring auth' });
    expect(bob.claims).toMatchObject([{ pattern: 'src/auth/**', holder: 'bob', extended: false, mine: true }]);
    expect(bob.conflicts).toEqual([]);

    const alice = await addClaims(as('alice'), { patterns: ['src/**/*.ts'] });
    expect(alice.conflicts.map((c) => [c.holder, c.reason])).toEqual([['bob', 'refactoring auth']]);

    const again = await addClaims(as('bob', minutes(30), 'b1'), { patterns: ['src/auth'], ttlMinutes: 120 });
    expect(again.claims[0]).toMatchObject({ id: bob.claims[0]!.id, extended: true });
    expect(again.claims[0]!.expires_at).toBe(minutes(150).toISOString());

    await expect(releaseClaims(as('alice'), [bob.claims[0]!.id])).rejects.toMatchObject({ exitCode: 3 });
    const checked = await checkClaims(as('alice', minutes(40)), ['src/auth/jwt.ts', 'README.md']);
    expect(checked.conflict).toBe(true);
    expect(checked.paths[0]!.held_by_others.map((c) => c.holder)).toEqual(['bob']);
    expect(checked.paths[0]!.mine.map((c) => c.holder)).toEqual(['alice']);
    expect(checked.paths[1]).toMatchObject({ path: 'README.md', held_by_others: [], mine: [] });
  });

  it('--strict refuses (exit 4) and records nothing; another session of the same developer is someone else', async () => {
    const before = (await listClaims(as('carol'))).length;
    const refused = addClaims(as('bob', minutes(1), 'b2'), { patterns: ['src/auth/jwt.ts'], strict: true });
    await expect(refused).rejects.toBeInstanceOf(HandoffError);
    await expect(refused).rejects.toMatchObject({ exitCode: 4 });
    await expect(refused).rejects.toThrow(
      /^conflict: src\/auth\/jwt\.ts overlaps .*, which is claimed by .* \(and 1 more\)/,
    );
    expect(await listClaims(as('carol'))).toHaveLength(before);
  });

  it('expires by TTL on the injectable clock; list --all keeps the history', async () => {
    const later = minutes(151);
    const active = await listClaims(as('carol', later));
    expect(active.map((c) => c.holder)).toEqual([]);
    const all = await listClaims(as('carol', later), { all: true });
    expect(all.map((c) => c.status).sort()).toEqual(['expired', 'expired']);
  });

  it('refuses paths and globs that could match outside the repository, and TTLs out of range', async () => {
    for (const pattern of ['../**', '/etc/passwd', 'src/../../x']) {
      await expect(addClaims(as('bob'), { patterns: [pattern] })).rejects.toMatchObject({ exitCode: 2 });
    }
    for (const ttlMinutes of [4, 1441]) {
      await expect(addClaims(as('bob'), { patterns: ['x'], ttlMinutes })).rejects.toMatchObject({ exitCode: 2 });
    }
  });

  it('a private developer’s claims still protect files but show no handle or reason', async () => {
    const at = minutes(200);
    await setVisibility(as('dana', at), 'private');
    await addClaims(as('dana', at), { patterns: ['src/db.ts'], reason: 'secret plan' });
    const seen = await checkClaims(as('erin', at), ['src/db.ts']);
    expect(seen.conflict).toBe(true);
    const text = JSON.stringify(seen);
    expect(text).not.toContain('dana');
    expect(text).not.toContain('secret plan');
    expect(seen.paths[0]!.held_by_others[0]!.holder).toBe('a private developer');
    const own = await listClaims(as('dana', at));
    expect(own[0]).toMatchObject({ holder: 'dana', reason: 'secret plan', mine: true });
  });

  it('context revoke leaves claims alone', async () => {
    const at = minutes(300);
    const ctx = await publishContext(as('frank', at), { title: 'work', files_touched: ['src/db.ts'] });
    const claimed = await addClaims(as('frank', at), { patterns: ['docs/**'] });
    await revokeContext(as('frank', at), ctx.id);
    const active = await listClaims(as('frank', at));
    expect(active.map((c) => c.id)).toContain(claimed.claims[0]!.id);
  });

  it('the pre-edit hook tells the agent who holds the file and why, for the real payload shapes', async () => {
    const at = minutes(400);
    await addClaims(as('bob', at, 'b9'), { patterns: ['src/auth/**'], reason: 'refactoring auth' });
    const env = { HANDOFF_DEVELOPER: 'alice' };
    const edit = {
      session_id: 'a1',
      transcript_path: '/tmp/t.jsonl',
      cwd: repo.dir,
      permission_mode: 'default',
      hook_event_name: 'PreToolUse',
      tool_name: 'Edit',
      tool_input: { file_path: join(repo.dir, 'src/auth/jwt.ts'), old_string: 'a', new_string: 'b' },
      tool_use_id: 'toolu_01',
    };
    const out = JSON.parse(await hook('edit', edit, env, minutes(401))) as {
      hookSpecificOutput: Record<string, string>;
    };
    expect(out.hookSpecificOutput.hookEventName).toBe('PreToolUse');
    expect(out.hookSpecificOutput.permissionDecision).toBeUndefined();
    expect(out.hookSpecificOutput.additionalContext).toContain(
      'src/auth/jwt.ts is claimed by bob (refactoring auth) until 20:45 UTC',
    );
    // Not claimed, or claimed by me in this session: nothing.
    const free = { ...edit, tool_input: { file_path: join(repo.dir, 'src/db.ts') } };
    expect(await hook('edit', free, env, minutes(401))).toBe('');
    expect(await hook('edit', { ...edit, session_id: 'b9' }, { HANDOFF_DEVELOPER: 'bob' }, minutes(401))).toBe('');
    // NotebookEdit names notebook_path; Codex's apply_patch names files in its patch.
    const notebook = {
      ...edit,
      tool_name: 'NotebookEdit',
      tool_input: { notebook_path: join(repo.dir, 'src/auth/n.ipynb') },
    };
    expect(await hook('edit', notebook, env, minutes(401))).toContain('src/auth/n.ipynb is claimed by bob');
    const patch = '*** Begin Patch\n*** Update File: src/auth/jwt.ts\n@@\n-a\n+b\n*** End Patch\n';
    const codex = { ...edit, tool_name: 'apply_patch', tool_input: { command: ['apply_patch', patch] } };
    expect(await hook('edit', codex, env, minutes(401))).toContain('src/auth/jwt.ts is claimed by bob');
  });

  it('Stop keeps the session’s claims; SessionEnd releases them', async () => {
    const at = minutes(500);
    const env = { HANDOFF_DEVELOPER: 'gina' };
    const claimed = await addClaims(as('gina', at, 'g1'), { patterns: ['src/db.ts'] });
    const other = await addClaims(as('gina', at, 'g2'), { patterns: ['docs/**'] });
    const ids = async (): Promise<string[]> => (await listClaims(as('gina', at))).map((c) => c.id);
    await hook('stop', { session_id: 'g1', cwd: repo.dir, hook_event_name: 'Stop' }, env, at);
    expect(await ids()).toContain(claimed.claims[0]!.id);
    await hook('stop', { session_id: 'g1', cwd: repo.dir, hook_event_name: 'SessionEnd', reason: 'other' }, env, at);
    expect(await ids()).not.toContain(claimed.claims[0]!.id);
    expect(await ids()).toContain(other.claims[0]!.id);
  });

  it('the checkpoint keeps only active claims and their extensions (reads stay O(active))', async () => {
    const at = minutes(700);
    const kept = (await addClaims(as('hank', at), { patterns: ['x.ts'] })).claims[0]!.id;
    await addClaims(as('hank', at), { patterns: ['x.ts'] });
    const gone = (await addClaims(as('hank', at), { patterns: ['y.ts'] })).claims[0]!.id;
    await releaseClaims(as('hank', at), [gone]);
    const file = join(repo.dir, '.git', 'codemap-handoff', 'active.json');
    const records = (
      JSON.parse(readFileSync(file, 'utf8')) as { records: { kind: string; id: string; claim_id?: string }[] }
    ).records;
    expect(records.map((r) => [r.kind, r.claim_id ?? r.id]).sort()).toEqual([
      ['claim', kept],
      ['claim_extend', kept],
    ]);
  });

  it('the artifact’s open questions name others’ claims on my changed files, outside the hashed layers', async () => {
    const at = minutes(600);
    await addClaims(as('bob', at), { patterns: ['src/auth/**'], reason: 'refactoring auth' });
    repo.write({ 'src/auth/jwt.ts': 'export const jwt = 2;\n' });
    const env = { HANDOFF_DEVELOPER: 'alice' };
    const withClaim = await computeHandoff({ cwd: repo.dir, now: at, env, warn: () => {} });
    const question = 'src/auth/jwt.ts is claimed by bob (refactoring auth) until 00:05 UTC';
    expect(withClaim.artifact.open_questions).toContain(question);
    expect(withClaim.artifact.delta.open_questions).not.toContain(question);
    await releaseClaims(as('bob', at), 'all');
    const without = await computeHandoff({ cwd: repo.dir, now: at, env, warn: () => {} });
    expect(without.artifact.open_questions).not.toContain(question);
    expect(without.artifact.delta_hash).toBe(withClaim.artifact.delta_hash);
    repo.git('checkout', '--', '.');
  });
});
