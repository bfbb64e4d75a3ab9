// A damaged context store through the whole CLI in-process (test/support/in-process.ts): a
// garbled checkpoint or a flipped byte in a log makes the commands that read it fail with
// exit 1 naming the file and rewrite nothing, `context repair` moves it aside and keeps what
// still checks out; an unreadable store does not break the handoff, and privacy survives a
// lost or corrupt developer registry. Exit statuses of a real process: test/e2e/context.test.ts,
// the hooks over an unreadable store: test/e2e/context-regressions.test.ts.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  at,
  expectFailure,
  getJson,
  handoff,
  hoursAfter,
  listAllJson,
  logFiles,
  publishId,
  Repos,
  seededStore,
  storeDirOf,
  T0,
} from '../support/context-cli.js';

/** Flips one bit inside the title of the second of the log's three records. */
function flipMiddleLine(dir: string, log: string): { path: string; before: Buffer } {
  const path = join(dir, log);
  const bytes = readFileSync(path);
  const text = bytes.toString('utf8');
  const lines = text.split('\n');
  expect(lines.length).toBeGreaterThanOrEqual(4); // three records and the final newline
  const lineStart = lines[0]!.length + 1;
  const target = lineStart + lines[1]!.indexOf('"title":"') + 9;
  const flipped = Buffer.from(bytes);
  flipped[target] = flipped[target]! ^ 0x01;
  writeFileSync(path, flipped);
  return { path, before: flipped };
}

const sortedIds = async (options: Parameters<typeof getJson>[0]): Promise<string[]> =>
  (await getJson(options)).map((c) => c.id).sort();

