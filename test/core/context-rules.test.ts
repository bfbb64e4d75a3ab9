// Pure rules of context exchange (src/core/context-rules.ts): what counts as content
// rather than metadata, who sees what, staleness and repo ids (the fold: records.test.ts).
import { describe, expect, it } from 'vitest';
import {
  type CurrentFile,
  contentViolation,
  judgeStaleness,
  normalizeRemoteUrl,
  statusOf,
  visibleTo,
} from '../../src/core/context-rules.js';
import type { Context, Visibility } from '../../src/schema/context.js';
import { CONTEXT_T0, sampleContext } from '../../fixtures/contexts.js';

const T0 = CONTEXT_T0;
const at = (hours: number): Date => new Date(Date.parse(T0) + hours * 3_600_000);

let seq = 0;
function ctx(over: Partial<Context> = {}): Context {
  seq += 1;
  return sampleContext(`01HQ000000000000000000${String(seq).padStart(4, '0')}`, over);
}

describe('contentViolation', () => {
  it('accepts plain prose, even with a few code-ish words', () => {
    const prose = [
      'Refactored `parseConfig()` in src/config.ts; it now returns a Result instead of throwing.',
      'Decided to keep the {} default for now and to drop the legacy --foo flag (see #42).',
      'Next: wire it into main() and run the e2e suite.',
    ].join('\n');
    expect(contentViolation(prose)).toBeUndefined();
    expect(contentViolation('Fix the import cycle between core/a.ts and core/b.ts')).toBeUndefined();
    expect(contentViolation('')).toBeUndefined();
  });

  it('accepts a short inline snippet of one or two lines', () => {
    expect(contentViolation('Switched to `const x = await load();` so errors surface.')).toBeUndefined();
    expect(contentViolation('Replaced the loop with:\n  items.map(f);\nwhich is clearer.')).toBeUndefined();
  });

  it('rejects a unified diff with a diff --git header', () => {
    const diff = 'diff --git a/src/a.ts b/src/a.ts\nindex 1234567..89abcde 100644\n--- a/src/a.ts\n+++ b/src/a.ts\n';
    expect(contentViolation(diff)).toMatch(/diff/);
  });

  it('rejects a bare hunk header', () => {
    expect(contentViolation('@@ -1,2 +1,3 @@\n-old\n+new\n+newer')).toMatch(/diff/);
    expect(contentViolation('see below\n@@ -10 +10,2 @@ function main() {\n+  run();')).toMatch(/diff/);
  });

  it('rejects ---/+++ file headers without the git line', () => {
    expect(contentViolation('--- a/x.ts\n+++ b/x.ts\n-a\n+b')).toMatch(/diff/);
  });

  it('rejects pasted source of more than a few lines', () => {
    const source = [
      "import { readFileSync } from 'node:fs';",
      "import { join } from 'node:path';",
      '',
      'export function load(dir: string) {',
      "  const text = readFileSync(join(dir, 'a.json'), 'utf8');",
      '  return JSON.parse(text);',
      '}',
    ].join('\n');
    expect(contentViolation(source)).toMatch(/source/);
  });

  it('rejects a fenced code block of more than a few lines', () => {
    const fenced = ['Here is the new loader:', '```ts', 'a', 'b', 'c', 'd', 'e', 'f', '```', 'That is all.'].join('\n');
    expect(contentViolation(fenced)).toMatch(/code block/);
    const code = [
      '```python',
      'def load(path):',
      '    with open(path) as f:',
      '        data = f.read()',
      '    return parse(data)',
      'print(load("x"))',
      '```',
    ].join('\n');
    expect(contentViolation(code)).toBeDefined();
  });
});

describe('statusOf', () => {
  it('is active before expiry and expired at or after it', () => {
    const c = ctx();
    expect(statusOf(c, at(0))).toBe('active');
    expect(statusOf(c, at(23.99))).toBe('active');
    expect(statusOf(c, at(24))).toBe('expired');
    expect(statusOf(c, at(25))).toBe('expired');
  });

  it('reports revoked before superseded before expired', () => {
    expect(statusOf(ctx({ revoked_at: T0, superseded_by: 'X' }), at(30))).toBe('revoked');
    expect(statusOf(ctx({ superseded_by: 'X' }), at(30))).toBe('superseded');
    expect(statusOf(ctx({ superseded_by: 'X' }), at(1))).toBe('superseded');
    expect(statusOf(ctx({ revoked_at: T0 }), at(1))).toBe('revoked');
  });
});

describe('visibleTo', () => {
  const registry: Record<string, Visibility> = { alice: 'public', pat: 'private' };
  const lookup = (d: string): Visibility => registry[d] ?? 'public';

  it('shows public developers and hides private ones from others', () => {
    const seenByBob = visibleTo('bob', lookup);
    expect(seenByBob(ctx({ developer: 'alice' }))).toBe(true);
    expect(seenByBob(ctx({ developer: 'pat' }))).toBe(false);
    expect(seenByBob(ctx({ developer: 'unregistered' }))).toBe(true);
  });

  it('always shows a developer their own contexts', () => {
    expect(visibleTo('pat', lookup)(ctx({ developer: 'pat' }))).toBe(true);
  });

  it('hides private developers from an anonymous reader', () => {
    expect(visibleTo('', lookup)(ctx({ developer: 'pat' }))).toBe(false);
  });
});

/** Current files by path from plain hashes (undefined: the file is gone). */
const files = (entries: [string, string | undefined][]): Map<string, CurrentFile | undefined> =>
  new Map(entries.map(([p, h]) => [p, h === undefined ? undefined : { hash: h }]));

