// Context exchange end to end (issue 3), the thin spawned layer: each context command's
// exit code and streams through the built CLI (stdin, exit 2/3/1, one stderr line). The
// behaviour (TTL, privacy, staleness, events, worktrees, repair…) is checked in-process in
// test/cli/context-command.test.ts.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { contextView } from '../../src/schema/context.js';
import {
  REPO_ID,
  Repos,
  T0,
  expectFailure,
  getJson,
  handoff,
  hoursAfter,
  listAllJson,
  logFiles,
  parseOk,
  publishId,
  storeDirOf,
  type GitRepo,
} from './context-helpers.js';

const stateJson = z.object({ repo: z.string(), contexts: z.array(contextView) });

const statusById = (views: readonly { id: string; status: string }[]): Record<string, string> =>
  Object.fromEntries(views.map((v) => [v.id, v.status]));

describe('context exchange through the built CLI', { tags: ['slow'] }, () => {
  const repos = new Repos();
  afterAll(() => repos.cleanup());

  const at = (repo: GitRepo, as?: string, now: string = T0) => ({
    cwd: repo.dir,
    now,
    ...(as !== undefined ? { as } : {}),
  });

  describe('publish', () => {
    it('prints only the new id, and get returns the full record', () => {
      const repo = repos.make();
      const id = publishId(at(repo, 'alice'), [
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
      const [got, ...rest] = getJson(at(repo, 'alice'));
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

    it('--from-json - reads the fields from stdin and prints the id', () => {
      const repo = repos.make();
      const res = handoff(['context', 'publish', '--from-json', '-'], {
        ...at(repo, 'dave'),
        input: JSON.stringify({ title: 'Via stdin', summary: 'Piped in by an agent hook.', next_actions: ['a', 'b'] }),
      });
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      const id = res.stdout.trim();
      expect(res.stdout).toBe(`${id}\n`);
      const [got] = getJson(at(repo, 'dave'));
      expect(got).toMatchObject({
        id,
        title: 'Via stdin',
        summary: 'Piped in by an agent hook.',
        next_actions: ['a', 'b'],
        developer: 'dave',
      });
    });

    it('--from-json with invalid JSON or a non-object exits 2', () => {
      const repo = repos.make();
      expectFailure(
        handoff(['context', 'publish', '--from-json', '-'], { ...at(repo, 'dave'), input: '{not json' }),
        2,
      );
      expectFailure(handoff(['context', 'publish', '--from-json', '-'], { ...at(repo, 'dave'), input: '[1,2]' }), 2);
      expectFailure(
        handoff(['context', 'publish', '--from-json', '-'], { ...at(repo, 'dave'), input: '{"title": 5}' }),
        2,
      );
    });
  });

  describe('get', () => {
    it('--developer returns only that developer; an unknown developer exits 3', () => {
      const repo = repos.make();
      publishId(at(repo, 'alice'), ['--title', 'a']);
      const b = publishId(at(repo, 'bob'), ['--title', 'b']);
      expect(getJson(at(repo, 'alice'), ['--developer', 'bob']).map((v) => v.id)).toEqual([b]);
      expectFailure(handoff(['context', 'get', '--developer', 'nobody'], at(repo, 'alice')), 3);
      expectFailure(handoff(['context', 'get', '--developer', 'nobody', '--json'], at(repo, 'alice')), 3);
    });
  });

  describe('privacy', () => {
    function privateSetup(): { repo: GitRepo; pats: string; bobs: string } {
      const repo = repos.make();
      const pats = publishId(at(repo, 'pat'), ['--title', 'secret work', '--summary', 'private plans']);
      const bobs = publishId(at(repo, 'bob'), ['--title', 'public work']);
      const vis = handoff(['context', 'visibility', 'private'], at(repo, 'pat'));
      expect(vis.code, vis.stderr).toBe(0);
      return { repo, pats, bobs };
    }

    it('asking for a private developer by handle exits 3 with the same stderr as for an unknown one', () => {
      const { repo } = privateSetup();
      const hidden = handoff(['context', 'get', '--developer', 'pat'], at(repo, 'bob'));
      expectFailure(hidden, 3);
      // The same handle in a store where it never existed.
      const fresh = repos.make();
      publishId(at(fresh, 'bob'), ['--title', 'public work']);
      const unknown = handoff(['context', 'get', '--developer', 'pat'], at(fresh, 'bob'));
      expectFailure(unknown, 3);
      expect(hidden.stderr).toBe(unknown.stderr);
      expect(hidden.stdout).toBe(unknown.stdout);
      // And an unknown handle in the same store, modulo the handle.
      const ghost = handoff(['context', 'get', '--developer', 'ghost'], at(repo, 'bob'));
      expect(hidden.stderr).toBe(ghost.stderr.replaceAll('ghost', 'pat'));
      const hiddenJson = handoff(['context', 'get', '--developer', 'pat', '--json'], at(repo, 'bob'));
      const ghostJson = handoff(['context', 'get', '--developer', 'ghost', '--json'], at(repo, 'bob'));
      expect(hiddenJson.code).toBe(3);
      expect(hiddenJson.stdout).toBe(ghostJson.stdout);
      expect(hiddenJson.stderr).toBe(ghostJson.stderr.replaceAll('ghost', 'pat'));
    });
  });

  describe('revoke', () => {
    it('someone else or an unknown id exits 3 with the same message shape, and nothing changes', () => {
      const repo = repos.make();
      const id = publishId(at(repo, 'alice'), ['--title', 'mine']);
      const byOther = handoff(['context', 'revoke', id], at(repo, 'mallory'));
      expectFailure(byOther, 3);
      const unknownId = '01HZZZZZZZZZZZZZZZZZZZZZZZ';
      const unknown = handoff(['context', 'revoke', unknownId], at(repo, 'mallory'));
      expectFailure(unknown, 3);
      expect(byOther.stderr.replaceAll(id, '<id>')).toBe(unknown.stderr.replaceAll(unknownId, '<id>'));
      expect(byOther.stdout).toBe(unknown.stdout);
      expect(getJson(at(repo, 'bob')).map((c) => c.id)).toEqual([id]);
      expect(statusById(listAllJson(at(repo, 'bob')))).toEqual({ [id]: 'active' });
    });
  });

  describe('state', () => {
    it('prints developer, title, summary, repo · branch, counts and the context get hint; --json too', () => {
      const repo = repos.make();
      const id = publishId(at(repo, 'alice'), [
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
      const res = handoff(['state'], at(repo, 'bob', hoursAfter(2)));
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
      const state = parseOk(stateJson, handoff(['state', '--json'], at(repo, 'bob', hoursAfter(2))), 'state --json');
      expect(state.repo).toBe(REPO_ID);
      expect(state.contexts.map((c) => [c.id, c.developer, c.status])).toEqual([[id, 'alice', 'active']]);
    });
  });

  describe('identity', () => {
    it('without any identity, publish exits 2', () => {
      const repo = repos.make();
      repo.git('config', '--unset', 'user.email');
      const res = handoff(['context', 'publish', '--title', 't', '--summary', 's'], {
        cwd: repo.dir,
        now: T0,
        env: { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
      });
      expectFailure(res, 2);
      expect(existsSync(join(storeDirOf(repo.dir), 'active.json'))).toBe(false);
      // Reading needs no identity.
      expect(getJson({ cwd: repo.dir, now: T0 })).toEqual([]);
    });
  });

  describe('corrupt store', () => {
    function seeded(): { repo: GitRepo; ids: string[]; dir: string } {
      const repo = repos.make();
      const ids = ['alice', 'bob', 'carol'].map((dev, i) =>
        publishId(at(repo, dev, hoursAfter(i * 0.1)), ['--title', `work of ${dev}`]),
      );
      return { repo, ids, dir: storeDirOf(repo.dir) };
    }

    it('a garbled active.json: get exits 1 naming it, leaves it untouched; repair moves it aside', () => {
      const { repo, ids, dir } = seeded();
      const path = join(dir, 'active.json');
      const garbled = readFileSync(path).subarray(0, 40);
      writeFileSync(path, garbled);
      const res = handoff(['context', 'get'], at(repo, 'zed', hoursAfter(1)));
      expectFailure(res, 1, /active\.json/);
      expect(readFileSync(path).equals(garbled)).toBe(true);
      const pub = handoff(['context', 'publish', '--title', 'blocked'], at(repo, 'dave', hoursAfter(1)));
      expectFailure(pub, 1, /active\.json/);
      expect(readFileSync(path).equals(garbled)).toBe(true);

      const repair = handoff(['context', 'repair'], at(repo, 'zed', hoursAfter(1)));
      expect(repair.code, repair.stderr).toBe(0);
      const aside = readdirSync(dir).filter((f) => f.startsWith('active.json.corrupt-'));
      expect(aside).toHaveLength(1);
      expect(readFileSync(join(dir, aside[0]!)).equals(garbled)).toBe(true);
      expect(
        getJson(at(repo, 'zed', hoursAfter(1)))
          .map((c) => c.id)
          .sort(),
      ).toEqual([...ids].sort());
      const next = publishId(at(repo, 'dave', hoursAfter(1)), ['--title', 'after repair']);
      expect(
        getJson(at(repo, 'zed', hoursAfter(1)))
          .map((c) => c.id)
          .sort(),
      ).toEqual([...ids, next].sort());
    });

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

    it('a flipped byte in a middle log line: list --all exits 1 naming the log, untouched; repair moves it aside', () => {
      const { repo, ids, dir } = seeded();
      const [log] = logFiles(repo.dir);
      expect(log).toBeDefined();
      const { path, before } = flipMiddleLine(dir, log!);
      const res = handoff(['context', 'list', '--all'], at(repo, 'zed', hoursAfter(1)));
      expectFailure(res, 1, new RegExp(log!.replace('.', '\\.')));
      expect(readFileSync(path).equals(before)).toBe(true);

      const repair = handoff(['context', 'repair'], at(repo, 'zed', hoursAfter(1)));
      expect(repair.code, repair.stderr).toBe(0);
      const aside = readdirSync(dir).filter((f) => f.startsWith(`${log}.corrupt-`));
      expect(aside).toHaveLength(1);
      expect(readFileSync(join(dir, aside[0]!)).equals(before)).toBe(true);
      // The records that still check out are kept.
      const listed = listAllJson(at(repo, 'zed', hoursAfter(1))).map((c) => c.id);
      expect(listed).toEqual(expect.arrayContaining([ids[0], ids[2]]));
      expect(getJson(at(repo, 'zed', hoursAfter(1))).length).toBeGreaterThanOrEqual(2);
      // And the store keeps working afterwards.
      const next = publishId(at(repo, 'dave', hoursAfter(2)), ['--title', 'after repair']);
      expect(getJson(at(repo, 'zed', hoursAfter(2))).map((c) => c.id)).toContain(next);
      expect(listAllJson(at(repo, 'zed', hoursAfter(2))).map((c) => c.id)).toContain(next);
      const again = handoff(['context', 'repair'], at(repo, 'zed', hoursAfter(2)));
      expect(again.code).toBe(0);
      expect(readdirSync(dir).filter((f) => f.includes('.corrupt-'))).toHaveLength(1);
    });
  });
});
