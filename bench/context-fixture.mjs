// Builds a context store holding 100,000 historical contexts for the context-exchange
// bench: a small git repository whose store (in .git/codemap-handoff/) has rotated logs
// of checksummed records and a checkpoint, written in the store's own line format.
// The bench reads the whole history back through the CLI once, so a format drift fails
// loudly instead of measuring an error path.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import xxhash from 'xxhash-wasm';
import { gitEnv, ulidAt } from './store-fixture.mjs';

const FORMAT = 5;
const LOG_BYTES = 4 << 20;

/** Contexts published in the last day, still active at `now`, whatever the history size. */
export const ACTIVE_CONTEXTS = 250;

/**
 * A store of `count` contexts: `count - ACTIVE_CONTEXTS` historical ones (published over
 * the year before, long expired, many superseded) and ACTIVE_CONTEXTS published in the
 * last day. Two stores with different `count` hold the same active set, so their timings
 * show what history costs. Returns { repo, storeDir, now, live, currentLog }.
 */
export async function ensureContextFixture(root, count, log = () => {}) {
  const dir = join(root, `contexts-${count}`);
  const repo = join(dir, 'repo');
  const marker = join(dir, 'fixture.json');
  if (existsSync(marker)) {
    const meta = JSON.parse(readFileSync(marker, 'utf8'));
    if (meta.format === FORMAT && meta.count === count)
      return { ...meta, repo, storeDir: join(repo, '.git', 'codemap-handoff') };
  }
  const started = Date.now();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(repo, { recursive: true });
  const git = (...args) =>
    execFileSync(
      'git',
      ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.com', '-c', 'commit.gpgSign=false', ...args],
      { cwd: repo, env: gitEnv },
    );
  git('init', '-q', '-b', 'main');
  for (let i = 0; i < 50; i++) writeFileSync(join(repo, `file${i}.ts`), `export const v${i} = ${i};\n`);
  git('add', '-A');
  git('commit', '-q', '-m', 'init');
  git('config', 'user.email', 'bench@example.com');

  const { h64ToString } = await xxhash();
  const storeDir = join(repo, '.git', 'codemap-handoff');
  mkdirSync(storeDir, { recursive: true });
  const developers = 1000;
  const branches = 5;
  const now = Date.parse('2026-06-01T12:00:00Z');
  const historical = count - ACTIVE_CONTEXTS;
  const day = 86_400_000;
  // Historical: spread over [now - 365 d, now - 2 d]; active: over [now - 23 h, now - 1 min].
  const timeOf = (i) =>
    i < historical
      ? now - 365 * day + Math.floor((363 * day * i) / historical)
      : now - 23 * 3_600_000 + Math.floor((22 * 3_600_000 * (i - historical)) / ACTIVE_CONTEXTS);
  const span = 365 * day;
  const live = new Map();
  let logs = [];
  let chunk = [];
  let bytes = 0;
  let logId = ulidAt(now - span - 1, 0);
  const flush = () => {
    writeFileSync(join(storeDir, `log-${logId}.jsonl`), chunk.join(''));
    logs.push(logId);
  };
  for (let i = 0; i < count; i++) {
    const at = timeOf(i);
    const developer = `dev${i % developers}@example.com`;
    const branch = `feature-${Math.floor(i / developers) % branches}`;
    const id = ulidAt(at, i);
    const files = [`file${i % 50}.ts`, `file${(i * 7) % 50}.ts`];
    const context = {
      id,
      developer,
      repo: 'repo',
      branch,
      title: `Work item ${i}`,
      summary: `Reworking module ${i % 97}: kept the public API, moved parsing behind an interface, and left caching for later.`,
      files_touched: [...new Set(files)].sort(),
      next_actions: ['write tests'],
      blockers: [],
      task_ids: [`T-${i}`],
      published_at: new Date(at).toISOString(),
      expires_at: new Date(at + 24 * 3_600_000).toISOString(),
      ttl_hours: 24,
      touched_hash: '0000000000000000',
      touched_files: [...new Set(files)].sort().map((path) => ({ path, hash: '0000000000000000' })),
    };
    const slot = `${developer}\0repo\0${branch}`;
    // Store format 2: typed records; supersession is the fold's (the slot's newest wins).
    const record = { id, author: developer, at: context.published_at, kind: 'context', context };
    live.set(slot, context);
    const json = JSON.stringify(record);
    const line = `${h64ToString(json).padStart(16, '0')} ${json}\n`;
    chunk.push(line);
    bytes += Buffer.byteLength(line);
    if (bytes > LOG_BYTES) {
      flush();
      chunk = [];
      bytes = 0;
      logId = ulidAt(at + 1, count + logs.length);
    }
  }
  if (chunk.length > 0) flush();
  else {
    writeFileSync(join(storeDir, `log-${logId}.jsonl`), '');
    logs.push(logId);
  }
  const current = logs.at(-1);
  const offset = readFileSync(join(storeDir, `log-${current}.jsonl`)).length;
  // As the store leaves it after a publish: live contexts that have not expired (the
  // log keeps every other one for the audit view).
  const active = [...live.values()].filter((c) => Date.parse(c.expires_at) > now);
  writeFileSync(
    join(storeDir, 'active.json'),
    JSON.stringify({ schema_version: 2, log_id: current, log_offset: offset, contexts: active }),
  );
  const registry = {};
  for (const c of live.values()) registry[c.developer] ??= { visibility: 'public', updated_at: c.published_at };
  writeFileSync(
    join(storeDir, 'developers.json'),
    JSON.stringify({ schema_version: 1, developers: registry }, null, 2),
  );
  const meta = {
    format: FORMAT,
    count,
    developers,
    now: new Date(now).toISOString(),
    currentLog: current,
    live: active.length,
    build_ms: Date.now() - started,
  };
  writeFileSync(marker, JSON.stringify(meta, null, 2));
  log(
    `context fixture: ${count} contexts in ${logs.length} logs, ${live.size} live slots, built in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return { ...meta, repo, storeDir };
}
