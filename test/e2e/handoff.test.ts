// End to end: the built CLI against real temporary repositories — change statuses and
// their precedence, exclusions, flags and output shapes, saved artifacts, reuse metrics,
// the metrics log cap, corrupt files, concurrent runs and every exit code.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  artifact,
  deltaFile,
  fileDetail,
  metricsLine,
  prefixFile,
  type Artifact,
  type MetricsLine,
} from '../../src/schema/artifact.js';
import {
  canonicalJson,
  expectFailure,
  FIXED_NOW,
  fixtureTime,
  handoffJson,
  hasSaved,
  listCodemap,
  parseWith,
  readSaved,
  runCli,
  runCliAsync,
  runJson,
  Scratch,
  statuses,
  xxhash64,
  type GitRepo,
} from './helpers.js';

const importsHub = (name: string): string => `import { hub } from './hub.js';\nexport const ${name} = hub + 1;\n`;
/** Content whose every line names the file: a rename keeps it whole, other files share none of it. */
const body = (name: string): string =>
  Array.from({ length: 6 }, (_, i) => `export const ${name}${i} = '${name}-${i}';\n`).join('');

describe('handoff: change statuses and exclusions', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  let repo: GitRepo;
  let result: Artifact;

  beforeAll(() => {
    repo = scratch.repo({
      '.gitignore': 'ignored.txt\n',
      'README.md': '# fixture\n',
      '.codemap/config.json': `${JSON.stringify({ ignore: ['generated/**'] })}\n`,
      'src/hub.ts': 'export const hub = 1;\n',
      'src/a.ts': importsHub('a'),
      'src/b.ts': importsHub('b'),
      'src/c.ts': importsHub('c'),
      'src/branch-only.ts': body('branchOnly'),
      'src/branch-then-modified.ts': body('branchThenModified'),
      'src/staged-and-modified.ts': body('stagedAndModified'),
      'src/to-rename.ts': body('toRename'),
      'src/to-rename-staged.ts': body('toRenameStaged'),
      'src/deleted-on-branch.ts': body('deletedOnBranch'),
      'src/deleted-staged.ts': body('deletedStaged'),
      'src/deleted-worktree.ts': body('deletedWorktree'),
      'src/untracked-over-branch.ts': body('untrackedOverBranch'),
      // Committed but excluded: must count neither in the prefix nor in the delta
      // (dist/ and coverage/ as the build output of the package.json beside them).
      'package.json': '{ "name": "fixture" }\n',
      'node_modules/pkg/index.js': 'module.exports = 1;\n',
      'dist/out.js': 'console.log(1);\n',
      'coverage/out.js': 'console.log(1);\n',
      'vendor/lib/lib.go': 'package lib\n',
      'assets/logo.png': 'not really a png\n',
    });
    repo.git('checkout', '-q', '-b', 'feat');
    repo.write({
      'src/hub.ts': 'export const hub = 2;\n',
      'src/branch-only.ts': body('branchOnly2'),
      'src/branch-then-modified.ts': body('branchThenModified2'),
      'src/untracked-over-branch.ts': body('untrackedOverBranch2'),
      'src/added-on-branch.ts': body('addedOnBranch'),
      'node_modules/pkg/index.js': 'module.exports = 2;\n',
      'dist/out.js': 'console.log(2);\n',
      'assets/logo.png': 'still not a png\n',
    });
    repo.git('mv', 'src/to-rename.ts', 'src/renamed.ts');
    repo.remove('src/deleted-on-branch.ts');
    repo.commit('feature work');

    // Working tree and index on top of the branch commit.
    repo.write({ 'src/branch-then-modified.ts': body('branchThenModified3') });
    repo.write({ 'src/staged-and-modified.ts': body('stagedAndModified2') });
    repo.git('add', 'src/staged-and-modified.ts');
    repo.write({ 'src/staged-and-modified.ts': body('stagedAndModified3') });
    repo.write({ 'src/staged-new.ts': body('stagedNew'), 'src/staged-then-removed.ts': body('stagedThenRemoved') });
    repo.git('add', 'src/staged-new.ts', 'src/staged-then-removed.ts');
    // Added to the index, then removed from disk: a path that no longer exists is deleted.
    repo.remove('src/staged-then-removed.ts');
    repo.git('mv', 'src/to-rename-staged.ts', 'src/renamed-staged.ts');
    repo.git('rm', '-q', 'src/deleted-staged.ts');
    repo.remove('src/deleted-worktree.ts');
    // Deleted in the index but present on disk: untracked beats staged and branch.
    repo.git('rm', '-q', '--cached', 'src/untracked-over-branch.ts');
    repo.write({
      'notes.txt': 'hello\n',
      'notes-copy.txt': 'hello\n',
      // Untracked and excluded.
      'node_modules/other/index.js': 'x\n',
      'dist/new.js': 'x\n',
      'out/new.js': 'x\n',
      'vendor/new/new.go': 'package new\n',
      'image.png': 'text in a png\n',
      'blob.txt': Buffer.from([0x68, 0x69, 0x00, 0x01, 0x02, 0x0a]),
      'app.log': 'log line\n',
      'logs/debug.log': 'log line\n',
      'generated/code.ts': 'export const generated = 1;\n',
      'ignored.txt': 'gitignored\n',
    });
    result = handoffJson(['--no-save'], { cwd: repo.dir, env: { HANDOFF_NOW: FIXED_NOW } });
  });
  afterAll(() => scratch.cleanup());

  it('reports every status kind, the most local layer winning', () => {
    expect(statuses(result)).toEqual({
      'notes-copy.txt': 'untracked',
      'notes.txt': 'untracked',
      'src/added-on-branch.ts': 'branch',
      'src/branch-only.ts': 'branch',
      'src/branch-then-modified.ts': 'modified',
      'src/deleted-on-branch.ts': 'deleted',
      'src/deleted-staged.ts': 'deleted',
      'src/deleted-worktree.ts': 'deleted',
      'src/hub.ts': 'branch',
      'src/renamed-staged.ts': 'renamed',
      'src/renamed.ts': 'renamed',
      'src/staged-and-modified.ts': 'staged',
      'src/staged-new.ts': 'staged',
      'src/staged-then-removed.ts': 'deleted',
      'src/untracked-over-branch.ts': 'untracked',
    });
    expect(result.delta.changed_total).toBe(15);
    expect(result.delta.changed_omitted).toBe(0);
    expect(result.branch).toBe('feat');
    expect(result.base_ref).toBe('main');
    expect(result.root).toBe('.');
    expect(result.delta.base_commit).toBe(repo.git('rev-parse', 'main').trim());
    expect(result.head).toBe(repo.git('rev-parse', 'HEAD').trim());
  });

  it('lists changed files by rank: risk, then local work, then branch commits; path order within each', () => {
    expect(result.delta.changed.map((c) => c.path)).toEqual([
      'src/hub.ts',
      'notes-copy.txt',
      'notes.txt',
      'src/branch-then-modified.ts',
      'src/deleted-staged.ts',
      'src/deleted-worktree.ts',
      'src/renamed-staged.ts',
      'src/staged-and-modified.ts',
      'src/staged-new.ts',
      'src/staged-then-removed.ts',
      'src/untracked-over-branch.ts',
      'src/added-on-branch.ts',
      'src/branch-only.ts',
      'src/deleted-on-branch.ts',
      'src/renamed.ts',
    ]);
  });

  it('gives renames their source in `from` and does not list the source itself', () => {
    const byPath = new Map(result.delta.changed.map((c) => [c.path, c]));
    expect(byPath.get('src/renamed.ts')?.from).toBe('src/to-rename.ts');
    expect(byPath.get('src/renamed-staged.ts')?.from).toBe('src/to-rename-staged.ts');
    expect(byPath.has('src/to-rename.ts')).toBe(false);
    expect(byPath.has('src/to-rename-staged.ts')).toBe(false);
    for (const c of result.delta.changed) if (c.status !== 'renamed') expect(c.from, c.path).toBeUndefined();
  });

  it('describes files by size and content hash; deleted files have size 0 and no hash', () => {
    const byPath = new Map(result.delta.changed.map((c) => [c.path, c]));
    for (const c of result.delta.changed) {
      if (c.status === 'deleted') {
        expect(c, c.path).toMatchObject({ size: 0, hash: '' });
      } else {
        expect(c.hash, c.path).toMatch(/^[0-9a-f]{16}$/);
        expect(c.size, c.path).toBe(readFileSync(join(repo.dir, c.path)).length);
      }
    }
    expect(byPath.get('notes.txt')?.hash).toBe(byPath.get('notes-copy.txt')?.hash);
    expect(byPath.get('notes.txt')?.hash).not.toBe(byPath.get('src/hub.ts')?.hash);
  });

  it('hashes each file as xxhash64 of its bytes, and each layer as xxhash64 of its canonical JSON (the delta without its timeline)', async () => {
    const h = await xxhash64();
    for (const c of result.delta.changed) {
      if (c.status !== 'deleted') expect(c.hash, c.path).toBe(h.bytes(readFileSync(join(repo.dir, c.path))));
    }
    expect(result.prefix_hash).toBe(h.text(canonicalJson(result.prefix)));
    const { recent_events: _events, events_omitted: _omitted, ...hashed } = result.delta;
    expect(result.delta_hash).toBe(h.text(canonicalJson(hashed)));
    expect(result.combined_hash).not.toBe(result.prefix_hash);
    expect(result.combined_hash).not.toBe(result.delta_hash);
  });

  it('--detail describes deleted and renamed files', () => {
    const run = { cwd: repo.dir, env: { HANDOFF_NOW: FIXED_NOW } };
    expect(runJson(fileDetail, ['--no-save', '--detail', 'src/deleted-worktree.ts'], run)).toMatchObject({
      path: 'src/deleted-worktree.ts',
      status: 'deleted',
      size: 0,
      hash: '',
      imports: [],
    });
    expect(runJson(fileDetail, ['--no-save', '--detail', 'src/renamed.ts'], run)).toMatchObject({
      path: 'src/renamed.ts',
      status: 'renamed',
      from: 'src/to-rename.ts',
    });
    expect(runJson(fileDetail, ['--no-save', '--detail', 'src/untracked-over-branch.ts'], run).status).toBe(
      'untracked',
    );
  });

  it('leaves out dependency/build/vendor folders, binaries, logs, config ignore globs and gitignored files', () => {
    const paths = result.delta.changed.map((c) => c.path);
    for (const p of paths) {
      expect(p).not.toMatch(/^(node_modules|dist|coverage|out|vendor|generated|logs|\.codemap)\//);
      expect(p).not.toMatch(/\.(png|log)$/);
    }
    expect(paths).not.toContain('blob.txt');
    expect(paths).not.toContain('ignored.txt');
    expect(paths).not.toContain('.codemap/config.json');
  });

  it('computes the prefix from the base tree without excluded files', () => {
    // .gitignore, README.md, package.json and the 13 sources under src/ of the base commit.
    expect(result.prefix.file_count).toBe(16);
    expect(result.prefix.base_tree).toBe(repo.git('rev-parse', 'main^{tree}').trim());
    expect(result.prefix.languages).toMatchObject({ TypeScript: 13 });
    expect(result.prefix.hubs).toEqual([{ path: 'src/hub.ts', importers: 3 }]);
    expect(result.prefix.hubs_omitted).toBe(0);
  });

  it('flags a changed hub as a risk file and turns it into a next step', () => {
    expect(result.delta.risk_files).toEqual([
      expect.objectContaining({ path: 'src/hub.ts', importers: 3, is_hub: true }),
    ]);
    expect(result.delta.risk_files[0]?.reason).toMatch(/3/);
    expect(result.delta.next_steps.join('\n')).toContain('src/hub.ts');
  });

  it('keeps the schema_version 1 top-level mirrors equal to the delta', () => {
    expect(result.schema_version).toBe(1);
    expect(result.changed_files).toEqual(result.delta.changed.map((c) => c.path));
    expect(result.risk_files).toEqual(result.delta.risk_files);
    expect(result.recent_events).toEqual(result.delta.recent_events);
    expect(result.next_steps).toEqual(result.delta.next_steps);
    expect(result.open_questions).toEqual(result.delta.open_questions);
  });

  it('records branch commits and working-tree edits in the timeline', () => {
    const commits = result.delta.recent_events.filter((e) => e.op === 'commit').map((e) => e.path);
    expect(commits).toContain('src/hub.ts');
    const edits = result.delta.recent_events.filter((e) => e.op === 'edit').map((e) => e.path);
    expect(edits).toContain('notes.txt');
    for (const e of result.delta.recent_events) expect(e.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('prints markdown and the files written, and keeps .codemap out of git status via info/exclude', () => {
    const statusBefore = repo.git('status', '--porcelain', '--untracked-files=all');
    const res = runCli([], { cwd: repo.dir, env: { HANDOFF_NOW: FIXED_NOW } });
    expect(res.code).toBe(0);
    const files = ['latest.json', 'prefix.json', 'delta.json', 'metrics.log', 'detail.json'].map(
      (f) => `.codemap/handoff.${f}`,
    );
    expect(res.stderr).toBe(`Wrote ${files.join(', ')}\n`);
    expect(res.stdout).toContain('# Handoff: feat → main');
    expect(res.stdout).toMatch(/`renamed` src\/renamed\.ts ← src\/to-rename\.ts/);
    expect(res.stdout).toContain('`untracked` notes.txt');
    expect(res.stdout).not.toContain('\x1b[');
    const saved = readSaved(repo.dir);
    expect(statuses(saved.latest)).toEqual(statuses(result));
    expect(repo.git('status', '--porcelain', '--untracked-files=all')).toBe(statusBefore);
    expect(repo.git('status', '--porcelain', '--untracked-files=all')).not.toContain('.codemap/handoff');
    expect(readFileSync(join(repo.dir, '.gitignore'), 'utf8')).toBe('ignored.txt\n');
    const exclude = readFileSync(join(repo.dir, '.git', 'info', 'exclude'), 'utf8');
    expect(exclude).toContain('.codemap');
    // A second run does not add the block again.
    expect(runCli(['--no-save'], { cwd: repo.dir }).code).toBe(0);
    expect(readFileSync(join(repo.dir, '.git', 'info', 'exclude'), 'utf8')).toBe(exclude);
  });
});

describe('handoff: a clean branch', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  it('leaves git status empty after saving, and says when nothing changed', () => {
    const repo = scratch.repo({ 'a.txt': 'a\n', '.gitignore': 'tmp/\n' });
    repo.git('checkout', '-q', '-b', 'feat');
    repo.write({ 'b.txt': 'b\n' });
    repo.commit('b');
    const res = runCli([], { cwd: repo.dir });
    expect(res.code).toBe(0);
    expect(repo.git('status', '--porcelain', '--untracked-files=all', '--ignored=no')).toBe('');
    expect(readFileSync(join(repo.dir, '.gitignore'), 'utf8')).toBe('tmp/\n');
    expect(statuses(readSaved(repo.dir).latest)).toEqual({ 'b.txt': 'branch' });

    repo.git('checkout', '-q', 'main');
    const onMain = handoffJson(['--no-save'], { cwd: repo.dir });
    expect(onMain.delta.changed).toEqual([]);
    expect(onMain.delta.open_questions.join('\n')).toMatch(/No changed files/);
  });
});

describe('handoff: output flags', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  let repo: GitRepo;
  const env = { HANDOFF_NOW: FIXED_NOW };

  beforeAll(() => {
    repo = scratch.repo({
      'src/hub.ts': 'export const hub = 1;\n',
      'src/a.ts': importsHub('a'),
      'src/b.ts': importsHub('b'),
      'src/c.ts': importsHub('c'),
      'README.md': '# r\n',
    });
    repo.git('checkout', '-q', '-b', 'feat');
    repo.write({ 'src/hub.ts': 'export const hub = 2;\n' });
    repo.commit('hub');
    repo.write({
      'src/a.ts': `import { hub } from './hub.js';\nimport { util } from './util.js';\nexport const a = hub + util;\n`,
      'src/util.ts': 'export const util = 1;\n',
    });
  });
  afterAll(() => scratch.cleanup());

  it('--json writes exactly one document on stdout and nothing on stderr', () => {
    const res = runCli(['--json', '--no-save'], { cwd: repo.dir, env });
    expect(res.code).toBe(0);
    expect(res.stderr).toBe('');
    expect(res.stdout.endsWith('}\n')).toBe(true);
    expect(res.stdout).not.toContain('Wrote');
    const doc = parseWith(artifact, res.stdout);
    expect(doc.generated_at).toBe(FIXED_NOW);
  });

  it('--no-save writes no artifact', () => {
    expect(runCli(['--no-save'], { cwd: repo.dir, env }).code).toBe(0);
    expect(listCodemap(repo.dir).filter((f) => f.startsWith('handoff.'))).toEqual([]);
  });

  it('--latest exits 3 before anything was saved', () => {
    expectFailure(runCli(['--latest'], { cwd: repo.dir }), 3, /saved handoff/);
    expectFailure(runCli(['--latest', '--json'], { cwd: repo.dir }), 3);
  });

  it('saves the four artifacts, each valid under its schema', () => {
    const res = runCli(['--json'], { cwd: repo.dir, env });
    expect(res.code).toBe(0);
    const printed = parseWith(artifact, res.stdout);
    const saved = readSaved(repo.dir);
    expect(saved.latest).toEqual(printed);
    expect(saved.prefix).toEqual({
      ...printed.prefix,
      schema_version: 1,
      generated_at: printed.generated_at,
      base_ref: 'main',
      prefix_hash: printed.prefix_hash,
    });
    expect(saved.delta).toEqual({
      ...printed.delta,
      schema_version: 1,
      generated_at: printed.generated_at,
      branch: 'feat',
      base_ref: 'main',
      delta_hash: printed.delta_hash,
    });
    expect(saved.metrics).toHaveLength(1);
    expect(saved.metrics[0]).toMatchObject({ combined_hash: printed.combined_hash, branch: 'feat', base_ref: 'main' });
    for (const h of [printed.prefix_hash, printed.delta_hash, printed.combined_hash])
      expect(h).toMatch(/^[0-9a-f]{16}$/);
    expect(saved.bytes.latest.endsWith('\n')).toBe(true);
  });

  it('--latest reads the saved artifact without recomputing', () => {
    const saved = readSaved(repo.dir);
    // A change on disk that --latest must not see.
    writeFileSync(join(repo.dir, 'unsaved.txt'), 'x\n');
    try {
      const latest = runJson(artifact, ['--latest'], { cwd: repo.dir });
      expect(latest).toEqual(saved.latest);
      expect(runJson(prefixFile.strict(), ['--latest', '--prefix'], { cwd: repo.dir })).toEqual(saved.prefix);
      expect(runJson(deltaFile.strict(), ['--latest', '--delta'], { cwd: repo.dir })).toEqual(saved.delta);
      const md = runCli(['--latest'], { cwd: repo.dir });
      expect(md.code).toBe(0);
      expect(md.stdout).toContain('# Handoff: feat → main');
      expect(md.stdout).not.toContain('unsaved.txt');
      expect(readSaved(repo.dir).bytes).toEqual(saved.bytes);
    } finally {
      repo.remove('unsaved.txt');
    }
  });

  it('--prefix and --delta print one layer in its own shape: the bare snapshot, as the Go tool prints it', () => {
    const prefix = runJson(prefixFile.strict(), ['--prefix', '--no-save'], { cwd: repo.dir, env });
    expect(prefix.hubs).toEqual([{ path: 'src/hub.ts', importers: 3 }]);
    const delta = runJson(deltaFile.strict(), ['--delta', '--no-save'], { cwd: repo.dir, env });
    expect(statuses({ delta })).toEqual({ 'src/a.ts': 'modified', 'src/hub.ts': 'branch', 'src/util.ts': 'untracked' });
    // Scripts written for schema_version 1 read .changed and .hubs at the top level.
    const raw = JSON.parse(runCli(['--delta', '--no-save', '--json'], { cwd: repo.dir, env }).stdout) as {
      changed: unknown[];
      risk_files: unknown[];
    };
    expect(Array.isArray(raw.changed) && Array.isArray(raw.risk_files)).toBe(true);
    const prefixMd = runCli(['--prefix', '--no-save'], { cwd: repo.dir, env });
    expect(prefixMd.stdout).toContain('## Prefix');
    expect(prefixMd.stdout).not.toContain('## Delta');
    const deltaMd = runCli(['--delta', '--no-save'], { cwd: repo.dir, env });
    expect(deltaMd.stdout).toContain('## Delta');
    expect(deltaMd.stdout).not.toContain('## Prefix');
  });

  it('--prefix with --delta is a usage error', () => {
    expectFailure(runCli(['--prefix', '--delta'], { cwd: repo.dir }), 2, /--prefix/);
  });

  it('--base is an alias of --ref', () => {
    const viaRef = handoffJson(['--no-save', '--ref', 'main'], { cwd: repo.dir, env });
    const viaBase = handoffJson(['--no-save', '--base', 'main'], { cwd: repo.dir, env });
    expect(viaBase).toEqual(viaRef);
    expect(viaRef.base_ref).toBe('main');
  });

  it('--since bounds the commits in the timeline', () => {
    const monthLater = fixtureTime(30 * 86_400);
    const commitsIn = (a: Artifact): string[] =>
      a.delta.recent_events.filter((e) => e.op === 'commit').map((e) => e.path);
    expect(commitsIn(handoffJson(['--no-save'], { cwd: repo.dir, env }))).toEqual(['src/hub.ts']);
    expect(commitsIn(handoffJson(['--no-save'], { cwd: repo.dir, env: { HANDOFF_NOW: monthLater } }))).toEqual([]);
    expect(
      commitsIn(handoffJson(['--no-save', '--since', '60d'], { cwd: repo.dir, env: { HANDOFF_NOW: monthLater } })),
    ).toEqual(['src/hub.ts']);
    expect(commitsIn(handoffJson(['--no-save', '--since', '1h30m'], { cwd: repo.dir, env }))).toEqual(['src/hub.ts']);
  });

  it('--detail loads one changed file: importers, imports, hub flag', () => {
    const hub = runJson(fileDetail, ['--no-save', '--detail', 'src/hub.ts'], { cwd: repo.dir, env });
    expect(hub).toMatchObject({
      path: 'src/hub.ts',
      status: 'branch',
      importers: ['src/a.ts', 'src/b.ts', 'src/c.ts'],
      is_hub: true,
    });
    expect(hub.recent_events.map((e) => e.op)).toContain('commit');
    const a = runJson(fileDetail, ['--detail', 'src/a.ts'], { cwd: repo.dir, env });
    expect(a).toMatchObject({
      path: 'src/a.ts',
      status: 'modified',
      imports: ['src/hub.ts', 'src/util.ts'],
      is_hub: false,
    });
    expect(a.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(a.size).toBe(readFileSync(join(repo.dir, 'src/a.ts')).length);
    const md = runCli(['--detail', 'src/hub.ts'], { cwd: repo.dir, env });
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('src/hub.ts');
    expect(md.stdout).toContain('src/c.ts');
  });

  it('--detail accepts paths relative to cwd or root, ./-prefixed, with backslashes, or absolute', () => {
    const sub = join(repo.dir, 'src');
    const forms: [string, string][] = [
      ['./src/hub.ts', repo.dir],
      ['src\\hub.ts', repo.dir],
      ['.\\src\\hub.ts', repo.dir],
      [join(repo.dir, 'src/hub.ts'), repo.dir],
      ['hub.ts', sub],
      ['./hub.ts', sub],
      ['src/hub.ts', sub],
      [join(repo.dir, 'src/hub.ts'), sub],
    ];
    for (const [arg, cwd] of forms) {
      const res = runCli(['--no-save', '--json', '--detail', arg], { cwd, env });
      expect(res.code, `--detail ${arg} from ${cwd}: ${res.stderr}`).toBe(0);
      expect(parseWith(fileDetail, res.stdout).path).toBe('src/hub.ts');
    }
  });

  it('--detail of a file outside the delta exits 3 naming the closest changed paths', () => {
    const res = runCli(['--no-save', '--detail', 'src/hb.ts'], { cwd: repo.dir });
    expectFailure(res, 3, /src\/hub\.ts/);
    // An unchanged file that exists is still not in the delta.
    expectFailure(runCli(['--no-save', '--detail', 'src/b.ts'], { cwd: repo.dir }), 3, /src\/b\.ts/);
  });

  it('--detail of a path outside the repository exits 2', () => {
    expectFailure(runCli(['--no-save', '--detail', '../outside.ts'], { cwd: repo.dir }), 2);
    expectFailure(runCli(['--no-save', '--detail', '/etc/passwd'], { cwd: repo.dir }), 2);
  });

  it('-C runs as if started in another directory', () => {
    const elsewhere = scratch.dir();
    const viaC = handoffJson(['--no-save', '-C', repo.dir], { cwd: elsewhere, env });
    const inPlace = handoffJson(['--no-save'], { cwd: repo.dir, env });
    expect(viaC).toEqual(inPlace);
  });

  it('--debug adds a stack trace to an error', () => {
    const res = runCli(['--ref', 'no-such-ref', '--debug'], { cwd: repo.dir });
    expect(res.code).toBe(2);
    expect(res.stderr.split('\n')[0]).toMatch(/^handoff: .*no-such-ref/);
    expect(res.stderr).toMatch(/^\s+at /m);
  });
});

describe('handoff schema', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  it.each([
    'latest',
    'prefix',
    'delta',
    'detail',
    'metrics',
    'config',
    'context',
    'message',
    'inbox',
    'thread',
    'event',
    'state',
  ])('prints the JSON Schema of %s', (name) => {
    const res = runCli(['schema', name], { cwd: scratch.dir() });
    expect(res.code).toBe(0);
    expect(res.stderr).toBe('');
    const schema = JSON.parse(res.stdout) as { type?: string; properties?: Record<string, unknown> };
    expect(schema.type).toBe('object');
    expect(Object.keys(schema.properties ?? {}).length).toBeGreaterThan(0);
  });

  it('names the artifact fields scripts rely on', () => {
    const latest = JSON.parse(runCli(['schema', 'latest'], { cwd: scratch.dir() }).stdout) as { required: string[] };
    for (const field of [
      'schema_version',
      'generated_at',
      'root',
      'branch',
      'base_ref',
      'prefix',
      'delta',
      'prefix_hash',
      'delta_hash',
      'combined_hash',
      'metrics',
      'changed_files',
      'risk_files',
      'recent_events',
      'next_steps',
      'open_questions',
    ]) {
      expect(latest.required).toContain(field);
    }
  });

  it('prints every schema without a name, and works outside a repository', () => {
    const res = runCli(['schema', '--json'], { cwd: scratch.dir() });
    expect(res.code).toBe(0);
    expect(Object.keys(JSON.parse(res.stdout) as object).sort()).toEqual([
      'config',
      'context',
      'decision',
      'delta',
      'detail',
      'event',
      'inbox',
      'interface',
      'latest',
      'message',
      'metrics',
      'prefix',
      'record',
      'state',
      'thread',
    ]);
  });

  it('exits 2 for an unknown schema name', () => {
    expectFailure(runCli(['schema', 'nope'], { cwd: scratch.dir() }), 2, /nope/);
  });
});

describe('handoff: reuse metrics and the metrics log', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  function featureRepo(): GitRepo {
    const repo = scratch.repo({ 'src/a.ts': 'export const a = 1;\n', 'src/b.ts': 'export const b = 1;\n' });
    repo.git('checkout', '-q', '-b', 'feat');
    repo.write({ 'src/a.ts': 'export const a = 2;\n' });
    repo.commit('a');
    return repo;
  }

  it('an unchanged rerun reuses everything, keeps generated_at and rewrites identical bytes', () => {
    const repo = featureRepo();
    const first = handoffJson([], { cwd: repo.dir, env: { HANDOFF_NOW: fixtureTime(3600) } });
    const firstBytes = readSaved(repo.dir).bytes;
    expect(first.metrics).toMatchObject({ prefix_reused: false, delta_reused: false, reuse_ratio: 0 });
    expect(first.metrics.previous_combined_hash).toBeUndefined();

    const second = handoffJson([], { cwd: repo.dir, env: { HANDOFF_NOW: fixtureTime(7200) } });
    const secondBytes = readSaved(repo.dir).bytes;
    expect(second.metrics).toMatchObject({
      prefix_reused: true,
      delta_reused: true,
      reuse_ratio: 1,
      previous_combined_hash: first.combined_hash,
    });
    expect(second.metrics.unchanged_bytes).toBe(second.metrics.total_bytes);
    expect(second.metrics.total_bytes).toBe(second.metrics.prefix_bytes + second.metrics.delta_bytes);
    expect(second.generated_at).toBe(first.generated_at);
    expect(second.combined_hash).toBe(first.combined_hash);
    expect(secondBytes.prefix).toBe(firstBytes.prefix);
    expect(secondBytes.delta).toBe(firstBytes.delta);

    const third = handoffJson([], { cwd: repo.dir, env: { HANDOFF_NOW: fixtureTime(10_800) } });
    const saved = readSaved(repo.dir);
    expect(third).toEqual(second);
    expect(saved.bytes.latest).toBe(secondBytes.latest);
    expect(saved.bytes.prefix).toBe(firstBytes.prefix);
    expect(saved.bytes.delta).toBe(firstBytes.delta);
    expect(saved.metrics.map((m) => m.metrics.reuse_ratio)).toEqual([0, 1, 1]);
    expect(saved.metrics.map((m) => m.generated_at)).toEqual([
      first.generated_at,
      first.generated_at,
      first.generated_at,
    ]);
  });

  it('a working-tree change reuses the prefix but not the delta', () => {
    const repo = featureRepo();
    const first = handoffJson([], { cwd: repo.dir, env: { HANDOFF_NOW: fixtureTime(3600) } });
    repo.write({ 'src/b.ts': 'export const b = 2;\n' });
    const now = fixtureTime(7200);
    const second = handoffJson([], { cwd: repo.dir, env: { HANDOFF_NOW: now } });
    expect(second.prefix_hash).toBe(first.prefix_hash);
    expect(second.delta_hash).not.toBe(first.delta_hash);
    expect(second.metrics).toMatchObject({
      prefix_reused: true,
      delta_reused: false,
      previous_combined_hash: first.combined_hash,
    });
    expect(second.metrics.unchanged_bytes).toBe(second.metrics.prefix_bytes);
    expect(second.metrics.reuse_ratio).toBeGreaterThan(0);
    expect(second.metrics.reuse_ratio).toBeLessThan(1);
    expect(second.metrics.reuse_ratio).toBeCloseTo(second.metrics.prefix_bytes / second.metrics.total_bytes, 3);
    expect(second.generated_at).toBe(now);
    const saved = readSaved(repo.dir);
    expect(saved.metrics).toHaveLength(2);
    expect(saved.metrics[1]).toMatchObject({
      generated_at: now,
      combined_hash: second.combined_hash,
      metrics: second.metrics,
    });
  });

  it('keeps only the newest 500 lines of the metrics log', () => {
    const repo = featureRepo();
    const line = (i: number): MetricsLine => ({
      generated_at: fixtureTime(i),
      branch: 'feat',
      base_ref: 'main',
      prefix_hash: i.toString(16).padStart(16, '0'),
      delta_hash: i.toString(16).padStart(16, '0'),
      combined_hash: i.toString(16).padStart(16, '0'),
      metrics: {
        prefix_bytes: 1,
        delta_bytes: 1,
        total_bytes: 2,
        unchanged_bytes: 0,
        reuse_ratio: 0,
        prefix_reused: false,
        delta_reused: false,
      },
    });
    const old = Array.from({ length: 600 }, (_, i) => JSON.stringify(metricsLine.parse(line(i))));
    mkdirSync(join(repo.dir, '.codemap'), { recursive: true });
    writeFileSync(join(repo.dir, '.codemap', 'handoff.metrics.log'), `${old.join('\n')}\n`);

    const a = handoffJson([], { cwd: repo.dir, env: { HANDOFF_NOW: FIXED_NOW } });
    const text = readFileSync(join(repo.dir, '.codemap', 'handoff.metrics.log'), 'utf8');
    const lines = text.slice(0, -1).split('\n');
    expect(text.endsWith('\n')).toBe(true);
    expect(lines).toHaveLength(500);
    expect(lines.slice(0, 499)).toEqual(old.slice(101));
    const last = parseWith(metricsLine, lines[499] ?? '');
    expect(last).toMatchObject({ combined_hash: a.combined_hash, generated_at: a.generated_at, metrics: a.metrics });
    for (const l of lines) parseWith(metricsLine, l);
  });
});

