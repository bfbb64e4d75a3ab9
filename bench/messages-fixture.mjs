// Builds a team store holding 100,000 historical messages for the messages bench: a small
// git repository whose store logs hold checksummed message records (long expired, a fifth
// of them acked) and ACTIVE_MESSAGES sent in the last day, half of those acked by the
// reader. The checkpoint is left for the CLI to fold once (the first `message send`), so
// the fixture never depends on its format.
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

/** Messages still unexpired at `now`, whatever the history size. */
export const ACTIVE_MESSAGES = 200;
/** Who reads: the inbox the bench times is this developer's. */
export const READER = 'dev1@example.com';

const TO = (i) => [READER, 'all', 'branch:main', `dev${i % 1000}@example.com`][i % 4];
const TYPES = ['fyi', 'need_input', 'review', 'fyi', 'handoff'];

/** A store of `count` historical messages plus the active ones; returns { repo, storeDir, now, count }. */
export async function ensureMessagesFixture(root, count, bin, log = () => {}) {
  const dir = join(root, `messages-${count}`);
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
  const total = count + ACTIVE_MESSAGES;
  const lines = [];
  const line = (record) => {
    const json = JSON.stringify(record);
    return `${h64ToString(json).padStart(16, '0')} ${json}\n`;
  };
  for (let i = 0; i < total; i++) {
    const active = i >= count;
    const at = active
      ? now - 23 * 3_600_000 + Math.floor((22 * 3_600_000 * (i - count)) / ACTIVE_MESSAGES)
      : now - 365 * day + Math.floor((360 * day * i) / count);
    const from = `dev${(i * 7 + 3) % 1000}@example.com`;
    const id = ulidAt(at, i);
    const sent = new Date(at).toISOString();
    const message = {
      id,
      from,
      repo: 'repo',
      branch: 'main',
      to: [TO(i)],
      type: TYPES[i % TYPES.length],
      body: `Message ${i}: the parser moved behind an interface; please check the lexer tests.`,
      files: [`file${i % 50}.ts`],
      sent_at: sent,
      expires_at: new Date(at + 72 * 3_600_000).toISOString(),
      ttl_hours: 72,
    };
    lines.push(line({ id, author: from, at: sent, kind: 'message', message }));
    if (i % 5 === 0 || (active && i % 2 === 0)) {
      const ack = { id: ulidAt(at + 60_000, i), author: READER, at: new Date(at + 60_000).toISOString() };
      lines.push(line({ ...ack, kind: 'message_ack', message_id: id }));
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
  const args = ['message', 'send', '--to', 'all', '--body', 'Fixture ready.', '--as', 'setup@example.com'];
  const first = spawnSync(process.execPath, [bin, ...args], { cwd: repo, env, encoding: 'utf8' });
  if (first.status !== 0) throw new Error(`message send on the messages fixture failed: ${first.stderr}`);
  const meta = { format: FORMAT, count, now: new Date(now).toISOString(), build_ms: Date.now() - started };
  writeFileSync(marker, JSON.stringify(meta, null, 2));
  log(
    `messages fixture: ${count} historical messages in ${logs} logs, built in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return { ...meta, repo, storeDir };
}
