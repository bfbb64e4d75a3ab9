// Builds the large, deterministic git repositories `npm run bench` measures against,
// and caches them under bench/.fixtures/<size>/ between runs. Files are generated in
// memory and streamed into one `git fast-import` (one pack, as in a real clone) instead
// of spawning git per file; a feature branch then carries committed, staged, unstaged
// and untracked work so the CLI has a real delta to report.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bump whenever the builder's output changes: cached fixtures with another version are rebuilt. */
export const FIXTURE_FORMAT = 1;

/** Seconds since the epoch of the base commit; each feature commit adds a minute. */
export const FIXTURE_EPOCH = 1_700_000_000;

export const DEFAULT_FIXTURE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '.fixtures');

const GIT_IDENTITY = [
  '-c',
  'user.name=Bench Fixture',
  '-c',
  'user.email=bench@example.com',
  '-c',
  'commit.gpgSign=false',
  '-c',
  'gc.auto=0',
  '-c',
  'core.autocrlf=false',
];

/**
 * The environment every fixture and benchmark git call runs with: no GIT_* leaking in
 * from a calling hook, no system or global config (so the numbers do not depend on the
 * machine's git settings), and a fixed locale and time zone.
 */
export function benchGitEnv(extra = {}) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('GIT_')) delete env[key];
  return { ...env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', LC_ALL: 'C', TZ: 'UTC', ...extra };
}

