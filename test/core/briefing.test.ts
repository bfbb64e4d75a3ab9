// The session-start briefing and the agent history, as pure functions: the sections as
// data (kinds, priorities, raw strings), and as text (render/briefing.ts): block order,
// de-duplication between blocks, ranking of teammates, stale marks, the byte budget on
// huge inputs; and one history entry per session with the newest 20 kept.
import { describe, expect, it } from 'vitest';
import { AGENT_HISTORY_KEPT, upsertAgentEntry } from '../../src/core/agent-history.js';
import { buildBriefing, rankTeammates, SECTION_PRIORITY, type BriefingInput } from '../../src/core/briefing.js';
import { renderBriefing } from '../../src/render/briefing.js';
import type { AgentEntry, Artifact, FileStub, RiskFile } from '../../src/schema/artifact.js';
import type { ContextView } from '../../src/schema/context.js';

const NOW = new Date('2024-03-01T12:00:00.000Z');
const minutesBefore = (m: number): string => new Date(NOW.getTime() - m * 60_000).toISOString();

const stub = (path: string, status: FileStub['status'] = 'modified'): FileStub => ({
  path,
  status,
  size: 10,
  hash: `h-${path}`,
});

function makeArtifact(opts: {
  changed?: FileStub[];
  changedTotal?: number;
  risk?: RiskFile[];
  next?: string[];
  questions?: string[];
  branch?: string;
  savedMinutesAgo?: number;
}): Artifact {
  const changed = opts.changed ?? [];
  const delta: Artifact['delta'] = {
    base_commit: 'b'.repeat(40),
    changed,
    changed_total: opts.changedTotal ?? changed.length,
    changed_omitted: Math.max(0, (opts.changedTotal ?? changed.length) - changed.length),
    risk_files: opts.risk ?? [],
    risk_omitted: 0,
    recent_events: [],
    events_omitted: 0,
    next_steps: opts.next ?? [],
    open_questions: opts.questions ?? [],
  };
  return {
    schema_version: 1,
    generated_at: minutesBefore(opts.savedMinutesAgo ?? 10).replace(/\.\d{3}Z$/, 'Z'),
    root: '.',
    branch: opts.branch ?? 'feat',
    base_ref: 'main',
    head: 'a'.repeat(40),
    prefix: { base_tree: 't'.repeat(40), file_count: 10, languages: {}, hubs: [], hubs_omitted: 0 },
    delta,
    prefix_hash: '0'.repeat(16),
    delta_hash: '1'.repeat(16),
    combined_hash: '2'.repeat(16),
    metrics: {
      prefix_bytes: 1,
      delta_bytes: 1,
      total_bytes: 2,
      unchanged_bytes: 0,
      reuse_ratio: 0,
      prefix_reused: false,
      delta_reused: false,
    },
    changed_files: changed.map((c) => c.path),
    risk_files: opts.risk ?? [],
    recent_events: [],
    next_steps: opts.next ?? [],
    open_questions: opts.questions ?? [],
  };
}

let seq = 0;
function teammate(opts: {
  developer: string;
  title?: string;
  summary?: string;
  files?: string[];
  minutesAgo?: number;
  stale?: boolean;
}): ContextView {
  seq += 1;
  const published = minutesBefore(opts.minutesAgo ?? 30);
  return {
    id: `01CTX${String(seq).padStart(6, '0')}`,
    developer: opts.developer,
    repo: 'repo',
    branch: 'feat',
    title: opts.title ?? `${opts.developer}'s work`,
    summary: opts.summary ?? `${opts.developer} summary line`,
    files_touched: opts.files ?? [],
    next_actions: [],
    blockers: [],
    task_ids: [],
    published_at: published,
    expires_at: new Date(NOW.getTime() + 86_400_000).toISOString(),
    ttl_hours: 24,
    touched_hash: 'x',
    touched_files: (opts.files ?? []).map((path) => ({ path, hash: 'h' })),
    status: 'active',
    ...(opts.stale !== undefined ? { staleness: { stale: opts.stale, changed_files: [] } } : {}),
  };
}

const briefing = (input: Partial<BriefingInput>) =>
  buildBriefing({ artifact: undefined, staleReason: undefined, teammates: [], now: NOW, ...input });
const brief = ({ maxBytes = 3_000, ...input }: Partial<BriefingInput> & { maxBytes?: number }): string =>
  renderBriefing(briefing(input), maxBytes);

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

