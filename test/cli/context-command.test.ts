// Context exchange (issue 3) through the whole CLI in-process (test/support/in-process.ts):
// publish, get, revoke, list --all, state, privacy, TTL with a pinned clock, staleness, the
// event log, linked worktrees, identity and the handoff link, on real repositories. Corrupt
// stores and repair: test/cli/context-repair-command.test.ts. Exit statuses of a real
// process: test/e2e/context.test.ts.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { artifact } from '../../src/schema/artifact.js';
import { context, contextView } from '../../src/schema/context.js';
import { teamState } from '../../src/schema/state.js';
import {
  REPO_ID,
  Repos,
  T0,
  at,
  eventLines,
  expectFailure,
  getJson,
  handoff,
  hoursAfter,
  listAllJson,
  parseOk,
  publishId,
  publishJson,
  storeDirOf,
  storeFiles,
  type GitRepo,
} from '../support/context-cli.js';

const stateJson = z.object({ repo: z.string(), contexts: z.array(contextView) });

const statusById = (views: readonly { id: string; status: string }[]): Record<string, string> =>
  Object.fromEntries(views.map((v) => [v.id, v.status]));

describe('context exchange through the CLI in-process', () => {
  const repos = new Repos();
  afterAll(() => repos.cleanup());

  describe('publish', () => {
    it('prints only the new id, and get returns the full record', async () => {
      const repo = repos.make();
      const id = await publishId(at(repo, 'alice'), [
        '--title',
        'Split the parser',
        '--summary',
        'Moved tokenising into its own module. Decided to keep the old API for one release.',
        '--file',
        'src/a.ts',
        '--file',
        'src/b.ts',
        '--next',
        'Wire the tokenizer into main',
        '--blocker',
        'Waiting for review of the API change',
        '--task',
        'PROJ-12',
        '--session',
        'sess-1',
      ]);
      const [got, ...rest] = await getJson(at(repo, 'alice'));
      expect(rest).toEqual([]);
      expect(got).toMatchObject({
        id,
        developer: 'alice',
        repo: REPO_ID,
        branch: 'main',
        session_id: 'sess-1',
        title: 'Split the parser',
        files_touched: ['src/a.ts', 'src/b.ts'],
        next_actions: ['Wire the tokenizer into main'],
        blockers: ['Waiting for review of the API change'],
        task_ids: ['PROJ-12'],
        published_at: T0,
        expires_at: hoursAfter(24),
        ttl_hours: 24,
        status: 'active',
      });
      expect(got!.touched_files.map((f) => f.path)).toEqual(['src/a.ts', 'src/b.ts']);
      for (const f of got!.touched_files) expect(f.hash).toMatch(/^[0-9a-f]{16}$/);
      expect(got!.superseded_by).toBeUndefined();
      expect(got!.revoked_at).toBeUndefined();
    });

    it('--from-json with invalid JSON or a non-object exits 2', async () => {
      const repo = repos.make();
      for (const input of ['{not json', '[1,2]', '{"title": 5}'])
        expectFailure(await handoff(['context', 'publish', '--from-json', '-'], { ...at(repo, 'dave'), input }), 2);
    });

    it('--json prints the whole record, valid under the context schema', async () => {
      const repo = repos.make();
      const record = await publishJson(at(repo), [
        '--as',
        'bob',
        '--title',
        'Docs pass',
        '--summary',
        'Rewriting the README',
        '--ttl-hours',
        '48',
      ]);
      expect(record.developer).toBe('bob');
      expect(record.ttl_hours).toBe(48);
      expect(record.expires_at).toBe(hoursAfter(48));
      expect(record.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
      expect((await getJson(at(repo, 'bob'))).map((c) => c.id)).toEqual([record.id]);
    });

    it('--from-json FILE takes every field from the file', async () => {
      const repo = repos.make();
      const file = join(repos.dir(), 'ctx.json');
      writeFileSync(
        file,
        JSON.stringify({
          title: 'From a file',
          summary: 'Published by a script.',
          files_touched: ['./src/a.ts', 'src\\b.ts'],
          next_actions: ['ship it'],
          blockers: ['CI is red'],
          task_ids: ['T-1', 'T-2'],
          ttl_hours: 2,
          session_id: 'sess-file',
        }),
      );
      const record = await publishJson(at(repo, 'carol'), ['--from-json', file]);
      expect(record).toMatchObject({
        developer: 'carol',
        title: 'From a file',
        summary: 'Published by a script.',
        files_touched: ['src/a.ts', 'src/b.ts'],
        next_actions: ['ship it'],
        blockers: ['CI is red'],
        task_ids: ['T-1', 'T-2'],
        ttl_hours: 2,
        session_id: 'sess-file',
        expires_at: hoursAfter(2),
      });
    });

    it('accepts a TTL of 1 and 168 hours and rejects 0, 169, -1 and abc with exit 2', async () => {
      const repo = repos.make();
      expect((await publishJson(at(repo, 'a1'), ['--title', 't', '--ttl-hours', '1'])).expires_at).toBe(hoursAfter(1));
      expect((await publishJson(at(repo, 'a2'), ['--title', 't', '--ttl-hours', '168'])).expires_at).toBe(
        hoursAfter(168),
      );
      for (const ttl of ['0', '169', '-1', 'abc', '']) {
        expectFailure(await handoff(['context', 'publish', '--title', 't', '--ttl-hours', ttl], at(repo, 'bad')), 2);
      }
      expectFailure(
        await handoff(['context', 'publish', '--from-json', '-'], {
          ...at(repo, 'bad'),
          input: '{"title":"t","ttl_hours":0}',
        }),
        2,
      );
      expectFailure(
        await handoff(['context', 'publish', '--from-json', '-'], {
          ...at(repo, 'bad'),
          input: '{"title":"t","ttl_hours":169}',
        }),
        2,
      );
      expect((await listAllJson(at(repo, 'bad'))).map((c) => c.developer).sort()).toEqual(['a1', 'a2']);
    });

    it('rejects an empty, blank, missing or over-long title and an over-long summary with exit 2', async () => {
      const repo = repos.make();
      expectFailure(await handoff(['context', 'publish', '--title', '', '--summary', 's'], at(repo, 'eve')), 2);
      expectFailure(await handoff(['context', 'publish', '--title', '   ', '--summary', 's'], at(repo, 'eve')), 2);
      expectFailure(await handoff(['context', 'publish', '--summary', 's'], at(repo, 'eve')), 2);
      expectFailure(await handoff(['context', 'publish', '--title', 'x'.repeat(201)], at(repo, 'eve')), 2);
      expectFailure(
        await handoff(['context', 'publish', '--title', 't', '--summary', 'word '.repeat(800) + 'x'], at(repo, 'eve')),
        2,
      );
      expect(await listAllJson(at(repo, 'eve'))).toEqual([]);
      const longest = await publishJson(at(repo, 'eve'), ['--title', 'x'.repeat(200), '--summary', 'y'.repeat(4000)]);
      expect(longest.title).toHaveLength(200);
      expect(longest.summary).toHaveLength(4000);
    });

    it('rejects a diff or pasted source in the summary, a next action or a blocker: metadata only', async () => {
      const repo = repos.make();
      const diff =
        'diff --git a/src/a.ts b/src/a.ts\n--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1 +1 @@\n-export const a = 1;\n+export const a = 2;';
      const hunk = '@@ -1,2 +1,3 @@\n-old line\n+new line\n+another';
      const source = [
        "import { readFileSync } from 'node:fs';",
        'export function load(path: string) {',
        "  const text = readFileSync(path, 'utf8');",
        '  if (!text) {',
        "    throw new Error('empty');",
        '  }',
        '  return JSON.parse(text);',
        '}',
      ].join('\n');
      const fenced = ['Here is the fix:', '```', 'one', 'two', 'three', 'four', 'five', 'six', '```'].join('\n');
      const cases: string[][] = [
        ['--summary', diff],
        ['--summary', hunk],
        ['--summary', source],
        ['--summary', fenced],
        ['--summary', 'ok', '--next', hunk],
        ['--summary', 'ok', '--next', source],
        ['--summary', 'ok', '--blocker', diff],
        ['--summary', 'ok', '--blocker', source],
      ];
      for (const extra of cases) {
        const res = await handoff(['context', 'publish', '--title', 'Looks fine', ...extra], at(repo, 'mallory'));
        // A list item (--next, --blocker) is one line: pasted lines are refused as such first.
        const listItem = extra.length > 2;
        expectFailure(res, 2, listItem ? /one-line field/ : /metadata only/);
      }
      const viaJson = await handoff(['context', 'publish', '--from-json', '-'], {
        ...at(repo, 'mallory'),
        input: JSON.stringify({ title: 't', summary: diff }),
      });
      expectFailure(viaJson, 2, /metadata only/);
      expect(await listAllJson(at(repo, 'mallory'))).toEqual([]);
      // Prose that mentions code is fine.
      await publishId(at(repo, 'mallory'), [
        '--title',
        'Fix `parseConfig()`',
        '--summary',
        'parseConfig() now returns a Result; callers in src/a.ts updated.\nDecided against a {} default.',
        '--next',
        'Run `npm test` and update the snapshot',
      ]);
    });

    it('rejects absolute and escaping files_touched with exit 2 and normalises ./a and a\\b', async () => {
      const repo = repos.make();
      for (const bad of ['/etc/x', '../x', 'a/../../x', '..', 'C:\\x', '\\\\server\\x']) {
        expectFailure(await handoff(['context', 'publish', '--title', 't', '--file', bad], at(repo, 'frank')), 2);
      }
      expectFailure(
        await handoff(['context', 'publish', '--from-json', '-'], {
          ...at(repo, 'frank'),
          input: JSON.stringify({ title: 't', files_touched: ['src/a.ts', '/etc/passwd'] }),
        }),
        2,
      );
      expect(await listAllJson(at(repo, 'frank'))).toEqual([]);
      const record = await publishJson(at(repo, 'frank'), [
        '--title',
        't',
        '--file',
        './a',
        '--file',
        'a\\b',
        '--file',
        'src//a.ts',
        '--file',
        'x/../src/b.ts',
      ]);
      expect(record.files_touched).toEqual(['a', 'a/b', 'src/a.ts', 'src/b.ts']);
    });
  });

  describe('supersession', () => {
    it('a second publish by the same developer on the same branch supersedes the first', async () => {
      const repo = repos.make();
      const first = await publishId(at(repo, 'alice'), ['--title', 'first']);
      const second = await publishId(at(repo, 'alice', hoursAfter(1)), ['--title', 'second']);
      const mine = await getJson(at(repo, 'alice', hoursAfter(2)), ['--developer', 'alice']);
      expect(mine.map((c) => c.id)).toEqual([second]);
      const all = await listAllJson(at(repo, 'alice', hoursAfter(2)));
      expect(statusById(all)).toEqual({ [first]: 'superseded', [second]: 'active' });
      expect(all.find((c) => c.id === first)?.superseded_by).toBe(second);
      const third = await publishId(at(repo, 'alice', hoursAfter(3)), ['--title', 'third']);
      const after = await listAllJson(at(repo, 'alice', hoursAfter(3)));
      expect(statusById(after)).toEqual({ [first]: 'superseded', [second]: 'superseded', [third]: 'active' });
      expect(after.find((c) => c.id === first)?.superseded_by).toBe(second);
      expect(after.find((c) => c.id === second)?.superseded_by).toBe(third);
    });

    it('different branches or different developers do not supersede each other', async () => {
      const repo = repos.make();
      const onMain = await publishId(at(repo, 'alice'), ['--title', 'main work']);
      const onFeature = await publishId(at(repo, 'alice'), ['--title', 'feature work', '--branch', 'feature']);
      const bobs = await publishId(at(repo, 'bob'), ['--title', 'bob on main']);
      const active = await getJson(at(repo, 'alice'));
      expect(active.map((c) => c.id).sort()).toEqual([onMain, onFeature, bobs].sort());
      expect(active.find((c) => c.id === onFeature)?.branch).toBe('feature');
      expect(Object.values(statusById(await listAllJson(at(repo, 'alice'))))).toEqual(['active', 'active', 'active']);
    });
  });

  describe('get', () => {
    it('--developer returns only that developer; an unknown developer exits 3', async () => {
      const repo = repos.make();
      await publishId(at(repo, 'alice'), ['--title', 'a']);
      const b = await publishId(at(repo, 'bob'), ['--title', 'b']);
      expect((await getJson(at(repo, 'alice'), ['--developer', 'bob'])).map((v) => v.id)).toEqual([b]);
      expectFailure(await handoff(['context', 'get', '--developer', 'nobody'], at(repo, 'alice')), 3);
      expectFailure(await handoff(['context', 'get', '--developer', 'nobody', '--json'], at(repo, 'alice')), 3);
    });

    it('without --developer returns every visible active context, newest first', async () => {
      const repo = repos.make();
      const a = await publishId(at(repo, 'alice', hoursAfter(0)), ['--title', 'a']);
      const b = await publishId(at(repo, 'bob', hoursAfter(1)), ['--title', 'b']);
      const c = await publishId(at(repo, 'carol', hoursAfter(2)), ['--title', 'c']);
      expect((await getJson(at(repo, 'zed', hoursAfter(3)))).map((v) => v.id)).toEqual([c, b, a]);
      expect((await getJson(at(repo, undefined, hoursAfter(3)))).map((v) => v.id)).toEqual([c, b, a]);
      const text = await handoff(['context', 'get'], at(repo, 'zed', hoursAfter(3)));
      expect(text.code).toBe(0);
      expect(text.stdout.indexOf('## c')).toBeLessThan(text.stdout.indexOf('## b'));
      expect(text.stdout.indexOf('## b')).toBeLessThan(text.stdout.indexOf('## a'));
    });

    it('TTL: a default context is returned at 23 h, not at 25 h, and stays listed as expired', async () => {
      const repo = repos.make();
      const id = await publishId(at(repo, 'alice'), ['--title', 'expiring']);
      expect((await getJson(at(repo, 'bob', hoursAfter(23)))).map((c) => c.id)).toEqual([id]);
      expect(await getJson(at(repo, 'bob', hoursAfter(25)))).toEqual([]);
      expect(await getJson(at(repo, 'alice', hoursAfter(25)), ['--developer', 'alice'])).toEqual([]);
      expect(statusById(await listAllJson(at(repo, 'bob', hoursAfter(25))))).toEqual({ [id]: 'expired' });
      const state = parseOk(stateJson, await handoff(['state', '--json'], at(repo, 'bob', hoursAfter(25))), 'state');
      expect(state.contexts).toEqual([]);
    });
  });

  describe('privacy', () => {
    async function privateSetup(): Promise<{ repo: GitRepo; pats: string; bobs: string }> {
      const repo = repos.make();
      const pats = await publishId(at(repo, 'pat'), ['--title', 'secret work', '--summary', 'private plans']);
      const bobs = await publishId(at(repo, 'bob'), ['--title', 'public work']);
      const vis = await handoff(['context', 'visibility', 'private'], at(repo, 'pat'));
      expect(vis.code, vis.stderr).toBe(0);
      return { repo, pats, bobs };
    }

    it('asking for a private developer by handle exits 3 with the same stderr as for an unknown one', async () => {
      const { repo } = await privateSetup();
      const hidden = await handoff(['context', 'get', '--developer', 'pat'], at(repo, 'bob'));
      expectFailure(hidden, 3);
      // The same handle in a store where it never existed.
      const fresh = repos.make();
      await publishId(at(fresh, 'bob'), ['--title', 'public work']);
      const unknown = await handoff(['context', 'get', '--developer', 'pat'], at(fresh, 'bob'));
      expectFailure(unknown, 3);
      expect(hidden.stderr).toBe(unknown.stderr);
      expect(hidden.stdout).toBe(unknown.stdout);
      // And an unknown handle in the same store, modulo the handle.
      const ghost = await handoff(['context', 'get', '--developer', 'ghost'], at(repo, 'bob'));
      expect(hidden.stderr).toBe(ghost.stderr.replaceAll('ghost', 'pat'));
      const hiddenJson = await handoff(['context', 'get', '--developer', 'pat', '--json'], at(repo, 'bob'));
      const ghostJson = await handoff(['context', 'get', '--developer', 'ghost', '--json'], at(repo, 'bob'));
      expect(hiddenJson.code).toBe(3);
      expect(hiddenJson.stdout).toBe(ghostJson.stdout);
      expect(hiddenJson.stderr).toBe(ghostJson.stderr.replaceAll('ghost', 'pat'));
    });

    it("a private developer never appears in another developer's get, list --all or state", async () => {
      const { repo, bobs } = await privateSetup();
      expect((await getJson(at(repo, 'bob'))).map((c) => c.id)).toEqual([bobs]);
      expect((await listAllJson(at(repo, 'bob'))).map((c) => c.id)).toEqual([bobs]);
      expect((await getJson(at(repo, undefined))).map((c) => c.developer)).toEqual(['bob']);
      const state = parseOk(stateJson, await handoff(['state', '--json'], at(repo, 'bob')), 'state');
      expect(state.contexts.map((c) => c.id)).toEqual([bobs]);
      for (const args of [
        ['context', 'get'],
        ['context', 'list', '--all'],
        ['state'],
        ['state', '--json'],
        ['context', 'get', '--json'],
      ]) {
        const res = await handoff(args, at(repo, 'bob'));
        expect(res.code).toBe(0);
        expect(res.stdout, args.join(' ')).not.toMatch(/pat|secret work|private plans/);
      }
    });

    it('a private developer sees their own contexts everywhere, and public again is visible again', async () => {
      const { repo, pats, bobs } = await privateSetup();
      expect((await getJson(at(repo, 'pat'))).map((c) => c.id).sort()).toEqual([pats, bobs].sort());
      expect((await getJson(at(repo, 'pat'), ['--developer', 'pat'])).map((c) => c.id)).toEqual([pats]);
      expect((await listAllJson(at(repo, 'pat'))).map((c) => c.id).sort()).toEqual([pats, bobs].sort());
      const state = parseOk(stateJson, await handoff(['state', '--json'], at(repo, 'pat')), 'state');
      expect(state.contexts.map((c) => c.id).sort()).toEqual([pats, bobs].sort());
      // Publishing again while private keeps the developer private.
      const pats2 = await publishId(at(repo, 'pat', hoursAfter(1)), ['--title', 'more secret work']);
      expect((await getJson(at(repo, 'bob', hoursAfter(1)))).map((c) => c.id)).toEqual([bobs]);
      expect((await handoff(['context', 'visibility', 'public'], at(repo, 'pat'))).code).toBe(0);
      expect((await getJson(at(repo, 'bob', hoursAfter(1)))).map((c) => c.id)).toEqual([pats2, bobs]);
    });
  });

  describe('revoke', () => {
    it('someone else or an unknown id exits 3 with the same message shape, and nothing changes', async () => {
      const repo = repos.make();
      const id = await publishId(at(repo, 'alice'), ['--title', 'mine']);
      const byOther = await handoff(['context', 'revoke', id], at(repo, 'mallory'));
      expectFailure(byOther, 3);
      const unknownId = '01HZZZZZZZZZZZZZZZZZZZZZZZ';
      const unknown = await handoff(['context', 'revoke', unknownId], at(repo, 'mallory'));
      expectFailure(unknown, 3);
      expect(byOther.stderr.replaceAll(id, '<id>')).toBe(unknown.stderr.replaceAll(unknownId, '<id>'));
      expect(byOther.stdout).toBe(unknown.stdout);
      expect((await getJson(at(repo, 'bob'))).map((c) => c.id)).toEqual([id]);
      expect(statusById(await listAllJson(at(repo, 'bob')))).toEqual({ [id]: 'active' });
    });

    it('the owner revokes: gone from get at once, listed as revoked', async () => {
      const repo = repos.make();
      const id = await publishId(at(repo, 'alice'), ['--title', 'to revoke']);
      const other = await publishId(at(repo, 'alice'), ['--title', 'on another branch', '--branch', 'feature']);
      const res = await handoff(['context', 'revoke', id], at(repo, 'alice'));
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      expect(res.stdout).toContain(id);
      expect((await getJson(at(repo, 'bob'))).map((c) => c.id)).toEqual([other]);
      expect((await getJson(at(repo, 'alice'), ['--developer', 'alice'])).map((c) => c.id)).toEqual([other]);
      const all = await listAllJson(at(repo, 'bob'));
      expect(statusById(all)).toEqual({ [id]: 'revoked', [other]: 'active' });
      expect(all.find((c) => c.id === id)?.revoked_at).toBe(T0);
    });

    it('--json prints the revoked record', async () => {
      const repo = repos.make();
      const id = await publishId(at(repo, 'alice'), ['--title', 'to revoke']);
      const revoked = parseOk(
        context,
        await handoff(['context', 'revoke', id, '--json'], at(repo, 'alice', hoursAfter(1))),
        'revoke --json',
      );
      expect(revoked.id).toBe(id);
      expect(revoked.revoked_at).toBe(hoursAfter(1));
    });
  });

  describe('list --all', () => {
    it('shows active, expired, superseded and revoked contexts, and reads delete nothing', async () => {
      const repo = repos.make();
      const expired = await publishId(at(repo, 'ed'), ['--title', 'short-lived', '--ttl-hours', '1']);
      const old = await publishId(at(repo, 'alice'), ['--title', 'old']);
      const current = await publishId(at(repo, 'alice', hoursAfter(0.5)), ['--title', 'current']);
      const revoked = await publishId(at(repo, 'bob'), ['--title', 'revoked']);
      expect((await handoff(['context', 'revoke', revoked], at(repo, 'bob'))).code).toBe(0);
      const later = hoursAfter(2);
      const expected = { [expired]: 'expired', [old]: 'superseded', [current]: 'active', [revoked]: 'revoked' };
      expect(statusById(await listAllJson(at(repo, 'zed', later)))).toEqual(expected);
      for (let i = 0; i < 3; i += 1) {
        expect((await getJson(at(repo, 'zed', later))).map((c) => c.id)).toEqual([current]);
        expect((await handoff(['state'], at(repo, 'zed', later))).code).toBe(0);
      }
      // A later publish (which may compact the live set) keeps the audit trail too.
      const fresh = await publishId(at(repo, 'carol', later), ['--title', 'fresh']);
      expect(statusById(await listAllJson(at(repo, 'zed', hoursAfter(3))))).toEqual({ ...expected, [fresh]: 'active' });
      const text = await handoff(['context', 'list', '--all'], at(repo, 'zed', hoursAfter(3)));
      expect(text.code).toBe(0);
      for (const status of ['active', 'expired', 'superseded', 'revoked']) expect(text.stdout).toContain(status);
    });
  });

  describe('staleness', () => {
    it('marks a context stale when a touched file is modified or deleted, keeping first_seen', async () => {
      const repo = repos.make();
      const id = await publishId(at(repo, 'alice'), [
        '--title',
        'touching files',
        '--file',
        'src/a.ts',
        '--file',
        'src/b.ts',
        '--file',
        'README.md',
      ]);
      const [fresh] = await getJson(at(repo, 'bob', hoursAfter(1)));
      expect(fresh?.staleness).toEqual({ stale: false, changed_files: [] });

      repo.write({ 'src/a.ts': 'export const a = 42;\n' });
      const [modified] = await getJson(at(repo, 'bob', hoursAfter(2)));
      expect(modified?.id).toBe(id);
      expect(modified?.staleness).toEqual({
        stale: true,
        stale_since: hoursAfter(2),
        changed_files: [{ path: 'src/a.ts', change: 'modified', first_seen: hoursAfter(2) }],
      });

      repo.remove('src/b.ts');
      const [both] = await getJson(at(repo, 'bob', hoursAfter(3)));
      expect(both?.staleness?.stale_since).toBe(hoursAfter(2));
      const changes = Object.fromEntries(
        (both?.staleness?.changed_files ?? []).map((f) => [f.path, [f.change, f.first_seen]]),
      );
      expect(changes).toEqual({ 'src/a.ts': ['modified', hoursAfter(2)], 'src/b.ts': ['deleted', hoursAfter(3)] });

      // A later read, by anyone, keeps the first sightings.
      const [later] = await getJson(at(repo, 'alice', hoursAfter(5)), ['--developer', 'alice']);
      expect(later?.staleness).toEqual(both?.staleness);
      const state = parseOk(stateJson, await handoff(['state', '--json'], at(repo, 'carol', hoursAfter(6))), 'state');
      expect(state.contexts[0]?.staleness).toEqual(both?.staleness);
      const text = await handoff(['state'], at(repo, 'carol', hoursAfter(6)));
      expect(text.stdout).toMatch(/stale/i);
    });
  });

  describe('staleness regressions', () => {
    it('a touched path with a space that is missing on another branch does not hang state or get', async () => {
      const repo = repos.make();
      repo.git('checkout', '-q', '-b', 'feat');
      writeFileSync(join(repo.dir, 'a b.md'), 'y\n');
      await publishId(at(repo, 'bob'), ['--title', 'T', '--file', 'a b.md', '--file', 'src/a.ts']);
      repo.git('checkout', '-q', 'main');
      const json = await handoff(['state', '--json'], at(repo, 'carol', hoursAfter(1)));
      const state = parseOk(teamState, json, 'state');
      expect(state.contexts).toHaveLength(1);
      const changed = state.contexts[0]?.staleness?.changed_files.map((f) => [f.path, f.change]);
      expect(changed).toEqual([['a b.md', 'deleted']]);
      expect(await getJson(at(repo, 'carol', hoursAfter(1)))).toHaveLength(1);
    });

    it('a CRLF checkout of an unchanged file is not stale when read from the branch tip', async () => {
      const repo = repos.make({ '.gitattributes': '* text eol=crlf\n', 'a.txt': 'one\ntwo\n', 'README.md': '# r\n' });
      repo.git('checkout', '-q', '-b', 'feat');
      rmSync(join(repo.dir, 'a.txt'));
      repo.git('checkout', '--', 'a.txt');
      expect(readFileSync(join(repo.dir, 'a.txt'), 'utf8')).toBe('one\r\ntwo\r\n');
      await publishId(at(repo, 'bob'), ['--title', 'T', '--file', 'a.txt']);
      repo.git('checkout', '-q', 'main');
      const [seen] = await getJson(at(repo, 'carol', hoursAfter(1)));
      expect(seen?.staleness).toEqual({ stale: false, changed_files: [] });
    });
  });

  describe('state', () => {
    it('prints developer, title, summary, repo · branch, counts and the context get hint; --json too', async () => {
      const repo = repos.make();
      const id = await publishId(at(repo, 'alice'), [
        '--title',
        'Split the parser',
        '--summary',
        'Moved tokenising out of the parser.\nSecond line of detail.',
        '--file',
        'src/a.ts',
        '--file',
        'src/b.ts',
        '--next',
        'wire it up',
        '--blocker',
        'needs review',
        '--blocker',
        'CI flaky',
      ]);
      const res = await handoff(['state'], at(repo, 'bob', hoursAfter(2)));
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      const out = res.stdout;
      expect(out).toContain('alice');
      expect(out).toContain('Split the parser');
      expect(out).toContain('Moved tokenising out of the parser.');
      expect(out).toContain(`${REPO_ID} · main`);
      expect(out).toMatch(/2 files/);
      expect(out).toMatch(/1 next action/);
      expect(out).toMatch(/2 blockers/);
      expect(out).toContain('2h ago');
      expect(out).toContain('2024-03-01T12:00:00');
      expect(out).toContain('context get');
      expect(out).not.toContain('\x1b[');
      const json = await handoff(['state', '--json'], at(repo, 'bob', hoursAfter(2)));
      const state = parseOk(stateJson, json, 'state --json');
      expect(state.repo).toBe(REPO_ID);
      expect(state.contexts.map((c) => [c.id, c.developer, c.status])).toEqual([[id, 'alice', 'active']]);
    });

    it('says so when there is nothing to show', async () => {
      const repo = repos.make();
      const res = await handoff(['state'], at(repo, 'bob'));
      expect(res.code).toBe(0);
      expect(res.stdout.length).toBeGreaterThan(0);
      expect(parseOk(stateJson, await handoff(['state', '--json'], at(repo, 'bob')), 'state --json').contexts).toEqual(
        [],
      );
    });
  });

  describe('events', () => {
    const eventsOf = (repo: GitRepo) => eventLines(readFileSync(join(storeDirOf(repo.dir), 'events.jsonl'), 'utf8'));

    it('logs usage and work events for every call, metadata only', async () => {
      const repo = repos.make();
      const summary = 'A distinctive summary sentence that must not be logged';
      const id = await publishId(at(repo, 'alice'), [
        '--title',
        'Distinctive title',
        '--summary',
        summary,
        '--next',
        'distinctive next step',
      ]);
      let events = eventsOf(repo);
      expect(events.map((e) => [e.kind, e.name, e.context_id])).toEqual([
        ['usage', 'context.publish', id],
        ['work', 'session.context_published', id],
      ]);
      expect(events.every((e) => e.developer === 'alice' && e.time === T0)).toBe(true);

      await getJson(at(repo, 'bob'));
      await listAllJson(at(repo, 'bob'));
      expect((await handoff(['state'], at(repo, 'bob'))).code).toBe(0);
      expect((await handoff(['context', 'revoke', id], at(repo, 'alice', hoursAfter(1)))).code).toBe(0);
      events = eventsOf(repo);
      expect(events.map((e) => e.name)).toEqual([
        'context.publish',
        'session.context_published',
        'context.get',
        'context.list',
        'state',
        'context.revoke',
        'session.context_revoked',
      ]);
      const revokeEvents = events.slice(-2);
      expect(revokeEvents.map((e) => [e.kind, e.context_id, e.developer, e.time])).toEqual([
        ['usage', id, 'alice', hoursAfter(1)],
        ['work', id, 'alice', hoursAfter(1)],
      ]);
      const raw = readFileSync(join(storeDirOf(repo.dir), 'events.jsonl'), 'utf8');
      expect(raw).not.toContain(summary);
      expect(raw).not.toContain('Distinctive title');
      expect(raw).not.toContain('distinctive next step');
    });

    it('a failed call is still logged when it gets as far as the store', async () => {
      const repo = repos.make();
      await publishId(at(repo, 'alice'), ['--title', 't']);
      expect((await handoff(['context', 'get', '--developer', 'nobody'], at(repo, 'bob'))).code).toBe(3);
      expect(eventsOf(repo).at(-1)?.name).toBe('context.get');
    });

    it('keeps the event log capped at the newest 5,000 lines', async () => {
      const repo = repos.make();
      await publishId(at(repo, 'alice'), ['--title', 't']);
      const path = join(storeDirOf(repo.dir), 'events.jsonl');
      const filler = Array.from({ length: 5_100 }, (_, i) =>
        JSON.stringify({
          time: '2024-02-01T00:00:00.000Z',
          kind: 'usage',
          name: 'context.get',
          developer: 'filler',
          repo: REPO_ID,
          context_id: `F${String(i).padStart(5, '0')}`,
        }),
      );
      writeFileSync(path, `${filler.join('\n')}\n`);
      await getJson(at(repo, 'bob', hoursAfter(1)));
      const events = eventLines(readFileSync(path, 'utf8'));
      expect(events.length).toBeLessThanOrEqual(5_000);
      expect(events.length).toBeGreaterThanOrEqual(4_900);
      expect(events.at(-1)).toMatchObject({ name: 'context.get', developer: 'bob', time: hoursAfter(1) });
      expect(events.at(-2)?.context_id).toBe('F05099');
      // The newest are kept, in order.
      const kept = events.filter((e) => e.developer === 'filler').map((e) => e.context_id);
      expect(kept).toEqual(filler.slice(-kept.length).map((l) => (JSON.parse(l) as { context_id: string }).context_id));
    });
  });

  describe('store location', () => {
    it('is shared by linked worktrees: publish in one, get in the other', async () => {
      const repo = repos.make();
      const wt = join(repos.dir(), 'wt');
      repo.git('worktree', 'add', '-q', '-b', 'feature', wt);
      expect(storeDirOf(wt)).toBe(storeDirOf(repo.dir));
      const fromWt = await publishId({ cwd: wt, now: T0, as: 'alice' }, [
        '--title',
        'in the worktree',
        '--file',
        'src/a.ts',
      ]);
      const fromMain = await publishId(at(repo, 'bob', hoursAfter(0.5)), ['--title', 'in the main checkout']);
      const seenFromMain = await getJson(at(repo, 'carol', hoursAfter(1)));
      expect(seenFromMain.map((c) => [c.id, c.branch])).toEqual([
        [fromMain, 'main'],
        [fromWt, 'feature'],
      ]);
      expect(seenFromMain.every((c) => c.repo === REPO_ID)).toBe(true);
      const seenFromWt = await getJson({ cwd: wt, now: hoursAfter(1), as: 'carol' });
      expect(seenFromWt.map((c) => c.id).sort()).toEqual([fromWt, fromMain].sort());
      expect(existsSync(join(wt, '.git', 'codemap-handoff'))).toBe(false);
      expect(storeFiles(repo.dir)).toContain('active.json');
      // Revoking from the other worktree works too.
      expect((await handoff(['context', 'revoke', fromWt], at(repo, 'alice', hoursAfter(2)))).code).toBe(0);
      expect((await getJson({ cwd: wt, now: hoursAfter(2), as: 'carol' })).map((c) => c.id)).toEqual([fromMain]);
    });

    it('judges staleness of a context from another worktree against that worktree', async () => {
      const repo = repos.make();
      const wt = join(repos.dir(), 'wt');
      repo.git('worktree', 'add', '-q', '-b', 'feature', wt);
      // Work in progress, not committed: the context describes the worktree as it is.
      writeFileSync(join(wt, 'src/a.ts'), 'export const a = "work in progress";\n');
      const id = await publishId({ cwd: wt, now: T0, as: 'alice' }, [
        '--title',
        'wip',
        '--file',
        'src/a.ts',
        '--file',
        'src/b.ts',
      ]);
      const fromWt = await getJson({ cwd: wt, now: hoursAfter(1), as: 'alice' });
      expect(fromWt.map((c) => [c.id, c.staleness?.stale])).toEqual([[id, false]]);
      const fromMain = await getJson(at(repo, 'bob', hoursAfter(1)));
      expect(fromMain.map((c) => [c.id, c.staleness?.stale])).toEqual([[id, false]]);
      // A change in that worktree makes it stale for every reader.
      writeFileSync(join(wt, 'src/b.ts'), 'export const b = "changed after publish";\n');
      const [changed] = await getJson(at(repo, 'bob', hoursAfter(2)));
      expect(changed?.staleness?.changed_files.map((f) => [f.path, f.change])).toEqual([['src/b.ts', 'modified']]);
    });

    it('-C <dir> runs every context command as if started there', async () => {
      const repo = repos.make();
      const outside = repos.dir();
      const id = await publishId({ cwd: outside, now: T0, as: 'alice' }, ['-C', repo.dir, '--title', 'from outside']);
      expect((await getJson({ cwd: outside, now: T0, as: 'bob' }, ['-C', repo.dir])).map((c) => c.id)).toEqual([id]);
      const state = parseOk(
        stateJson,
        await handoff(['state', '-C', repo.dir, '--json'], { cwd: outside, now: T0, as: 'bob' }),
        'state -C',
      );
      expect(state.contexts.map((c) => c.id)).toEqual([id]);
      expect(
        (await handoff(['context', 'revoke', '-C', repo.dir, id], { cwd: outside, now: T0, as: 'alice' })).code,
      ).toBe(0);
      expect((await listAllJson({ cwd: repo.dir, now: T0, as: 'bob' })).map((c) => c.status)).toEqual(['revoked']);
      const notARepo = await handoff(['context', 'get'], { cwd: outside, now: T0, as: 'bob' });
      expectFailure(notARepo, notARepo.code === 2 ? 2 : 1, /git repository/);
    });

    it('keeps the working tree clean', async () => {
      const repo = repos.make();
      await publishId(at(repo, 'alice'), ['--title', 't', '--file', 'src/a.ts']);
      await getJson(at(repo, 'bob'));
      expect((await handoff(['state'], at(repo, 'bob'))).code).toBe(0);
      expect(repo.git('status', '--porcelain')).toBe('');
    });

    it('uses the primary worktree folder name as the repo id when there is no origin', async () => {
      const repo = repos.make();
      repo.git('remote', 'remove', 'origin');
      const record = await publishJson(at(repo, 'alice'), ['--title', 't']);
      expect(record.repo).toBe('repo');
    });
  });

  describe('identity', () => {
    it('without any identity, publish exits 2', async () => {
      const repo = repos.make();
      repo.git('config', '--unset', 'user.email');
      const res = await handoff(['context', 'publish', '--title', 't', '--summary', 's'], {
        cwd: repo.dir,
        now: T0,
        env: { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
      });
      expectFailure(res, 2);
      expect(existsSync(join(storeDirOf(repo.dir), 'active.json'))).toBe(false);
      // Reading needs no identity.
      expect(await getJson({ cwd: repo.dir, now: T0 })).toEqual([]);
    });

    it('--as wins over HANDOFF_DEVELOPER, which wins over git user.email', async () => {
      const repo = repos.make();
      expect(
        (await publishJson({ cwd: repo.dir, now: T0, as: 'env-dev' }, ['--title', 't', '--as', 'flag-dev'])).developer,
      ).toBe('flag-dev');
      expect((await publishJson({ cwd: repo.dir, now: T0, as: 'env-dev' }, ['--title', 't'])).developer).toBe(
        'env-dev',
      );
      expect((await publishJson({ cwd: repo.dir, now: T0 }, ['--title', 't'])).developer).toBe('fixture@example.com');
    });
  });

  describe('handoff link', () => {
    it("`handoff` carries the developer's active context, its next actions and blockers", async () => {
      const repo = repos.make();
      const other = await publishId(at(repo, 'alice'), [
        '--title',
        'Other branch work',
        '--branch',
        'elsewhere',
        '--next',
        'unrelated step',
      ]);
      const id = await publishId(at(repo, 'alice', hoursAfter(-1)), [
        '--title',
        'Split the parser',
        '--summary',
        'Tokenizer moved out.',
        '--next',
        'Wire the tokenizer into main',
        '--blocker',
        'Waiting for API review',
      ]);
      await publishId(at(repo, 'bob'), ['--title', 'Bob stuff', '--next', 'bob next step', '--blocker', 'bob blocker']);
      expect(other).not.toBe(id);
      const res = await handoff(['--json', '--no-save'], at(repo, 'alice'));
      expect(res.code, res.stderr).toBe(0);
      const a = artifact.parse(JSON.parse(res.stdout));
      expect(a.delta.context).toEqual({ id, title: 'Split the parser', summary: 'Tokenizer moved out.' });
      expect(a.delta.next_steps.some((s) => s.includes('Wire the tokenizer into main'))).toBe(true);
      expect(a.delta.open_questions.some((s) => s.includes('Waiting for API review'))).toBe(true);
      const all = JSON.stringify(a);
      expect(all).not.toContain('bob next step');
      expect(all).not.toContain('bob blocker');
      expect(all).not.toContain('unrelated step');
    });

    it('has no context link for a developer without an active context', async () => {
      const repo = repos.make();
      await publishId(at(repo, 'alice'), ['--title', 'x', '--ttl-hours', '1']);
      const expired = await handoff(['--json', '--no-save'], at(repo, 'alice', hoursAfter(2)));
      expect(expired.code, expired.stderr).toBe(0);
      expect(artifact.parse(JSON.parse(expired.stdout)).delta.context).toBeUndefined();
      const stranger = await handoff(['--json', '--no-save'], at(repo, 'zed'));
      expect(artifact.parse(JSON.parse(stranger.stdout)).delta.context).toBeUndefined();
    });
  });

  it('no stray temporary or lock files are left behind after normal use', async () => {
    const repo = repos.make();
    await publishId(at(repo, 'alice'), ['--title', 't']);
    await getJson(at(repo, 'bob'));
    const files = storeFiles(repo.dir);
    expect(files.filter((f) => f.endsWith('.tmp') || f.endsWith('.lock') || f.endsWith('.takeover'))).toEqual([]);
  });
});