describe('handoff: corrupt and unreadable files', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  function savedRepo(): GitRepo {
    const repo = scratch.repo({ 'a.txt': 'a\n' });
    repo.git('checkout', '-q', '-b', 'feat');
    repo.write({ 'b.txt': 'b\n' });
    expect(runCli([], { cwd: repo.dir }).code).toBe(0);
    return repo;
  }

  it.each([
    ['not JSON', '{"schema_version": 1, '],
    ['JSON of the wrong shape', '{"schema_version": 1, "branch": 42}\n'],
  ])('a latest artifact that is %s: --latest exits 1 naming it; a save moves it aside', (_what, content) => {
    const repo = savedRepo();
    const latestPath = join(repo.dir, '.codemap', 'handoff.latest.json');
    writeFileSync(latestPath, content);

    expectFailure(runCli(['--latest'], { cwd: repo.dir }), 1, /handoff\.latest\.json/);
    expectFailure(runCli(['--latest', '--json'], { cwd: repo.dir }), 1, /handoff\.latest\.json/);
    expect(readFileSync(latestPath, 'utf8')).toBe(content);

    const res = runCli(['--json'], { cwd: repo.dir, env: { HANDOFF_NOW: FIXED_NOW } });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).not.toMatch(/^\s+at /m);
    parseWith(artifact, res.stdout);
    const aside = readdirSync(join(repo.dir, '.codemap')).filter((f) => f.startsWith('handoff.latest.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(repo.dir, '.codemap', aside[0] ?? ''), 'utf8')).toBe(content);
    const saved = readSaved(repo.dir);
    expect(statuses(saved.latest)).toEqual({ 'b.txt': 'untracked' });
    expect(runCli(['--latest', '--json'], { cwd: repo.dir }).code).toBe(0);
  });

  it('an invalid .codemap/config.json exits 2 naming the file', () => {
    const repo = scratch.repo({ 'a.txt': 'a\n' });
    mkdirSync(join(repo.dir, '.codemap'), { recursive: true });
    writeFileSync(join(repo.dir, '.codemap', 'config.json'), '{"ignore": "not-a-list"}\n');
    expectFailure(runCli([], { cwd: repo.dir }), 2, /config\.json/);
  });
});

