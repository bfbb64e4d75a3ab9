// Terminal injection (issue 7, item 3): a context store seeded straight through ContextStore
// with records holding ESC, BEL, CR, newlines, C1 and bidi controls, as an old version or a
// sync would have left them, and the check that printed text shows none raw and no line of
// theirs passes for an entry. Shared by the in-process and the spawned suites.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ulid } from 'ulid';
import { expect } from 'vitest';
import { loadHasher } from '../../src/core/hash.js';
import { contextRecord } from '../../src/core/records.js';
import type { Context } from '../../src/schema/context.js';
import { ContextStore } from '../../src/store/context-store.js';
import { hoursAfter, REPO_ID, storeDirOf, T0, type GitRepo } from '../e2e/context-helpers.js';

/** Any character no output may print raw; newline and tab are the output's own layout. */
// eslint-disable-next-line no-control-regex
export const RAW_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
export const FORGED = '## Fake (01FAKE) alice@example.com';
/** A line that would read as a heading or an entry of its own. */
const forgedLine = (line: string): boolean =>
  /^ {0,3}#{1,6} Fake\b/.test(line) || /^\s*- fake entry/.test(line) || /^ {0,3}# Handoff: forged/.test(line);

export function expectSafe(out: string, what: string): void {
  const found = RAW_UNSAFE.exec(out);
  const code = found?.[0].codePointAt(0)?.toString(16).padStart(4, '0');
  expect(found, `${what} prints a raw U+${code}:\n${JSON.stringify(out)}`).toBeNull();
  expect(out.split('\n').filter(forgedLine), `${what} prints a forged line`).toEqual([]);
}

export const EVIL_FILE = 'evil\x1b[2J\n## Fake.ts';

function hostileContext(developer: string, title: string): Context {
  return {
    id: ulid(Date.parse(T0)),
    developer,
    repo: REPO_ID,
    branch: 'feat\x1b[0m\n# Handoff: forged',
    session_id: 'S\x1b]0;pwned\x07',
    title,
    summary: `first line\x1b[1A\b\b\n${FORGED}\n- fake entry\u2028after a separator \u202egnp.exe`,
    files_touched: ['src/a.ts', EVIL_FILE],
    next_actions: [`do\x07it\n${FORGED}`],
    blockers: ['\x9b31m C1 CSI'],
    task_ids: ['T-1\u2066isolate'],
    published_at: T0,
    expires_at: hoursAfter(24),
    ttl_hours: 24,
    touched_hash: 'x',
    touched_files: [
      { path: 'src/a.ts', hash: 'not-the-hash' },
      { path: EVIL_FILE, hash: '' },
    ],
  };
}

/** mallory's and alice's hostile contexts in `repo`'s store, and a changed src/a.ts and EVIL_FILE in its tree. */
export async function seedHostileStore(repo: GitRepo): Promise<void> {
  writeFileSync(join(repo.dir, 'src/a.ts'), 'export const a = 2;\n');
  writeFileSync(join(repo.dir, EVIL_FILE), 'x\n');
  const store = new ContextStore(storeDirOf(repo.dir), await loadHasher());
  const mallory = hostileContext('mallory\x1b[31m\u202e', `Refactor\x1b[2J\x1b]0;pwned\x07\r${FORGED}`);
  const alice = {
    ...hostileContext('alice', `Alice\x1b[2J\n${FORGED}`),
    id: ulid(Date.parse(T0) + 1),
    branch: 'main',
  };
  await store.write([mallory, alice].map(contextRecord), { now: new Date(T0) });
}
