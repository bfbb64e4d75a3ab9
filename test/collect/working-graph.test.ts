// The working-tree import graph, in process on real repositories shaped like issue 8's
// runs: importers of a deleted or renamed file include the changed files that still name
// it (items 1, 2), Go counts and reports per package (items 2, 7).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeHandoff, loadDetail, type HandoffResult } from '../../src/api/handoff.js';
import { gitRepo, type GitRepo, type Tree } from '../../fixtures/git-repo.js';
import {
  branchAddedThenDeletedShape,
  goShape,
  pytestShape,
  PYTEST_STASH_IMPORTERS,
  rustShape,
  tsRenameShape,
} from '../../fixtures/working-graph.js';

const now = new Date('2023-11-14T23:13:20Z');

async function handoff(repo: GitRepo): Promise<HandoffResult> {
  const warnings: string[] = [];
  const result = await computeHandoff({ cwd: repo.dir, now, env: {}, warn: (l) => warnings.push(l) });
  expect(warnings).toEqual([]);
  return result;
}

describe('working-tree graph: removed files stay import targets', { tags: ['slow'] }, () => {
  const repos: GitRepo[] = [];
  const make = (tree: Tree): GitRepo => {
    const repo = gitRepo(tree);
    repos.push(repo);
    return repo;
  };
  afterAll(() => {
    for (const r of repos) r.cleanup();
  });

  describe('pytest: a deleted module imported by unchanged and changed files', () => {
    let result: HandoffResult;
    beforeAll(async () => {
      result = await handoff(pytestShape(make));
    });

    it('counts every importer, branch-changed, staged, modified and untracked ones included', () => {
      const risk = result.artifact.delta.risk_files.find((r) => r.path === 'src/_pytest/stash.py');
      const n = PYTEST_STASH_IMPORTERS;
      expect(risk).toMatchObject({ importers: n, reason: `deleted but still imported by ${n} files` });
    });

    it('lists them in the detail', () => {
      const detail = loadDetail(result, 'src/_pytest/stash.py', result.root);
      expect(detail.importers).toHaveLength(PYTEST_STASH_IMPORTERS);
      for (const p of ['c0.py', 'c3.py', 'c4.py', 'new_plugin.py', 'u0.py']) {
        expect(detail.importers).toContain(`src/_pytest/${p}`);
      }
      expect(detail.importers).toContain('src/pytest/__init__.py');
    });

    it('`from pkg import gone` names the gone submodule, not the package __init__', () => {
      expect(loadDetail(result, 'src/_pytest/c2.py', result.root).imports).toEqual(['src/_pytest/stash.py']);
      expect(loadDetail(result, 'src/_pytest/c1.py', result.root).imports).toEqual(['src/_pytest/stash.py']);
      // Imports of files that still exist resolve as before.
      const plugin = loadDetail(result, 'src/_pytest/new_plugin.py', result.root);
      expect(plugin.imports).toEqual(['src/_pytest/stash.py', 'src/_pytest/warnings.py']);
    });
  });

  it('ripgrep: `crate::gone` of a modified file names the deleted module, not lib.rs', async () => {
    const result = await handoff(rustShape(make));
    const detail = loadDetail(result, 'src/gone.rs', result.root);
    expect(detail.importers).toEqual(['src/a.rs', 'src/b.rs', 'src/c.rs', 'src/lib.rs']);
    expect(loadDetail(result, 'src/c.rs', result.root).imports).toEqual(['src/gone.rs']);
  });

  it('a file added on the branch and deleted since is still imported by the branch files', async () => {
    const result = await handoff(branchAddedThenDeletedShape(make));
    expect(result.artifact.delta.risk_files).toEqual([
      { path: 'src/new.ts', importers: 2, is_hub: false, reason: 'deleted but still imported by 2 files' },
    ]);
  });

  describe('TypeScript: a rename still imported under the old path', () => {
    let result: HandoffResult;
    beforeAll(async () => {
      result = await handoff(tsRenameShape(make));
    });

    it('is a risk naming the old path and its importers', () => {
      const risk = result.artifact.delta.risk_files.find((r) => r.path === 'src/utils/env2.ts');
      expect(risk).toEqual({
        path: 'src/utils/env2.ts',
        importers: 10,
        is_hub: true,
        reason: 'renamed from src/utils/env.ts but still imported under the old path by 10 files',
      });
    });

    it('the detail lists the files still importing the old path, apart from the new importers', () => {
      const detail = loadDetail(result, 'src/utils/env2.ts', result.root);
      expect(detail.from).toBe('src/utils/env.ts');
      expect(detail.importers).toEqual(['src/uses-new.ts']);
      const feature = Array.from({ length: 10 }, (_, i) => `src/feature${i}.ts`);
      expect(detail.still_importing_old_path).toEqual(feature.sort());
    });
  });

  describe('Go: a package is the unit of import', () => {
    let result: HandoffResult;
    beforeAll(async () => {
      result = await handoff(goShape(make));
    });
    const commands = Array.from({ length: 6 }, (_, i) => `cmd/c${i}/main.go`);

    it('an added or renamed file of a package has every importer of the package', () => {
      expect(loadDetail(result, 'pkg/cmdutil/new.go', result.root).importers).toEqual(commands);
      const renamed = loadDetail(result, 'pkg/cmdutil/b2.go', result.root);
      expect(renamed.importers).toEqual(commands);
      expect(renamed.still_importing_old_path).toBeUndefined();
    });

    it("a changed importer of a package that keeps files imports the package's current files", () => {
      const imports = loadDetail(result, 'cmd/c5/main.go', result.root).imports;
      expect(imports).toEqual(['pkg/cmdutil/a.go', 'pkg/cmdutil/b2.go', 'pkg/cmdutil/new.go']);
    });

    it('hubs are packages, with their file count', () => {
      expect(result.artifact.prefix.hubs).toEqual([
        { path: 'pkg/cmdutil', importers: 6, files: 3 },
        { path: 'internal/gone', importers: 3, files: 1 },
      ]);
    });

    it('risk is one entry per package; a deleted file of a living package is not a broken import', () => {
      // The package with no files left breaks its importers, so it leads, as a deleted file does.
      expect(result.artifact.delta.risk_files).toEqual([
        {
          path: 'internal/gone',
          importers: 3,
          is_hub: true,
          reason: 'package deleted but still imported by 3 files',
          files: 1,
        },
        { path: 'pkg/cmdutil', importers: 6, is_hub: true, reason: 'hub package imported by 6 files', files: 4 },
      ]);
      expect(result.artifact.delta.next_steps[0]).toBe(
        'Fix the 3 files that still import package internal/gone, which no longer has any files.',
      );
    });
  });
});
