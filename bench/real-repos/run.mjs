#!/usr/bin/env node
// Measures handoff on six public repositories (issue 8): clones each at a pinned commit, sets up a
// base 20 first-parent commits back plus staged, unstaged, deleted and untracked work, then prints
// each figure beside an independent "truth" (git and the plain parsers of truth.mjs) and writes JSON.
// No network: the repositories come from local clones or mirrors (see README.md).
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { commitTree, git, workTree } from './truth.mjs';
import { REPOS } from './scenarios.mjs';

const USAGE = `usage: node bench/real-repos/run.mjs --cli <handoff entry .js>
       (--mirrors <dir> | --repo <name>=<path>...)
       [--out results.json] [--only pytest,flask,...] [--scratch <dir>] [--keep]
repositories: ${REPOS.map((r) => `${r.name} (${r.slug})`).join(', ')}`;

const { values } = parseArgs({
  options: {
    cli: { type: 'string' },
    mirrors: { type: 'string' },
    repo: { type: 'string', multiple: true },
    out: { type: 'string' },
    only: { type: 'string' },
    scratch: { type: 'string' },
    keep: { type: 'boolean' },
    help: { type: 'boolean' },
  },
});
if (values.help || !values.cli || (!values.mirrors && !values.repo)) {
  console.error(USAGE);
  process.exit(values.help ? 0 : 2);
}
const cli = resolve(values.cli);
const scratch = resolve(values.scratch ?? join(tmpdir(), 'handoff-real-repos'));
const only = values.only ? new Set(values.only.split(',')) : null;
const overrides = new Map(
  (values.repo ?? []).map((r) => [r.slice(0, r.indexOf('=')), resolve(r.slice(r.indexOf('=') + 1))]),
);

/** A mirror dir holds `<owner>+<name>/repo` (bare), `<owner>+<name>` or `<name>`; any git dir or clone works. */
function sourceOf(repo) {
  if (overrides.has(repo.name)) return overrides.get(repo.name);
  if (!values.mirrors) return null;
  const m = resolve(values.mirrors);
  return [join(m, repo.slug, 'repo'), join(m, repo.slug), join(m, repo.name)].find((p) => existsSync(p)) ?? null;
}

/** Clones at the pinned commit; blobs missing from the source (partial mirrors) are left out by sparse checkout. */
function prepare(repo, src) {
  const dir = join(scratch, repo.name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  execFileSync('git', ['clone', '-q', '--no-checkout', '--shared', src, dir]);
  try {
    git(dir, ['cat-file', '-e', `${repo.commit}^{commit}`]);
  } catch {
    throw new Error(`${repo.name}: commit ${repo.commit} is not in ${src} — fetch the repository's history first`);
  }
  const ids = git(dir, ['ls-tree', '-r', repo.commit])
    .split('\n')
    .filter((l) => l.includes(' blob '))
    .map((l) => ({ id: l.split(/\s+/)[2], path: l.slice(l.indexOf('\t') + 1) }));
  const check = git(dir, ['cat-file', '--batch-check'], ids.map((x) => x.id).join('\n') + '\n').split('\n');
  const missing = ids.filter((_, i) => check[i]?.endsWith(' missing')).map((x) => x.path);
  // Quiet: git warns about the absent blobs while it writes the index; the checkout itself succeeds.
  const quiet = (args) => execFileSync('git', ['-C', dir, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (missing.length > 0) quiet(['sparse-checkout', 'set', '--no-cone', '/*', ...missing.map((p) => `!/${p}`)]);
  const config = { 'user.name': 'bench', 'user.email': 'bench@example.invalid', 'core.autocrlf': 'false' };
  for (const [k, v] of Object.entries(config)) git(dir, ['config', k, v]);
  quiet(['checkout', '-q', '-B', 'work', repo.commit]);
  git(dir, ['branch', '-f', 'base', `${repo.commit}~20`]);
  return { dir, missing };
}

function runCli(dir, args) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, '--ref', 'base', '--no-save', ...args], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: { ...process.env, NO_COLOR: '1', TZ: 'UTC', LC_ALL: 'C' },
  });
  const ms = Math.round(performance.now() - t0);
  let json = null;
  try {
    json = JSON.parse(r.stdout);
  } catch {}
  return { code: r.status, json, stderr: r.stderr.trim(), ms };
}

