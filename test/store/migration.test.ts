// A store written by the release before typed records (fixtures/store-v1, format 1: `op`
// log lines, checkpoint schema_version 1) is read as it is, and migrated in place by the
// first write: every read answers the same before and after, and the files are format 2.
import { cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitRepo, makeTempDir, type GitRepo } from '../../fixtures/git-repo.js';
import {
  getContexts,
  listAllContexts,
  publishContext,
  repairStore,
  revokeContext,
  setVisibility,
  teamState,
  type ContextRequest,
} from '../../src/api.js';
import { checkpoint } from '../../src/schema/records.js';

const FIXTURE = join(import.meta.dirname, '..', '..', 'fixtures', 'store-v1', 'codemap-handoff');
const NOW = new Date('2026-06-01T10:50:00.000Z');
/** The contexts of the fixture (fixtures/store-v1/generate.sh). */
const IDS = {
  alice1: '01KT1A0F80VESJT6ZMF4BBPJBG',
  alice2: '01KT1A9M70709Z8S0HVPY0P175',
  bobRevoked: '01KT1AJS60A58177EPPPET2A91',
  bob2: '01KT1B53402SPHGDV6NGXSY00C',
  carol: '01KT1BE830R9MTXDYKG2QT55J5',
  dave: '01KT1C0J10Z7YM4CFN11HCY97H',
};

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A repository like the one the fixture was written in, holding a copy of the old store. */
function repoWithOldStore(): GitRepo {
  const dir = makeTempDir('handoff-migrate-');
  dirs.push(dir);
  const repo = gitRepo(
    { 'a.ts': 'export const a = 1;\n', 'b.ts': 'export const b = 2;\n', 'c.ts': 'export const c = 3;\n' },
    { dir: join(dir, 'app') },
  );
  repo.git('remote', 'add', 'origin', 'https://example.com/team/app.git');
  writeFileSync(join(repo.dir, 'a.ts'), 'export const a = 10;\n');
  cpSync(FIXTURE, storeOf(repo), { recursive: true });
  return repo;
}

const storeOf = (repo: GitRepo): string => join(repo.dir, '.git', 'codemap-handoff');
const req = (repo: GitRepo, as?: string, minutes = 0): ContextRequest => ({
  cwd: repo.dir,
  now: new Date(NOW.getTime() + minutes * 60_000),
  env: {},
  ...(as !== undefined ? { as } : {}),
});

/** Every read the store serves, as data (an error as its message and exit code). */
async function reads(repo: GitRepo): Promise<Record<string, unknown>> {
  const settle = async (p: Promise<unknown>): Promise<unknown> =>
    p.catch((e: { message: string; exitCode?: number }) => ({ error: e.message, exitCode: e.exitCode }));
  const out: Record<string, unknown> = {};
  for (const reader of ['alice', 'bob', 'carol@example.com', 'alice@example.com', 'bob@example.com']) {
    out[`get ${reader}`] = await settle(getContexts(req(repo, reader)));
    out[`get carol as ${reader}`] = await settle(getContexts(req(repo, reader), 'carol@example.com'));
    out[`get bob as ${reader}`] = await settle(getContexts(req(repo, reader), 'bob@example.com'));
    out[`list ${reader}`] = await settle(listAllContexts(req(repo, reader)));
    out[`state ${reader}`] = await settle(teamState(req(repo, reader)));
  }
  return out;
}

/** Reads that leave out a context published after the migration. */
function without(value: unknown, id: string): unknown {
  return JSON.parse(JSON.stringify(value), (_k, v: unknown) =>
    Array.isArray(v) ? v.filter((x) => (x as { id?: unknown } | null)?.id !== id) : v,
  );
}

const logLines = (repo: GitRepo): string[] =>
  readdirSync(storeOf(repo))
    .filter((f) => /^log-.*\.jsonl$/.test(f))
    .flatMap((f) =>
      readFileSync(join(storeOf(repo), f), 'utf8')
        .split('\n')
        .filter((l) => l !== ''),
    );

