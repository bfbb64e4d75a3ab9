// The independent "truth" side of the real-repository figures: plain import parsers
// (Python, Go, TS/JS, Rust) over the files git lists, written without any handoff code,
// so a handoff figure can be checked against them. Deliberately simple and per-target.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';

export function git(dir, args, input) {
  return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, input });
}

/** Files of the working tree as git sees them: tracked (minus deleted) plus untracked, not ignored. */
export function workTree(dir) {
  const listed = git(dir, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']).split('\0');
  const files = [...new Set(listed.filter(Boolean))].filter((f) => existsSync(posix.join(dir, f))).sort();
  return { files, read: (f) => readFileSync(posix.join(dir, f), 'utf8') };
}

/** Files of a commit's tree, read through one `git cat-file --batch`. */
export function commitTree(dir, rev) {
  const files = git(dir, ['ls-tree', '-r', '-z', '--name-only', rev]).split('\0').filter(Boolean).sort();
  const cache = new Map();
  return {
    files,
    read(f) {
      if (!cache.has(f)) cache.set(f, git(dir, ['cat-file', 'blob', `${rev}:${f}`]));
      return cache.get(f);
    },
    /** Reads every file matching `test` in one batch (the per-file read is slow on big trees). */
    preload(test) {
      const wanted = files.filter(test);
      if (wanted.length === 0) return;
      const out = execFileSync('git', ['-C', dir, 'cat-file', '--batch'], {
        input: wanted.map((f) => `${rev}:${f}`).join('\n') + '\n',
        maxBuffer: 1 << 30,
      });
      let pos = 0;
      for (const f of wanted) {
        const nl = out.indexOf(10, pos);
        const size = Number(out.toString('latin1', pos, nl).split(' ')[2]);
        cache.set(f, out.toString('utf8', nl + 1, nl + 1 + size));
        pos = nl + 1 + size + 1;
      }
    },
  };
}

// ---------- Python: import statements with strings and comments blanked out ----------

/** Blanks Python string literals and comments (keeps newlines), so code inside test strings is not read. */
function stripPython(src) {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const triple = src.startsWith(c.repeat(3), i);
      const end = triple ? c.repeat(3) : c;
      i += end.length;
      while (i < src.length && !src.startsWith(end, i)) {
        if (src[i] === '\\') i++;
        else if (src[i] === '\n') {
          out += '\n';
          if (!triple) break;
        }
        i++;
      }
      i += end.length;
      out += '""';
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/**
 * Import statements, relative ones resolved from the file's package `pkgParts`:
 * `import a.b` → { base: 'a.b', names: null }; `from M import x, y` → { base: M, names: ['x', 'y'] }.
 */
export function pythonStatements(src, pkgParts) {
  const code = stripPython(src)
    .replace(/\\\n/g, ' ')
    .replace(/\(([^()]*)\)/g, (m) => m.replace(/\n/g, ' '));
  const out = [];
  for (const line of code.split('\n')) {
    let m = line.match(/^\s*import\s+(.+)$/);
    if (m) {
      for (const part of m[1].split(',')) out.push({ base: part.trim().split(/\s+/)[0], names: null });
      continue;
    }
    m = line.match(/^\s*from\s+(\.*)([\w.]*)\s+import\s+(.+)$/);
    if (!m) continue;
    let base = m[2];
    if (m[1].length > 0) {
      const up = pkgParts.slice(0, pkgParts.length - (m[1].length - 1));
      base = [...up, ...(m[2] ? m[2].split('.') : [])].join('.');
    }
    const names = m[3]
      .replace(/[()]/g, '')
      .split(',')
      .map((n) => n.trim().split(/\s+/)[0])
      .filter((n) => n && n !== '*');
    out.push({ base, names });
  }
  return out;
}

/** Modules each statement may load: `import a.b` → a.b; `from M import x` → M and M.x (x may be a submodule). */
export function pythonImports(src, pkgParts) {
  const mods = new Set();
  for (const { base, names } of pythonStatements(src, pkgParts)) {
    if (base) mods.add(base);
    for (const n of names ?? []) mods.add(base ? `${base}.${n}` : n);
  }
  return mods;
}

/** Dotted module name of `path` under one of `roots` ('' = repository root), or null. */
export function pythonModule(path, roots) {
  for (const root of roots) {
    const prefix = root ? `${root}/` : '';
    if (!path.startsWith(prefix)) continue;
    const parts = path.slice(prefix.length).replace(/\.py$/, '').split('/');
    if (parts.at(-1) === '__init__') parts.pop();
    return parts.join('.');
  }
  return null;
}

/** Python files that import `target` (a .py path), resolving relative imports from each file's package. */
export function pythonImporters(tree, target, roots) {
  const mod = pythonModule(target, roots);
  const out = [];
  for (const f of tree.files) {
    if (!f.endsWith('.py') || f === target) continue;
    const own = pythonModule(f, roots) ?? '';
    const pkg = own.split('.');
    if (!f.endsWith('__init__.py')) pkg.pop();
    if (pythonImports(tree.read(f), pkg).has(mod)) out.push(f);
  }
  return out;
}

// ---------- Go: import blocks against go.mod ----------

export function goImports(src) {
  const specs = [];
  for (const m of src.matchAll(/^import\s*\(([\s\S]*?)^\)/gm)) {
    for (const s of m[1].matchAll(/"([^"]+)"/g)) specs.push(s[1]);
  }
  for (const m of src.matchAll(/^import\s+(?:[\w.]+\s+)?"([^"]+)"/gm)) specs.push(m[1]);
  return specs;
}

/** Importer counts per package directory (files of the package's own directory included when they import it). */
export function goPackageImporters(tree) {
  const mod = tree.read('go.mod').match(/^module\s+(\S+)/m)[1];
  const byDir = new Map();
  for (const f of tree.files) {
    if (!f.endsWith('.go')) continue;
    for (const s of goImports(tree.read(f))) {
      if (!s.startsWith(`${mod}/`)) continue;
      const d = s.slice(mod.length + 1);
      if (!byDir.has(d)) byDir.set(d, new Set());
      byDir.get(d).add(f);
    }
  }
  return byDir;
}

// ---------- TS/JS: specifiers, relative resolution, explicit aliases ----------

const JS_FILE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs|svelte|vue)$/;
const SPEC_RES = [
  /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
  /\bimport\s*['"]([^'"]+)['"]/g,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\/\/\/\s*<reference\s+path=['"]([^'"]+)['"]/g,
];

const REGEX_BEFORE = new Set('(,=:[!&|?{};+-*%<>~^');

/**
 * Blanks comments and template literals (nested `${}` included) but keeps '…' and "…" strings,
 * so import-like text in comments, docs and code samples is not read as an import.
 * `/// <reference path>` lines are kept: TypeScript reads them.
 */
export function stripJs(src) {
  let out = '';
  let i = 0;
  let prev = '';
  const n = src.length;
  const skipTemplate = () => {
    // at the opening backtick; returns the index after the closing one
    i++;
    while (i < n && src[i] !== '`') {
      if (src[i] === '\\') i += 2;
      else if (src[i] === '$' && src[i + 1] === '{') {
        let depth = 1;
        i += 2;
        while (i < n && depth > 0) {
          const c = src[i];
          if (c === '`') skipTemplate();
          else if (c === "'" || c === '"') {
            const q = c;
            i++;
            while (i < n && src[i] !== q && src[i] !== '\n') i += src[i] === '\\' ? 2 : 1;
            i++;
          } else {
            if (c === '{') depth++;
            else if (c === '}') depth--;
            i++;
          }
        }
      } else i++;
    }
    i++;
  };
  while (i < n) {
    const c = src[i];
    if (c === '/' && src[i + 1] === '/') {
      const end = src.indexOf('\n', i);
      const line = src.slice(i, end < 0 ? n : end);
      if (/^\/\/\/\s*<reference\s/.test(line)) out += line;
      i = end < 0 ? n : end;
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      const body = src.slice(i, end < 0 ? n : end + 2);
      out += body.replace(/[^\n]/g, ' ');
      i = end < 0 ? n : end + 2;
      continue;
    }
    if (c === '`') {
      const start = i;
      skipTemplate();
      out += src.slice(start, i).replace(/[^\n]/g, ' ');
      prev = '`';
      continue;
    }
    if (c === "'" || c === '"') {
      const start = i;
      i++;
      while (i < n && src[i] !== c && src[i] !== '\n') i += src[i] === '\\' ? 2 : 1;
      i++;
      out += src.slice(start, i);
      prev = c;
      continue;
    }
    if (c === '/' && (prev === '' || REGEX_BEFORE.has(prev))) {
      const start = i;
      i++;
      let cls = false;
      while (i < n && src[i] !== '\n' && (cls || src[i] !== '/')) {
        if (src[i] === '\\') i++;
        else if (src[i] === '[') cls = true;
        else if (src[i] === ']') cls = false;
        i++;
      }
      i++;
      out += src.slice(start, i).replace(/[^\n]/g, ' ');
      prev = 'x';
      continue;
    }
    out += c;
    if (!/\s/.test(c)) prev = c;
    i++;
  }
  return out;
}

export function jsSpecifiers(src) {
  const code = stripJs(src);
  const out = new Set();
  for (const re of SPEC_RES) for (const m of code.matchAll(re)) out.add(m[1]);
  return out;
}

/** Whether relative specifier `spec` from `importer` names `target` (extension, .js→.ts and index rules). */
export function jsResolvesTo(importer, spec, target) {
  if (!spec.startsWith('.')) return false;
  const p = posix.normalize(posix.join(posix.dirname(importer), spec.replace(/[?#].*$/, '')));
  if (p === target) return true;
  const stem = target.replace(/\.d\.ts$/, '').replace(/\.[^./]+$/, '');
  if (p === stem) return true;
  if (p.replace(/\.(js|jsx|mjs|cjs)$/, '') === stem) return true;
  return posix.basename(stem) === 'index' && p === posix.dirname(stem);
}

/**
 * TS/JS files that import `target` relatively or through one of `aliases` (bare specifiers that
 * resolve to it: package.json "imports" keys, workspace package names — listed by the caller).
 */
export function jsImporters(tree, target, aliases = []) {
  const alias = new Set(aliases);
  const out = [];
  for (const f of tree.files) {
    if (!JS_FILE.test(f) || f === target) continue;
    const src = tree.read(f);
    for (const s of jsSpecifiers(src)) {
      if (alias.has(s) || jsResolvesTo(f, s, target)) {
        out.push(f);
        break;
      }
    }
  }
  return out;
}

// ---------- Rust: use trees expanded to paths ----------

/** Expands `a::{b, c::{d, e}}` into ['a::b', 'a::c::d', 'a::c::e']. */
export function expandUseTree(tree) {
  const t = tree.replace(/\s+/g, '');
  const open = t.indexOf('{');
  if (open < 0) return [t.replace(/as\w+$/, '')];
  const prefix = t.slice(0, open);
  const inner = t.slice(open + 1, t.lastIndexOf('}'));
  const parts = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= inner.length; i++) {
    const c = inner[i];
    if (c === '{') depth++;
    else if (c === '}') depth--;
    else if ((c === ',' || i === inner.length) && depth === 0) {
      if (i > start) parts.push(inner.slice(start, i));
      start = i + 1;
    }
  }
  return parts.flatMap((p) => expandUseTree(p).map((x) => (x === 'self' ? prefix.replace(/::$/, '') : prefix + x)));
}

/** Every path a Rust file names: `use` trees (expanded) and inline `a::b::c` paths. */
export function rustPaths(src) {
  const code = src.replace(/\/\/[^\n]*/g, '');
  const paths = [];
  for (const m of code.matchAll(/\buse\s+([^;]+);/g)) paths.push(...expandUseTree(m[1]));
  const inline = /(?<![\w:])((?:crate|super|self|[a-z_][a-z0-9_]*)(?:::[A-Za-z_][A-Za-z0-9_]*)+)/g;
  for (const m of code.matchAll(inline)) paths.push(m[1]);
  return paths;
}

/** Module path of a .rs file inside a crate whose root file (lib.rs/main.rs) sits in `srcDir`. */
function rustModPath(file, srcDir) {
  const parts = file
    .slice(srcDir.length + 1)
    .replace(/\.rs$/, '')
    .split('/');
  if (['mod', 'lib', 'main'].includes(parts.at(-1)) && (parts.at(-1) === 'mod' || parts.length === 1)) parts.pop();
  return parts;
}

/**
 * Files of the crate rooted at `srcDir` that name module file `target` through `crate::`,
 * `super::` or `self::` paths, plus the parent that declares `mod name;`.
 */
export function rustModuleImporters(tree, srcDir, target) {
  const want = rustModPath(target, srcDir).join('::');
  const out = [];
  for (const f of tree.files) {
    if (!f.startsWith(`${srcDir}/`) || !f.endsWith('.rs') || f === target) continue;
    const own = rustModPath(f, srcDir);
    const src = tree.read(f);
    const hit = rustPaths(src).some((p) => {
      let segs = p.split('::');
      let base;
      if (segs[0] === 'crate') {
        base = [];
        segs = segs.slice(1);
      } else if (segs[0] === 'self') {
        base = own;
        segs = segs.slice(1);
      } else if (segs[0] === 'super') {
        base = own;
        while (segs[0] === 'super') {
          base = base.slice(0, -1);
          segs = segs.slice(1);
        }
      } else return false;
      const full = [...base, ...segs].join('::');
      return full === want || full.startsWith(`${want}::`);
    });
    const parent = want.split('::').slice(0, -1).join('::');
    const name = want.split('::').at(-1);
    const decl = new RegExp(`^\\s*(pub(\\([^)]*\\))?\\s+)?mod\\s+${name}\\s*;`, 'm');
    const declares = own.join('::') === parent && decl.test(src);
    if (hit || declares) out.push(f);
  }
  return out;
}

/** Files outside `crateDir` that name crate `name` as the first segment of a path (`use grep::…`, `grep::x`). */
export function rustCrateImporters(tree, crateDir, name) {
  return tree.files.filter(
    (f) =>
      f.endsWith('.rs') &&
      !f.startsWith(`${crateDir}/`) &&
      rustPaths(tree.read(f)).some((p) => p.split('::')[0] === name),
  );
}