/** Everything a scenario's figures read: the clone, the handoff outputs, git facts and the trees. */
function context(repo, dir) {
  const ctx = { repo, dir, git: (...a) => git(dir, a), timings: {} };
  ctx.status = git(dir, ['status', '--porcelain']).split('\n').filter(Boolean);
  ctx.localPaths = new Set(
    git(dir, ['status', '--porcelain', '-z', '--untracked-files=all'])
      .split('\0')
      .reduce(
        (acc, e) => {
          if (!e || acc.skip) return { ...acc, skip: false };
          acc.list.push(e.slice(3));
          return { list: acc.list, skip: e[0] === 'R' || e[0] === 'C' };
        },
        { list: [], skip: false },
      ).list,
  );
  ctx.branchPaths = new Set(git(dir, ['diff', '--name-only', '-z', 'base', 'HEAD']).split('\0').filter(Boolean));
  const nameStatus = git(dir, ['diff', '-M', '--name-status', '-z', 'base']).split('\0').filter(Boolean);
  const changed = new Set();
  for (let i = 0; i < nameStatus.length; i++) {
    const s = nameStatus[i];
    if (s.startsWith('R') || s.startsWith('C')) {
      changed.add(nameStatus[i + 2]);
      i += 2;
    } else changed.add(nameStatus[++i]);
  }
  const untracked = git(dir, ['ls-files', '-z', '--others', '--exclude-standard']).split('\0');
  for (const f of untracked.filter(Boolean)) changed.add(f);
  ctx.changedPaths = changed;
  rmSync(join(dir, '.codemap'), { recursive: true, force: true });
  const cold = runCli(dir, ['--json']);
  const warm = runCli(dir, ['--json']);
  if (cold.code !== 0 || !cold.json) {
    throw new Error(`${repo.name}: handoff --json exited ${cold.code}: ${cold.stderr}`);
  }
  ctx.timings = { cold_ms: cold.ms, warm_ms: warm.ms };
  ctx.main = cold.json;
  const details = new Map();
  ctx.detail = (path) => {
    if (!details.has(path)) {
      const r = runCli(dir, ['--json', '--detail', path]);
      details.set(path, { code: r.code, json: r.json, stderr: r.stderr });
    }
    return details.get(path);
  };
  let work, base;
  ctx.work = () => (work ??= workTree(dir));
  ctx.base = () => (base ??= commitTree(dir, 'base'));
  return ctx;
}

function runRepo(repo) {
  const src = sourceOf(repo);
  if (!src) return { name: repo.name, skipped: `no clone found (give --mirrors or --repo ${repo.name}=<path>)` };
  const t0 = performance.now();
  const { dir, missing } = prepare(repo, src);
  repo.setup({
    dir,
    git: (...a) => git(dir, a),
    write: (p, s) => writeFileSync(join(dir, p), s),
    append: (p, s) => appendFileSync(join(dir, p), s),
    rm: (p) => rmSync(join(dir, p)),
  });
  const ctx = context(repo, dir);
  const figures = [];
  for (const f of repo.figures) {
    try {
      figures.push({ id: f.id, figure: f.figure, ...f.measure(ctx) });
    } catch (e) {
      figures.push({ id: f.id, figure: f.figure, truth: null, handoff: null, note: `error: ${e.message}` });
    }
  }
  const result = {
    name: repo.name,
    slug: repo.slug,
    commit: repo.commit,
    base: git(dir, ['rev-parse', 'base']).trim(),
    files_missing_from_source: missing,
    handoff_file_count: ctx.main.prefix.file_count,
    timings: { ...ctx.timings, total_ms: Math.round(performance.now() - t0) },
    figures,
  };
  if (!values.keep) rmSync(dir, { recursive: true, force: true });
  return result;
}

const show = (v) => (v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));

function printTable(r) {
  if (r.skipped) return console.log(`\n## ${r.name}: skipped — ${r.skipped}\n`);
  const t = r.timings;
  console.log(
    `\n## ${r.name} ${r.commit.slice(0, 12)} (base ${r.base.slice(0, 12)}, ${r.handoff_file_count} files; ` +
      `cold ${t.cold_ms} ms, warm ${t.warm_ms} ms)`,
  );
  const verdict = (f) => (f.match === undefined ? '' : f.match ? 'ok' : 'DIFF');
  const rows = r.figures.map((f) => [f.id, f.figure, show(f.truth), show(f.handoff), verdict(f)]);
  const head = ['id', 'figure', 'truth', 'handoff', ''];
  const w = head.map((h, i) => Math.min(70, Math.max(h.length, ...rows.map((x) => x[i].length))));
  const line = (c) => c.map((x, i) => (x.length > w[i] ? `${x.slice(0, w[i] - 1)}…` : x.padEnd(w[i]))).join(' | ');
  console.log(line(['id', 'figure', 'truth', 'handoff', '']));
  console.log(w.map((n) => '-'.repeat(n)).join('-|-'));
  for (const row of rows) console.log(line(row));
}

const started = performance.now();
const results = [];
for (const repo of REPOS) {
  if (only && !only.has(repo.name)) continue;
  let r;
  try {
    r = runRepo(repo);
  } catch (e) {
    // One repository failing (a missing commit, a CLI crash) must not hide the others' figures.
    r = { name: repo.name, skipped: `error: ${e.message.split('\n')[0]}` };
    process.exitCode = 1;
  }
  printTable(r);
  results.push(r);
}
const handoffVersion = spawnSync(process.execPath, [cli, '--version'], { encoding: 'utf8' }).stdout.trim();
let cliCommit = null;
try {
  const args = ['-C', dirname(cli), 'describe', '--always', '--dirty', '--abbrev=12'];
  cliCommit = execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
} catch {}
const doc = {
  cli: values.cli,
  cli_commit: cliCommit,
  handoff_version: handoffVersion,
  node: process.version,
  total_ms: Math.round(performance.now() - started),
  repos: results,
};
if (values.out) writeFileSync(values.out, JSON.stringify(doc, null, 2) + '\n');
console.log(`\ntotal ${(doc.total_ms / 1000).toFixed(1)} s${values.out ? `, results in ${values.out}` : ''}`);
