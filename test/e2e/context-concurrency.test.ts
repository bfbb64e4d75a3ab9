// Context store under real concurrency (issue 3, "Concurrency and faults"): many
// processes publishing at once, and publishers killed with SIGKILL at random moments.
// Every process is spawned before any is awaited; the store must always parse and keep
// every publish whose process exited 0. The audits between kill rounds read in-process.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ContextView } from '../../src/schema/context.js';
import { checkpoint } from '../../src/schema/records.js';
import {
  Repos,
  T0,
  getJson,
  logFiles,
  handoff,
  handoffInBackground,
  hoursAfter,
  listAllJson,
  storeDirOf,
  viewList,
  type GitRepo,
} from './context-helpers.js';
import { handoff as readInProcess } from '../support/context-cli.js';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** A small seeded PRNG so a failing run can be replayed from the seed in its message. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function expectStoreParses(repo: GitRepo): void {
  const dir = storeDirOf(repo.dir);
  checkpoint.parse(JSON.parse(readFileSync(join(dir, 'active.json'), 'utf8')));
  expect(readdirSync(dir).filter((f) => f.includes('.corrupt-'))).toEqual([]);
}

function publishArgs(title: string): string[] {
  return [
    'context',
    'publish',
    '--title',
    title,
    '--summary',
    `Working on ${title}.`,
    '--file',
    'src/a.ts',
    '--next',
    'keep going',
  ];
}

interface KillLoop {
  seed: number;
  random: () => number;
  /** Developers dev0…dev(n-1): a small pool, so rounds also supersede each other's slots. */
  developers: number;
  /** How long finished publishers ran, to aim the kills of odd rounds. */
  lifetimes: number[];
  acknowledged: Set<string>;
  killedMidway: number;
}

/**
 * One round of a kill loop: 3–4 publishers at once, one SIGKILLed after a random delay.
 * Even rounds kill 0–150 ms after spawn (mostly during start-up); odd rounds aim the same
 * 150 ms window at the end of a typical run, where the store is written. Every survivor
 * must succeed and is acknowledged; then every acknowledged id must be stored. Returns the
 * round's label for messages and the active contexts `get` served.
 */
async function killRound(
  repo: GitRepo,
  loop: KillLoop,
  round: number,
  now: string,
): Promise<{ context: string; active: ContextView[] }> {
  const count = 3 + Math.floor(loop.random() * 2);
  const runs = Array.from({ length: count }, (_, i) =>
    handoffInBackground(publishArgs(`round ${round} #${i}`), {
      cwd: repo.dir,
      as: `dev${Math.floor(loop.random() * loop.developers)}`,
      now,
    }),
  );
  const victim = Math.floor(loop.random() * count);
  const offset = round % 2 === 1 ? Math.max(0, median(loop.lifetimes) - 150) : 0;
  const delay = offset + Math.floor(loop.random() * 151);
  const started = Date.now();
  const timer = setTimeout(() => runs[victim]!.child.kill('SIGKILL'), delay);
  const results = await Promise.all(
    runs.map((r) =>
      r.done.then((res) => {
        if (res.code === 0) loop.lifetimes.push(Date.now() - started);
        return res;
      }),
    ),
  );
  clearTimeout(timer);
  const context = `seed ${loop.seed}, round ${round}, victim ${victim} after ${delay} ms`;
  for (const [i, res] of results.entries()) {
    if (i === victim && res.signal === 'SIGKILL') {
      loop.killedMidway += 1;
      continue;
    }
    expect(res.stderr, `${context}: stderr of publisher ${i}`).toBe('');
    expect(res.code, `${context}: exit code of publisher ${i}`).toBe(0);
    expect(res.stdout.trim(), context).toMatch(ULID);
    loop.acknowledged.add(res.stdout.trim());
  }
  // The readers run in-process: the race is the publishers'; every round still checks the store.
  const list = await readInProcess(['context', 'list', '--all', '--json'], { cwd: repo.dir, as: 'auditor', now });
  expect(list.code, `${context}: list --all failed: ${list.stderr}`).toBe(0);
  const stored = new Set(viewList.parse(JSON.parse(list.stdout)).map((c) => c.id));
  for (const id of loop.acknowledged) expect(stored.has(id), `${context}: acknowledged ${id} missing`).toBe(true);
  const get = await readInProcess(['context', 'get', '--json'], { cwd: repo.dir, as: 'auditor', now });
  expect(get.code, `${context}: get failed: ${get.stderr}`).toBe(0);
  return { context, active: viewList.parse(JSON.parse(get.stdout)) };
}

function newKillLoop(developers: number, acknowledged: Iterable<string> = []): KillLoop {
  const seed = Date.now() % 1_000_000;
  return { seed, random: prng(seed), developers, lifetimes: [], acknowledged: new Set(acknowledged), killedMidway: 0 };
}

