// The fold of the team store's records (src/core/records.ts): supersession by
// (published_at, id), revocation over anything, visibility by (at, id), and the property
// sync relies on: any order of the same set of records, duplicates included, folds the same.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveClaims } from '../../src/core/claims.js';
import { visibleDecisions } from '../../src/core/decisions.js';
import { visibleInterfaces } from '../../src/core/interfaces.js';
import {
  accumulate,
  byPublished,
  contextRecord,
  emptyAccumulator,
  foldRecords,
  fromLegacy,
  keptRecords,
  registryAfter,
} from '../../src/core/records.js';
import type { Context, Visibility } from '../../src/schema/context.js';
import type { RecordOf, StoreRecord } from '../../src/schema/records.js';
import { CONTEXT_T0, sampleContext } from '../../fixtures/contexts.js';
import { ackRecord, messageRecord, sampleMessage } from '../../fixtures/messages.js';

const T0 = Date.parse(CONTEXT_T0);
const iso = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();

const ctx = sampleContext;

const revoke = (id: string, target: string, author: string, at: string): RecordOf<'revoke'> => ({
  id,
  author,
  at,
  kind: 'revoke',
  context_id: target,
});
const visibility = (id: string, author: string, at: string, v: Visibility): RecordOf<'visibility'> => ({
  id,
  author,
  at,
  kind: 'visibility',
  visibility: v,
});

describe('foldRecords: examples', () => {
  it('a newer publish in the slot supersedes the older; other slots are untouched', () => {
    const a = ctx('A', { published_at: iso(0) });
    const b = ctx('B', { published_at: iso(5) });
    const otherBranch = ctx('C', { branch: 'feature' });
    const otherDev = ctx('D', { developer: 'bob' });
    const { contexts } = foldRecords([b, otherBranch, a, otherDev].map(contextRecord));
    expect(contexts.get('A')?.superseded_by).toBe('B');
    expect(contexts.get('B')?.superseded_by).toBeUndefined();
    expect(contexts.get('C')?.superseded_by).toBeUndefined();
    expect(contexts.get('D')?.superseded_by).toBeUndefined();
  });

  it('each context is superseded by the next of its slot, ties broken by id', () => {
    const same = iso(3);
    const records = [ctx('B', { published_at: same }), ctx('A', { published_at: same }), ctx('C')];
    const { contexts } = foldRecords(records.map(contextRecord));
    expect(contexts.get('C')?.superseded_by).toBe('A');
    expect(contexts.get('A')?.superseded_by).toBe('B');
    expect(contexts.get('B')?.superseded_by).toBeUndefined();
  });

  it('a revocation wins over supersession, takes the earliest revoke, and counts only the developer’s own', () => {
    const a = ctx('A');
    const b = ctx('B', { published_at: iso(5) });
    const records: StoreRecord[] = [
      contextRecord(a),
      contextRecord(b),
      revoke('R2', 'A', 'alice', iso(9)),
      revoke('R1', 'A', 'alice', iso(7)),
      revoke('R3', 'B', 'mallory', iso(6)),
      revoke('R4', 'NOPE', 'alice', iso(6)),
    ];
    const { contexts } = foldRecords(records);
    expect(contexts.get('A')).toMatchObject({ revoked_at: iso(7) });
    expect(contexts.get('A')?.superseded_by).toBeUndefined();
    expect(contexts.get('B')?.revoked_at).toBeUndefined();
    expect([...contexts.keys()].sort()).toEqual(['A', 'B']);
  });

  it('ignores a context record whose id or author does not match its context', () => {
    const a = ctx('A');
    const forged = { ...contextRecord(a), author: 'mallory' };
    const renamed = { ...contextRecord(ctx('B')), id: 'X' };
    expect(foldRecords([forged, renamed]).contexts.size).toBe(0);
  });

  it('does not mutate the contexts it was given, and drops stale status fields from bodies', () => {
    const a = ctx('A', { superseded_by: 'Z' });
    const { contexts } = foldRecords([contextRecord(a)]);
    expect(a.superseded_by).toBe('Z');
    expect(contexts.get('A')?.superseded_by).toBeUndefined();
  });

  it('the registry: public from the first publish, the latest visibility by (at, id) after', () => {
    const records: StoreRecord[] = [
      contextRecord(ctx('A', { published_at: iso(2) })),
      contextRecord(ctx('B', { developer: 'bob', published_at: iso(1) })),
      visibility('V2', 'bob', iso(4), 'public'),
      visibility('V3', 'bob', iso(4), 'private'),
      visibility('V1', 'bob', iso(3), 'public'),
    ];
    expect(foldRecords(records).developers).toEqual({
      alice: { visibility: 'public', updated_at: iso(2) },
      bob: { visibility: 'private', updated_at: iso(4), id: 'V3' },
    });
  });

  it('registryAfter keeps a saved entry unless a later visibility record arrives', () => {
    const saved = { bob: { visibility: 'private' as const, updated_at: iso(4), id: 'V3' } };
    expect(registryAfter(saved, [contextRecord(ctx('B', { developer: 'bob' }))])).toEqual(saved);
    expect(registryAfter(saved, [visibility('V2', 'bob', iso(4), 'public')])).toEqual(saved);
    expect(registryAfter(saved, [visibility('V9', 'bob', iso(5), 'public')]).bob?.visibility).toBe('public');
    expect(registryAfter(saved, [contextRecord(ctx('A'))]).alice?.visibility).toBe('public');
  });

  it('converts format-1 records: a revoke takes its context’s developer as author', () => {
    const a = ctx('A');
    let n = 0;
    const records = fromLegacy(
      [
        { op: 'publish', at: a.published_at, context: a, supersedes: [] },
        { op: 'revoke', at: iso(1), id: 'A' },
        { op: 'visibility', at: iso(2), developer: 'alice', visibility: 'private' },
      ],
      new Map(),
      () => `L${n++}`,
    );
    expect(records.map((r) => [r.kind, r.id, r.author])).toEqual([
      ['context', 'A', 'alice'],
      ['revoke', 'L0', 'alice'],
      ['visibility', 'L1', 'alice'],
    ]);
  });
});

