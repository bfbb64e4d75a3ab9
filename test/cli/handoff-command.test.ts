// `handoff` through the whole CLI in-process (test/support/in-process.ts) against real
// temporary repositories: change statuses and their precedence, exclusions, flags and output
// shapes (markdown and the files written, one JSON document), saved artifacts, reuse metrics,
// the metrics log cap, corrupt files, schemas. Usage and not-found errors:
// test/cli/handoff-errors-command.test.ts. A real exit status per code family, --debug's
// stack and concurrent processes: test/e2e/handoff.test.ts.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importsHub, statusesRepo } from '../../fixtures/statuses-repo.js';
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
  listCodemap,
  parseWith,
  readSaved,
  Scratch,
  statuses,
  xxhash64,
  type GitRepo,
} from '../e2e/helpers.js';
import {
  handoffJsonInProcess as handoffJson,
  runInProcess as runCli,
  runJsonInProcess as runJson,
} from '../support/in-process.js';

describe('handoff: change statuses and exclusions', () => {
  const scratch = new Scratch();
  let repo: GitRepo;
  let result: Artifact;

  beforeAll(async () => {
    repo = statusesRepo((tree) => scratch.repo(tree));
    result = await handoffJson(['--no-save'], { cwd: repo.dir, env: { HANDOFF_NOW: FIXED_NOW } });
  });
  afterAll(() => scratch.cleanup());

  it('reports every status kind, the most local layer winning', async () => {
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

  it('lists changed files by rank: risk, then local work, then branch commits; path order within each', async () => {
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

  it('gives renames their source in `from` and does not list the source itself', async () => {
    const byPath = new Map(result.delta.changed.map((c) => [c.path, c]));
    expect(byPath.get('src/renamed.ts')?.from).toBe('src/to-rename.ts');
    expect(byPath.get('src/renamed-staged.ts')?.from).toBe('src/to-rename-staged.ts');
    expect(byPath.has('src/to-rename.ts')).toBe(false);
    expect(byPath.has('src/to-rename-staged.ts')).toBe(false);
    for (const c of result.delta.changed) if (c.status !== 'renamed') expect(c.from, c.path).toBeUndefined();
  });

  it('describes files by size and content hash; deleted files have size 0 and no hash', async () => {
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

  it('--detail describes deleted and renamed files', async () => {
    const run = { cwd: repo.dir, env: { HANDOFF_NOW: FIXED_NOW } };
    expect(await runJson(fileDetail, ['--no-save', '--detail', 'src/deleted-worktree.ts'], run)).toMatchObject({
      path: 'src/deleted-worktree.ts',
      status: 'deleted',
      size: 0,
      hash: '',
      imports: [],
    });
    expect(await runJson(fileDetail, ['--no-save', '--detail', 'src/renamed.ts'], run)).toMatchObject({
      path: 'src/renamed.ts',
      status: 'renamed',
      from: 'src/to-rename.ts',
    });
    expect((await runJson(fileDetail, ['--no-save', '--detail', 'src/untracked-over-branch.ts'], run)).status).toBe(
      'untracked',
    );
  });

  it('leaves out dependency/build/vendor folders, binaries, logs, config ignore globs and gitignored files', async () => {
    const paths = result.delta.changed.map((c) => c.path);
    for (const p of paths) {
      expect(p).not.toMatch(/^(node_modules|dist|coverage|out|vendor|generated|logs|\.codemap)\//);
      expect(p).not.toMatch(/\.(png|log)$/);
    }
    expect(paths).not.toContain('blob.txt');
    expect(paths).not.toContain('ignored.txt');
    expect(paths).not.toContain('.codemap/config.json');
  });

  it('computes the prefix from the base tree without excluded files', async () => {
    // .gitignore, README.md, package.json and the 13 sources under src/ of the base commit.
    expect(result.prefix.file_count).toBe(16);
    expect(result.prefix.base_tree).toBe(repo.git('rev-parse', 'main^{tree}').trim());
    expect(result.prefix.languages).toMatchObject({ TypeScript: 13 });
    expect(result.prefix.hubs).toEqual([{ path: 'src/hub.ts', importers: 3 }]);
    expect(result.prefix.hubs_omitted).toBe(0);
  });

  it('flags a changed hub as a risk file and turns it into a next step', async () => {
    expect(result.delta.risk_files).toEqual([
      expect.objectContaining({ path: 'src/hub.ts', importers: 3, is_hub: true }),
    ]);
    expect(result.delta.risk_files[0]?.reason).toMatch(/3/);
    expect(result.delta.next_steps.join('\n')).toContain('src/hub.ts');
  });

  it('keeps the schema_version 1 top-level mirrors equal to the delta', async () => {
    expect(result.schema_version).toBe(1);
    expect(result.changed_files).toEqual(result.delta.changed.map((c) => c.path));
    expect(result.risk_files).toEqual(result.delta.risk_files);
    expect(result.recent_events).toEqual(result.delta.recent_events);
    expect(result.next_steps).toEqual(result.delta.next_steps);
    expect(result.open_questions).toEqual(result.delta.open_questions);
  });

  it('records branch commits and working-tree edits in the timeline', async () => {
    const commits = result.delta.recent_events.filter((e) => e.op === 'commit').map((e) => e.path);
    expect(commits).toContain('src/hub.ts');
    const edits = result.delta.recent_events.filter((e) => e.op === 'edit').map((e) => e.path);
    expect(edits).toContain('notes.txt');
    for (const e of result.delta.recent_events) expect(e.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('prints markdown and the files written, and keeps .codemap out of git status via info/exclude', async () => {
    const statusBefore = repo.git('status', '--porcelain', '--untracked-files=all');
    const res = await runCli([], { cwd: repo.dir, env: { HANDOFF_NOW: FIXED_NOW } });
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
    expect((await runCli(['--no-save'], { cwd: repo.dir })).code).toBe(0);
    expect(readFileSync(join(repo.dir, '.git', 'info', 'exclude'), 'utf8')).toBe(exclude);
  });
});

describe('handoff: a clean branch', () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  it('leaves git status empty after saving, and says when nothing changed', async () => {
    const repo = scratch.repo({ 'a.txt': 'a\n', '.gitignore': 'tmp/\n' });
    repo.git('checkout', '-q', '-b', 'feat');
    repo.write({ 'b.txt': 'b\n' });
    repo.commit('b');
    const res = await runCli([], { cwd: repo.dir });
    expect(res.code).toBe(0);
    expect(repo.git('status', '--porcelain', '--untracked-files=all', '--ignored=no')).toBe('');
    expect(readFileSync(join(repo.dir, '.gitignore'), 'utf8')).toBe('tmp/\n');
    expect(statuses(readSaved(repo.dir).latest)).toEqual({ 'b.txt': 'branch' });

    repo.git('checkout', '-q', 'main');
    const onMain = await handoffJson(['--no-save'], { cwd: repo.dir });
    expect(onMain.delta.changed).toEqual([]);
    expect(onMain.delta.open_questions.join('\n')).toMatch(/No changed files/);
  });
});

describe('handoff: output flags', () => {
  const scratch = new Scratch();
  let repo: GitRepo;
  const env = { HANDOFF_NOW: FIXED_NOW };

  beforeAll(async () => {
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

  it('--no-save writes no artifact', async () => {
    expect((await runCli(['--no-save'], { cwd: repo.dir, env })).code).toBe(0);
    expect(listCodemap(repo.dir).filter((f) => f.startsWith('handoff.'))).toEqual([]);
  });

  it('--latest exits 3 before anything was saved', async () => {
    expectFailure(await runCli(['--latest'], { cwd: repo.dir }), 3, /saved handoff/);
    expectFailure(await runCli(['--latest', '--json'], { cwd: repo.dir }), 3);
  });

  it('saves the four artifacts, each valid under its schema', async () => {
    const res = await runCli(['--json'], { cwd: repo.dir, env });
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

  it('--latest reads the saved artifact without recomputing', async () => {
    const saved = readSaved(repo.dir);
    // A change on disk that --latest must not see.
    writeFileSync(join(repo.dir, 'unsaved.txt'), 'x\n');
    try {
      const latest = await runJson(artifact, ['--latest'], { cwd: repo.dir });
      expect(latest).toEqual(saved.latest);
      expect(await runJson(prefixFile.strict(), ['--latest', '--prefix'], { cwd: repo.dir })).toEqual(saved.prefix);
      expect(await runJson(deltaFile.strict(), ['--latest', '--delta'], { cwd: repo.dir })).toEqual(saved.delta);
      const md = await runCli(['--latest'], { cwd: repo.dir });
      expect(md.code).toBe(0);
      expect(md.stdout).toContain('# Handoff: feat → main');
      expect(md.stdout).not.toContain('unsaved.txt');
      expect(readSaved(repo.dir).bytes).toEqual(saved.bytes);
    } finally {
      repo.remove('unsaved.txt');
    }
  });

  it('--prefix and --delta print one layer in its own shape: the bare snapshot, as the Go tool prints it', async () => {
    const prefix = await runJson(prefixFile.strict(), ['--prefix', '--no-save'], { cwd: repo.dir, env });
    expect(prefix.hubs).toEqual([{ path: 'src/hub.ts', importers: 3 }]);
    const delta = await runJson(deltaFile.strict(), ['--delta', '--no-save'], { cwd: repo.dir, env });
    expect(statuses({ delta })).toEqual({ 'src/a.ts': 'modified', 'src/hub.ts': 'branch', 'src/util.ts': 'untracked' });
    // Scripts written for schema_version 1 read .changed and .hubs at the top level.
    const raw = JSON.parse((await runCli(['--delta', '--no-save', '--json'], { cwd: repo.dir, env })).stdout) as {
      changed: unknown[];
      risk_files: unknown[];
    };
    expect(Array.isArray(raw.changed) && Array.isArray(raw.risk_files)).toBe(true);
    const prefixMd = await runCli(['--prefix', '--no-save'], { cwd: repo.dir, env });
    expect(prefixMd.stdout).toContain('## Prefix');
    expect(prefixMd.stdout).not.toContain('## Delta');
    const deltaMd = await runCli(['--delta', '--no-save'], { cwd: repo.dir, env });
    expect(deltaMd.stdout).toContain('## Delta');
    expect(deltaMd.stdout).not.toContain('## Prefix');
  });

  it('--prefix with --delta is a usage error', async () => {
    expectFailure(await runCli(['--prefix', '--delta'], { cwd: repo.dir }), 2, /--prefix/);
  });

  it('--base is an alias of --ref', async () => {
    const viaRef = await handoffJson(['--no-save', '--ref', 'main'], { cwd: repo.dir, env });
    const viaBase = await handoffJson(['--no-save', '--base', 'main'], { cwd: repo.dir, env });
    expect(viaBase).toEqual(viaRef);
    expect(viaRef.base_ref).toBe('main');
  });

  it('--since bounds the commits in the timeline', async () => {
    const monthLater = fixtureTime(30 * 86_400);
    const commitsIn = (a: Artifact): string[] =>
      a.delta.recent_events.filter((e) => e.op === 'commit').map((e) => e.path);
    expect(commitsIn(await handoffJson(['--no-save'], { cwd: repo.dir, env }))).toEqual(['src/hub.ts']);
    expect(commitsIn(await handoffJson(['--no-save'], { cwd: repo.dir, env: { HANDOFF_NOW: monthLater } }))).toEqual(
      [],
    );
    expect(
      commitsIn(
        await handoffJson(['--no-save', '--since', '60d'], { cwd: repo.dir, env: { HANDOFF_NOW: monthLater } }),
      ),
    ).toEqual(['src/hub.ts']);
    expect(commitsIn(await handoffJson(['--no-save', '--since', '1h30m'], { cwd: repo.dir, env }))).toEqual([
      'src/hub.ts',
    ]);
  });

  it('--detail loads one changed file: importers, imports, hub flag', async () => {
    const hub = await runJson(fileDetail, ['--no-save', '--detail', 'src/hub.ts'], { cwd: repo.dir, env });
    expect(hub).toMatchObject({
      path: 'src/hub.ts',
      status: 'branch',
      importers: ['src/a.ts', 'src/b.ts', 'src/c.ts'],
      is_hub: true,
    });
    expect(hub.recent_events.map((e) => e.op)).toContain('commit');
    const a = await runJson(fileDetail, ['--detail', 'src/a.ts'], { cwd: repo.dir, env });
    expect(a).toMatchObject({
      path: 'src/a.ts',
      status: 'modified',
      imports: ['src/hub.ts', 'src/util.ts'],
      is_hub: false,
    });
    expect(a.hash).toMatch(/^[0-9a-f]{16}$/);
    expect(a.size).toBe(readFileSync(join(repo.dir, 'src/a.ts')).length);
    const md = await runCli(['--detail', 'src/hub.ts'], { cwd: repo.dir, env });
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('src/hub.ts');
    expect(md.stdout).toContain('src/c.ts');
  });

  it('--detail accepts paths relative to cwd or root, ./-prefixed, with backslashes, or absolute', async () => {
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
      const res = await runCli(['--no-save', '--json', '--detail', arg], { cwd, env });
      expect(res.code, `--detail ${arg} from ${cwd}: ${res.stderr}`).toBe(0);
      expect(parseWith(fileDetail, res.stdout).path).toBe('src/hub.ts');
    }
  });

  it('--detail of a file outside the delta exits 3 naming the closest changed paths', async () => {
    const res = await runCli(['--no-save', '--detail', 'src/hb.ts'], { cwd: repo.dir });
    expectFailure(res, 3, /src\/hub\.ts/);
    // An unchanged file that exists is still not in the delta.
    expectFailure(await runCli(['--no-save', '--detail', 'src/b.ts'], { cwd: repo.dir }), 3, /src\/b\.ts/);
  });

  it('--detail of a path outside the repository exits 2', async () => {
    expectFailure(await runCli(['--no-save', '--detail', '../outside.ts'], { cwd: repo.dir }), 2);
    expectFailure(await runCli(['--no-save', '--detail', '/etc/passwd'], { cwd: repo.dir }), 2);
  });

  it('-C runs as if started in another directory', async () => {
    const elsewhere = scratch.dir();
    const viaC = await handoffJson(['--no-save', '-C', repo.dir], { cwd: elsewhere, env });
    const inPlace = await handoffJson(['--no-save'], { cwd: repo.dir, env });
    expect(viaC).toEqual(inPlace);
  });

  it('--json writes exactly one document on stdout and nothing on stderr', async () => {
    const res = await runCli(['--json', '--no-save'], { cwd: repo.dir, env });
    expect(res.code).toBe(0);
    expect(res.stderr).toBe('');
    expect(res.stdout.endsWith('}\n')).toBe(true);
    expect(res.stdout).not.toContain('Wrote');
    const doc = parseWith(artifact, res.stdout);
    expect(doc.generated_at).toBe(FIXED_NOW);
  });
});

describe('handoff schema', () => {
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
    'event',
    'state',
    'message',
    'inbox',
    'thread',
    'decision',
    'interface',
    'claim',
    'conflicts',
  ])('prints the JSON Schema of %s', async (name) => {
    const res = await runCli(['schema', name], { cwd: scratch.dir() });
    expect(res.code).toBe(0);
    expect(res.stderr).toBe('');
    const schema = JSON.parse(res.stdout) as { type?: string; properties?: Record<string, unknown> };
    expect(schema.type).toBe('object');
    expect(Object.keys(schema.properties ?? {}).length).toBeGreaterThan(0);
  });

  it('names the artifact fields scripts rely on', async () => {
    const latest = JSON.parse((await runCli(['schema', 'latest'], { cwd: scratch.dir() })).stdout) as {
      required: string[];
    };
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

  it('prints every schema without a name, and works outside a repository', async () => {
    const res = await runCli(['schema', '--json'], { cwd: scratch.dir() });
    expect(res.code).toBe(0);
    expect(Object.keys(JSON.parse(res.stdout) as object).sort()).toEqual([
      'claim',
      'config',
      'conflicts',
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
});

describe('handoff: reuse metrics and the metrics log', () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  function featureRepo(): GitRepo {
    const repo = scratch.repo({ 'src/a.ts': 'export const a = 1;\n', 'src/b.ts': 'export const b = 1;\n' });
    repo.git('checkout', '-q', '-b', 'feat');
    repo.write({ 'src/a.ts': 'export const a = 2;\n' });
    repo.commit('a');
    return repo;
  }

  it('an unchanged rerun reuses everything, keeps generated_at and rewrites identical bytes', async () => {
    const repo = featureRepo();
    const first = await handoffJson([], { cwd: repo.dir, env: { HANDOFF_NOW: fixtureTime(3600) } });
    const firstBytes = readSaved(repo.dir).bytes;
    expect(first.metrics).toMatchObject({ prefix_reused: false, delta_reused: false, reuse_ratio: 0 });
    expect(first.metrics.previous_combined_hash).toBeUndefined();

    const second = await handoffJson([], { cwd: repo.dir, env: { HANDOFF_NOW: fixtureTime(7200) } });
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

    const third = await handoffJson([], { cwd: repo.dir, env: { HANDOFF_NOW: fixtureTime(10_800) } });
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

  it('a working-tree change reuses the prefix but not the delta', async () => {
    const repo = featureRepo();
    const first = await handoffJson([], { cwd: repo.dir, env: { HANDOFF_NOW: fixtureTime(3600) } });
    repo.write({ 'src/b.ts': 'export const b = 2;\n' });
    const now = fixtureTime(7200);
    const second = await handoffJson([], { cwd: repo.dir, env: { HANDOFF_NOW: now } });
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

  it('keeps only the newest 500 lines of the metrics log', async () => {
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

    const a = await handoffJson([], { cwd: repo.dir, env: { HANDOFF_NOW: FIXED_NOW } });
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

describe('handoff: corrupt and unreadable files', () => {
  const scratch = new Scratch();
  afterAll(() => scratch.cleanup());

  async function savedRepo(): Promise<GitRepo> {
    const repo = scratch.repo({ 'a.txt': 'a\n' });
    repo.git('checkout', '-q', '-b', 'feat');
    repo.write({ 'b.txt': 'b\n' });
    expect((await runCli([], { cwd: repo.dir })).code).toBe(0);
    return repo;
  }

  it.each([
    ['not JSON', '{"schema_version": 1, '],
    ['JSON of the wrong shape', '{"schema_version": 1, "branch": 42}\n'],
  ])('a latest artifact that is %s: --latest exits 1 naming it; a save moves it aside', async (_what, content) => {
    const repo = await savedRepo();
    const latestPath = join(repo.dir, '.codemap', 'handoff.latest.json');
    writeFileSync(latestPath, content);

    expectFailure(await runCli(['--latest'], { cwd: repo.dir }), 1, /handoff\.latest\.json/);
    expectFailure(await runCli(['--latest', '--json'], { cwd: repo.dir }), 1, /handoff\.latest\.json/);
    expect(readFileSync(latestPath, 'utf8')).toBe(content);

    const res = await runCli(['--json'], { cwd: repo.dir, env: { HANDOFF_NOW: FIXED_NOW } });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).not.toMatch(/^\s+at /m);
    parseWith(artifact, res.stdout);
    const aside = readdirSync(join(repo.dir, '.codemap')).filter((f) => f.startsWith('handoff.latest.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(repo.dir, '.codemap', aside[0] ?? ''), 'utf8')).toBe(content);
    const saved = readSaved(repo.dir);
    expect(statuses(saved.latest)).toEqual({ 'b.txt': 'untracked' });
    expect((await runCli(['--latest', '--json'], { cwd: repo.dir })).code).toBe(0);
  });
});

describe('handoff: large and binary-looking files', () => {
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
    const a = await handoffJson(['--no-save'], { cwd: repo.dir, env: { HANDOFF_NOW: FIXED_NOW } });
    expect(statuses(a)).toEqual({ 'big.txt': 'untracked', 'late-nul.txt': 'untracked' });
    const h = await xxhash64();
    const byPath = new Map(a.delta.changed.map((c) => [c.path, c]));
    expect(byPath.get('big.txt')).toMatchObject({ size: big.length, hash: h.bytes(big) });
    expect(byPath.get('late-nul.txt')).toMatchObject({ size: lateNul.length, hash: h.bytes(lateNul) });
  });
});