describe('context store under concurrent processes', { tags: ['slow'] }, () => {
  const repos = new Repos();
  afterAll(() => repos.cleanup());

  it('50 concurrent publishes by 50 developers: all succeed, 50 active contexts, valid JSON', async () => {
    const repo = repos.make();
    const runs = Array.from({ length: 50 }, (_, i) =>
      handoffInBackground(publishArgs(`task ${i}`), { cwd: repo.dir, as: `dev${i}`, now: T0 }),
    );
    const results = await Promise.all(runs.map((r) => r.done));
    for (const [i, res] of results.entries()) {
      expect(res.stderr, `stderr of publisher ${i}`).toBe('');
      expect(res.code, `exit code of publisher ${i}`).toBe(0);
      expect(res.stdout.trim()).toMatch(ULID);
    }
    const printed = results.map((r) => r.stdout.trim());
    expect(new Set(printed).size).toBe(50);

    expectStoreParses(repo);
    const active = getJson({ cwd: repo.dir, as: 'reader', now: hoursAfter(1) });
    expect(active).toHaveLength(50);
    expect(active.map((c) => c.id).sort()).toEqual([...printed].sort());
    expect(new Set(active.map((c) => c.developer)).size).toBe(50);
    const all = listAllJson({ cwd: repo.dir, as: 'reader', now: hoursAfter(1) });
    expect(all.every((c) => c.status === 'active')).toBe(true);
    expect(all).toHaveLength(50);
  });

  it('50 concurrent publishes by one developer on one branch: exactly one active, 49 superseded, none lost', async () => {
    const repo = repos.make();
    const runs = Array.from({ length: 50 }, (_, i) =>
      handoffInBackground(publishArgs(`attempt ${i}`), { cwd: repo.dir, as: 'solo', now: T0 }),
    );
    const results = await Promise.all(runs.map((r) => r.done));
    for (const [i, res] of results.entries()) {
      expect(res.stderr, `stderr of publisher ${i}`).toBe('');
      expect(res.code, `exit code of publisher ${i}`).toBe(0);
    }
    const printed = results.map((r) => r.stdout.trim());
    expect(new Set(printed).size).toBe(50);

    expectStoreParses(repo);
    const active = getJson({ cwd: repo.dir, as: 'solo', now: hoursAfter(1) }, ['--developer', 'solo']);
    expect(active).toHaveLength(1);
    const all = listAllJson({ cwd: repo.dir, as: 'reader', now: hoursAfter(1) });
    expect(all).toHaveLength(50);
    expect(all.map((c) => c.id).sort()).toEqual([...printed].sort());
    const superseded = all.filter((c) => c.status === 'superseded');
    expect(superseded).toHaveLength(49);
    expect(all.filter((c) => c.status === 'active').map((c) => c.id)).toEqual([active[0]!.id]);
    // The supersession chain is linear: every superseder is a stored id, none twice.
    const supersederIds = superseded.map((c) => c.superseded_by);
    expect(new Set(supersederIds).size).toBe(49);
    for (const id of supersederIds) expect(printed).toContain(id);
    expect(supersederIds).toContain(active[0]!.id);
  });

  it(
    'publishers killed with SIGKILL at random moments never break the store or lose an acknowledged publish',
    { timeout: 150_000 },
    async () => {
      const repo = repos.make();
      const loop = newKillLoop(3);
      const rounds = 20;
      for (let round = 0; round < rounds; round += 1) {
        const { context, active } = await killRound(repo, loop, round, hoursAfter(round * 0.01));
        const perDeveloper = new Map<string, number>();
        for (const c of active) perDeveloper.set(c.developer, (perDeveloper.get(c.developer) ?? 0) + 1);
        for (const [dev, n] of perDeveloper)
          expect(n, `${context}: ${dev} has ${n} active contexts on one branch`).toBe(1);
        expectStoreParses(repo);
      }
      // The kill must have landed mid-run in at least some rounds for the test to mean anything.
      expect(loop.killedMidway, `seed ${loop.seed}`).toBeGreaterThan(rounds / 3);
      // A final publish still goes through (no lock left behind by a killed process blocks it).
      const last = handoff(publishArgs('after the storm'), { cwd: repo.dir, as: 'dev0', now: hoursAfter(1) });
      expect(last.code, last.stderr).toBe(0);
    },
  );
  it(
    'from a repaired store, killed publishers never break a command or lose an acknowledged publish',
    { timeout: 300_000 },
    async () => {
      // Issue 7: repair used to keep a checkpoint whose offset pointed past the rewritten
      // log; a writer killed between append and checkpoint then made every command fail.
      const repo = repos.make();
      const seededIds: string[] = [];
      for (const [i, dev] of ['alice', 'bob', 'carol'].entries()) {
        const res = handoff(publishArgs(`seed ${dev}`), { cwd: repo.dir, as: dev, now: hoursAfter(i * 0.001) });
        expect(res.code, res.stderr).toBe(0);
        seededIds.push(res.stdout.trim());
      }
      const [log] = logFiles(repo.dir);
      const path = join(storeDirOf(repo.dir), log!);
      const lines = readFileSync(path, 'utf8').split('\n');
      lines[1] = lines[1]!.replace('seed bob', 'seed BOB');
      writeFileSync(path, lines.join('\n'));
      const repair = handoff(['context', 'repair'], { cwd: repo.dir, as: 'admin', now: hoursAfter(0.01) });
      expect(repair.code, repair.stderr).toBe(0);
      const dropped = seededIds[1]!;
      const loop = newKillLoop(4, [seededIds[0]!, seededIds[2]!]);
      const { acknowledged, seed } = loop;
      const rounds = 12;
      for (let round = 0; round < rounds; round += 1) {
        const now = hoursAfter(0.02 + round * 0.01);
        const { context, active } = await killRound(repo, loop, round, now);
        expect(
          active.map((c) => c.id),
          `${context}: the dropped context is served`,
        ).not.toContain(dropped);
        const state = await readInProcess(['state', '--json'], { cwd: repo.dir, as: 'auditor', now });
        expect(state.code, `${context}: state failed: ${state.stderr}`).toBe(0);
      }
      expect(loop.killedMidway, `seed ${seed}`).toBeGreaterThan(rounds / 3);

      // Every command still works afterwards, and repair then finds nothing to do.
      const later = { cwd: repo.dir, as: 'dev0', now: hoursAfter(1) };
      const last = handoff(publishArgs('after the storm'), later);
      expect(last.code, last.stderr).toBe(0);
      acknowledged.add(last.stdout.trim());
      const all = new Set(listAllJson(later).map((c) => c.id));
      for (const id of acknowledged) expect(all.has(id), `seed ${seed}: ${id} missing at the end`).toBe(true);
      expect(getJson(later).map((c) => c.id)).toContain(last.stdout.trim());
      const commands = [
        ['state'],
        ['context', 'get', '--developer', 'dev0'],
        ['context', 'visibility', 'private'],
        ['context', 'revoke', last.stdout.trim()],
      ];
      for (const args of commands) {
        const res = handoff(args, later);
        expect(res.code, `seed ${seed}: ${args.join(' ')}: ${res.stderr}`).toBe(0);
      }
      const again = handoff(['context', 'repair', '--json'], later);
      expect(again.code, again.stderr).toBe(0);
      expect(JSON.parse(again.stdout), `seed ${seed}`).toEqual({ repaired: [] });
    },
  );

  it('a lock left behind by a killed process is taken over, not waited on', () => {
    const repo = repos.make();
    const first = handoff(publishArgs('before'), { cwd: repo.dir, as: 'alice', now: T0 });
    expect(first.code, first.stderr).toBe(0);
    // A process that is certainly gone: it has exited and been reaped.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout);
    expect(deadPid).toBeGreaterThan(0);
    const lock = join(storeDirOf(repo.dir), 'store.lock');
    writeFileSync(lock, JSON.stringify({ pid: deadPid, host: hostname(), token: 'left-by-a-killed-writer' }));
    const started = Date.now();
    const res = handoff(publishArgs('after'), { cwd: repo.dir, as: 'bob', now: T0 });
    expect(res.code, res.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(existsSync(lock)).toBe(false);
    expect(
      getJson({ cwd: repo.dir, as: 'reader', now: T0 })
        .map((c) => c.developer)
        .sort(),
    ).toEqual(['alice', 'bob']);
  });

  it('a torn last log line left by a killed writer is ignored by readers and dropped by the next writer', () => {
    const repo = repos.make();
    const first = handoff(publishArgs('before'), { cwd: repo.dir, as: 'alice', now: T0 });
    expect(first.code, first.stderr).toBe(0);
    const [log] = logFiles(repo.dir);
    const path = join(storeDirOf(repo.dir), log!);
    const intact = readFileSync(path);
    appendFileSync(path, '0123456789abcdef {"op":"publish","at":"2024-03-01T12:00:00.000Z","context":{"id":"TORN-TAIL');
    expect(getJson({ cwd: repo.dir, as: 'reader', now: T0 }).map((c) => c.developer)).toEqual(['alice']);
    const list = handoff(['context', 'list', '--all', '--json'], { cwd: repo.dir, as: 'reader', now: T0 });
    expect(list.code, list.stderr).toBe(0);
    const second = handoff(publishArgs('after'), { cwd: repo.dir, as: 'bob', now: T0 });
    expect(second.code, second.stderr).toBe(0);
    const after = readFileSync(path);
    expect(after.subarray(0, intact.length).equals(intact)).toBe(true);
    expect(after.toString('utf8')).not.toContain('TORN-TAIL');
    expect(after.toString('utf8').endsWith('\n')).toBe(true);
    expect(
      listAllJson({ cwd: repo.dir, as: 'reader', now: T0 })
        .map((c) => c.developer)
        .sort(),
    ).toEqual(['alice', 'bob']);
  });
});
