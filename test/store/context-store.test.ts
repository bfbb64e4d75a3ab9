// The context store's checkpoint against its log, in process through the api: repair
// rebuilds the checkpoint from the lines it keeps, and every open checks the saved
// offset (past the end, mid-line, another line) and refolds from the log instead of
// failing on a checksum or serving what the log no longer holds.
import { appendFileSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitRepo, makeTempDir, type GitRepo } from '../../fixtures/git-repo.js';
import {
  getContexts,
  listAllContexts,
  publishContext,
  repairStore,
  revokeContext,
  teamState,
  type ContextRequest,
} from '../../src/api.js';
import { loadHasher } from '../../src/core/hash.js';
import type { Context } from '../../src/schema/context.js';
import { checkpoint as checkpointSchema, type Checkpoint } from '../../src/schema/records.js';
import { contextRecord } from '../../src/core/records.js';
import type { StoreRecord } from '../../src/schema/records.js';
import { ContextStore } from '../../src/store/context-store.js';

const T0 = Date.parse('2024-03-01T12:00:00.000Z');
const at = (repo: GitRepo, as: string, minutes = 0): ContextRequest => ({
  cwd: repo.dir,
  now: new Date(T0 + minutes * 60_000),
  env: {},
  as,
});

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function makeRepo(): GitRepo {
  const dir = makeTempDir('handoff-store-');
  dirs.push(dir);
  const repo = gitRepo({ 'src/a.ts': 'export const a = 1;\n' }, { dir: join(dir, 'repo') });
  repo.git('remote', 'add', 'origin', 'git@github.com:Acme/Demo.git');
  return repo;
}

const storeDir = (repo: GitRepo): string => join(repo.dir, '.git', 'codemap-handoff');

async function publish(repo: GitRepo, as: string, title: string, minutes = 0, summary = 'Work.'): Promise<string> {
  return (await publishContext(at(repo, as, minutes), { title, summary, files_touched: ['src/a.ts'] })).id;
}

function onlyLog(repo: GitRepo): string {
  const logs = readdirSync(storeDir(repo)).filter((f) => /^log-[0-9A-Z]+\.jsonl$/.test(f));
  expect(logs).toHaveLength(1);
  return join(storeDir(repo), logs[0]!);
}

const checkpointPath = (repo: GitRepo): string => join(storeDir(repo), 'active.json');
const readCheckpoint = (repo: GitRepo): Checkpoint =>
  checkpointSchema.parse(JSON.parse(readFileSync(checkpointPath(repo), 'utf8')));
const writeCheckpoint = (repo: GitRepo, cp: Checkpoint): void =>
  writeFileSync(checkpointPath(repo), JSON.stringify(cp));
const publishRecord = (context: Context): StoreRecord => contextRecord(context);

/** Flips one byte inside the title of line `index` (0-based): that line then fails its checksum. */
function flipLine(path: string, index: number): void {
  const bytes = readFileSync(path);
  const lines = bytes.toString('utf8').split('\n');
  const start = lines.slice(0, index).reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
  const target = start + lines[index]!.indexOf('"title":"') + 9;
  bytes[target] = bytes[target]! ^ 0x01;
  writeFileSync(path, bytes);
}

/** What a writer killed after its append and before its checkpoint leaves: a log line the checkpoint does not cover. */
async function appendUncheckpointed(repo: GitRepo, context: Context): Promise<void> {
  const store = new ContextStore(storeDir(repo), await loadHasher());
  appendFileSync(onlyLog(repo), store.encodeRecord(publishRecord(context)));
}

async function liveIds(repo: GitRepo, minutes = 1): Promise<string[]> {
  return (await getContexts(at(repo, 'reader', minutes))).map((c) => c.id).sort();
}

async function seeded(): Promise<{ repo: GitRepo; ids: string[] }> {
  const repo = makeRepo();
  const ids: string[] = [];
  for (const [i, dev] of ['alice', 'bob', 'carol'].entries()) ids.push(await publish(repo, dev, `work of ${dev}`, i));
  return { repo, ids };
}

