// Claims, pure (src/core/claims.ts): the overlap of two paths or globs (examples, and
// symmetry as a property), pattern normalisation, the fold's view of extends and releases,
// and what a viewer sees of a private developer's claim.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  claimsOverlapping,
  claimSentence,
  isMine,
  normalizeClaimPattern,
  patternsOverlap,
  PRIVATE_HOLDER,
  resolveClaims,
  viewClaim,
  type Viewer,
} from '../../src/core/claims.js';
import { matchGlob } from '../../src/core/glob.js';
import { accumulate, emptyAccumulator } from '../../src/core/records.js';
import type { RecordOf, StoreRecord } from '../../src/schema/records.js';

const T0 = Date.parse('2026-03-01T12:00:00.000Z');
const iso = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();

function claimRecord(id: string, author: string, pattern: string, over: Partial<RecordOf<'claim'>['claim']> = {}) {
  const record: RecordOf<'claim'> = {
    id,
    author,
    at: iso(0),
    kind: 'claim',
    claim: { pattern, repo: 'r', branch: 'main', expires_at: iso(60), ttl_minutes: 60, ...over },
  };
  return record;
}

describe('patternsOverlap: examples', () => {
  const yes: [string, string][] = [
    ['src/auth/**', 'src/auth/jwt.ts'],
    ['src/auth/**', 'src/**/*.ts'],
    ['src/auth/jwt.ts', 'src/auth/jwt.ts'],
    ['**', 'anything/at/all'],
    ['src/*.ts', 'src/a.ts'],
    ['src/a*.ts', 'src/*b.ts'],
    ['src/**/x.ts', 'src/x.ts'],
    ['**/jwt.ts', 'src/auth/jwt.ts'],
    ['src/[ab].ts', 'src/a.ts'],
    ['src/**', 'src/**/deep/*.md'],
  ];
  const no: [string, string][] = [
    ['src/auth/**', 'src/db.ts'],
    ['src/auth/jwt.ts', 'src/auth/jwt.tsx'],
    ['src/*.ts', 'src/a.js'],
    ['src/*.ts', 'src/sub/a.ts'],
    ['src/a*.ts', 'src/b*.ts'],
    ['src/*.ts', 'src/*.js'],
    ['docs/**', 'src/**'],
    ['src/auth/jwt.ts', 'src/**/*.js'],
  ];
  it.each(yes)('%s overlaps %s (both ways)', (a, b) => {
    expect(patternsOverlap(a, b)).toBe(true);
    expect(patternsOverlap(b, a)).toBe(true);
  });
  it.each(no)('%s does not overlap %s (both ways)', (a, b) => {
    expect(patternsOverlap(a, b)).toBe(false);
    expect(patternsOverlap(b, a)).toBe(false);
  });
});

const segment = fc.constantFrom('src', 'auth', 'a.ts', 'b.js', '*', '*.ts', 'a*', '**', '?.ts', '[ab].ts', 'x');
const pattern = fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => s.join('/'));
const literalPath = fc
  .array(fc.constantFrom('src', 'auth', 'a.ts', 'b.js', 'x', 'b.ts'), { minLength: 1, maxLength: 5 })
  .map((s) => s.join('/'));

