// Reading schema_version 1 handoff files in-process: one the Go tool codemap wrote (the
// fixture follows its handoff/types.go field for field) reads with what Go leaves out
// filled in, our own files read unchanged, and a file that is no handoff still fails.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../fixtures/git-repo.js';
import { CorruptFileError } from '../../src/errors.js';
import { artifact, type Artifact } from '../../src/schema/artifact.js';
import { savedArtifact } from '../../src/schema/artifact-read.js';
import { readLatest, readPreviousForSave } from '../../src/store/artifacts.js';
import { worktreeLayout } from '../../src/store/layout.js';

const FIXTURE = join(import.meta.dirname, '../../fixtures/go/handoff.latest.json');
const goText = (): string => readFileSync(FIXTURE, 'utf8');
const goFile = (): Record<string, unknown> => JSON.parse(goText()) as Record<string, unknown>;

/** An artifact as this tool writes it (every field, times in UTC seconds). */
function ours(): Artifact {
  const delta = {
    base_commit: 'a'.repeat(40),
    changed: [{ path: 'src/a.ts', status: 'renamed' as const, from: 'src/old.ts', size: 3, hash: '0123456789abcdef' }],
    changed_total: 2,
    changed_omitted: 1,
    risk_files: [{ path: 'src/a.ts', importers: 3, is_hub: true, reason: 'imported by 3 files' }],
    risk_omitted: 0,
    recent_events: [{ time: '2026-01-01T10:00:00Z', op: 'edit', path: 'src/a.ts' }],
    events_omitted: 0,
    next_steps: ['Run the tests.'],
    open_questions: [],
  };
  return {
    schema_version: 1,
    generated_at: '2026-01-01T10:00:00Z',
    root: '.',
    branch: 'feat',
    base_ref: 'origin/main',
    head: 'b'.repeat(40),
    prefix: { base_tree: 'c'.repeat(40), file_count: 9, languages: { typescript: 9 }, hubs: [], hubs_omitted: 0 },
    delta,
    prefix_hash: '1111111111111111',
    delta_hash: '2222222222222222',
    combined_hash: '3333333333333333',
    metrics: {
      prefix_bytes: 1,
      delta_bytes: 2,
      total_bytes: 3,
      unchanged_bytes: 0,
      reuse_ratio: 0,
      prefix_reused: false,
      delta_reused: false,
    },
    agent_history: [
      { agent_id: 'codex', session_id: 's1', started_at: '2026-01-01T09:00:00Z', ended_at: '2026-01-01T09:30:00Z' },
    ],
    changed_files: ['src/a.ts'],
    risk_files: delta.risk_files,
    recent_events: delta.recent_events,
    next_steps: delta.next_steps,
    open_questions: [],
  };
}

describe('savedArtifact: a handoff file the Go tool wrote', () => {
  it('the strict write schema refuses it (what made it "corrupt")', () => {
    expect(artifact.safeParse(goFile()).success).toBe(false);
  });

  it('reads, with what Go leaves out filled in and what it wrote kept', () => {
    const a = savedArtifact.parse(goFile());
    expect(artifact.parse(a)).toEqual(a);
    expect(a).toMatchObject({ branch: 'feature/store-split', base_ref: 'main', head: '' });
    expect(a.root).toBe('/home/dev/src/inventory');
    expect(a.generated_at).toBe('2026-02-14T08:31:07Z');
    expect(a.prefix).toEqual({
      base_tree: '',
      file_count: 37,
      languages: {},
      hubs: [
        { path: 'internal/store/store.go', importers: 4 },
        { path: 'internal/model/model.go', importers: 3 },
      ],
      hubs_omitted: 0,
    });
    expect(a.delta.changed.map((c) => [c.path, c.status, c.size, c.hash.length])).toEqual([
      ['internal/store/store.go', 'modified', 2314, 64],
      ['internal/render/render.go', 'branch', 911, 64],
      ['cmd/old.go', 'branch', 0, 0],
      ['notes/plan.md', 'modified', 64, 64],
    ]);
    expect(a.delta).toMatchObject({ base_commit: '', changed_total: 4, changed_omitted: 0 });
    expect([a.delta.risk_omitted, a.delta.events_omitted, a.prefix.hubs_omitted]).toEqual([0, 0, 0]);
    expect(a.delta.risk_files).toEqual((goFile().delta as { risk_files: unknown }).risk_files);
    expect(a.delta.recent_events).toEqual([
      { time: '2026-02-14T08:12:44Z', op: 'WRITE', path: 'internal/store/store.go' },
      { time: '2026-02-14T08:20:03Z', op: 'CREATE', path: 'notes/plan.md' },
      { time: '2026-02-14T08:27:51Z', op: 'WRITE', path: 'internal/render/render.go' },
    ]);
    expect(a.recent_events).toEqual(a.delta.recent_events);
    expect(a.agent_history).toEqual([
      {
        agent_id: 'claude-code',
        started_at: '2026-02-14T07:02:11Z',
        ended_at: '2026-02-14T07:47:30Z',
        files_edited: ['internal/store/store.go', 'internal/render/render.go'],
      },
      {
        agent_id: 'codex',
        started_at: '2026-02-14T08:05:00Z',
        ended_at: '2026-02-14T08:31:07Z',
        files_edited: ['notes/plan.md'],
        summary: 'Split the store package',
      },
    ]);
    expect(a.metrics.previous_combined_hash).toHaveLength(64);
  });

  it("Go's nil slices (null), a zero ended_at and a pre-layer file (top-level lists only) read as Go's", () => {
    const file = goFile();
    const delta = { ...(file.delta as object), risk_files: null, next_steps: null };
    const nulls = { ...file, prefix: { hubs: null }, delta };
    const a = savedArtifact.parse({
      ...nulls,
      agent_history: [
        { agent_id: 'unknown', started_at: '2026-02-14T09:00:00+01:00', ended_at: '0001-01-01T00:00:00Z' },
      ],
    });
    expect(a.prefix.hubs).toEqual([]);
    expect(a.prefix.file_count).toBe(0);
    expect(a.delta.risk_files).toEqual([]);
    expect(a.agent_history).toEqual([{ agent_id: 'unknown', started_at: '2026-02-14T08:00:00Z' }]);
    const { delta: _d, prefix: _p, ...legacy } = file;
    const old = savedArtifact.parse({ ...legacy, schema_version: 0 });
    expect(old.schema_version).toBe(1);
    expect(old.delta.changed.map((c) => c.path)).toEqual(file.changed_files);
    expect(old.delta.changed.every((c) => c.status === 'modified' && c.size === 0 && c.hash === '')).toBe(true);
    expect(old.delta.next_steps).toEqual(file.next_steps);
  });
});

