// The rules of decisions and interfaces (core/decisions.ts, core/interfaces.ts): only the
// author's revoke counts, a private developer's records are seen by them alone, the path
// filter, the checkpoint rules and how an interface's file is judged ready, stale or gone.
import { describe, expect, it } from 'vitest';
import {
  filterDecisions,
  keepDecision,
  pathConcerns,
  teamNoteBlocks,
  touchingFirst,
  visibleDecisions,
  decisionTouches,
} from '../../src/core/decisions.js';
import { judgeInterface, keepInterface, visibleInterfaces } from '../../src/core/interfaces.js';
import { accumulate, emptyAccumulator } from '../../src/core/records.js';
import type { Visibility } from '../../src/schema/context.js';
import type { RecordOf, StoreRecord } from '../../src/schema/records.js';

const at = (minute: number): string => new Date(Date.UTC(2024, 2, 1, 12, minute)).toISOString();

const decision = (id: string, author: string, minute: number, files: string[] = []): RecordOf<'decision'> => ({
  id,
  author,
  at: at(minute),
  kind: 'decision',
  decision: { text: `decision ${id}`, files, repo: 'r', branch: 'main' },
});
const iface = (id: string, author: string, minute: number): RecordOf<'interface'> => ({
  id,
  author,
  at: at(minute),
  kind: 'interface',
  interface: { name: 'AuthContext', file: 'src/auth/context.ts', hash: 'h1', repo: 'r', branch: 'main' },
});
const revokeDecision = (id: string, target: string, author: string): StoreRecord => ({
  id,
  author,
  at: at(30),
  kind: 'decision_revoke',
  decision_id: target,
});

const everyonePublic = (): Visibility => 'public';

describe('decisions', () => {
  it('stand until their author revokes them; anyone else’s revoke is ignored', () => {
    const acc = accumulate(emptyAccumulator(), [
      decision('D1', 'alice', 1),
      decision('D2', 'alice', 2),
      revokeDecision('R1', 'D1', 'alice'),
      revokeDecision('R2', 'D2', 'mallory'),
    ]);
    expect(visibleDecisions(acc, 'bob', everyonePublic).map((d) => d.id)).toEqual(['D2']);
    expect(keepDecision(acc.decisions.get('D1')!, acc)).toBe(false);
    expect(keepDecision(acc.decisions.get('D2')!, acc)).toBe(true);
  });

  it('a private developer’s decisions are seen by them alone', () => {
    const acc = accumulate(emptyAccumulator(), [decision('D1', 'alice', 1), decision('D2', 'bob', 2)]);
    const bobPrivate = (d: string): Visibility => (d === 'bob' ? 'private' : 'public');
    expect(visibleDecisions(acc, 'alice', bobPrivate).map((d) => d.id)).toEqual(['D1']);
    expect(visibleDecisions(acc, 'bob', bobPrivate).map((d) => d.id)).toEqual(['D2', 'D1']);
  });

  it('filters by time and by path (same path, a directory either way, a glob)', () => {
    const acc = accumulate(emptyAccumulator(), [
      decision('D1', 'alice', 1, ['src/auth']),
      decision('D2', 'alice', 5, ['src/db.ts']),
      decision('D3', 'alice', 9, ['src/**/*.sql']),
    ]);
    const all = visibleDecisions(acc, 'alice', everyonePublic);
    expect(filterDecisions(all, { since: at(5) }).map((d) => d.id)).toEqual(['D3', 'D2']);
    expect(filterDecisions(all, { file: 'src/auth/jwt.ts' }).map((d) => d.id)).toEqual(['D1']);
    expect(filterDecisions(all, { file: 'src' }).map((d) => d.id)).toEqual(['D3', 'D2', 'D1']);
    expect(filterDecisions(all, { file: 'src/db/init.sql' }).map((d) => d.id)).toEqual(['D3']);
    expect(pathConcerns('src/a', 'src/ab.ts')).toBe(false);
  });

  it('touchingFirst splits by my files and keeps the order', () => {
    const ds = [decision('D3', 'a', 3, ['x.ts']), decision('D2', 'a', 2, ['y.ts']), decision('D1', 'a', 1, ['x.ts'])];
    const split = touchingFirst(
      ds.map((d) => ({ id: d.id, files: d.decision.files })),
      new Set(['x.ts']),
      decisionTouches,
    );
    expect(split.touching.map((d) => d.id)).toEqual(['D3', 'D1']);
    expect(split.rest.map((d) => d.id)).toEqual(['D2']);
  });
});