describe('a corrupt context store through the CLI in-process', () => {
  const repos = new Repos();
  afterAll(() => repos.cleanup());

  it('a garbled active.json: get exits 1 naming it, leaves it untouched; repair moves it aside', async () => {
    const { repo, ids, dir } = await seededStore(repos);
    const path = join(dir, 'active.json');
    const garbled = readFileSync(path).subarray(0, 40);
    writeFileSync(path, garbled);
    const res = await handoff(['context', 'get'], at(repo, 'zed', hoursAfter(1)));
    expectFailure(res, 1, /active\.json/);
    expect(readFileSync(path).equals(garbled)).toBe(true);
    const pub = await handoff(['context', 'publish', '--title', 'blocked'], at(repo, 'dave', hoursAfter(1)));
    expectFailure(pub, 1, /active\.json/);
    expect(readFileSync(path).equals(garbled)).toBe(true);

    const repair = await handoff(['context', 'repair'], at(repo, 'zed', hoursAfter(1)));
    expect(repair.code, repair.stderr).toBe(0);
    const aside = readdirSync(dir).filter((f) => f.startsWith('active.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir, aside[0]!)).equals(garbled)).toBe(true);
    expect(await sortedIds(at(repo, 'zed', hoursAfter(1)))).toEqual([...ids].sort());
    const next = await publishId(at(repo, 'dave', hoursAfter(1)), ['--title', 'after repair']);
    expect(await sortedIds(at(repo, 'zed', hoursAfter(1)))).toEqual([...ids, next].sort());
  });

  it('a flipped byte in a middle log line: list --all exits 1 naming the log, untouched; repair moves it aside', async () => {
    const { repo, ids, dir } = await seededStore(repos);
    const [log] = logFiles(repo.dir);
    expect(log).toBeDefined();
    const { path, before } = flipMiddleLine(dir, log!);
    const res = await handoff(['context', 'list', '--all'], at(repo, 'zed', hoursAfter(1)));
    expectFailure(res, 1, new RegExp(log!.replace('.', '\\.')));
    expect(readFileSync(path).equals(before)).toBe(true);

    const repair = await handoff(['context', 'repair'], at(repo, 'zed', hoursAfter(1)));
    expect(repair.code, repair.stderr).toBe(0);
    const aside = readdirSync(dir).filter((f) => f.startsWith(`${log}.corrupt-`));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir, aside[0]!)).equals(before)).toBe(true);
    // The records that still check out are kept.
    const listed = (await listAllJson(at(repo, 'zed', hoursAfter(1)))).map((c) => c.id);
    expect(listed).toEqual(expect.arrayContaining([ids[0], ids[2]]));
    expect((await getJson(at(repo, 'zed', hoursAfter(1)))).length).toBeGreaterThanOrEqual(2);
    // And the store keeps working afterwards.
    const next = await publishId(at(repo, 'dave', hoursAfter(2)), ['--title', 'after repair']);
    expect((await getJson(at(repo, 'zed', hoursAfter(2)))).map((c) => c.id)).toContain(next);
    expect((await listAllJson(at(repo, 'zed', hoursAfter(2)))).map((c) => c.id)).toContain(next);
    const again = await handoff(['context', 'repair'], at(repo, 'zed', hoursAfter(2)));
    expect(again.code).toBe(0);
    expect(readdirSync(dir).filter((f) => f.includes('.corrupt-'))).toHaveLength(1);
  });

  it('a flipped byte in a middle log line: get still serves the checkpoint; list --all and doctor exit 1 naming the log; nothing is rewritten', async () => {
    // By design get reads the checkpoint and the log tail only (O(active), not
    // O(history)); the audit view and doctor read all of it and report the bad line.
    const { repo, dir } = await seededStore(repos);
    const [log] = logFiles(repo.dir);
    const { path, before } = flipMiddleLine(dir, log!);
    expect((await handoff(['context', 'get'], at(repo, 'zed', hoursAfter(1)))).code).toBe(0);
    const list = await handoff(['context', 'list', '--all'], at(repo, 'zed', hoursAfter(1)));
    expectFailure(list, 1, new RegExp(log!.replace('.', '\\.')));
    const doctor = await handoff(['doctor'], at(repo, 'zed', hoursAfter(1)));
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(
      new RegExp(`fail\\s+context store — .*${log!.replace('.', '\\.')}.*handoff context repair`),
    );
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});

describe('an unreadable context store does not break the handoff', () => {
  const repos = new Repos();
  afterAll(() => repos.cleanup());

  it('a directory where active.json should be: the handoff still succeeds, with nothing on stderr', async () => {
    const repo = repos.make();
    mkdirSync(join(storeDirOf(repo.dir), 'active.json'), { recursive: true });
    const run = await handoff(['--no-save', '--json'], at(repo, 'alice'));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
  });
});

describe('privacy survives a lost or corrupt developer registry', () => {
  const repos = new Repos();
  afterAll(() => repos.cleanup());

  for (const damage of ['corrupt', 'deleted'] as const) {
    it(`a private developer stays hidden after the registry is ${damage}${damage === 'corrupt' ? ' and repaired' : ''}`, async () => {
      const repo = repos.make();
      expect((await handoff(['context', 'visibility', 'private'], at(repo, 'alice'))).code).toBe(0);
      await publishId(at(repo, 'alice'), ['--title', 'secret work', '--summary', 'nobody else should see this']);
      await publishId(at(repo, 'bob'), ['--title', 'open work']);
      const registry = join(storeDirOf(repo.dir), 'developers.json');
      if (damage === 'corrupt') {
        writeFileSync(registry, '{ not json');
        expect((await handoff(['context', 'repair'], at(repo, 'bob', T0))).code).toBe(0);
      } else {
        rmSync(registry);
      }
      const seen = await getJson(at(repo, 'bob', hoursAfter(1)));
      expect(seen.map((c) => c.title)).toEqual(['open work']);
      const state = await handoff(['state'], at(repo, 'bob', hoursAfter(1)));
      expect(state.stdout).not.toContain('secret');
      expect((await getJson(at(repo, 'alice', hoursAfter(1)))).map((c) => c.title).sort()).toEqual([
        'open work',
        'secret work',
      ]);
    });
  }
});