describe('handoff: large and binary-looking files', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  it('hashes a file above 16 MiB to the xxhash64 of its bytes; a NUL only past 8 KiB is not binary', async () => {
    const repo = scratch.repo({ 'a.txt': 'a\n' });
    const big = Buffer.alloc(17 * 1024 * 1024 + 123, 'abcdefghij\n');
    const lateNul = Buffer.concat([Buffer.alloc(9000, 'a'), Buffer.from([0]), Buffer.from('tail\n')]);
    writeFileSync(join(repo.dir, 'big.txt'), big);
    writeFileSync(join(repo.dir, 'late-nul.txt'), lateNul);
    writeFileSync(join(repo.dir, 'big-binary.txt'), Buffer.alloc(17 * 1024 * 1024));
    writeFileSync(
      join(repo.dir, 'early-nul.txt'),
      Buffer.concat([Buffer.from('abc'), Buffer.from([0]), Buffer.alloc(9000, 'a')]),
    );
    const a = handoffJson(['--no-save'], { cwd: repo.dir, env: { HANDOFF_NOW: FIXED_NOW } });
    expect(statuses(a)).toEqual({ 'big.txt': 'untracked', 'late-nul.txt': 'untracked' });
    const h = await xxhash64();
    const byPath = new Map(a.delta.changed.map((c) => [c.path, c]));
    expect(byPath.get('big.txt')).toMatchObject({ size: big.length, hash: h.bytes(big) });
    expect(byPath.get('late-nul.txt')).toMatchObject({ size: lateNul.length, hash: h.bytes(lateNul) });
  });
});

