// Decisions, interfaces and roles in-process through api's {cwd, now, env, as} seam on real
// repositories: add/list/revoke, author-only revoke, the --since and --file filters, an
// interface's file judged ready, stale and gone, privacy, and a context's role.
import { renderBriefing } from '../../src/render/briefing.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { gitRepo, type GitRepo } from '../../fixtures/git-repo.js';
import {
  addClaims,
  addDecision,
  addInterface,
  getContexts,
  listDecisions,
  listInterfaces,
  messageInbox,
  publishContext,
  revokeDecision,
  revokeInterface,
  sendMessage,
  sessionBriefing,
  setVisibility,
  teamState,
} from '../../src/api.js';
import { checkpoint } from '../../src/schema/records.js';
import { teamState as teamStateSchema } from '../../src/schema/state.js';
import { renderTeamState } from '../../src/render/state.js';
import { NotFoundError, UsageError } from '../../src/errors.js';

const T0 = Date.parse('2024-03-01T12:00:00.000Z');
const minutes = (n: number): Date => new Date(T0 + n * 60_000);

describe('decisions, interfaces and roles (api)', { tags: ['slow'] }, () => {
  const repos: GitRepo[] = [];
  afterAll(() => repos.forEach((r) => r.cleanup()));
  let repo: GitRepo;
  const as = (who: string, at = 0) => ({ cwd: repo.dir, now: minutes(at), env: {}, as: who });

  beforeEach(() => {
    repo = gitRepo({ 'src/auth/context.ts': 'export const auth = 1;\n', 'src/db.ts': 'export const db = 1;\n' });
    repos.push(repo);
  });

  it('adds decisions and lists them newest first, filtered by --since and --file', async () => {
    const first = await addDecision(as('alice', 0), {
      text: 'Use JWT for sessions',
      why: 'Stateless across workers',
      files: ['src/auth'],
      task: 'PROJ-7',
    });
    expect(first).toMatchObject({
      author: 'alice',
      text: 'Use JWT for sessions',
      why: 'Stateless across workers',
      files: ['src/auth'],
      task: 'PROJ-7',
      branch: 'main',
    });
    const second = await addDecision(as('bob', 90), { text: 'Postgres only, no SQLite', files: ['./src/db.ts'] });
    expect(second.files).toEqual(['src/db.ts']);
    const ids = (list: { id: string }[]) => list.map((d) => d.id);
    expect(ids(await listDecisions(as('carol', 120)))).toEqual([second.id, first.id]);
    expect(ids(await listDecisions(as('carol', 120), { since: '1h' }))).toEqual([second.id]);
    expect(ids(await listDecisions(as('carol', 120), { file: 'src/auth/jwt.ts' }))).toEqual([first.id]);
    await expect(listDecisions(as('carol'), { since: 'yesterday' })).rejects.toThrow(UsageError);
  });

  it('only the author revokes a decision; anyone else gets "not found" and it stands', async () => {
    const d = await addDecision(as('alice'), { text: 'Freeze the public API' });
    const attempt = revokeDecision(as('bob', 1), d.id);
    await expect(attempt).rejects.toThrow(NotFoundError);
    await expect(attempt).rejects.toThrow(`no decision "${d.id}" that you can revoke`);
    expect((await listDecisions(as('bob', 2))).map((x) => x.id)).toEqual([d.id]);
    await expect(revokeDecision(as('alice', 3), d.id)).resolves.toMatchObject({ id: d.id, kind: 'decision' });
    expect(await listDecisions(as('bob', 4))).toEqual([]);
    await expect(revokeDecision(as('alice', 5), d.id)).rejects.toThrow(NotFoundError);
  });

  it('refuses empty text, pasted diffs, and paths outside the repository, recording nothing', async () => {
    await expect(addDecision(as('alice'), { text: '   ' })).rejects.toThrow(UsageError);
    const diff = 'diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n';
    await expect(addDecision(as('alice'), { text: 'ok', why: diff })).rejects.toThrow(/diff/);
    await expect(addDecision(as('alice'), { text: 'ok', files: ['../secret'] })).rejects.toThrow(UsageError);
    expect(await listDecisions(as('alice'))).toEqual([]);
  });

  it('an interface is ready as declared, stale once its file changed, gone once it was deleted', async () => {
    const i = await addInterface(as('alice'), {
      name: 'AuthContext',
      file: 'src/auth/context.ts',
      description: 'Ready to use',
    });
    expect(i).toMatchObject({ name: 'AuthContext', file: 'src/auth/context.ts', status: 'ready', author: 'alice' });
    const statusOf = async () => (await listInterfaces(as('bob', 1))).map((x) => x.status);
    expect(await statusOf()).toEqual(['ready']);
    repo.write({ 'src/auth/context.ts': 'export const auth = 2;\n' });
    expect(await statusOf()).toEqual(['stale']);
    repo.remove('src/auth/context.ts');
    expect(await statusOf()).toEqual(['gone']);
    expect(await listInterfaces(as('bob', 1), { file: 'src/db.ts' })).toEqual([]);
    expect((await listInterfaces(as('bob', 1), { file: 'src/auth' })).map((x) => x.id)).toEqual([i.id]);
  });

  it('an interface needs an existing file; only its author revokes it', async () => {
    await expect(addInterface(as('alice'), { name: 'Nope', file: 'src/missing.ts' })).rejects.toThrow(NotFoundError);
    const i = await addInterface(as('alice'), { name: 'Db', file: 'src/db.ts' });
    await expect(revokeInterface(as('bob', 1), i.id)).rejects.toThrow(NotFoundError);
    await revokeInterface(as('alice', 2), i.id);
    expect(await listInterfaces(as('alice', 3))).toEqual([]);
  });

  it("a private developer's decisions and interfaces are invisible to others, not to them", async () => {
    await setVisibility(as('alice'), 'private');
    await addDecision(as('alice', 1), { text: 'Secret plan' });
    await addInterface(as('alice', 1), { name: 'Hidden', file: 'src/db.ts' });
    expect(await listDecisions(as('bob', 2))).toEqual([]);
    expect(await listInterfaces(as('bob', 2))).toEqual([]);
    expect((await listDecisions(as('alice', 2))).map((d) => d.text)).toEqual(['Secret plan']);
    expect((await listInterfaces(as('alice', 2))).map((i) => i.name)).toEqual(['Hidden']);
  });

  it('a context records its role; get --role filters; a role is one word', async () => {
    await publishContext(as('alice'), { title: 'Review auth', role: 'Reviewer' });
    await publishContext(as('bob'), { title: 'Build auth', role: 'implementer' });
    await publishContext(as('carol'), { title: 'No role' });
    const got = await getContexts(as('dave', 1), undefined, { role: 'reviewer' });
    expect(got.map((c) => [c.developer, c.role])).toEqual([['alice', 'reviewer']]);
    expect((await getContexts(as('dave', 1))).find((c) => c.developer === 'carol')?.role).toBeUndefined();
    await expect(publishContext(as('eve'), { title: 'x', role: 'two words' })).rejects.toThrow(UsageError);
  });

  it('state has a section each for contexts (with roles), recent decisions and interfaces, following its schema', async () => {
    await publishContext(as('alice'), { title: 'Auth', role: 'implementer' });
    const d = await addDecision(as('alice', 1), { text: 'Use JWT' });
    const i = await addInterface(as('alice', 2), { name: 'AuthContext', file: 'src/auth/context.ts' });
    repo.write({ 'src/auth/context.ts': 'export const auth = 3;\n' });
    const state = teamStateSchema.parse(await teamState(as('bob', 3)));
    expect(state.contexts.map((c) => [c.developer, c.role])).toEqual([['alice', 'implementer']]);
    expect(state.decisions.map((x) => x.id)).toEqual([d.id]);
    expect(state.decisions_total).toBe(1);
    expect(state.interfaces.map((x) => [x.id, x.status])).toEqual([[i.id, 'stale']]);
    expect(state.claims).toEqual([]);
    expect(state.conflicts).toBeUndefined();
  });

  it('state lists active claims (a private holder masked) and the saved conflicts section stays absent until a stop saves one', async () => {
    await addClaims(as('alice', 1), { patterns: ['src/auth/**'], reason: 'refactoring auth' });
    await setVisibility(as('carol', 1), 'private');
    await addClaims(as('carol', 2), { patterns: ['src/db.ts'], reason: 'secret' });
    const state = teamStateSchema.parse(await teamState(as('bob', 3)));
    expect(state.claims.map((c) => [c.pattern, c.holder, c.reason])).toEqual([
      ['src/db.ts', 'a private developer', undefined],
      ['src/auth/**', 'alice', 'refactoring auth'],
    ]);
    const text = renderTeamState(state, minutes(3));
    expect(text).toContain('## Claims');
    expect(text).toContain('refactoring auth');
    expect(text).not.toContain('secret');
    expect(text).toContain('## Conflicts');
  });

  it('the session-start briefing names decisions and interfaces on my changed files first, then the rest', async () => {
    await addDecision(as('alice', 1), { text: 'Postgres only', files: ['src/db.ts'] });
    await addDecision(as('bob', 2), { text: 'Docs in English' });
    await addInterface(as('bob', 3), { name: 'AuthContext', file: 'src/auth/context.ts' });
    repo.write({ 'src/db.ts': 'export const db = 2;\n' });
    const env = { HANDOFF_DEVELOPER: 'carol' };
    const text = renderBriefing(
      await sessionBriefing({ cwd: repo.dir, env, now: minutes(5), agent: 'test', statusWaitMs: () => 0 }),
    );
    const mine = text.indexOf('Decisions and interfaces on your files:\n- decided: Postgres only — alice, 4m ago');
    const rest = text.indexOf('Team decisions and ready interfaces:\n- decided: Docs in English — bob, 3m ago');
    expect(mine).toBeGreaterThan(-1);
    expect(rest).toBeGreaterThan(mine);
    expect(text).toContain('- interface AuthContext in src/auth/context.ts — bob, 2m ago');
  });

  it('the checkpoint keeps standing decisions and interfaces; a revoked one leaves it with its revoke', async () => {
    const kept = await addDecision(as('alice', 1), { text: 'Keep me' });
    const gone = await addDecision(as('alice', 2), { text: 'Revoke me' });
    const i = await addInterface(as('alice', 3), { name: 'Db', file: 'src/db.ts' });
    await revokeDecision(as('alice', 4), gone.id);
    await publishContext(as('bob', 5), { title: 'later write' });
    const saved = checkpoint.parse(
      JSON.parse(readFileSync(join(repo.dir, '.git/codemap-handoff/active.json'), 'utf8')),
    );
    expect(saved.records.map((r) => [r.kind, r.id])).toEqual([
      ['decision', kept.id],
      ['interface', i.id],
    ]);
    expect((await listDecisions(as('carol', 6))).map((d) => d.id)).toEqual([kept.id]);
  });

  it('interface add --notify also sends an interface_ready message; a bad address records nothing', async () => {
    const i = await addInterface(as('alice', 1), {
      name: 'AuthContext',
      file: 'src/auth/context.ts',
      description: 'Wrap the app in it',
      notify: 'bob',
    });
    expect(i.message_id).toMatch(/^[0-9A-Z]{26}$/);
    const inbox = await messageInbox(as('bob', 2));
    expect(inbox.messages.map((m) => [m.id, m.type, m.from, m.body, m.files])).toEqual([
      [
        i.message_id,
        'interface_ready',
        'alice',
        'AuthContext in src/auth/context.ts is ready to use: Wrap the app in it',
        ['src/auth/context.ts'],
      ],
    ]);
    const plain = await addInterface(as('alice', 3), { name: 'Db', file: 'src/db.ts' });
    expect(plain.message_id).toBeUndefined();
    expect((await messageInbox(as('bob', 4))).messages).toHaveLength(1);
    await expect(addInterface(as('alice', 5), { name: 'X', file: 'src/db.ts', notify: 'team:x' })).rejects.toThrow(
      UsageError,
    );
    expect((await listInterfaces(as('alice', 6))).map((x) => x.name)).toEqual(['Db', 'AuthContext']);
  });

  it("state's open requests: those to me and mine, until answered; nobody else's", async () => {
    const ask = await sendMessage(as('bob', 1), { to: 'alice', type: 'need_input', body: 'Which token lifetime?' });
    await sendMessage(as('bob', 2), { to: 'alice', type: 'fyi', body: 'Merged the parser' });
    const ids = async (who: string) => (await teamState(as(who, 3))).open_requests.map((m) => m.id);
    expect(await ids('alice')).toEqual([ask.id]);
    expect(await ids('bob')).toEqual([ask.id]);
    expect(await ids('carol')).toEqual([]);
    await sendMessage(as('alice', 4), { reply_to: ask.id, body: 'One hour' });
    expect(await ids('alice')).toEqual([]);
    expect(await ids('bob')).toEqual([]);
  });
});
