// Builds a team store holding 100,000 historical claims for the claims bench: a small git
// repository whose store logs hold checksummed claim records (most expired, a tenth
// released) and ACTIVE_CLAIMS still active at the fixture's `now`. The checkpoint is left
// for the CLI to fold once (the first `claim add`), so the fixture never depends on its format.
import { ensureStoreFixture, ulidAt } from './store-fixture.mjs';

/** Claims still active at `now`, whatever the history size. */
export const ACTIVE_CLAIMS = 200;

/** A store of `count` claim records; returns { repo, storeDir, now, count }. */
export function ensureClaimsFixture(root, count, bin, log = () => {}) {
  return ensureStoreFixture({
    root,
    name: 'claims',
    count,
    bin,
    log,
    records: (now) => claimRecords(now, count),
    firstWrite: ['claim', 'add', 'README.md', '--as', 'setup@example.com'],
    describe: (logs) => `${count} claims in ${logs} logs`,
  });
}

/** Most claims expired a year back, a tenth of them released; ACTIVE_CLAIMS made in the last hour. */
function claimRecords(now, count) {
  const day = 86_400_000;
  const historical = count - ACTIVE_CLAIMS;
  const records = [];
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
    records.push({ id, author, at: new Date(at).toISOString(), kind: 'claim', claim });
    if (i < historical && i % 10 === 0) {
      const release = { id: ulidAt(at + 1000, i), author, at: new Date(at + 1000).toISOString() };
      records.push({ ...release, kind: 'claim_release', claim_id: id });
    }
  }
  return records;
}
