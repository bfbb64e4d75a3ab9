// End to end: what the CLI prints about the working-tree import graph on repositories
// shaped like issue 8's runs — a deleted module still imported by changed files (pytest),
// a rename still imported under the old path, and a Go package that gains and loses files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifact, fileDetail } from '../../src/schema/artifact.js';
import { goShape, pytestShape, PYTEST_STASH_IMPORTERS, tsRenameShape } from '../../fixtures/working-graph.js';
import { FIXED_NOW, runCli, runJson, Scratch, type GitRepo } from './helpers.js';

const env = { HANDOFF_NOW: FIXED_NOW };

function markdown(args: readonly string[], cwd: string): string {
  const res = runCli(args, { cwd, env });
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  return res.stdout;
}

describe('handoff: the working-tree import graph', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  let pytest: GitRepo;
  let renamed: GitRepo;
  let go: GitRepo;
  beforeAll(() => {
    const make = scratch.repo.bind(scratch);
    pytest = pytestShape(make);
    renamed = tsRenameShape(make);
    go = goShape(make);
  });
  afterAll(() => scratch.cleanup());

  it('pytest: a deleted module counts its changed importers too, in the risk and the detail', () => {
    const a = runJson(artifact, ['--no-save'], { cwd: pytest.dir, env });
    expect(a.delta.risk_files[0]).toMatchObject({ path: 'src/_pytest/stash.py', importers: PYTEST_STASH_IMPORTERS });
    const n = PYTEST_STASH_IMPORTERS;
    const line = `- src/_pytest/stash.py — deleted but still imported by ${n} files`;
    expect(markdown(['--no-save'], pytest.dir)).toContain(line);
    const detail = runJson(fileDetail, ['--detail', 'src/_pytest/stash.py'], { cwd: pytest.dir, env });
    expect(detail.importers).toHaveLength(PYTEST_STASH_IMPORTERS);
    const changed = ['c0.py', 'c3.py', 'c5.py', 'new_plugin.py'].map((p) => `src/_pytest/${p}`);
    expect(detail.importers).toEqual(expect.arrayContaining(changed));
  });

  it('a rename still imported under the old path is a risk, and --detail lists those importers', () => {
    const out = markdown(['--no-save'], renamed.dir);
    const reason = 'renamed from src/utils/env.ts but still imported under the old path by 10 files';
    expect(out).toContain(`- src/utils/env2.ts — ${reason}`);
    const text = markdown(['--detail', 'src/utils/env2.ts'], renamed.dir);
    expect(text).toContain('## Imported by (1)\n- src/uses-new.ts\n');
    expect(text).toContain('## Still importing the old path src/utils/env.ts (10)\n- src/feature0.ts\n');
    const detail = runJson(fileDetail, ['--detail', 'src/utils/env2.ts'], { cwd: renamed.dir, env });
    expect(detail.still_importing_old_path).toHaveLength(10);
  });

  it('Go: hubs and risk per package; an added file has the package importers', () => {
    const out = markdown(['--no-save'], go.dir);
    expect(out).toContain('  - pkg/cmdutil (3 files) — imported by 6 files\n');
    expect(out).toContain('- pkg/cmdutil (4 changed files) — hub package imported by 6 files\n');
    expect(out).toContain('- internal/gone (1 changed file) — package deleted but still imported by 3 files\n');
    expect(out).not.toContain('pkg/cmdutil/c.go — deleted');
    const detail = runJson(fileDetail, ['--detail', 'pkg/cmdutil/new.go'], { cwd: go.dir, env });
    expect(detail.importers).toEqual(Array.from({ length: 6 }, (_, i) => `cmd/c${i}/main.go`));
  });
});