describe('handoff: concurrent runs', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  it('two processes saving at once both succeed and leave every file parseable', async () => {
    const repo = scratch.repo({ 'src/a.ts': 'export const a = 1;\n', 'src/b.ts': 'export const b = 1;\n' });
    repo.git('checkout', '-q', '-b', 'feat');
    repo.write({ 'src/a.ts': 'export const a = 2;\n', 'src/c.ts': 'export const c = 1;\n' });
    const runs = await Promise.all([
      runCliAsync(['--json'], { cwd: repo.dir }),
      runCliAsync(['--json'], { cwd: repo.dir }),
      runCliAsync([], { cwd: repo.dir }),
    ]);
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    // Only the markdown run notes what it wrote, on stderr.
    expect(runs.map((r) => r.stderr.replace(/^Wrote \.codemap\/.*\n$/, 'Wrote'))).toEqual(['', '', 'Wrote']);
    const [one, two] = runs.map((r) => r.stdout);
    expect(parseWith(artifact, one ?? '').combined_hash).toBe(parseWith(artifact, two ?? '').combined_hash);
    const saved = readSaved(repo.dir);
    expect(saved.metrics).toHaveLength(3);
    expect(statuses(saved.latest)).toEqual({ 'src/a.ts': 'modified', 'src/c.ts': 'untracked' });
    const leftovers = listCodemap(repo.dir).filter((f) => f.endsWith('.tmp') || f.includes('lock'));
    expect(leftovers).toEqual([]);
  });

  it('takes over a lock left by a process that is gone', () => {
    const repo = scratch.repo({ 'a.txt': 'a\n' });
    repo.write({ 'b.txt': 'b\n' });
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    mkdirSync(join(repo.dir, '.codemap'), { recursive: true });
    const lock = join(repo.dir, '.codemap', 'handoff.lock');
    writeFileSync(lock, JSON.stringify({ pid: dead, host: hostname(), token: 'dead' }));
    const res = runCli([], { cwd: repo.dir });
    expect(res.code, res.stderr).toBe(0);
    expect(readSaved(repo.dir).metrics).toHaveLength(1);
    expect(existsSync(lock)).toBe(false);
  });

  it('takes over an old lock it cannot read', () => {
    const repo = scratch.repo({ 'a.txt': 'a\n' });
    mkdirSync(join(repo.dir, '.codemap'), { recursive: true });
    const lock = join(repo.dir, '.codemap', 'handoff.lock');
    writeFileSync(lock, 'garbage');
    const hourAgo = Date.now() / 1000 - 3600;
    utimesSync(lock, hourAgo, hourAgo);
    const res = runCli([], { cwd: repo.dir });
    expect(res.code, res.stderr).toBe(0);
    expect(hasSaved(repo.dir)).toBe(true);
  });
});

