// The session-start use case in-process, on a real repository: sessionBriefing returns the
// briefing as plain data (typed sections, most relevant first, JSON as it is), computing
// and saving a handoff when none was saved, and render/briefing.ts writes it as text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitRepo, type GitRepo } from '../../fixtures/git-repo.js';
import { sessionBriefing, type Briefing } from '../../src/api.js';
import { renderBriefing } from '../../src/render/briefing.js';

describe('sessionBriefing', { tags: ['slow'] }, () => {
  let repo: GitRepo;
  const now = new Date('2026-01-01T00:00:00Z');

  beforeAll(() => {
    repo = gitRepo({ 'src/hub.ts': 'export const hub = 1;\n', 'src/a.ts': "import { hub } from './hub.js';\n" });
    repo.git('checkout', '-q', '-b', 'feat');
    repo.write({ 'src/hub.ts': 'export const hub = 2;\n', 'config.yaml': 'a: 1\n' });
  });
  afterAll(() => repo.cleanup());

  it('returns typed sections with the saved handoff first, and reports the hooks config once', async () => {
    const configured: unknown[] = [];
    const fallbacks: Briefing[] = [];
    const briefing = await sessionBriefing(
      { cwd: repo.dir, env: { HANDOFF_DEVELOPER: 'me' }, now, agent: 'test', statusWaitMs: () => 0 },
      { configured: (hooks) => configured.push(hooks), fallback: (b) => fallbacks.push(b) },
    );
    expect(configured).toEqual([undefined]);
    expect(JSON.parse(JSON.stringify(briefing))).toEqual(briefing);
    expect(briefing.at).toBe(now.toISOString());
    expect(briefing.sections.map((s) => s.kind)).toEqual(['handoff', 'hint']);
    const [handoff] = briefing.sections;
    expect(handoff).toMatchObject({ kind: 'handoff', branch: 'feat', baseRef: 'main' });
    const paths = handoff?.kind === 'handoff' ? handoff.changed?.files.map((f) => f.path) : [];
    expect(paths?.sort()).toEqual(['config.yaml', 'src/hub.ts']);
    const text = renderBriefing(briefing);
    expect(text.startsWith('Handoff for feat vs main, saved 0m ago.\nChanged files (2):\n')).toBe(true);
    expect(text.trimEnd().split('\n').at(-1)).toMatch(/^More: handoff --detail /);
    // Nothing was saved before this call, so there was no briefing to fall back on.
    expect(fallbacks).toEqual([]);
  });

  it('falls back on the saved handoff as it is once one was saved', async () => {
    const fallbacks: Briefing[] = [];
    await sessionBriefing(
      { cwd: repo.dir, env: {}, now, agent: 'test', statusWaitMs: () => 0 },
      { fallback: (b) => fallbacks.push(b) },
    );
    expect(fallbacks).toHaveLength(1);
    expect(fallbacks[0]?.sections[0]?.kind).toBe('handoff');
  });
});