describe('buildBriefing (data)', () => {
  const artifact = makeArtifact({
    changed: [stub('src/a.ts'), stub('src/b\x1b.ts')],
    risk: [{ path: 'src/a.ts', importers: 4, is_hub: true, reason: 'hub file imported by 4 files' }],
  });

  it('has no sections when there is nothing to say', () => {
    expect(briefing({})).toEqual({ at: NOW.toISOString(), sections: [] });
  });

  it('orders its sections by priority, most relevant first, and closes with the hint', () => {
    const data = briefing({ artifact, teammates: [teammate({ developer: 'alice', files: ['src/a.ts'] })] });
    expect(data.sections.map((s) => [s.kind, s.priority])).toEqual([
      ['handoff', SECTION_PRIORITY.handoff],
      ['teammates', SECTION_PRIORITY.teammates],
      ['hint', SECTION_PRIORITY.hint],
    ]);
    const priorities = data.sections.map((s) => s.priority);
    expect(priorities).toEqual([...priorities].sort((x, y) => y - x));
  });

  it('holds the raw facts of each line; escaping is left to the renderer', () => {
    const data = briefing({ artifact, teammates: [teammate({ developer: 'alice', files: ['src/a.ts', 'x.ts'] })] });
    const [handoff, team, hint] = data.sections;
    expect(handoff).toMatchObject({
      kind: 'handoff',
      branch: 'feat',
      baseRef: 'main',
      changed: {
        total: 2,
        files: [
          { status: 'modified', path: 'src/a.ts', risk: 'hub file imported by 4 files' },
          { status: 'modified', path: 'src/b\x1b.ts' },
        ],
      },
    });
    expect(team).toMatchObject({
      kind: 'teammates',
      more: 0,
      teammates: [{ developer: 'alice', overlap: 1, named: [] }],
    });
    expect(hint).toEqual({ kind: 'hint', priority: 0, detailPath: 'src/a.ts', developer: 'alice' });
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
  });
});

