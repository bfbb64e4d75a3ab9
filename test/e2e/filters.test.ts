// End to end: which files a handoff describes (issue 8, items 4 and 14). Folders named
// build, target or dist are source unless they sit beside the manifest whose build output
// they are (cli/cli's internal/build, ripgrep's target/, a package's dist/), and the Go
// tool's config `only` / `exclude` scope the file count, hubs and importers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifact, fileDetail, type Artifact } from '../../src/schema/artifact.js';
import { expectFailure, FIXED_NOW, runCli, runJson, Scratch, statuses, type GitRepo } from './helpers.js';

const env = { HANDOFF_NOW: FIXED_NOW };
const goImportsBuild = (pkg: string) =>
  `package ${pkg}\n\nimport "github.com/cli/cli/v2/internal/build"\n\nvar V = build.Version\n`;
const importsPlan = (name: string) => `import { plan } from './build/plan.js';\nexport const ${name} = plan;\n`;

describe('handoff: build output is excluded beside its manifest, not by folder name', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  let repo: GitRepo;
  let result: Artifact;

  beforeAll(() => {
    repo = scratch.repo({
      '.gitignore': 'logs/\n',
      // cli/cli: a Go module whose package internal/build is source.
      'go.mod': 'module github.com/cli/cli/v2\n\ngo 1.22\n',
      'internal/build/build.go': 'package build\n\nvar Version = "DEV"\n',
      'cmd/gh/main.go': goImportsBuild('main'),
      'pkg/cmd/version/version.go': goImportsBuild('version'),
      'pkg/cmd/root/root.go': goImportsBuild('root'),
      // ripgrep: a crate with its target/ committed beside Cargo.toml.
      'Cargo.toml': '[package]\nname = "rg"\n',
      'src/main.rs': 'mod cli;\n',
      'src/cli.rs': 'pub fn run() {}\n',
      'target/debug/gen.rs': 'pub fn generated() {}\n',
      'target/release/rg.d': 'rg: src/main.rs\n',
      // A JS package: dist/ beside package.json is its bundle; src/build/ is source.
      'web/package.json': '{ "name": "web", "main": "dist/index.js" }\n',
      'web/dist/index.js': "export * from './chunk.js';\n",
      'web/dist/chunk.js': 'export const plan = 1;\n',
      'web/src/build/plan.ts': 'export const plan = 1;\n',
      'web/src/index.ts': importsPlan('index'),
      'web/src/app.ts': importsPlan('app'),
      'web/src/cli.ts': importsPlan('cli'),
    });
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write({
      'internal/build/build.go': 'package build\n\nvar Version = "2.0"\n',
      'target/debug/gen.rs': 'pub fn generated() { }\n',
      'web/dist/index.js': "export * from './chunk.js';\nexport const v = 2;\n",
      'web/src/build/plan.ts': 'export const plan = 2;\n',
    });
    repo.commit('bump version');
    repo.write({
      // A new crate, still untracked, with its build output beside it (not git-ignored).
      'crates/new/Cargo.toml': '[package]\nname = "new"\n',
      'crates/new/src/lib.rs': 'pub fn new() {}\n',
      'crates/new/target/debug/out.rs': 'pub fn out() {}\n',
      // No manifest beside this dist/: it is somebody's notes, not build output.
      'dist/notes.md': '# release notes\n',
      'logs/run.ts': 'git-ignored\n',
    });
    result = runJson(artifact, ['--no-save'], { cwd: repo.dir, env });
  });
  afterAll(() => scratch.cleanup());

  it('keeps source folders named build and dist in the delta (cli/cli internal/build/build.go)', () => {
    expect(statuses(result)).toEqual({
      'crates/new/Cargo.toml': 'untracked',
      'crates/new/src/lib.rs': 'untracked',
      'dist/notes.md': 'untracked',
      'internal/build/build.go': 'branch',
      'web/src/build/plan.ts': 'branch',
    });
  });

  it('serves --detail for a changed file under a folder named build', () => {
    const detail = runJson(fileDetail, ['--no-save', '--detail', 'internal/build/build.go'], { cwd: repo.dir, env });
    expect(detail.status).toBe('branch');
    const goImporters = ['cmd/gh/main.go', 'pkg/cmd/root/root.go', 'pkg/cmd/version/version.go'];
    expect(detail.importers).toEqual(expect.arrayContaining(goImporters));
    const plan = runJson(fileDetail, ['--no-save', '--detail', 'web/src/build/plan.ts'], { cwd: repo.dir, env });
    expect(plan.importers).toEqual(['web/src/app.ts', 'web/src/cli.ts', 'web/src/index.ts']);
  });

  it('counts source under build/ in the prefix and leaves committed target/ and dist/ out', () => {
    // 18 committed files less target/ (2) and web/dist/ (2).
    expect(result.prefix.file_count).toBe(14);
    expect(result.prefix.hubs.find((h) => h.path === 'web/src/build/plan.ts')?.importers).toBe(3);
    expect(JSON.stringify(result)).not.toMatch(/target\/|web\/dist\//);
  });

  it('gives the same handoff from the cached prefix (the manifests are cached with it)', () => {
    const warm = runJson(artifact, ['--no-save'], { cwd: repo.dir, env });
    expect(warm.combined_hash).toBe(result.combined_hash);
    expect(statuses(warm)).toEqual(statuses(result));
  });
});