function dateEnv(minute) {
  const date = `${FIXTURE_EPOCH + minute * 60} +0000`;
  return benchGitEnv({ GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
}

function git(cwd, args, { minute = 0, okCodes = [] } = {}) {
  const result = spawnSync('git', [...GIT_IDENTITY, ...args], {
    cwd,
    env: dateEnv(minute),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (result.error) throw new Error(`git ${args[0]}: ${result.error.message}`);
  if (result.status !== 0 && !okCodes.includes(result.status)) {
    throw new Error(`git ${args.join(' ')} exited ${result.status}: ${result.stderr.trim()}`);
  }
  return result.stdout;
}

// ---------------------------------------------------------------------------------
// Deterministic content

function mulberry32(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'account',
  'active',
  'audit',
  'batch',
  'billing',
  'buffer',
  'cache',
  'channel',
  'checkout',
  'client',
  'cluster',
  'config',
  'cursor',
  'digest',
  'draft',
  'event',
  'export',
  'feature',
  'filter',
  'flag',
  'graph',
  'index',
  'invoice',
  'job',
  'ledger',
  'limit',
  'lookup',
  'member',
  'merge',
  'metric',
  'order',
  'page',
  'payload',
  'policy',
  'profile',
  'query',
  'quota',
  'record',
  'region',
  'report',
  'route',
  'schema',
  'search',
  'session',
  'shard',
  'signal',
  'snapshot',
  'source',
  'stream',
  'task',
  'tenant',
  'token',
  'trace',
  'upload',
  'user',
  'vault',
  'window',
  'worker',
];
const NOUNS = [
  'Service',
  'Store',
  'Handler',
  'Client',
  'Parser',
  'Builder',
  'Mapper',
  'Reducer',
  'Validator',
  'Adapter',
  'Factory',
  'Queue',
  'Router',
  'Loader',
  'Writer',
  'Reader',
];
const FEATURES = [
  'auth',
  'billing',
  'cache',
  'cli',
  'config',
  'db',
  'events',
  'http',
  'jobs',
  'metrics',
  'parser',
  'render',
  'router',
  'search',
  'storage',
  'sync',
  'ui',
  'users',
  'validate',
  'workers',
];

const capitalize = (s) => s[0].toUpperCase() + s.slice(1);

class Layout {
  constructor(fileCount) {
    this.rng = mulberry32(0x5eed ^ fileCount);
    /** Tracked files of the base commit, in generation order: { path, content }. */
    this.files = [];
    /** Candidates for the feature branch, by kind. */
    this.pools = { tsLeaf: [], tsHub: [], py: [], go: [], md: [], json: [] };
  }

  pick(list) {
    return list[Math.floor(this.rng() * list.length)];
  }

  chance(p) {
    return this.rng() < p;
  }

  int(lo, hi) {
    return lo + Math.floor(this.rng() * (hi - lo + 1));
  }

  add(path, content, pool) {
    this.files.push({ path, content });
    if (pool) this.pools[pool].push(path);
  }
}

/** Plans every tracked file of the base commit; exactly `fileCount` of them. */
export function planFixture(fileCount) {
  const n = Math.max(200, Math.floor(fileCount));
  const layout = new Layout(n);
  const nBin = Math.max(3, Math.floor(n / 1000));
  const nMd = Math.floor(n * 0.05);
  const nJson = Math.floor(n * 0.03);
  const nGo = Math.floor(n * 0.08);
  const nPy = Math.floor(n * 0.12);
  const rootFiles = 5; // README.md, .gitignore, package.json, tsconfig.json, go.mod
  const nTs = n - rootFiles - nBin - nMd - nJson - nGo - nPy;
  const perPackage = 100;
  const packages = Math.max(2, Math.ceil(nTs / perPackage));

  layout.add('.gitignore', 'node_modules/\ndist/\n*.log\n.env\n');
  layout.add('README.md', markdownDoc(layout, 'Fixture monorepo', ['docs/overview.md']));
  layout.add(
    'package.json',
    `${JSON.stringify({ name: 'fixture-monorepo', private: true, workspaces: ['packages/*'] }, null, 2)}\n`,
  );
  layout.add(
    'tsconfig.json',
    `${JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext' } }, null, 2)}\n`,
  );
  layout.add('go.mod', 'module example.com/fixture\n\ngo 1.21\n');

  // Per-package READMEs and manifests come out of the markdown and JSON budgets.
  let mdLeft = nMd;
  let jsonLeft = nJson;
  let tsLeft = nTs;
  for (let p = 0; p < packages; p += 1) {
    const count = p === packages - 1 ? tsLeft : Math.min(perPackage, tsLeft);
    tsLeft -= count;
    planTsPackage(layout, p, count);
    if (mdLeft > nMd / 2) {
      layout.add(
        `packages/pkg${p}/README.md`,
        markdownDoc(layout, `pkg${p}`, [`../pkg${(p + 1) % packages}/README.md`]),
        'md',
      );
      mdLeft -= 1;
    }
    if (jsonLeft > nJson / 3) {
      const manifest = {
        name: `@fixture/pkg${p}`,
        version: '1.0.0',
        type: 'module',
        main: 'dist/index.js',
        dependencies: p > 0 ? { '@fixture/pkg0': '1.0.0' } : {},
      };
      layout.add(`packages/pkg${p}/package.json`, `${JSON.stringify(manifest, null, 2)}\n`, 'json');
      jsonLeft -= 1;
    }
  }
  for (let i = 0; i < mdLeft; i += 1) {
    const area = FEATURES[i % FEATURES.length];
    const path = i === 0 ? 'docs/overview.md' : `docs/${area}/${WORDS[i % WORDS.length]}-${i}.md`;
    layout.add(path, markdownDoc(layout, `${area} ${i}`, [`../${FEATURES[(i + 1) % FEATURES.length]}/index.md`]), 'md');
  }
  for (let i = 0; i < jsonLeft; i += 1) {
    const data = {
      id: i,
      region: layout.pick(WORDS),
      limits: { rps: layout.int(10, 900), burst: layout.int(1, 99) },
      enabled: layout.chance(0.5),
    };
    layout.add(
      `config/${FEATURES[i % FEATURES.length]}/${WORDS[i % WORDS.length]}-${i}.json`,
      `${JSON.stringify(data, null, 2)}\n`,
      'json',
    );
  }
  planPython(layout, nPy);
  planGo(layout, nGo);
  for (let i = 0; i < nBin; i += 1) {
    const ext = i % 3 === 0 ? 'bin' : 'png';
    layout.add(`assets/${i % 3 === 0 ? 'data' : 'images'}/blob-${i}.${ext}`, binaryBlob(layout, i));
  }
  if (layout.files.length !== n) throw new Error(`fixture planner made ${layout.files.length} files, wanted ${n}`);
  return layout;
}

function planTsPackage(layout, p, count) {
  const esm = p % 2 === 0; // even packages write `./x.js` specifiers, odd ones extensionless
  const spec = (rel) => (esm ? `${rel}.js` : rel);
  const root = `packages/pkg${p}/src`;
  const hubs = ['index', 'types', 'util/log', 'util/assert'].slice(0, Math.min(4, count));
  const leafCount = count - hubs.length;
  const features = [];
  for (let left = leafCount, f = 0; left > 0; f += 1) {
    const size = Math.min(left, 14);
    const name =
      f < FEATURES.length ? FEATURES[f] : `${FEATURES[f % FEATURES.length]}${Math.floor(f / FEATURES.length)}`;
    const noun = NOUNS[f % NOUNS.length];
    const used = new Set();
    const files = [];
    for (let j = 0; j < size; j += 1) {
      let base = `${layout.pick(WORDS)}${noun}`;
      if (used.has(base)) base = `${base}${j}`;
      used.add(base);
      files.push({ base, ext: name === 'ui' && j > 0 ? 'tsx' : 'ts', symbol: base[0].toLowerCase() + base.slice(1) });
    }
    features.push({ name, files });
    left -= size;
  }

  if (hubs.includes('index')) {
    const lines = ['// Public surface of the package.'];
    for (const f of features) lines.push(`export * from '${spec(`./${f.name}/${f.files[0].base}`)}';`);
    if (hubs.includes('types')) lines.push(`export type { Options, Result } from '${spec('./types')}';`);
    layout.add(`${root}/index.ts`, `${lines.join('\n')}\n`, 'tsHub');
  }
  if (hubs.includes('types')) {
    layout.add(`${root}/types.ts`, tsTypes(layout), 'tsHub');
  }
  if (hubs.includes('util/log')) {
    layout.add(`${root}/util/log.ts`, tsBody(layout, 'log', ["import { format } from 'node:util';"]), 'tsHub');
  }
  if (hubs.includes('util/assert')) {
    layout.add(
      `${root}/util/assert.ts`,
      tsBody(layout, 'assert', [`import { log } from '${spec('./log')}';`]),
      'tsHub',
    );
  }

  for (const feature of features) {
    feature.files.forEach((file, j) => {
      const imports = [];
      if (layout.chance(0.2)) imports.push("import { readFile } from 'node:fs/promises';");
      if (layout.chance(0.1)) imports.push("import { z } from 'zod';");
      if (j > 0 && layout.chance(0.7))
        imports.push(`import { ${feature.files[0].symbol} } from '${spec(`./${feature.files[0].base}`)}';`);
      for (let k = 0, extra = layout.int(0, 2); k < extra && j > 1; k += 1) {
        const other = feature.files[layout.int(1, j - 1)];
        const line = `import { ${other.symbol} } from '${spec(`./${other.base}`)}';`;
        if (!imports.includes(line)) imports.push(line);
      }
      if (hubs.includes('util/log') && layout.chance(0.5))
        imports.push(`import { log } from '${spec('../util/log')}';`);
      if (hubs.includes('util/assert') && layout.chance(0.25))
        imports.push(`import { assert } from '${spec('../util/assert')}';`);
      if (hubs.includes('types') && layout.chance(0.4))
        imports.push(`import type { Options } from '${spec('../types')}';`);
      if (features.length > 1 && layout.chance(0.1)) {
        const other = layout.pick(features);
        if (other !== feature)
          imports.push(
            `import { ${other.files[0].symbol} as peer } from '${spec(`../${other.name}/${other.files[0].base}`)}';`,
          );
      }
      if (p > 0 && layout.chance(0.08)) imports.push(`import * as core from '${spec('../../../pkg0/src/index')}';`);
      if (p > 0 && layout.chance(0.05)) imports.push("import { log as coreLog } from '@fixture/pkg0';");
      const content = file.ext === 'tsx' ? tsxBody(layout, file.symbol, imports) : tsBody(layout, file.symbol, imports);
      layout.add(`${root}/${feature.name}/${file.base}.${file.ext}`, content, j === 0 ? 'tsHub' : 'tsLeaf');
    });
  }
}

function tsTypes(layout) {
  const fields = Array.from(
    { length: layout.int(3, 8) },
    (_, i) => `  ${layout.pick(WORDS)}${i}?: ${layout.pick(['string', 'number', 'boolean', 'string[]'])};`,
  );
  return `export interface Options {\n${fields.join('\n')}\n}\n\nexport interface Result {\n  ok: boolean;\n  count: number;\n  errors: string[];\n}\n`;
}

function tsBody(layout, symbol, imports) {
  const name = capitalize(symbol);
  const lines = [`// ${name}: generated fixture module.`, ...imports, ''];
  lines.push(`export interface ${name}Input {`);
  for (let i = 0, n = layout.int(2, 6); i < n; i += 1)
    lines.push(`  ${layout.pick(WORDS)}${i}: ${layout.pick(['string', 'number', 'boolean', 'readonly string[]'])};`);
  lines.push('}', '');
  lines.push(`export function ${symbol}(input: ${name}Input, limit = ${layout.int(2, 500)}): number {`);
  lines.push('  let total = 0;');
  lines.push('  for (let i = 0; i < limit; i += 1) {');
  lines.push(`    if (i % ${layout.int(2, 9)} === 0) continue;`);
  lines.push(`    total += i * ${layout.int(1, 97)};`);
  lines.push('  }');
  lines.push(`  return total + Object.keys(input).length;`);
  lines.push('}', '');
  for (let m = 0, methods = layout.int(1, 4); m < methods; m += 1) {
    const fn = `${layout.pick(WORDS)}${capitalize(layout.pick(WORDS))}${m}`;
    lines.push(`export async function ${fn}(ids: readonly string[]): Promise<Map<string, number>> {`);
    lines.push('  const out = new Map<string, number>();');
    lines.push(`  for (const id of ids) out.set(id, id.length * ${layout.int(1, 50)});`);
    lines.push('  return out;');
    lines.push('}', '');
  }
  return `${lines.join('\n')}`;
}

function tsxBody(layout, symbol, imports) {
  const name = capitalize(symbol);
  return [
    `// ${name}: generated fixture component.`,
    ...imports,
    '',
    `export interface ${name}Props {`,
    '  title: string;',
    '  items: readonly string[];',
    '}',
    '',
    `export function ${symbol}({ title, items }: ${name}Props) {`,
    '  return (',
    `    <section className="${symbol}">`,
    '      <h2>{title}</h2>',
    '      <ul>{items.map((item) => <li key={item}>{item}</li>)}</ul>',
    '    </section>',
    '  );',
    '}',
    '',
  ].join('\n');
}

function planPython(layout, count) {
  const perPackage = 30;
  const packages = Math.max(1, Math.ceil(count / perPackage));
  let left = count;
  for (let s = 0; s < packages && left > 0; s += 1) {
    const size = s === packages - 1 ? left : Math.min(perPackage, left);
    left -= size;
    const root = `python/svc${s}`;
    const modules = [];
    for (let j = 0; j < size; j += 1) {
      const name = j === 0 ? '__init__' : j === 1 ? 'models' : j === 2 ? 'utils' : `${layout.pick(WORDS)}_${j}`;
      const imports = ['import os', 'import json'];
      if (j >= 2) imports.push('from .models import Model');
      if (j >= 3) imports.push('from .utils import helper');
      if (j >= 4 && layout.chance(0.6))
        imports.push(`from . import ${layout.pick(modules.slice(3).length ? modules.slice(3) : ['utils'])}`);
      if (s > 0 && layout.chance(0.15)) imports.push('from svc0.models import Model as BaseModel');
      if (j === 0) imports.length = 0;
      const body =
        j === 0
          ? `"""svc${s}: generated fixture package."""\n`
          : `${imports.join('\n')}\n\n\nclass ${capitalize(name.replace(/_\d+$/, ''))}${j}:\n    """Generated fixture class."""\n\n    def __init__(self, name: str) -> None:\n        self.name = name\n        self.limit = ${layout.int(1, 900)}\n\n    def run(self, items: list[str]) -> int:\n        total = 0\n        for item in items:\n            total += len(item) * ${layout.int(1, 40)}\n        return total\n\n\ndef ${name.replace(/_\d+$/, '')}_${j}(path: str) -> dict:\n    return json.loads(os.environ.get(path, "{}"))\n`;
      layout.add(`${root}/${name}.py`, body, j >= 3 ? 'py' : undefined);
      modules.push(name);
    }
  }
}

function planGo(layout, count) {
  const perPackage = 20;
  const packages = Math.max(1, Math.ceil(count / perPackage));
  let left = count;
  for (let g = 0; g < packages && left > 0; g += 1) {
    const size = g === packages - 1 ? left : Math.min(perPackage, left);
    left -= size;
    const pkg = `${FEATURES[g % FEATURES.length]}${g}`;
    for (let j = 0; j < size; j += 1) {
      const imports = ['"fmt"', '"strings"'];
      if (g > 0 && layout.chance(0.5)) imports.push(`"example.com/fixture/go/internal/${FEATURES[0]}0"`);
      if (g > 1 && layout.chance(0.3))
        imports.push(`"example.com/fixture/go/internal/${FEATURES[(g - 1) % FEATURES.length]}${g - 1}"`);
      const fn = `${capitalize(layout.pick(WORDS))}${j}`;
      const uses = imports
        .slice(2)
        .map((imp) => `\t_ = ${imp.slice(imp.lastIndexOf('/') + 1, -1)}.Version\n`)
        .join('');
      const body = `// Package ${pkg} is a generated fixture package.\npackage ${pkg}\n\nimport (\n\t${imports.join('\n\t')}\n)\n\n${j === 0 ? 'const Version = "1.0.0"\n\n' : ''}// ${fn} is a generated function.\nfunc ${fn}(items []string) string {\n${uses}\tvar b strings.Builder\n\tfor i, item := range items {\n\t\tfmt.Fprintf(&b, "%d=%s;", i*${layout.int(1, 60)}, item)\n\t}\n\treturn b.String()\n}\n`;
      layout.add(
        `go/internal/${pkg}/${j === 0 ? 'doc' : `${layout.pick(WORDS)}_${j}`}.go`,
        body,
        j > 0 ? 'go' : undefined,
      );
    }
  }
}

function markdownDoc(layout, title, links) {
  const paras = Array.from({ length: layout.int(2, 5) }, () =>
    Array.from({ length: layout.int(12, 40) }, () => layout.pick(WORDS)).join(' '),
  );
  return `# ${title}\n\n${paras.join('\n\n')}\n\nSee also: ${links.map((l) => `[${l}](${l})`).join(', ')}.\n`;
}

function binaryBlob(layout, i) {
  const size = layout.int(512, 8192);
  const bytes = Buffer.alloc(size);
  const header =
    i % 3 === 0
      ? Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0])
      : Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  header.copy(bytes);
  for (let k = header.length; k < size; k += 1) bytes[k] = layout.chance(0.3) ? 0 : Math.floor(layout.rng() * 256);
  return bytes;
}

// ---------------------------------------------------------------------------------
// Writing the repository

async function fastImport(dir, files) {
  const child = spawn('git', [...GIT_IDENTITY, 'fast-import', '--quiet', '--done', '--date-format=raw'], {
    cwd: dir,
    env: dateEnv(0),
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  const stderr = [];
  child.stderr.on('data', (c) => stderr.push(c));
  const closed = new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`git fast-import exited ${code}: ${Buffer.concat(stderr).toString().trim()}`)),
    );
  });
  const write = (chunk) =>
    child.stdin.write(chunk) ? Promise.resolve() : new Promise((r) => child.stdin.once('drain', r));
  const who = `Bench Fixture <bench@example.com> ${FIXTURE_EPOCH} +0000`;
  const message = 'Initial import of the fixture monorepo\n';
  await write(
    `commit refs/heads/main\nauthor ${who}\ncommitter ${who}\ndata ${Buffer.byteLength(message)}\n${message}`,
  );
  let batch = [];
  let batchBytes = 0;
  for (const { path, content } of files) {
    const body = Buffer.isBuffer(content) ? content : Buffer.from(content);
    batch.push(Buffer.from(`M 100644 inline ${path}\ndata ${body.length}\n`), body, Buffer.from('\n'));
    batchBytes += body.length + path.length + 32;
    if (batchBytes > 1 << 20) {
      await write(Buffer.concat(batch));
      batch = [];
      batchBytes = 0;
    }
  }
  batch.push(Buffer.from('\ndone\n'));
  await write(Buffer.concat(batch));
  child.stdin.end();
  await closed;
}