describe('judgeStaleness', () => {
  const touched = ctx({
    touched_files: [
      { path: 'a.ts', hash: 'aaaaaaaaaaaaaaaa' },
      { path: 'b.ts', hash: 'bbbbbbbbbbbbbbbb' },
      { path: 'new.ts', hash: '' },
    ],
  });

  it('is fresh while every hash matches and absent files stay absent', () => {
    const current = files([
      ['a.ts', 'aaaaaaaaaaaaaaaa'],
      ['b.ts', 'bbbbbbbbbbbbbbbb'],
      ['new.ts', undefined],
    ]);
    const judged = judgeStaleness(touched, current, {}, at(1));
    expect(judged.staleness).toEqual({ stale: false, changed_files: [] });
    expect(judged.sightings).toEqual({});
  });

  it('reports modified and deleted files and records when they were first seen', () => {
    const current = files([
      ['a.ts', 'cccccccccccccccc'],
      ['b.ts', undefined],
      ['new.ts', undefined],
    ]);
    const sightings: Record<string, string> = {};
    const judged = judgeStaleness(touched, current, sightings, at(2));
    const s = judged.staleness;
    expect(s.stale).toBe(true);
    expect(s.changed_files).toEqual([
      { path: 'a.ts', change: 'modified', first_seen: at(2).toISOString() },
      { path: 'b.ts', change: 'deleted', first_seen: at(2).toISOString() },
    ]);
    expect(s.stale_since).toBe(at(2).toISOString());
    expect(judged.sightings).toEqual({ 'a.ts': at(2).toISOString(), 'b.ts': at(2).toISOString() });
    // The sightings given are not touched: new ones come back in the result.
    expect(sightings).toEqual({});
  });

  it('compares a committed file by blob id when both sides have one (eol may differ)', () => {
    const withBlob = ctx({ touched_files: [{ path: 'a.ts', hash: 'crlf-bytes-hash0', blob: 'b1' }] });
    const sameBlob = new Map<string, CurrentFile | undefined>([['a.ts', { hash: 'lf-bytes-hash000', blob: 'b1' }]]);
    expect(judgeStaleness(withBlob, sameBlob, {}, at(1)).staleness.stale).toBe(false);
    const otherBlob = new Map<string, CurrentFile | undefined>([['a.ts', { hash: 'crlf-bytes-hash0', blob: 'b2' }]]);
    expect(judgeStaleness(withBlob, otherBlob, {}, at(1)).staleness.stale).toBe(true);
  });

  it('treats a file created after publish as modified', () => {
    const current = files([
      ['a.ts', 'aaaaaaaaaaaaaaaa'],
      ['b.ts', 'bbbbbbbbbbbbbbbb'],
      ['new.ts', 'dddddddddddddddd'],
    ]);
    const s = judgeStaleness(touched, current, {}, at(1)).staleness;
    expect(s.changed_files).toEqual([{ path: 'new.ts', change: 'modified', first_seen: at(1).toISOString() }]);
  });

  it('keeps first_seen from earlier sightings and dates stale_since from the earliest', () => {
    const sightings: Record<string, string> = { 'a.ts': at(1).toISOString() };
    const current = files([
      ['a.ts', 'cccccccccccccccc'],
      ['b.ts', 'eeeeeeeeeeeeeeee'],
      ['new.ts', undefined],
    ]);
    const first = judgeStaleness(touched, current, sightings, at(5));
    const s = first.staleness;
    expect(s.changed_files.find((f) => f.path === 'a.ts')?.first_seen).toBe(at(1).toISOString());
    expect(s.changed_files.find((f) => f.path === 'b.ts')?.first_seen).toBe(at(5).toISOString());
    expect(s.stale_since).toBe(at(1).toISOString());
    const again = judgeStaleness(touched, current, first.sightings, at(9));
    expect(again.staleness).toEqual(s);
  });
});

describe('normalizeRemoteUrl', () => {
  it('gives the same id for the ssh, https and credentialled forms of one GitHub repository', () => {
    const ids = new Set(
      [
        'git@github.com:Org/Repo.git',
        'https://user:tok@GitHub.com/org/repo.git/',
        'https://github.com/org/repo',
        'https://github.com/org/repo.git',
        'ssh://git@github.com/org/repo.git',
        'github.com:org/repo',
      ].map(normalizeRemoteUrl),
    );
    expect([...ids]).toEqual(['github.com/org/repo']);
  });

  it('never keeps credentials', () => {
    expect(normalizeRemoteUrl('https://user:s3cret@github.com/org/repo.git')).not.toMatch(/user|s3cret|@/);
  });

  it('is stable for ssh:// URLs with the default port', () => {
    const explicitPort = normalizeRemoteUrl('ssh://git@host:22/org/repo');
    expect(explicitPort).not.toMatch(/git@|ssh:/);
    expect(explicitPort).toBe(normalizeRemoteUrl('ssh://git@host:22/org/repo.git'));
    expect(explicitPort).toBe(normalizeRemoteUrl(' ssh://git@HOST:22/org/repo/ '));
  });

  it('names ssh://host:22/… the same as the scp-style and port-less forms', () => {
    const scp = normalizeRemoteUrl('git@host:org/repo');
    expect(normalizeRemoteUrl('ssh://git@host/org/repo')).toBe(scp);
    expect(normalizeRemoteUrl('ssh://git@host:22/org/repo')).toBe(scp);
  });
});