describe('handoff: config only / exclude, as the Go tool reads them', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  let repo: GitRepo;
  let result: Artifact;
  const config = { only: ['ts'], exclude: ['fixtures', '*.spec.ts'] };
  const importsHub = (from: string) => `import { hub } from '${from}';\nexport const x = hub;\n`;

  beforeAll(() => {
    repo = scratch.repo({
      '.codemap/config.json': `${JSON.stringify(config)}\n`,
      'package.json': '{ "name": "app" }\n',
      'README.md': '# app\n',
      'docs/guide.md': '# guide\n',
      'src/hub.ts': 'export const hub = 1;\n',
      'src/a.ts': importsHub('./hub.js'),
      'src/b.ts': importsHub('./hub.js'),
      'src/c.ts': importsHub('./hub.js'),
      'src/hub.spec.ts': importsHub('./hub.js'),
      'fixtures/demo/x.ts': importsHub('../../src/hub.js'),
    });
    repo.git('checkout', '-q', '-b', 'feature');
    repo.write({ 'src/hub.ts': 'export const hub = 2;\n', 'docs/guide.md': '# guide, revised\n' });
    repo.commit('change the hub');
    repo.write({ 'src/d.ts': importsHub('./hub.js'), 'fixtures/demo/y.ts': importsHub('../../src/hub.js') });
    result = runJson(artifact, ['--no-save'], { cwd: repo.dir, env });
  });
  afterAll(() => scratch.cleanup());

  it('counts only the files inside the scope (file_count and languages)', () => {
    expect(result.prefix.file_count).toBe(4);
    expect(Object.keys(result.prefix.languages)).toEqual(['TypeScript']);
  });

  it('builds hubs and importers over the scope only', () => {
    expect(result.prefix.hubs.find((h) => h.path === 'src/hub.ts')?.importers).toBe(3);
    expect(result.delta.risk_files.find((r) => r.path === 'src/hub.ts')?.importers).toBe(4);
    const detail = runJson(fileDetail, ['--no-save', '--detail', 'src/hub.ts'], { cwd: repo.dir, env });
    expect(detail.importers).toEqual(['src/a.ts', 'src/b.ts', 'src/c.ts', 'src/d.ts']);
  });

  it('still lists every change in the delta, as Go does: the scope never hides work in progress', () => {
    expect(statuses(result)).toEqual({
      'docs/guide.md': 'branch',
      'fixtures/demo/y.ts': 'untracked',
      'src/d.ts': 'untracked',
      'src/hub.ts': 'branch',
    });
  });

  it('rebuilds the prefix when the filters change (they are part of the cache key)', () => {
    runJson(artifact, [], { cwd: repo.dir, env });
    repo.write({ '.codemap/config.json': `${JSON.stringify({ only: ['ts', 'md'], exclude: config.exclude })}\n` });
    const wider = runJson(artifact, ['--no-save'], { cwd: repo.dir, env });
    expect(wider.prefix.file_count).toBe(6);
    repo.write({ '.codemap/config.json': `${JSON.stringify(config)}\n` });
  });

  it('resolves changed files again when the filters change (cached resolutions are per config)', () => {
    // d.ts is resolved (and its resolution cached) while hub.ts is out of scope …
    const edited = `// edited\n${importsHub('./hub.js')}`;
    repo.write({
      '.codemap/config.json': `${JSON.stringify({ ...config, exclude: [...config.exclude, 'hub.ts'] })}\n`,
    });
    repo.write({ 'src/d.ts': edited });
    const narrow = runJson(artifact, ['--no-save'], { cwd: repo.dir, env });
    expect(narrow.delta.risk_files.find((r) => r.path === 'src/hub.ts')).toBeUndefined();
    // … and must import it again once hub.ts is back in scope.
    repo.write({ '.codemap/config.json': `${JSON.stringify(config)}\n` });
    const again = runJson(artifact, ['--no-save'], { cwd: repo.dir, env });
    expect(again.delta.risk_files.find((r) => r.path === 'src/hub.ts')?.importers).toBe(4);
    repo.write({ 'src/d.ts': importsHub('./hub.js') });
  });

  it('refuses a wrong type or a malformed glob: exit 2, one line naming the key', () => {
    repo.write({ '.codemap/config.json': '{ "only": "ts" }\n' });
    expectFailure(runCli(['--no-save'], { cwd: repo.dir, env }), 2, /config\.json at only: /);
    repo.write({ '.codemap/config.json': '{ "exclude": ["docs", "[*.ts"] }\n' });
    expectFailure(runCli(['--no-save'], { cwd: repo.dir, env }), 2, /at exclude\.1: "\[\*\.ts" is not a valid glob/);
    repo.write({ '.codemap/config.json': `${JSON.stringify(config)}\n` });
  });

  it('warns in one line about keys it does not read, not about the Go tool keys of other commands', () => {
    const budgets = { max_hubs: 5, session_start_bytes: 100 };
    const shared = { ...config, depth: 3, routing: { subsystems: [] }, excludes: ['docs'], budgets };
    repo.write({ '.codemap/config.json': `${JSON.stringify(shared)}\n` });
    const res = runCli(['--no-save', '--json'], { cwd: repo.dir, env });
    expect(res.code).toBe(0);
    expect(res.stderr.trimEnd().split('\n')).toEqual([
      'handoff: .codemap/config.json: ignoring key(s) handoff does not read: ' +
        '"budgets.session_start_bytes", "excludes" — fix the name or remove them (README: Config)',
    ]);
    repo.write({ '.codemap/config.json': `${JSON.stringify(config)}\n` });
  });
});
