// How hubs, risk and a rename's old-path importers read in markdown: Go packages with
// their file counts, test-support hubs under their own heading after the source ones.
import { describe, expect, it } from 'vitest';
import { renderDelta, renderDetail, renderPrefix } from '../../src/render/markdown.js';
import type { DeltaSnapshot, PrefixSnapshot } from '../../src/schema/artifact.js';

describe('markdown: hubs, risk and detail', () => {
  it('prints Go package hubs with their file count and test hubs apart', () => {
    const prefix: PrefixSnapshot = {
      base_tree: 't',
      file_count: 30,
      languages: { Go: 20, JavaScript: 10 },
      hubs: [
        { path: 'pkg/cmdutil', importers: 351, files: 14 },
        { path: 'src/index.js', importers: 5 },
        { path: 'tests/helpers.js', importers: 90, test: true },
      ],
      hubs_omitted: 2,
    };
    expect(renderPrefix(prefix, 'h').slice(2).join('\n')).toBe(
      [
        '- 30 files: Go 20, JavaScript 10',
        '- Hubs (most imported):',
        '  - pkg/cmdutil (14 files) — imported by 351 files',
        '  - src/index.js — imported by 5 files',
        '- Test-support hubs (most imported):',
        '  - tests/helpers.js — imported by 90 files',
        '  - … 2 more hubs not shown',
      ].join('\n'),
    );
  });

  it('prints a Go risk entry with its changed-file count', () => {
    const renamed = 'renamed from src/env.ts but still imported under the old path by 10 files';
    const delta: DeltaSnapshot = {
      base_commit: 'b',
      changed: [],
      changed_total: 0,
      changed_omitted: 0,
      risk_files: [
        { path: 'pkg/cmdutil', importers: 351, is_hub: true, reason: 'hub package imported by 351 files', files: 3 },
        { path: 'src/env2.ts', importers: 10, is_hub: true, reason: renamed },
      ],
      risk_omitted: 0,
      recent_events: [],
      events_omitted: 0,
      next_steps: [],
      open_questions: [],
    };
    const lines = renderDelta(delta, 'h', 'main');
    expect(lines).toContain('- pkg/cmdutil (3 changed files) — hub package imported by 351 files');
    expect(lines).toContain(`- src/env2.ts — ${renamed}`);
  });

  it('lists the files still importing a renamed file under its old path', () => {
    const text = renderDetail({
      path: 'src/env2.ts',
      status: 'renamed',
      from: 'src/env.ts',
      size: 10,
      hash: 'x',
      importers: [],
      imports: [],
      recent_events: [],
      is_hub: false,
      still_importing_old_path: ['src/a.ts', 'src/b.ts'],
    });
    const stale = '## Still importing the old path src/env.ts (2)\n- src/a.ts\n- src/b.ts\n';
    expect(text).toContain(`## Imported by (0)\n- none\n\n${stale}\n## Imports (0)`);
  });
});