function writeFile(dir, path, content) {
  const full = join(dir, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, content);
}

function appendEdit(dir, path, tag) {
  const full = join(dir, path);
  const old = readFileSync(full, 'utf8');
  const line = path.endsWith('.py')
    ? `\n# edit: ${tag}\nEDITED_${tag.replace(/\W/g, '_').toUpperCase()} = True\n`
    : path.endsWith('.md')
      ? `\n## Update (${tag})\n\nEdited on the feature branch.\n`
      : path.endsWith('.json')
        ? null
        : path.endsWith('.go')
          ? `\n// edit: ${tag}\nvar edited${tag.replace(/\W/g, '')} = true\n`
          : `\n// edit: ${tag}\nexport const edited${tag.replace(/\W/g, '')} = ${tag.length};\n`;
  if (line === null) {
    const data = JSON.parse(old);
    data.edited = tag;
    writeFileSync(full, `${JSON.stringify(data, null, 2)}\n`);
  } else {
    writeFileSync(full, old + line);
  }
}

function newTsModule(name, imports) {
  return `// ${name}: added on the feature branch.\n${imports.join('\n')}\n\nexport function ${name}(values: readonly number[]): number {\n  return values.reduce((sum, v) => sum + v, 0);\n}\n`;
}

/** Takes `count` distinct paths from a pool, spread over it, never reusing one. */
function takeFrom(pool, count, used) {
  const out = [];
  const stride = Math.max(1, Math.floor(pool.length / (count + 1)));
  for (
    let i = stride, tries = 0;
    out.length < count && tries < pool.length * 2;
    i = (i + stride + 1) % pool.length, tries += 1
  ) {
    const path = pool[i];
    if (!used.has(path)) {
      used.add(path);
      out.push(path);
    }
  }
  if (out.length < count) throw new Error(`fixture pool too small for ${count} changes`);
  return out;
}

