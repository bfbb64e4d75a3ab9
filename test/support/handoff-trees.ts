// File contents the handoff suites build repositories from, shared by the spawned
// determinism, paths, Go-compatibility and session-hook suites and their in-process
// counterparts, so both layers check the same trees.
import { copyFileSync, mkdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { gitRepo } from '../../fixtures/git-repo.js';
import { PROJECT_ROOT, type GitRepo, type Scratch } from '../e2e/helpers.js';

/** Every line but the import names the file, so git never pairs two of them as a rename. */
export const importsHub = (name: string): string =>
  `import { hub } from './hub.js';\nexport const ${name} = hub;\nexport const ${name}Label = '${name}';\nexport const ${name}Twice = ${name} * 2;\n`;

/** Six lines that all name the file: a rename keeps it whole. */
export const body = (name: string): string =>
  Array.from({ length: 6 }, (_, i) => `export const ${name}${i} = '${name}-${i}';\n`).join('');

/** The handoff file the Go tool wrote for the repository `goShapedRepo` builds (fixtures/go/README.md). */
export const GO_FILE = join(PROJECT_ROOT, 'fixtures', 'go', 'handoff.latest.json');
export const GO_STORE = 'internal/store/store.go';
const MAIN_GO =
  'package main\n\nimport (\n\t"example.com/inventory/internal/render"\n' +
  '\t"example.com/inventory/internal/store"\n)\n';

/**
 * The state GO_FILE describes — a branch commit, an edit, a delete, a new note — with
 * GO_FILE saved as its .codemap/handoff.latest.json.
 */
export function goShapedRepo(scratch: Scratch): GitRepo {
  const repo = scratch.repo({
    'go.mod': 'module example.com/inventory\n\ngo 1.22\n',
    'internal/store/store.go': 'package store\n',
    'internal/model/model.go': 'package model\n',
    'internal/render/render.go': 'package render\n',
    'cmd/old.go': 'package main\n',
    'cmd/a/main.go': MAIN_GO,
    'cmd/b/main.go': MAIN_GO,
  });
  repo.git('checkout', '-q', '-b', 'feature/store-split');
  repo.write({ 'internal/render/render.go': 'package render\n\n// Render draws.\nfunc Render() {}\n' });
  repo.remove('cmd/old.go');
  repo.commit('render');
  repo.write({ 'internal/store/store.go': 'package store\n\n// Split in two.\n', 'notes/plan.md': '# plan\n' });
  mkdirSync(join(repo.dir, '.codemap'));
  putGoFile(repo);
  return repo;
}

/** Saves GO_FILE over the repository's latest handoff, as the Go tool would. */
export function putGoFile(repo: GitRepo): void {
  copyFileSync(GO_FILE, join(repo.dir, '.codemap', 'handoff.latest.json'));
}

/** A repository under a newline, a tab, a space and unicode, on `feat` with one untracked file (b.ts). */
export function oddDirRepo(scratch: Scratch): GitRepo {
  const dir = join(scratch.dir(), 'x\ny z\tñ 日本', 'repo');
  mkdirSync(dir, { recursive: true });
  const repo = gitRepo({ 'a.ts': 'export const a = 1;\n' }, { dir });
  repo.git('checkout', '-q', '-b', 'feat');
  repo.write({ 'b.ts': "import { a } from './a.js';\n" });
  return repo;
}

/**
 * Branch `feat` off `main`: src/c.ts changed in a commit; src/zcore.ts (imported by
 * three files: a risk file, though last by name) and src/a.ts modified; src/new.ts
 * untracked. File times are set an hour before `real`, before any session of the suite. Shared
 * by the spawned and in-process session-hook suites.
 */
export function hookFeatureRepo(scratch: Scratch, real: number): GitRepo {
  const repo = scratch.repo({
    'src/zcore.ts': 'export const z = 1;\n',
    'src/a.ts': 'import { z } from "./zcore";\nexport const a = z;\n',
    'src/b.ts': 'import { z } from "./zcore.js";\nexport const b = z;\n',
    'src/c.ts': 'import { z } from "./zcore";\nexport const c = z;\n',
    'README.md': '# fixture\n',
    'lib/util.ts': 'export const util = 1;\n',
  });
  repo.git('checkout', '-q', '-b', 'feat');
  repo.write({ 'src/c.ts': 'import { z } from "./zcore";\nexport const c = z + 1;\n' });
  repo.commit('feat: c');
  repo.write({
    'src/zcore.ts': 'export const z = 2;\n',
    'src/a.ts': 'import { z } from "./zcore";\nexport const a = z * 2;\n',
    'src/new.ts': 'export const n = 1;\n',
  });
  const old = new Date(real - 3_600_000);
  for (const f of [
    'src/zcore.ts',
    'src/a.ts',
    'src/b.ts',
    'src/c.ts',
    'src/new.ts',
    'README.md',
    'lib/util.ts',
    'lib',
    'src',
    '.',
  ])
    utimesSync(join(repo.dir, f), old, old);
  return repo;
}