describe('interfaces', () => {
  it('are ready while the file is as declared, stale once it changed, gone once deleted', () => {
    expect(judgeInterface({ hash: 'h1' }, { hash: 'h1' })).toBe('ready');
    expect(judgeInterface({ hash: 'h1' }, { hash: 'h2' })).toBe('stale');
    expect(judgeInterface({ hash: 'h1' }, undefined)).toBe('gone');
    // A committed file is compared by blob id: a checkout may differ only by line endings.
    expect(judgeInterface({ hash: 'h1', blob: 'b1' }, { hash: 'h9', blob: 'b1' })).toBe('ready');
  });

  it('stand until their author revokes them, and follow the same privacy rule', () => {
    const acc = accumulate(emptyAccumulator(), [
      iface('I1', 'alice', 1),
      iface('I2', 'bob', 2),
      { id: 'R1', author: 'bob', at: at(3), kind: 'interface_revoke', interface_id: 'I1' },
      { id: 'R2', author: 'bob', at: at(3), kind: 'interface_revoke', interface_id: 'I2' },
    ]);
    expect(visibleInterfaces(acc, 'carol', everyonePublic).map((i) => i.id)).toEqual(['I1']);
    expect(keepInterface(acc.interfaces.get('I2')!, acc)).toBe(false);
    const alicePrivate = (d: string): Visibility => (d === 'alice' ? 'private' : 'public');
    expect(visibleInterfaces(acc, 'carol', alicePrivate)).toEqual([]);
  });
});

describe('the briefing blocks', () => {
  const view = (id: string, files: string[]) => ({
    id,
    author: 'alice',
    at: at(Number(id.slice(1))),
    text: `decision ${id}`,
    files,
    repo: 'r',
    branch: 'main',
  });
  const ready = { id: 'I1', author: 'bob', at: at(1), name: 'Db', file: 'src/db.ts', hash: 'h', repo: 'r' };

  it('lists the newest three touching my files first, then the newest three of the rest, then a count', () => {
    const decisions = ['D9', 'D8', 'D7', 'D6', 'D5', 'D4', 'D3', 'D2'].map((id, n) =>
      view(id, n < 4 ? ['src/db.ts'] : ['docs']),
    );
    const interfaces = [{ ...ready, branch: 'main', status: 'stale' as const }];
    const blocks = teamNoteBlocks(decisions, interfaces, new Set(['src/db.ts']), () => '5m');
    expect(blocks.touching).toEqual([
      'Decisions and interfaces on your files:',
      '- decided: decision D9 — alice, 5m ago [src/db.ts]',
      '- decided: decision D8 — alice, 5m ago [src/db.ts]',
      '- decided: decision D7 — alice, 5m ago [src/db.ts]',
      '- interface Db in src/db.ts [stale] — bob, 5m ago',
    ]);
    expect(blocks.rest).toEqual([
      'Team decisions and ready interfaces:',
      '- decided: decision D5 — alice, 5m ago [docs]',
      '- decided: decision D4 — alice, 5m ago [docs]',
      '- decided: decision D3 — alice, 5m ago [docs]',
      '- … 2 more: handoff decision list · handoff interface list',
    ]);
  });

  it('says nothing when there is nothing', () => {
    expect(teamNoteBlocks([], [], new Set(), () => '1m')).toEqual({ touching: [], rest: [] });
  });
});