/**
 * The work in progress on branch `feature`: two commits (modified, added, one rename,
 * one deletion), then staged, unstaged and untracked changes. Returns what it did.
 */
function buildFeatureBranch(dir, layout) {
  const used = new Set();
  const { pools } = layout;
  const hub0 = 'packages/pkg0/src/index.ts';
  const hub1 = 'packages/pkg1/src/util/log.ts';
  used.add(hub0).add(hub1);
  const counts = { committed: 0, staged: 0, unstaged: 0, untracked: 0 };
  const stage = (paths, minute, message) => {
    git(dir, ['add', '-A', '--', ...paths]);
    if (message) git(dir, ['commit', '-q', '-m', message], { minute });
  };

  git(dir, ['checkout', '-q', '-b', 'feature']);

  // Commit 1: 11 modified, 4 added, 1 renamed, 1 deleted.
  const modified1 = [
    hub0,
    hub1,
    ...takeFrom(pools.tsLeaf, 5, used),
    ...takeFrom(pools.py, 1, used),
    ...takeFrom(pools.go, 1, used),
    ...takeFrom(pools.md, 1, used),
    ...takeFrom(pools.json, 1, used),
  ];
  modified1.forEach((p, i) => appendEdit(dir, p, `c1m${i}`));
  const pipeline = 'packages/pkg1/src/pipeline';
  const added1 = [
    `${pipeline}/planStage.ts`,
    `${pipeline}/runStage.ts`,
    `${pipeline}/index.ts`,
    'python/svc0/pipeline_hooks.py',
  ];
  writeFile(dir, added1[0], newTsModule('planStage', ["import { log } from '../util/log';"]));
  writeFile(
    dir,
    added1[1],
    newTsModule('runStage', ["import { planStage } from './planStage';", "import { log } from '../util/log';"]),
  );
  writeFile(dir, added1[2], "export * from './planStage';\nexport * from './runStage';\n");
  writeFile(dir, added1[3], 'from .models import Model\n\n\ndef on_stage(model: Model) -> None:\n    print(model)\n');
  const [renameFrom] = takeFrom(pools.tsLeaf, 1, used);
  const renameTo = renameFrom.replace(/\/([^/]+)\.(tsx?)$/, '/renamed-$1.$2');
  renameSync(join(dir, renameFrom), join(dir, renameTo));
  const [deleted1] = takeFrom(pools.md, 1, used);
  unlinkSync(join(dir, deleted1));
  stage([...modified1, ...added1, renameFrom, renameTo, deleted1], 1, 'feature: add the stage pipeline');
  counts.committed += modified1.length + added1.length + 2;

  // Commit 2: 3 modified, 1 added.
  const modified2 = takeFrom(pools.tsLeaf, 3, used);
  modified2.forEach((p, i) => appendEdit(dir, p, `c2m${i}`));
  const added2 = `${pipeline}/retryStage.ts`;
  writeFile(dir, added2, newTsModule('retryStage', ["import { runStage } from './runStage';"]));
  stage([...modified2, added2], 2, 'feature: retry failed stages');
  counts.committed += modified2.length + 1;

  // Staged: 6 modified, 3 added, 1 deleted.
  const stagedMod = [...takeFrom(pools.tsLeaf, 5, used), ...takeFrom(pools.py, 1, used)];
  stagedMod.forEach((p, i) => appendEdit(dir, p, `s${i}`));
  const stagedAdd = [`${pipeline}/cancelStage.ts`, `${pipeline}/stageTypes.ts`, 'go/internal/auth0/pipeline_gate.go'];
  writeFile(
    dir,
    stagedAdd[0],
    newTsModule('cancelStage', ["import { runStage } from './runStage';", "import type { Options } from '../types';"]),
  );
  writeFile(dir, stagedAdd[1], 'export interface Stage {\n  name: string;\n  attempts: number;\n}\n');
  writeFile(
    dir,
    stagedAdd[2],
    'package auth0\n\n// PipelineGate is added on the feature branch.\nfunc PipelineGate() bool { return true }\n',
  );
  const [stagedDel] = takeFrom(pools.tsLeaf, 1, used);
  unlinkSync(join(dir, stagedDel));
  stage([...stagedMod, ...stagedAdd, stagedDel]);
  counts.staged += stagedMod.length + stagedAdd.length + 1;

  // Unstaged: 8 modified, 1 modified on top of a staged change, 1 deleted.
  const unstagedMod = [
    ...takeFrom(pools.tsLeaf, 5, used),
    ...takeFrom(pools.go, 2, used),
    ...takeFrom(pools.md, 1, used),
  ];
  unstagedMod.forEach((p, i) => appendEdit(dir, p, `u${i}`));
  appendEdit(dir, stagedMod[0], 'u-again');
  const [unstagedDel] = takeFrom(pools.tsLeaf, 1, used);
  unlinkSync(join(dir, unstagedDel));
  counts.unstaged += unstagedMod.length + 2;

  // Untracked: 10 new files, some in a new directory.
  const scratch = 'packages/pkg2/src/scratch';
  const untracked = [
    ...['probe', 'bisect', 'sample', 'replay', 'trace'].map((n) => [
      `${scratch}/${n}Scratch.ts`,
      newTsModule(`${n}Scratch`, ["import { log } from '../util/log.js';"]),
    ]),
    ...[0, 1, 2].map((i) => [
      `${pipeline}/draft${i}.ts`,
      newTsModule(`draft${i}`, ["import { planStage } from './planStage';"]),
    ]),
    ['NOTES.md', '# Notes\n\nWork in progress on the stage pipeline.\n'],
    ['config/pipeline.local.json', '{\n  "stages": 3\n}\n'],
  ];
  for (const [p, c] of untracked) writeFile(dir, p, c);
  counts.untracked += untracked.length;
  return counts;
}