describe('patternsOverlap: properties', () => {
  it('is symmetric', () => {
    fc.assert(
      fc.property(pattern, pattern, (a, b) => {
        expect(patternsOverlap(a, b)).toBe(patternsOverlap(b, a));
      }),
      { numRuns: 2_000 },
    );
  });

  it('is conservative: a path both globs match is always an overlap', () => {
    fc.assert(
      fc.property(pattern, pattern, literalPath, (a, b, path) => {
        if (matchGlob(a, path) && matchGlob(b, path)) expect(patternsOverlap(a, b)).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it('against a literal path it is exactly wildmatch (a `**` segment also matching nothing)', () => {
    fc.assert(
      fc.property(pattern, literalPath, (glob, path) => {
        if (!glob.includes('**')) expect(patternsOverlap(glob, path)).toBe(matchGlob(glob, path));
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('normalizeClaimPattern', () => {
  it('keeps repository-relative paths and globs, folders become dir/**', () => {
    expect(normalizeClaimPattern('./src//auth/jwt.ts')).toBe('src/auth/jwt.ts');
    expect(normalizeClaimPattern('src/auth/')).toBe('src/auth/**');
    expect(normalizeClaimPattern('src/./**/*.ts')).toBe('src/**/*.ts');
    expect(normalizeClaimPattern('.')).toBe('**');
  });
  it('refuses what could match outside the repository', () => {
    for (const bad of ['../**', '/etc/passwd', '/abs/**', 'src/../../x', 'src/../**', 'C:\\x', '~/x']) {
      expect(normalizeClaimPattern(bad)).toBeUndefined();
    }
  });
});

describe('resolveClaims and views', () => {
  const records: StoreRecord[] = [
    claimRecord('C1', 'bob', 'src/auth/**', { reason: 'refactoring auth', session: 's1' }),
    { id: 'E1', author: 'bob', at: iso(10), kind: 'claim_extend', claim_id: 'C1', expires_at: iso(120) },
    { id: 'E2', author: 'mallory', at: iso(10), kind: 'claim_extend', claim_id: 'C1', expires_at: iso(999) },
    { id: 'E3', author: 'bob', at: iso(11), kind: 'claim_extend', claim_id: 'C1', expires_at: iso(90) },
    claimRecord('C2', 'carol', 'docs/**'),
    { id: 'R1', author: 'mallory', at: iso(5), kind: 'claim_release', claim_id: 'C2' },
    { id: 'R2', author: 'carol', at: iso(7), kind: 'claim_release', claim_id: 'C2' },
    { id: 'R3', author: 'carol', at: iso(6), kind: 'claim_release', claim_id: 'C2' },
  ];
  const [c1, c2] = resolveClaims(accumulate(emptyAccumulator(), records));

  it('applies the author’s latest extension and earliest release only', () => {
    expect(c1?.expires_at).toBe(iso(120));
    expect(c1?.released_at).toBeUndefined();
    expect(c2?.released_at).toBe(iso(6));
  });

  it('shows a private developer’s claim without handle, reason, session or branch', () => {
    const viewer: Viewer = { me: 'alice', isPrivate: (d) => d === 'bob' };
    const view = viewClaim(c1!, viewer, new Date(iso(30)));
    expect(view).toMatchObject({ holder: PRIVATE_HOLDER, pattern: 'src/auth/**', status: 'active', mine: false });
    expect(view.reason).toBeUndefined();
    expect(view.session).toBeUndefined();
    expect(JSON.stringify(view)).not.toContain('bob');
    const own = viewClaim(c1!, { me: 'bob', isPrivate: () => true }, new Date(iso(30)));
    expect(own).toMatchObject({ holder: 'bob', reason: 'refactoring auth', mine: true });
    expect(viewClaim(c1!, viewer, new Date(iso(121))).status).toBe('expired');
  });

  it('another session of the same developer is someone else', () => {
    expect(isMine(c1!, { me: 'bob', session: 's1', isPrivate: () => false })).toBe(true);
    expect(isMine(c1!, { me: 'bob', session: 's2', isPrivate: () => false })).toBe(false);
    expect(isMine(c1!, { me: 'bob', isPrivate: () => false })).toBe(true);
  });

  it('claimsOverlapping lists, per path, the claims overlapping it', () => {
    const viewer: Viewer = { me: 'alice', isPrivate: () => false };
    const views = [c1!, c2!].map((c) => viewClaim(c, viewer, new Date(iso(30))));
    const hits = claimsOverlapping(views, ['src/auth/jwt.ts', 'README.md', 'docs/a.md']);
    expect(hits.map((h) => [h.path, h.claims.map((c) => c.id)])).toEqual([
      ['src/auth/jwt.ts', ['C1']],
      ['docs/a.md', ['C2']],
    ]);
    expect(claimSentence('src/auth/jwt.ts', views[0]!)).toBe(
      'src/auth/jwt.ts is claimed by bob (refactoring auth) until 14:00 UTC',
    );
  });
});