describe('a store of format 1 (the release before typed records)', { tags: ['slow'] }, () => {
  it('is read as format 1 when its checkpoint was re-spaced by another program', async () => {
    const repo = repoWithOldStore();
    const path = join(storeOf(repo), 'active.json');
    writeFileSync(path, `${JSON.stringify(JSON.parse(readFileSync(path, 'utf8')), null, 2)}\n`);
    const ids = (views: { id: string }[]): string[] => views.map((c) => c.id);
    expect(ids(await getContexts(req(repo, 'bob@example.com')))).toEqual([IDS.dave, IDS.bob2, IDS.alice2]);
  });

  it('answers every read as the old release did: supersession, revoke, privacy, expiry', async () => {
    const repo = repoWithOldStore();
    const ids = (views: { id: string }[]): string[] => views.map((c) => c.id);
    expect(ids(await getContexts(req(repo, 'bob@example.com')))).toEqual([IDS.dave, IDS.bob2, IDS.alice2]);
    expect(ids(await getContexts(req(repo, 'carol@example.com')))).toEqual([IDS.dave, IDS.carol, IDS.bob2, IDS.alice2]);
    const all = await listAllContexts(req(repo, 'carol@example.com'));
    const status = Object.fromEntries(all.map((c) => [c.id, c.status]));
    expect(status).toEqual({
      [IDS.alice1]: 'superseded',
      [IDS.alice2]: 'active',
      [IDS.bobRevoked]: 'revoked',
      [IDS.bob2]: 'active',
      [IDS.carol]: 'active',
      [IDS.dave]: 'active',
    });
    expect(all.find((c) => c.id === IDS.alice1)?.superseded_by).toBe(IDS.alice2);
    expect(all.find((c) => c.id === IDS.bobRevoked)?.revoked_at).toBe('2026-06-01T10:15:00.000Z');
    await expect(getContexts(req(repo, 'bob@example.com'), 'carol@example.com')).rejects.toMatchObject({ exitCode: 3 });
    const state = await teamState(req(repo, 'bob@example.com', 50));
    expect(ids(state.contexts)).toEqual([IDS.bob2, IDS.alice2]);
    expect(state.contexts.find((c) => c.id === IDS.alice2)?.staleness?.stale_since).toBe('2026-06-01T10:40:00.000Z');
  });

  it('reads the same before and after the first write, which migrates the files in place', async () => {
    // Each "before" read on its own copy: a read's bookkeeping may already migrate.
    const before = await reads(repoWithOldStore());
    const repo = repoWithOldStore();
    expect(logLines(repo).every((l) => l.includes('"op":'))).toBe(true);
    const erin = await publishContext(req(repo, 'erin@example.com'), { title: 'After the upgrade', branch: 'erin' });
    expect(without(await reads(repo), erin.id)).toEqual(without(before, erin.id));

    const lines = logLines(repo);
    expect(lines.some((l) => l.includes('"op":'))).toBe(false);
    expect(lines.filter((l) => l.includes('"kind":"context"'))).toHaveLength(7);
    expect(lines.filter((l) => l.includes('"kind":"revoke"'))).toHaveLength(1);
    expect(lines.filter((l) => l.includes('"kind":"visibility"'))).toHaveLength(1);
    const saved = checkpoint.parse(JSON.parse(readFileSync(join(storeOf(repo), 'active.json'), 'utf8')));
    const live = saved.contexts.filter((c) => c.revoked_at === undefined).map((c) => c.id);
    expect(live.sort()).toEqual([IDS.alice2, IDS.bob2, IDS.carol, IDS.dave, erin.id].sort());
    // A revoked context stays in the checkpoint until it expires: it still orders its slot.
    expect(saved.contexts.filter((c) => c.revoked_at !== undefined).map((c) => c.id)).toEqual([IDS.bobRevoked]);
    expect(await repairStore(req(repo, 'admin'))).toEqual([]);
  });

  it('keeps working after the migration: supersede, revoke and visibility follow the same rules', async () => {
    const repo = repoWithOldStore();
    const next = await publishContext(req(repo, 'alice@example.com', 1), { title: 'Parser, part three' });
    await revokeContext(req(repo, 'bob@example.com', 2), IDS.bob2);
    await setVisibility(req(repo, 'carol@example.com', 3), 'public');
    const all = await listAllContexts(req(repo, 'bob@example.com', 4));
    const byId = new Map(all.map((c) => [c.id, c]));
    expect(byId.get(IDS.alice2)?.superseded_by).toBe(next.id);
    expect(byId.get(IDS.bob2)?.status).toBe('revoked');
    expect(byId.get(IDS.carol)?.status).toBe('active');
    expect((await getContexts(req(repo, 'bob@example.com', 4))).map((c) => c.id)).toEqual([
      next.id,
      IDS.dave,
      IDS.carol,
    ]);
  });
});
