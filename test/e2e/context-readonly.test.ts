// Reads of the context store need neither write access nor the lock (issue 7, item 8):
// `context get`, `state` and `list --all` run as a user who cannot write the store, and
// while another live process holds the lock; they leave the store as it was.
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { teamState } from '../../src/schema/context.js';
import { checkpoint } from '../../src/schema/records.js';
import {
  BIN,
  Repos,
  getJson,
  handoff,
  hoursAfter,
  publishId,
  storeDirOf,
  viewList,
  type CliResult,
  type GitRepo,
} from './context-helpers.js';
import { cliEnv } from './helpers.js';

const NOBODY = 65_534;
const asRoot = process.getuid?.() === 0;

/** Every file of the store with its bytes: what a read must leave exactly as it was. */
function storeBytes(repo: GitRepo): Map<string, string> {
  const dir = storeDirOf(repo.dir);
  return new Map(
    readdirSync(dir)
      .sort()
      .map((f) => [f, readFileSync(join(dir, f)).toString('base64')]),
  );
}

/** Runs the built CLI as the unprivileged user `nobody`, trusting the root-owned repository for git. */
function handoffAsNobody(args: readonly string[], repo: GitRepo, as: string): CliResult {
  const env = cliEnv({
    HANDOFF_NOW: hoursAfter(1),
    HANDOFF_DEVELOPER: as,
    HOME: '/nonexistent',
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'safe.directory',
    GIT_CONFIG_VALUE_0: '*',
  });
  const options = { cwd: repo.dir, env, encoding: 'utf8', uid: NOBODY, gid: NOBODY, timeout: 60_000 } as const;
  const res = spawnSync(process.execPath, [BIN, ...args], options);
  if (res.error) throw res.error;
  return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}

function seeded(repos: Repos): { repo: GitRepo; ids: string[] } {
  const repo = repos.make();
  const ids = ['alice', 'bob'].map((dev, i) => {
    const options = { cwd: repo.dir, as: dev, now: hoursAfter(i * 0.1) };
    return publishId(options, ['--title', `work of ${dev}`, '--file', 'src/a.ts']);
  });
  return { repo, ids };
}

describe('reads of the context store', { tags: ['slow'] }, () => {
  const repos = new Repos();
  afterAll(() => {
    for (const dir of readOnlyDirs) chmodSync(dir, 0o755);
    repos.cleanup();
  });
  const readOnlyDirs: string[] = [];

  /** The store directory and its files read-only; the path to the repository readable by everyone. */
  function makeReadOnly(repo: GitRepo): void {
    const dir = storeDirOf(repo.dir);
    for (const f of readdirSync(dir)) chmodSync(join(dir, f), 0o444);
    chmodSync(dir, 0o555);
    readOnlyDirs.push(dir);
    chmodSync(dirname(repo.dir), 0o755);
  }

  // Root can write whatever the modes say, so the reader runs as `nobody`; that needs root.
  const asNobody = it.skipIf(!asRoot);

  asNobody('get, state and list --all work for a user without write access and write nothing (needs root)', () => {
    const { repo, ids } = seeded(repos);
    makeReadOnly(repo);
    const before = storeBytes(repo);
    const get = handoffAsNobody(['context', 'get', '--json'], repo, 'carol');
    expect(get.stderr).toBe('');
    expect(get.code).toBe(0);
    expect(
      viewList
        .parse(JSON.parse(get.stdout))
        .map((c) => c.id)
        .sort(),
    ).toEqual([...ids].sort());
    const state = handoffAsNobody(['state', '--json'], repo, 'carol');
    expect(state.code, state.stderr).toBe(0);
    expect(teamState.parse(JSON.parse(state.stdout)).contexts).toHaveLength(2);
    const list = handoffAsNobody(['context', 'list', '--all', '--json'], repo, 'carol');
    expect(list.code, list.stderr).toBe(0);
    expect(viewList.parse(JSON.parse(list.stdout))).toHaveLength(2);
    expect(storeBytes(repo)).toEqual(before);
  });

  asNobody('a read-only store whose checkpoint does not match its log is refolded in memory (needs root)', () => {
    const { repo, ids } = seeded(repos);
    const path = join(storeDirOf(repo.dir), 'active.json');
    const saved = checkpoint.parse(JSON.parse(readFileSync(path, 'utf8')));
    writeFileSync(path, JSON.stringify({ ...saved, log_offset: saved.log_offset - 30 }));
    makeReadOnly(repo);
    const before = storeBytes(repo);
    const get = handoffAsNobody(['context', 'get', '--json'], repo, 'carol');
    expect(get.code, get.stderr).toBe(0);
    expect(
      viewList
        .parse(JSON.parse(get.stdout))
        .map((c) => c.id)
        .sort(),
    ).toEqual([...ids].sort());
    expect(handoffAsNobody(['state'], repo, 'carol').code).toBe(0);
    expect(storeBytes(repo)).toEqual(before);
  });

  it('get, state and list --all answer while a live process holds the lock, and leave its lock alone', () => {
    const { repo, ids } = seeded(repos);
    const lock = join(storeDirOf(repo.dir), 'store.lock');
    const held = JSON.stringify({ pid: process.pid, host: hostname(), token: 'held-by-the-test' });
    writeFileSync(lock, held);
    const options = { cwd: repo.dir, as: 'carol', now: hoursAfter(1) };
    expect(
      getJson(options)
        .map((c) => c.id)
        .sort(),
    ).toEqual([...ids].sort());
    for (const args of [
      ['state', '--json'],
      ['context', 'list', '--all', '--json'],
    ]) {
      const res = handoff(args, options);
      expect(res.code, `${args.join(' ')}: ${res.stderr}`).toBe(0);
    }
    expect(readFileSync(lock, 'utf8')).toBe(held);
    expect(statSync(lock).isFile()).toBe(true);
  });

  it('the refolded checkpoint is saved by the next read that can take the lock', () => {
    const { repo, ids } = seeded(repos);
    const path = join(storeDirOf(repo.dir), 'active.json');
    const saved = checkpoint.parse(JSON.parse(readFileSync(path, 'utf8')));
    writeFileSync(path, JSON.stringify({ ...saved, log_offset: saved.log_offset + 100 }));
    const served = getJson({ cwd: repo.dir, as: 'carol', now: hoursAfter(1) }).map((c) => c.id);
    expect(served.sort()).toEqual([...ids].sort());
    expect(checkpoint.parse(JSON.parse(readFileSync(path, 'utf8')))).toEqual(saved);
  });
});