describe('handoff: exit codes', { tags: ['slow'] }, () => {
  const scratch = new Scratch();
  let repo: GitRepo;
  let notRepo: string;
  beforeAll(() => {
    repo = scratch.repo({ 'a.txt': 'a\n' });
    repo.git('checkout', '-q', '-b', 'feat');
    repo.write({ 'b.txt': 'b\n' });
    notRepo = scratch.dir();
    writeFileSync(join(notRepo, 'file.txt'), 'x\n');
  });
  afterAll(() => scratch.cleanup());

  it('0: a normal run, --help and --version', () => {
    expect(runCli(['--no-save'], { cwd: repo.dir }).code).toBe(0);
    const help = runCli(['--help'], { cwd: repo.dir });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--detail');
    const version = runCli(['--version'], { cwd: repo.dir });
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/\d+\.\d+\.\d+/);
  });

  it.each([
    ['an unknown flag', ['--frobnicate'], /frobnicate/],
    ['an invalid --since', ['--since', 'soon'], /soon/],
    ['a negative-looking --since', ['--since', '-5m'], undefined],
    ['--prefix with --delta', ['--prefix', '--delta'], undefined],
    ['a --ref that names nothing', ['--ref', 'no-such-branch'], /no-such-branch/],
    ['a --base that names nothing', ['--base', 'no-such-branch'], /no-such-branch/],
    ['--detail outside the repository', ['--detail', '../../x.ts'], undefined],
    ['an unknown schema', ['schema', 'bogus'], /bogus/],
  ])('2: %s', (_what, args, mention) => {
    expectFailure(runCli(['--no-save', ...(args as string[])], { cwd: repo.dir }), 2, mention as RegExp | undefined);
  });

  it('2: not a git repository', () => {
    expectFailure(runCli([], { cwd: notRepo }), 2, /not a git repository/i);
    expectFailure(runCli(['--json'], { cwd: notRepo }), 2);
    expectFailure(runCli(['-C', notRepo], { cwd: repo.dir }), 2);
    expect(existsSync(join(notRepo, '.codemap'))).toBe(false);
  });

  it('2: a [path] or -C directory that does not exist', () => {
    expectFailure(runCli(['--no-save', 'no/such/dir'], { cwd: repo.dir }), 2, /no\/such\/dir/);
    expectFailure(runCli(['--no-save', '-C', join(repo.dir, 'missing-dir')], { cwd: repo.dir }), 2, /missing-dir/);
  });

  it('2: a [path] that is a file, not a directory', () => {
    expectFailure(runCli(['--no-save', 'a.txt'], { cwd: repo.dir }), 2, /a\.txt/);
  });

  it('3: --detail of a file not in the delta, --latest with nothing saved', () => {
    expectFailure(runCli(['--no-save', '--detail', 'a.txt'], { cwd: repo.dir }), 3, /b\.txt/);
    expectFailure(runCli(['--latest'], { cwd: repo.dir }), 3);
    expectFailure(runCli(['--latest', '--detail', 'b.txt'], { cwd: repo.dir }), 3);
  });

  it('1: a git failure (no merge-base with an unrelated history)', () => {
    const other = scratch.repo({ 'x.txt': 'x\n' });
    repo.git('fetch', '-q', other.dir, 'main:unrelated');
    expectFailure(runCli(['--no-save', '--ref', 'unrelated'], { cwd: repo.dir }), 1, /merge-base/);
    expect(hasSaved(repo.dir)).toBe(false);
  });
});