/** Files git ignores: a node_modules tree, a build output and a log, never committed. */
function writeIgnored(dir, fileCount) {
  const libs = Math.min(250, Math.max(5, Math.floor(fileCount / 400)));
  for (let l = 0; l < libs; l += 1) {
    const lib = `node_modules/lib-${l}`;
    writeFile(dir, `${lib}/package.json`, `{"name":"lib-${l}","version":"1.0.${l}","main":"index.js"}\n`);
    for (let f = 0; f < 19; f += 1)
      writeFile(
        dir,
        `${lib}/${f === 0 ? 'index' : `lib/part${f}`}.js`,
        `module.exports = function part${f}(x) { return x + ${f}; };\n`,
      );
  }
  writeFile(dir, 'packages/pkg0/dist/index.js', 'export {};\n');
  writeFile(dir, 'debug.log', 'fixture log\n');
}

/** Waits until the wall clock is in a later second than `ms`. */
function sleepPastSecond(ms) {
  const until = (Math.floor(ms / 1000) + 1) * 1000 + 50;
  const wait = until - Date.now();
  if (wait > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, wait);
}

/**
 * Creates at `dir` (which must not exist or be empty) a repository of `fileCount`
 * tracked files on `main`, checked out on branch `feature` with work in progress.
 */
export async function buildFixture(dir, fileCount, { log = () => {} } = {}) {
  const started = Date.now();
  let lap = started;
  const phase = (name) => {
    const now = Date.now();
    log(`fixture ${fileCount}: ${name} ${((now - lap) / 1000).toFixed(1)} s`);
    lap = now;
  };
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q', '-b', 'main']);
  const layout = planFixture(fileCount);
  await fastImport(dir, layout.files);
  const paths = layout.files.length;
  const pools = layout.pools;
  layout.files = []; // let the contents go before the checkout
  phase('generate + fast-import');
  git(dir, ['reset', '-q', '--hard', 'main']);
  phase('checkout');
  writeIgnored(dir, fileCount);
  const changes = buildFeatureBranch(dir, { pools });
  phase('feature branch');
  // Files written in the same second as the index are "racily clean" and git re-reads
  // them on every diff; refresh the index once the clock has moved on, as a real
  // checkout that has sat for a moment would be.
  sleepPastSecond(Date.now());
  git(dir, ['update-index', '-q', '--refresh'], { okCodes: [1] });
  const head = git(dir, ['rev-parse', 'HEAD']).trim();
  return { files: paths, head, changes, build_ms: Date.now() - started };
}