describe('savedArtifact: our own files and corrupt ones', () => {
  it('reads our artifact exactly as written, key order included', () => {
    const a = ours();
    const text = JSON.stringify(artifact.parse(a));
    expect(JSON.stringify(savedArtifact.parse(JSON.parse(text)))).toBe(text);
  });

  it('an older file of ours, without fields added since, reads with neutral values', () => {
    const { head: _head, ...older } = ours();
    const { languages: _l, ...prefix } = older.prefix;
    const { risk_omitted: _r, ...delta } = older.delta;
    const changed = delta.changed.map(({ hash: _h, ...rest }) => rest);
    const a = savedArtifact.parse({ ...older, prefix, delta: { ...delta, changed } });
    expect(a.head).toBe('');
    expect(a.prefix.languages).toEqual({});
    expect(a.delta.risk_omitted).toBe(0);
    expect(a.delta.changed[0]?.hash).toBe('');
  });

  it('still refuses what is no schema-1 handoff', () => {
    const file = goFile();
    const bad: unknown[] = [
      null,
      [],
      'handoff',
      { ...file, schema_version: 2 },
      { ...file, delta: 'x' },
      { ...file, branch: undefined },
      { ...file, metrics: undefined },
      { ...file, delta: { ...(file.delta as object), changed: [{ path: 'a', status: 'exploded' }] } },
      { ...file, prefix: { hubs: 'many' } },
      // What the Go tool always writes stays required.
      { ...file, metrics: { ...(file.metrics as object), reuse_ratio: undefined } },
      { ...file, delta: { ...(file.delta as object), recent_events: [{ time: '2026-02-14T09:00:00Z', path: 'a' }] } },
      { ...file, delta: { ...(file.delta as object), risk_files: [{ path: 'a', importers: 2, is_hub: false }] } },
      { ...file, agent_history: [{ started_at: '2026-02-14T09:00:00Z' }] },
      { ...file, head: null },
    ];
    for (const value of bad) {
      expect(savedArtifact.safeParse(value).success, JSON.stringify(value)?.slice(0, 80)).toBe(false);
    }
  });
});

describe('readLatest / readPreviousForSave on a Go-written file', () => {
  let root: string;
  beforeEach(() => {
    root = makeTempDir('handoff-read-');
    mkdirSync(join(root, '.codemap'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('a Go file is read, not moved aside; a corrupt one is still moved aside', () => {
    const layout = worktreeLayout(root);
    writeFileSync(layout.latest, goText());
    const warnings: string[] = [];
    expect(readLatest(layout)?.agent_history).toHaveLength(2);
    expect(readPreviousForSave(layout, new Date(0), (l) => warnings.push(l))?.branch).toBe('feature/store-split');
    expect(warnings).toEqual([]);
    expect(readdirSync(layout.dir)).toEqual(['handoff.latest.json']);

    writeFileSync(layout.latest, goText().replace('"delta": {', '"delta": 7, "x": {'));
    expect(() => readLatest(layout)).toThrow(CorruptFileError);
    expect(readPreviousForSave(layout, new Date(0), (l) => warnings.push(l))).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(readdirSync(layout.dir)).toEqual(['handoff.latest.json.corrupt-1970-01-01T00-00-00-000Z']);
  });
});