/** Small pools so that slots, ties and revokes of known contexts happen often. */
const developers = ['alice', 'bob', 'carol'];
const minute = fc.integer({ min: 0, max: 6 }).map(iso);
const recordArb: fc.Arbitrary<StoreRecord> = fc.oneof(
  fc
    .record({
      n: fc.integer({ min: 0, max: 11 }),
      developer: fc.constantFrom(...developers),
      branch: fc.constantFrom('main', 'feature'),
      at: minute,
    })
    .map(({ n, developer, branch, at }) => contextRecord(ctx(`C${n}`, { developer, branch, published_at: at }))),
  fc
    .record({
      n: fc.integer({ min: 0, max: 99 }),
      target: fc.integer({ min: 0, max: 11 }),
      author: fc.constantFrom(...developers),
      at: minute,
    })
    .map(({ n, target, author, at }) => revoke(`R${n}`, `C${target}`, author, at)),
  fc
    .record({
      n: fc.integer({ min: 0, max: 99 }),
      author: fc.constantFrom(...developers),
      at: minute,
      v: fc.constantFrom<Visibility>('public', 'private'),
    })
    .map(({ n, author, at, v }) => visibility(`V${n}`, author, at, v)),
  // Claims, decisions and interfaces: small id pools, so clashes of bodies, extensions and revokes of known ids happen.
  fc
    .record({
      n: fc.integer({ min: 0, max: 5 }),
      author: fc.constantFrom(...developers),
      at: minute,
      pattern: fc.constantFrom('src/**', 'src/a.ts'),
      expires: minute,
    })
    .map(({ n, author, at, pattern, expires }): StoreRecord => ({
      id: `K${n}`,
      author,
      at,
      kind: 'claim',
      claim: { pattern, repo: 'r', branch: 'main', expires_at: expires, ttl_minutes: 60 },
    })),
  fc
    .record({
      n: fc.integer({ min: 0, max: 99 }),
      target: fc.integer({ min: 0, max: 5 }),
      author: fc.constantFrom(...developers),
      at: minute,
      expires: minute,
    })
    .map(({ n, target, author, at, expires }): StoreRecord => ({
      id: `E${n}`,
      author,
      at,
      kind: 'claim_extend',
      claim_id: `K${target}`,
      expires_at: expires,
    })),
  fc
    .record({
      n: fc.integer({ min: 0, max: 5 }),
      author: fc.constantFrom(...developers),
      at: minute,
      text: fc.string(),
    })
    .map(({ n, author, at, text }): StoreRecord => {
      const decision = { text, files: [], repo: 'r', branch: 'main' };
      return { id: `D${n}`, author, at, kind: 'decision', decision };
    }),
  fc
    .record({
      n: fc.integer({ min: 0, max: 5 }),
      author: fc.constantFrom(...developers),
      at: minute,
      hash: fc.string(),
    })
    .map(({ n, author, at, hash }): StoreRecord => {
      const body = { name: 'Api', file: 'src/a.ts', hash, repo: 'r', branch: 'main' };
      return { id: `I${n}`, author, at, kind: 'interface', interface: body };
    }),
  // Messages: a small id pool with varying bodies, so clashes of one id happen; acks of them.
  fc
    .record({ n: fc.integer({ min: 0, max: 5 }), from: fc.constantFrom(...developers), at: minute })
    .map(({ n, from, at }) => messageRecord(sampleMessage(`M${n}`, { from, sent_at: at, body: `note ${at}` }))),
  fc
    .record({
      n: fc.integer({ min: 0, max: 99 }),
      target: fc.integer({ min: 0, max: 5 }),
      author: fc.constantFrom(...developers),
      at: minute,
      which: fc.boolean(),
    })
    .map(({ n, target, author, at, which }): StoreRecord =>
      which
        ? { id: `X${n}`, author, at, kind: 'decision_revoke', decision_id: `D${target}` }
        : { id: `Y${n}`, author, at, kind: 'interface_revoke', interface_id: `I${target}` },
    ),
  fc
    .record({
      n: fc.integer({ min: 0, max: 99 }),
      target: fc.integer({ min: 0, max: 5 }),
      author: fc.constantFrom(...developers),
      at: minute,
    })
    .map(({ n, target, author, at }): StoreRecord => ({
      id: `L${n}`,
      author,
      at,
      kind: 'claim_release',
      claim_id: `K${target}`,
    })),
  fc
    .record({
      n: fc.integer({ min: 0, max: 99 }),
      target: fc.integer({ min: 0, max: 5 }),
      author: fc.constantFrom(...developers),
      at: minute,
    })
    .map(({ n, target, author, at }) => ackRecord(`A${n}`, `M${target}`, author, at)),
);