describe('context store checkpoint', { tags: ['slow'] }, () => {
  it('repair rebuilds the checkpoint from the lines it keeps: the dropped context is no longer served', async () => {
    const { repo, ids } = await seeded();
    const log = onlyLog(repo);
    flipLine(log, 1);
    const report = await repairStore(at(repo, 'zed', 1));
    expect(report.some((l) => l.includes('active.json'))).toBe(true);
    const cp = readCheckpoint(repo);
    expect(cp.log_offset).toBe(statSync(log).size);
    expect(cp.contexts.map((c) => c.id).sort()).toEqual([ids[0], ids[2]].sort());
    expect(await liveIds(repo)).toEqual([ids[0], ids[2]].sort());
    expect(await repairStore(at(repo, 'zed', 1))).toEqual([]);
  });

  it('after a repair, a writer killed between append and checkpoint does not lock the store', async () => {
    const { repo, ids } = await seeded();
    flipLine(onlyLog(repo), 1);
    await repairStore(at(repo, 'zed', 1));
    const dave = await publish(repo, 'dave', 'after repair', 2);
    const template = readCheckpoint(repo).contexts.find((c) => c.id === dave)!;
    // Longer than the dropped line, so a checkpoint offset left past the end lands inside it.
    const eve: Context = {
      ...template,
      id: '01HQ0000000000000000000EVE',
      developer: 'eve',
      title: 'killed writer',
      summary: 'x'.repeat(3_000),
    };
    await appendUncheckpointed(repo, eve);

    const expected = [ids[0]!, ids[2]!, dave, eve.id].sort();
    expect(await liveIds(repo, 3)).toEqual(expected);
    expect((await teamState(at(repo, 'reader', 3))).contexts.map((c) => c.id).sort()).toEqual(expected);
    const frank = await publish(repo, 'frank', 'still writable', 4);
    expect(await liveIds(repo, 5)).toEqual([...expected, frank].sort());
    const listed = (await listAllContexts(at(repo, 'reader', 5))).map((c) => c.id);
    expect(listed).toEqual(expect.arrayContaining([...expected, frank]));
    await revokeContext(at(repo, 'frank', 6), frank);
    expect(await liveIds(repo, 7)).toEqual(expected);
    expect(await repairStore(at(repo, 'zed', 7))).toEqual([]);
  });

  it('a checkpoint offset past the end of the log is refolded; the next write appends at the real end', async () => {
    const { repo, ids } = await seeded();
    const log = onlyLog(repo);
    const cp = readCheckpoint(repo);
    writeCheckpoint(repo, { ...cp, log_offset: cp.log_offset + 700 });
    expect(await liveIds(repo)).toEqual([...ids].sort());
    const dave = await publish(repo, 'dave', 'next', 2);
    expect(readFileSync(log).includes(0)).toBe(false);
    expect(readCheckpoint(repo).log_offset).toBe(statSync(log).size);
    expect(await liveIds(repo, 3)).toEqual([...ids, dave].sort());
  });

  it('a checkpoint offset in the middle of a line is refolded from the log, never a checksum error', async () => {
    const { repo, ids } = await seeded();
    const cp = readCheckpoint(repo);
    writeCheckpoint(repo, { ...cp, log_offset: cp.log_offset - 40 });
    expect(await liveIds(repo)).toEqual([...ids].sort());
    expect((await teamState(at(repo, 'reader', 1))).contexts).toHaveLength(3);
    const dave = await publish(repo, 'dave', 'next', 2);
    expect(await liveIds(repo, 3)).toEqual([...ids, dave].sort());
  });

  it('a checkpoint whose offset falls on a line boundary of a rewritten log is refolded from the log', async () => {
    const { repo, ids } = await seeded();
    const log = onlyLog(repo);
    const cp = readCheckpoint(repo);
    const [first, second, third] = readFileSync(log, 'utf8').split('\n');
    // The log now holds alice and a new context in exactly the bytes bob and carol took.
    const store = new ContextStore(storeDir(repo), await loadHasher());
    const template = cp.contexts.find((c) => c.id === ids[1])!;
    const gina: Context = { ...template, id: '01HQ000000000000000000GINA', developer: 'gina', summary: '' };
    const bare = store.encodeRecord(publishRecord(gina)).length;
    const room = Buffer.byteLength(`${second}\n${third}\n`);
    gina.summary = 'y'.repeat(room - bare);
    writeFileSync(log, `${first}\n${store.encodeRecord(publishRecord(gina))}`);
    expect(statSync(log).size).toBe(cp.log_offset);
    expect(await liveIds(repo)).toEqual([ids[0]!, gina.id].sort());
  });

  it('a corrupt active.json names `handoff context repair` as the fix', async () => {
    const { repo } = await seeded();
    writeFileSync(join(storeDir(repo), 'active.json'), '{"schema_version":1,');
    await expect(getContexts(at(repo, 'reader', 1))).rejects.toMatchObject({ hint: 'run `handoff context repair`' });
    await expect(publish(repo, 'dave', 'blocked', 1)).rejects.toMatchObject({ hint: 'run `handoff context repair`' });
  });
});

describe('format 3: the checkpoint keeps records of every kind', () => {
  it('reads a format-2 checkpoint as one that keeps no records, and the next write saves format 3', async () => {
    const repo = makeRepo();
    const first = await publish(repo, 'alice@example.com', 'First');
    const { records: _none, ...format2 } = { ...readCheckpoint(repo), schema_version: 2 as const };
    writeFileSync(checkpointPath(repo), JSON.stringify(format2));
    expect((await getContexts(at(repo, 'alice@example.com', 1))).map((c) => c.id)).toEqual([first]);
    await publish(repo, 'bob@example.com', 'Second', 2);
    const saved = readCheckpoint(repo);
    expect(saved.schema_version).toBe(3);
    expect(saved.records).toEqual([]);
    expect(saved.contexts.map((c) => c.title).sort()).toEqual(['First', 'Second']);
  });

  it('a write given a function appends what it returns for a snapshot taken under the lock; if it throws, nothing', async () => {
    const repo = makeRepo();
    await publish(repo, 'alice@example.com', 'First');
    const store = new ContextStore(storeDir(repo), await loadHasher());
    const logBefore = readFileSync(onlyLog(repo), 'utf8');
    const refuse = store.write(
      (snap) => {
        expect([...snap.contexts.values()].map((c) => c.title)).toEqual(['First']);
        expect(snap.acc.contexts.size).toBe(1);
        throw new Error('refused');
      },
      { now: new Date(T0 + 60_000) },
    );
    await expect(refuse).rejects.toThrow('refused');
    expect(readFileSync(onlyLog(repo), 'utf8')).toBe(logBefore);
    const [live] = store.snapshot().contexts.values();
    const next = {
      ...live!,
      id: '01HZZZZZZZZZZZZZZZZZZZZZZZ',
      title: 'Second',
      published_at: new Date(T0 + 120_000).toISOString(),
    };
    const appended = await store.write(
      (snap) => [publishRecord({ ...next, repo: [...snap.contexts.values()][0]!.repo })],
      {
        now: new Date(T0 + 120_000),
      },
    );
    expect(appended).toHaveLength(1);
    expect([...store.snapshot().contexts.values()].map((c) => c.title)).toEqual(['Second']);
  });
});
