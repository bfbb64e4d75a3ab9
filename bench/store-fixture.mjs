// The team-store fixtures of the benches (claims, messages): a small git repository whose
// store logs hold checksummed records, split into 4 MiB logs, then one write through the
// CLI that folds the history once and saves the checkpoint (so a fixture never depends on
// the checkpoint's format). Cached under `root/<name>-<count>` by a marker file.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import xxhash from 'xxhash-wasm';

const FORMAT = 1;
const LOG_BYTES = 4 << 20;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const DAY = 86_400_000;

/** A ULID of time `ms` whose random part is `n`: the same fixture on every build. */
export function ulidAt(ms, n) {
  let time = '';
  for (let i = 0, t = ms; i < 10; i++, t = Math.floor(t / 32)) time = CROCKFORD[t % 32] + time;
  let rand = '';
  for (let i = 0, r = n; i < 16; i++, r = Math.floor(r / 32)) rand = CROCKFORD[r % 32] + rand;
  return time + rand;
}

export const gitEnv = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_DATE: '1700000000 +0000',
  GIT_COMMITTER_DATE: '1700000000 +0000',
};

/**
 * The fixture `name-count` under `root`, built when missing: `records(now)` gives the
 * store's records in log order, `firstWrite` the CLI arguments of the write that folds
 * them, `describe(logs)` what the build log says. Returns { format, count, now, build_ms, repo, storeDir }.
 */
export async function ensureStoreFixture({ root, name, count, bin, log, records, firstWrite, describe }) {
  const dir = join(root, `${name}-${count}`);
  const repo = join(dir, 'repo');
  const storeDir = join(repo, '.git', 'codemap-handoff');
  const marker = join(dir, 'fixture.json');
  if (existsSync(marker)) {
    const meta = JSON.parse(readFileSync(marker, 'utf8'));
    if (meta.format === FORMAT && meta.count === count) return { ...meta, repo, storeDir };
  }
  const started = Date.now();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(repo, { recursive: true });
  const git = (...args) => execFileSync('git', ['-c', 'commit.gpgSign=false', ...args], { cwd: repo, env: gitEnv });
  git('init', '-q', '-b', 'main');
  for (let i = 0; i < 50; i++) writeFileSync(join(repo, `file${i}.ts`), `export const v${i} = ${i};\n`);
  git('add', '-A');
  git('-c', 'user.name=Bench', '-c', 'user.email=bench@example.com', 'commit', '-q', '-m', 'init');
  git('config', 'user.email', 'bench@example.com');

  const { h64ToString } = await xxhash();
  mkdirSync(storeDir, { recursive: true });
  const now = Date.parse('2026-06-01T12:00:00Z');
  const lines = records(now).map((record) => {
    const json = JSON.stringify(record);
    return `${h64ToString(json).padStart(16, '0')} ${json}\n`;
  });
  let logs = 0;
  for (let start = 0, logId = ulidAt(now - 366 * DAY, 0); start < lines.length; logs++) {
    let end = start;
    for (let bytes = 0; end < lines.length && bytes < LOG_BYTES; end++) bytes += Buffer.byteLength(lines[end]);
    writeFileSync(join(storeDir, `log-${logId}.jsonl`), lines.slice(start, end).join(''));
    start = end;
    logId = ulidAt(now - 366 * DAY + logs + 1, logs + 1);
  }
  const env = { ...gitEnv, HANDOFF_NOW: new Date(now).toISOString() };
  const first = spawnSync(process.execPath, [bin, ...firstWrite], { cwd: repo, env, encoding: 'utf8' });
  if (first.status !== 0)
    throw new Error(`${firstWrite.slice(0, 2).join(' ')} on the ${name} fixture failed: ${first.stderr}`);
  const meta = { format: FORMAT, count, now: new Date(now).toISOString(), build_ms: Date.now() - started };
  writeFileSync(marker, JSON.stringify(meta, null, 2));
  log(`${name} fixture: ${describe(logs)}, built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { ...meta, repo, storeDir };
}

/** Every store file (logs, checkpoint, registry, events): what a write changes and a restore puts back. */
function storeFiles(storeDir) {
  const files = readdirSync(storeDir).filter((f) => f.endsWith('.json') || f.endsWith('.jsonl'));
  return new Map(files.map((f) => [f, readFileSync(join(storeDir, f))]));
}

/**
 * Times each of `ops` ({ id, label, args(), input?(fx), restore? }) as a CLI run in the
 * fixture's repository: one warm-up, the store put back before each run of a writing op and
 * at the end. `validateOf(op)` gives the op's output check, if any. Returns the results by id.
 */
export async function runStoreOps({ fx, ops, env, what, validateOf, options, probe, runSection, bin, log }) {
  const pristine = storeFiles(fx.storeDir);
  const restore = () => {
    for (const [f, bytes] of pristine) writeFileSync(join(fx.storeDir, f), bytes);
  };
  const results = {};
  try {
    for (const op of ops) {
      log(`  ${op.label} (${fx.count} ${what})…`);
      const section = {
        id: op.id,
        label: op.label,
        warmups: 1,
        beforeEach: op.restore ? restore : undefined,
        command: () => ({
          file: process.execPath,
          args: [bin, ...op.args()],
          cwd: fx.repo,
          env,
          ...(op.input ? { input: op.input(fx) } : {}),
        }),
        validate: validateOf(op),
      };
      results[op.id] = await runSection(section, { size: fx.count }, options, probe);
    }
  } finally {
    restore();
  }
  return results;
}