describe('buildBriefing rendered (renderBriefing)', () => {
  const artifact = makeArtifact({
    changed: [stub('src/a.ts'), stub('src/b.ts'), stub('src/core.ts'), stub('src/new.ts', 'untracked')],
    risk: [{ path: 'src/core.ts', importers: 4, is_hub: true, reason: 'hub file imported by 4 files' }],
    next: ['Review the 4 dependents of src/core.ts before merge.'],
  });

  it('leads with others’ claims on my changed files, escaped, at most five lines', () => {
    const claim = (holder: string, reason?: string) => ({
      id: `K-${holder}`,
      pattern: 'src/**',
      holder,
      ...(reason ? { reason } : {}),
      claimed_at: minutesBefore(5),
      expires_at: '2024-03-01T13:05:00.000Z',
      status: 'active' as const,
      mine: false,
    });
    const text = brief({
      artifact,
      claims: [{ path: 'src/a.ts', claims: [claim('bob', 'refactoring\u001b[2J auth')] }],
    });
    expect(text.startsWith('Claims by others overlapping your changed files:\n- src/a.ts is claimed by bob')).toBe(
      true,
    );
    expect(text).toContain('(refactoring\\x1b[2J auth) until 13:05 UTC');
    expect(text.indexOf('Handoff for feat vs main')).toBeGreaterThan(0);
    const many = Array.from({ length: 7 }, (_, i) => ({ path: `src/${i}.ts`, claims: [claim(`dev${i}`)] }));
    expect(brief({ claims: many })).toContain('- … 2 more (handoff claim list)');
  });

  it('is empty when there is nothing to say', () => {
    expect(brief({})).toBe('');
    expect(brief({ artifact: makeArtifact({}) })).toBe('');
  });

  it('puts the saved handoff first, then teammates, then the More: hint', () => {
    const text = brief({ artifact, teammates: [teammate({ developer: 'alice', files: ['src/a.ts'] })] });
    const handoffAt = text.indexOf('Handoff for feat vs main');
    const changedAt = text.indexOf('Changed files (4):');
    const nextAt = text.indexOf('Next steps:');
    const teamAt = text.indexOf('Teammates working here:');
    const moreAt = text.indexOf('More: ');
    expect(handoffAt).toBe(0);
    expect(changedAt).toBeGreaterThan(handoffAt);
    expect(nextAt).toBeGreaterThan(changedAt);
    expect(teamAt).toBeGreaterThan(nextAt);
    expect(moreAt).toBeGreaterThan(teamAt);
    expect(text.trimEnd().split('\n').at(-1)).toMatch(/^More: /);
    expect(text).toContain('handoff --detail ');
    expect(text).toContain('handoff context get --developer alice');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('lists risk files first, each with its reason', () => {
    const text = brief({ artifact });
    const fileLines = text.split('\n').filter((l) => /^- (modified|untracked) /.test(l));
    expect(fileLines[0]).toBe('- modified src/core.ts — hub file imported by 4 files');
    expect(fileLines.slice(1)).toEqual(['- modified src/a.ts', '- modified src/b.ts', '- untracked src/new.ts']);
  });

  it('gives each changed file of a Go package the package risk (cli/cli)', () => {
    const reason = 'hub package imported by 351 files';
    const goRisk: RiskFile = { path: 'pkg/cmdutil', importers: 351, is_hub: true, reason, files: 2 };
    const changed = [stub('README.md'), stub('pkg/cmdutil/a.go'), stub('pkg/cmdutil/b.go')];
    const a = makeArtifact({ changed, risk: [goRisk] });
    const fileLines = brief({ artifact: a })
      .split('\n')
      .filter((l) => l.startsWith('- modified '));
    expect(fileLines).toEqual([
      '- modified pkg/cmdutil/a.go — hub package imported by 351 files',
      '- modified pkg/cmdutil/b.go — hub package imported by 351 files',
      '- modified README.md',
    ]);
  });

  it('keeps only the hint when only teammates have something to say', () => {
    const text = brief({ teammates: [teammate({ developer: 'bob' })] });
    expect(text.startsWith('Teammates working here:')).toBe(true);
    expect(text).not.toContain('Handoff for');
    expect(text.trimEnd().split('\n').at(-1)).toMatch(/^More: /);
  });

  it('does not name a file in a teammate line that the changed block already lists', () => {
    const text = brief({
      artifact,
      teammates: [teammate({ developer: 'alice', files: ['src/a.ts', 'src/b.ts', 'docs/other.md'] })],
    });
    expect(text).toContain('touches 2 of your changed files');
    for (const path of ['src/a.ts', 'src/b.ts']) {
      const mentions = text.split('\n').filter((l) => l.includes(path) && !l.startsWith('More:'));
      expect(mentions, path).toHaveLength(1);
      expect(mentions[0]).toMatch(/^- modified /);
    }
    expect(text).not.toContain('docs/other.md');
  });

  it('names an overlapping file the changed block left out, once across teammates', () => {
    const many = makeArtifact({
      changed: Array.from({ length: 20 }, (_, i) => stub(`src/f${String(i).padStart(2, '0')}.ts`)),
    });
    const hidden = 'src/f19.ts';
    const text = brief({
      artifact: many,
      maxFiles: 5,
      teammates: [
        teammate({ developer: 'alice', files: [hidden, 'src/f00.ts'], minutesAgo: 5 }),
        teammate({ developer: 'bob', files: [hidden, 'src/f01.ts'], minutesAgo: 50 }),
      ],
    });
    expect(text).toContain('- … 15 more');
    const mentions = text.split('\n').filter((l) => l.includes(hidden));
    expect(mentions).toHaveLength(1);
    expect(mentions[0]).toMatch(/touches 2 of your changed files: src\/f19\.ts$/);
  });

  it('ranks teammates by overlapping files, then newest, and counts the others', () => {
    const teammates = [
      teammate({ developer: 'none-new', files: ['x.ts'], minutesAgo: 1 }),
      teammate({ developer: 'one-old', files: ['src/a.ts'], minutesAgo: 300 }),
      teammate({ developer: 'two', files: ['src/a.ts', 'src/b.ts'], minutesAgo: 200 }),
      teammate({ developer: 'one-new', files: ['src/b.ts'], minutesAgo: 20 }),
      teammate({ developer: 'none-old-1', minutesAgo: 600 }),
      teammate({ developer: 'none-old-2', minutesAgo: 700 }),
      teammate({ developer: 'none-old-3', minutesAgo: 800 }),
    ];
    const mine = new Set(artifact.delta.changed.map((c) => c.path));
    expect(rankTeammates(teammates, mine).map((r) => r.ctx.developer)).toEqual([
      'two',
      'one-new',
      'one-old',
      'none-new',
      'none-old-1',
      'none-old-2',
      'none-old-3',
    ]);
    const text = brief({ artifact, teammates, maxTeammates: 5 });
    const heads = text.split('\n').filter((l) => / — [\w-]+, \d+[mhd] ago/.test(l));
    expect(heads.map((l) => / — ([\w-]+),/.exec(l)![1])).toEqual([
      'two',
      'one-new',
      'one-old',
      'none-new',
      'none-old-1',
    ]);
    expect(text).toContain('- … and 2 more active contexts');
    expect(text).not.toContain('none-old-2');
  });

  it('shows title, developer, age and the first non-empty summary line of each teammate', () => {
    const text = brief({
      teammates: [
        teammate({
          developer: 'alice',
          title: 'Split the parser',
          summary: '\n\nMoved tokenising out.\nSecond line.',
          minutesAgo: 125,
        }),
      ],
    });
    expect(text).toContain('- Split the parser — alice, 2h ago');
    expect(text).toContain('  Moved tokenising out.');
    expect(text).not.toContain('Second line.');
  });

  it('marks a stale saved handoff and stale teammates', () => {
    const text = brief({
      artifact,
      staleReason: 'HEAD moved since it was saved',
      teammates: [teammate({ developer: 'alice', stale: true }), teammate({ developer: 'bob', stale: false })],
    });
    expect(text.split('\n')[0]).toMatch(
      /^Handoff for feat vs main, saved 10m ago \(stale: HEAD moved since it was saved; run `handoff` to refresh\)\.$/,
    );
    expect(text).toMatch(/alice, 30m ago \[stale\]$/m);
    expect(text).toMatch(/bob, 30m ago$/m);
  });

  it('says an otherwise empty saved handoff is stale rather than saying nothing', () => {
    const text = brief({ artifact: makeArtifact({}), staleReason: 'the branch is now other' });
    expect(text).toContain('stale: the branch is now other');
  });

  it('stays within the byte budget for 5,000 changed files and 50 teammates with long summaries', () => {
    const changed = Array.from({ length: 5_000 }, (_, i) =>
      stub(`packages/module-${i}/src/some/deeply/nested/path/file-${i}.ts`),
    );
    const huge = makeArtifact({
      changed,
      risk: changed
        .slice(0, 40)
        .map((c) => ({ path: c.path, importers: 9, is_hub: true, reason: 'hub file imported by 9 files' })),
      next: Array.from({ length: 30 }, (_, i) => `Step ${i}: ${'do the thing '.repeat(20)}`),
      questions: Array.from({ length: 30 }, (_, i) => `Question ${i}: ${'why is it so '.repeat(20)}`),
    });
    const teammates = Array.from({ length: 50 }, (_, i) =>
      teammate({
        developer: `dev${i}`,
        title: `Title ${i} ${'t'.repeat(150)}`,
        summary: `${'A long summary sentence. '.repeat(150)}\n${'more '.repeat(200)}`,
        files: changed.slice(i * 10, i * 10 + 10).map((c) => c.path),
        minutesAgo: i,
      }),
    );
    const text = brief({ artifact: huge, teammates });
    expect(bytes(text)).toBeLessThanOrEqual(3_000);
    const capped = text.includes('- … 4988 more') && text.includes('- … and 45 more active contexts');
    expect(capped || /truncated/.test(text)).toBe(true);
    expect(text.startsWith('Handoff for feat vs main')).toBe(true);
    // A summary line is cut to one short line, never the whole summary.
    for (const line of text.split('\n')) expect(bytes(line)).toBeLessThan(400);
  });

  it('cuts at a line boundary with a visible truncated line when the budget is small', () => {
    const text = brief({
      artifact,
      teammates: [teammate({ developer: 'alice' }), teammate({ developer: 'bob' })],
      maxBytes: 200,
    });
    expect(bytes(text)).toBeLessThanOrEqual(200);
    const lines = text.trimEnd().split('\n');
    expect(lines.at(-1)).toMatch(/truncated/);
    expect(text.startsWith('Handoff for feat vs main')).toBe(true);
  });
});

describe('upsertAgentEntry', () => {
  const entry = (session: string, ended: string, extra: Partial<AgentEntry> = {}): AgentEntry => ({
    agent_id: 'claude-code',
    session_id: session,
    started_at: '2024-03-01T10:00:00.000Z',
    ended_at: ended,
    files_edited: [],
    ...extra,
  });

  it('adds one entry per session and updates it in place', () => {
    let history: AgentEntry[] = [];
    history = upsertAgentEntry(history, entry('s1', '2024-03-01T11:00:00.000Z', { files_edited: ['a.ts'] }));
    history = upsertAgentEntry(history, entry('s2', '2024-03-01T11:05:00.000Z'));
    history = upsertAgentEntry(history, entry('s1', '2024-03-01T11:10:00.000Z', { files_edited: ['a.ts', 'b.ts'] }));
    expect(history).toHaveLength(2);
    expect(history.filter((h) => h.session_id === 's1')).toEqual([
      entry('s1', '2024-03-01T11:10:00.000Z', { files_edited: ['a.ts', 'b.ts'] }),
    ]);
    expect(history.find((h) => h.session_id === 's2')).toEqual(entry('s2', '2024-03-01T11:05:00.000Z'));
  });

  it('does not modify the history it is given', () => {
    const history = Object.freeze([entry('s1', '2024-03-01T11:00:00.000Z')]) as readonly AgentEntry[];
    const next = upsertAgentEntry(history, entry('s2', '2024-03-01T11:01:00.000Z'));
    expect(history).toHaveLength(1);
    expect(next).toHaveLength(2);
  });

  it(`keeps the newest ${AGENT_HISTORY_KEPT} sessions`, () => {
    expect(AGENT_HISTORY_KEPT).toBe(20);
    let history: AgentEntry[] = [];
    for (let i = 1; i <= 22; i++) {
      history = upsertAgentEntry(
        history,
        entry(`s${i}`, new Date(Date.parse('2024-03-01T11:00:00.000Z') + i * 60_000).toISOString()),
      );
    }
    expect(history.map((h) => h.session_id)).toEqual(Array.from({ length: 20 }, (_, i) => `s${i + 3}`));
    // Updating a kept session does not push anything else out.
    history = upsertAgentEntry(history, entry('s10', '2024-03-01T13:00:00.000Z'));
    expect(history).toHaveLength(20);
    expect(new Set(history.map((h) => h.session_id)).size).toBe(20);
    expect(history.at(-1)!.session_id).toBe('s10');
  });
});

describe('briefing: coordination news', () => {
  const report: NonNullable<BriefingInput['conflicts']> = {
    schema_version: 1,
    repo: 'r',
    branch: 'feat',
    uncommitted: true,
    checked_at: minutesBefore(5),
    definite: true,
    others: [
      {
        ref: 'feature/payments',
        source: 'context',
        developers: ['bob'],
        contexts: [{ id: 'C1', developer: 'bob', title: 'Payments' }],
        status: 'conflict',
        conflicts: [{ path: 'src/db.ts', types: ['CONFLICT (contents)'] }],
        both_changed: ['src/db.ts'],
        touched_overlap: [],
        claimed_overlap: [],
      },
    ],
  };

  it('orders claims, then definite conflicts, above the saved handoff; a clean result adds nothing', () => {
    const base: BriefingInput = {
      artifact: makeArtifact({ changed: [stub('src/db.ts')] }),
      staleReason: undefined,
      teammates: [],
      now: NOW,
    };
    const claim = {
      id: 'K1',
      pattern: 'src/db.ts',
      holder: 'carol',
      reason: 'schema work',
      expires_at: new Date(NOW.getTime() + 3_600_000).toISOString(),
    };
    const withNews = buildBriefing({
      ...base,
      claims: [{ path: 'src/db.ts', claims: [claim as never] }],
      conflicts: report,
    });
    expect(withNews.sections.map((s) => s.kind)).toEqual(['claims', 'conflicts', 'handoff', 'hint']);
    const text = renderBriefing(withNews);
    expect(text).toContain('Definite conflicts with other branches (checked 5m ago):');
    expect(text).toContain("- conflicts with bob's feature/payments in src/db.ts");
    expect(text.indexOf('Claims by others')).toBeLessThan(text.indexOf('Definite conflicts'));
    expect(text.indexOf('Definite conflicts')).toBeLessThan(text.indexOf('Handoff for feat'));

    const clean = {
      ...report,
      definite: false,
      others: [{ ...report.others[0]!, status: 'clean' as const, conflicts: [] }],
    };
    expect(buildBriefing({ ...base, conflicts: clean }).sections.map((s) => s.kind)).toEqual(['handoff', 'hint']);
  });
});
