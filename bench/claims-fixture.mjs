// Builds a team store holding 100,000 historical claims for the claims bench: a small git
// repository whose store logs hold checksummed claim records (most expired, a tenth
// released) and ACTIVE_CLAIMS still active at the fixture's `now`. The checkpoint is left
// for the CLI to fold once (the first `claim add`), so the fixture never depends on its format.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import xxhash from 'xxhash-wasm';

const FORMAT = 1;
const LOG_BYTES = 4 << 20;
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function ulidAt(ms, n) {
  let time = '';
  for (let i = 0, t = ms; i < 10; i++, t = Math.floor(t / 32)) time = CROCKFORD[t % 32] + time;
  let rand = '';
  for (let i = 0, r = n; i < 16; i++, r = Math.floor(r / 32)) rand = CROCKFORD[r % 32] + rand;
  return time + rand;
}

const gitEnv = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_DATE: '1700000000 +0000',
  GIT_COMMITTER_DATE: '1700000000 +0000',
};

/** Claims still active at `now`, whatever the history size. */
export const ACTIVE_CLAIMS = 200;

/** A store of `count` claim records; returns { repo, storeDir, now, count }. */
export async function ensureClaimsFixture(root, count, bin, log = () => {}) {
  const dir = join(root, `claims-${count}`);
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
  const git = (...args) => execFileSync('git', ['-c', 'commit.gpgSign=false', ...args], { cwd: repo, env: gitEnv });
  git('init', '-q', '-b', 'main');
  for (let i = 0; i < 50; i++) writeFileSync(join(repo, `file${i}.ts`), `export const v${i} = ${i};\n`);
  git('add', '-A');
  git('-c', 'user.name=Bench', '-c', 'user.email=bench@example.com', 'commit', '-q', '-m', 'init');
  git('config', 'user.email', 'bench@example.com');

  const { h64ToString } = await xxhash();
  const storeDir = join(repo, '.git', 'codemap-handoff');
  mkdirSync(storeDir, { recursive: true });
  const now = Date.parse('2026-06-01T12:00:00Z');
  const day = 86_400_000;
  const historical = count - ACTIVE_CLAIMS;
  const lines = [];
  const line = (record) => {
    const json = JSON.stringify(record);
    return `${h64ToString(json).padStart(16, '0')} ${json}\n`;
  };
  for (let i = 0; i < count; i++) {
    const at =
      i < historical
        ? now - 365 * day + Math.floor((363 * day * i) / historical)
        : now - 50 * 60_000 + Math.floor((45 * 60_000 * (i - historical)) / ACTIVE_CLAIMS);
    const author = `dev${i % 1000}@example.com`;
    const id = ulidAt(at, i);
    const pattern = i % 3 === 0 ? `src/mod${i % 400}/**` : `file${i % 50}.ts`;
    const claim = {
      pattern,
      reason: `work item ${i}`,
      repo: 'repo',
      branch: 'main',
      expires_at: new Date(at + 60 * 60_000).toISOString(),
      ttl_minutes: 60,
    };
    lines.push(line({ id, author, at: new Date(at).toISOString(), kind: 'claim', claim }));
    if (i < historical && i % 10 === 0) {
      const release = { id: ulidAt(at + 1000, i), author, at: new Date(at + 1000).toISOString() };
      lines.push(line({ ...release, kind: 'claim_release', claim_id: id }));
    }
  }
  let logs = 0;
  for (let start = 0, logId = ulidAt(now - 366 * day, 0); start < lines.length; logs++) {
    let end = start;
    for (let bytes = 0; end < lines.length && bytes < LOG_BYTES; end++) bytes += Buffer.byteLength(lines[end]);
    writeFileSync(join(storeDir, `log-${logId}.jsonl`), lines.slice(start, end).join(''));
    start = end;
    logId = ulidAt(now - 366 * day + logs + 1, logs + 1);
  }
  // One write through the CLI folds the history once and saves the checkpoint.
  const env = { ...gitEnv, HANDOFF_NOW: new Date(now).toISOString() };
  const first = spawnSync(process.execPath, [bin, 'claim', 'add', 'README.md', '--as', 'setup@example.com'], {
    cwd: repo,
    env,
    encoding: 'utf8',
  });
  if (first.status !== 0) throw new Error(`claim add on the claims fixture failed: ${first.stderr}`);
  const meta = { format: FORMAT, count, now: new Date(now).toISOString(), build_ms: Date.now() - started };
  writeFileSync(marker, JSON.stringify(meta, null, 2));
  log(`claims fixture: ${count} claims in ${logs} logs, built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { ...meta, repo, storeDir };
}