/** The fold as comparable data: contexts sorted by id, the registry with sorted keys. */
function folded(records: StoreRecord[]): unknown {
  const { contexts, developers: registry } = foldRecords(records);
  const byId = [...contexts.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const sorted = Object.entries(registry).sort(([a], [b]) => (a < b ? -1 : 1));
  const acc = accumulate(emptyAccumulator(), records);
  const claims = resolveClaims(acc).sort((a, b) => (a.id < b.id ? -1 : 1));
  const decisions = visibleDecisions(acc, '', () => 'public');
  const interfaces = visibleInterfaces(acc, '', () => 'public');
  const sortedEntries = <V>(m: Map<string, V>): [string, V][] => [...m].sort(([a], [b]) => (a < b ? -1 : 1));
  const messages = sortedEntries(acc.messages);
  const acks = sortedEntries(acc.messageAcks).map(([id, by]) => [id, sortedEntries(by)]);
  return { contexts: byId, registry: Object.fromEntries(sorted), claims, decisions, interfaces, messages, acks };
}

describe('foldRecords: order independence', () => {
  it('folds every permutation (with duplicates) of a record set to the same state', () => {
    fc.assert(
      fc.property(
        fc.array(recordArb, { maxLength: 40 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.infiniteStream(fc.nat()),
        (records, dupes, rand) => {
          const doubled = [...records, ...(records.length > 0 ? dupes.map((d) => records[d % records.length]!) : [])];
          // A Fisher–Yates shuffle driven by fast-check, so a failure shrinks and replays.
          const shuffled = [...doubled];
          const it = rand[Symbol.iterator]();
          for (let i = shuffled.length - 1; i > 0; i--) {
            const j = it.next().value! % (i + 1);
            [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
          }
          expect(folded(shuffled)).toEqual(folded(records));
        },
      ),
      { numRuns: 500 },
    );
  });

  // The checkpoint (live contexts only) is exact for the order a local log is written in:
  // no duplicates, each publish its slot's newest, a revoke after its context. Records
  // delivered out of that order (sync) need the checkpoint to keep slot heads and
  // pending revokes as well; until then repair's full refold is the check.
  it('folding a checkpoint of live contexts with a log tail equals folding the whole log', () => {
    fc.assert(
      fc.property(fc.array(recordArb, { maxLength: 40 }), fc.nat(), (generated, cut) => {
        const unique = [...new Map(generated.map((r) => [r.id, r])).values()];
        const contexts = unique.filter((r): r is RecordOf<'context'> => r.kind === 'context');
        contexts.sort((a, b) => byPublished(a.context, b.context));
        const records = [...contexts, ...unique.filter((r) => r.kind !== 'context')];
        const at = cut % (records.length + 1);
        const live = (m: Map<string, Context>): Context[] =>
          [...m.values()].filter((c) => c.superseded_by === undefined && c.revoked_at === undefined);
        const checkpoint = live(foldRecords(records.slice(0, at)).contexts);
        const incremental = foldRecords([...checkpoint.map(contextRecord), ...records.slice(at)]).contexts;
        const ids = (m: Map<string, Context>): string[] =>
          live(m)
            .map((c) => c.id)
            .sort();
        expect(ids(incremental)).toEqual(ids(foldRecords(records).contexts));
      }),
      { numRuns: 300 },
    );
  });
});

describe('keptRecords', () => {
  it('keeps one body per id whatever the order: the one the fold keeps', () => {
    const later = new Date(Date.parse(CONTEXT_T0) + 3_600_000);
    const a = messageRecord(sampleMessage('M1', { body: 'a first', sent_at: iso(1) }));
    const b = messageRecord(sampleMessage('M1', { body: 'b second', sent_at: iso(1) }));
    const acc = accumulate(emptyAccumulator(), [a, b]);
    expect(keptRecords(acc, [a, b], later)).toEqual(keptRecords(acc, [b, a], later));
    expect(keptRecords(acc, [b, a], later)).toEqual([a]);
  });
});