/**
 * The cached fixture for `size` under `root` (bench/.fixtures by default), built when
 * missing, half-built, or made by another FIXTURE_FORMAT. The marker is written last.
 */
export async function ensureFixture(size, { root = DEFAULT_FIXTURE_ROOT, log = () => {} } = {}) {
  const home = join(root, String(size));
  const repo = join(home, 'repo');
  const markerPath = join(home, 'fixture.json');
  let marker = null;
  try {
    marker = JSON.parse(readFileSync(markerPath, 'utf8'));
  } catch {
    marker = null;
  }
  if (marker && marker.format === FIXTURE_FORMAT && marker.size === size && existsSync(join(repo, '.git'))) {
    const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: repo, env: benchGitEnv(), encoding: 'utf8' });
    if (head.status === 0 && head.stdout.trim() === marker.head) return { repo, base: 'main', built: false, ...marker };
    log(`fixture ${size}: HEAD moved, rebuilding`);
  }
  rmSync(home, { recursive: true, force: true });
  log(`fixture ${size}: building ${size} files in ${repo}`);
  const info = await buildFixture(repo, size, { log });
  const record = { format: FIXTURE_FORMAT, size, ...info };
  writeFileSync(markerPath, `${JSON.stringify(record, null, 2)}\n`);
  // Flush the new files now, so the first measurements do not compete with writeback.
  spawnSync('sync', [], { stdio: 'ignore' });
  return { repo, base: 'main', built: true, ...record };
}

// `node bench/fixture.mjs 10000 [dir]` builds one fixture by hand (into the cache by default).
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const size = Number(process.argv[2] ?? 1000);
  const dir = process.argv[3];
  const info = dir
    ? await buildFixture(dir, size, { log: (m) => console.error(m) })
    : await ensureFixture(size, { log: (m) => console.error(m) });
  console.log(JSON.stringify(info, null, 2));
}
