// Every renderer prints stored and repository strings escaped (pure, in-process): contexts
// in full, `state`, the audit table, the markdown handoff, `--detail` and the briefing, fed
// records and paths holding ESC, BEL, CR, newlines, C1 and bidi controls.
import { describe, expect, it } from 'vitest';
import { buildBriefing } from '../../src/core/briefing.js';
import { renderBriefing } from '../../src/render/briefing.js';
import { renderArtifact, renderDetail } from '../../src/render/markdown.js';
import { renderAudit, renderContextFull, renderState } from '../../src/render/context.js';
import type { Artifact, FileDetail } from '../../src/schema/artifact.js';
import type { ContextView } from '../../src/schema/context.js';

// eslint-disable-next-line no-control-regex
const RAW_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]|\p{Cs}/u;
const FORGED = '## Fake (01FAKE) alice@example.com';
const NOW = new Date('2024-03-01T13:00:00.000Z');
const EVIL = 'x\x1b]0;pwned\x07\r\n## Fake \u202e\u2028\x9b';
const EVIL_PATH = `src/evil\x1b[2J\n${FORGED}.ts`;

function expectSafe(out: string, what: string): void {
  expect(out, what).not.toMatch(RAW_UNSAFE);
  // A line that starts like the forged heading or entry would pass for one.
  expect(
    out.split('\n').filter((l) => /^ {0,3}#{1,6} Fake/.test(l) || /^\s*[-*] fake/.test(l)),
    what,
  ).toEqual([]);
}

const view: ContextView = {
  id: `01ID${EVIL}`,
  developer: `mallory${EVIL}`,
  repo: `repo${EVIL}`,
  branch: `feat${EVIL}`,
  session_id: `s${EVIL}`,
  title: `Title${EVIL}`,
  summary: `first${EVIL}\n${FORGED}\n- fake entry\n\n\tindented`,
  files_touched: [EVIL_PATH],
  next_actions: [`next${EVIL}`],
  blockers: [`blocker${EVIL}`],
  task_ids: [`T${EVIL}`],
  published_at: '2024-03-01T12:00:00.000Z',
  expires_at: `2024-03-02T12:00:00.000Z${EVIL}`,
  ttl_hours: 24,
  touched_hash: 'h',
  touched_files: [{ path: EVIL_PATH, hash: '' }],
  status: 'active',
  staleness: {
    stale: true,
    stale_since: `2024-03-01T12:30:00.000Z${EVIL}`,
    changed_files: [{ path: EVIL_PATH, change: 'deleted', first_seen: 't' }],
  },
};

function hostileArtifact(): Artifact {
  const changed = [{ path: EVIL_PATH, status: 'modified' as const, size: 3, hash: `h${EVIL}`, from: `old${EVIL}` }];
  const risk = [{ path: EVIL_PATH, importers: 3, is_hub: true, reason: `imported by 3 files${EVIL}` }];
  const events = [{ time: '2024-03-01T12:00:00Z', op: 'edit' as const, path: EVIL_PATH }];
  const delta: Artifact['delta'] = {
    base_commit: `b${EVIL}`,
    changed,
    changed_total: 1,
    changed_omitted: 0,
    risk_files: risk,
    risk_omitted: 0,
    recent_events: events,
    events_omitted: 0,
    next_steps: [`Review ${EVIL_PATH}`],
    open_questions: [`Question${EVIL}`],
    context: { id: `01ID${EVIL}`, title: `Mine${EVIL}`, summary: `summary${EVIL}\n${FORGED}` },
  } as Artifact['delta'];
  return {
    schema_version: 1,
    generated_at: '2024-03-01T12:50:00Z',
    root: '.',
    branch: `feat${EVIL}`,
    base_ref: `main${EVIL}`,
    head: `a${EVIL}`,
    prefix: {
      base_tree: 't',
      file_count: 1,
      languages: { [`Lang${EVIL}`]: 1 },
      hubs: [{ path: EVIL_PATH, importers: 3 }],
      hubs_omitted: 0,
    },
    delta,
    prefix_hash: `p${EVIL}`,
    delta_hash: `d${EVIL}`,
    combined_hash: 'c',
    metrics: {
      prefix_bytes: 1,
      delta_bytes: 1,
      total_bytes: 2,
      unchanged_bytes: 0,
      reuse_ratio: 0,
      prefix_reused: false,
      delta_reused: false,
    },
    changed_files: [EVIL_PATH],
    risk_files: risk,
    recent_events: events,
    next_steps: delta.next_steps,
    open_questions: delta.open_questions,
  } as Artifact;
}

describe('renderers escape hostile stored text', () => {
  it('context in full quotes the summary line by line and escapes every field', () => {
    const out = renderContextFull(view, NOW);
    expectSafe(out, 'context get');
    expect(out.split('\n').filter((l) => l.startsWith('## '))).toHaveLength(1);
    expect(out).toContain('> ## Fake (01FAKE) alice@example.com');
    expect(out).toContain('> \tindented');
    expect(out).toContain('src/evil\\x1b[2J\\n## Fake');
  });

  it('state and the audit table', () => {
    expectSafe(renderState(`repo${EVIL}`, [view], NOW), 'state');
    expectSafe(renderAudit([view]), 'list --all');
  });

  it('the markdown handoff and a file detail', () => {
    const a = hostileArtifact();
    for (const layer of ['both', 'prefix', 'delta'] as const) expectSafe(renderArtifact(a, layer), `markdown ${layer}`);
    const detail: FileDetail = {
      path: EVIL_PATH,
      status: 'modified',
      from: `old${EVIL}`,
      size: 3,
      hash: `h${EVIL}`,
      is_hub: false,
      importers: [EVIL_PATH],
      imports: [`dep${EVIL}`],
      recent_events: [{ time: `t${EVIL}`, op: 'edit' }],
    } as FileDetail;
    expectSafe(renderDetail(detail), 'detail');
  });

  it('the session-start briefing, stale reason and hint line included', () => {
    const artifact = hostileArtifact();
    const out = renderBriefing(
      buildBriefing({ artifact, staleReason: `the branch is now b${EVIL}`, teammates: [view], now: NOW }),
      3000,
    );
    expectSafe(out, 'briefing');
    expect(out).toContain('mallory');
    expect(out).toContain('Title');
  });
});
