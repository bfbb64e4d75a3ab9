// The six repositories of issue 8: pinned commit, the local work made on top of a base 20
// first-parent commits back, and the figures measured (truth side vs handoff side).
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import {
  goPackageImporters,
  jsImporters,
  pythonImporters,
  pythonModule,
  pythonStatements,
  rustCrateImporters,
  rustModuleImporters,
} from './truth.mjs';

const NOTE = '\n# handoff bench: local edit\n';
const JS_NOTE = '\n// handoff bench: local edit\n';
const TEST_PATH = new RegExp(
  [
    String.raw`(^|/)(tests?|testing|__tests__|spec|e2e)/`,
    String.raw`(^|/)test_[^/]*\.py$`,
    String.raw`_test\.(go|py)$`,
    String.raw`\.(test|spec)\.[cm]?[jt]sx?$`,
    String.raw`(^|/)conftest\.py$`,
  ].join('|'),
);
const DOCS_CI = /^(\.github|\.changeset|docs?|documentation|changelog)\/|\.(md|rst|txt|ya?ml)$/;

const sample = (list, n = 10) => (list.length > n ? [...list.slice(0, n), `… ${list.length - n} more`] : list);

/** Git's own status of each changed path, in handoff's status names (the truth for statuses). */
function gitStatusOf(ctx) {
  const out = new Map();
  for (const p of ctx.changedPaths) out.set(p, 'branch');
  for (const line of ctx.status) {
    const xy = line.slice(0, 2);
    let path = line.slice(3);
    if (path.includes(' -> ')) path = path.slice(path.indexOf(' -> ') + 4);
    path = path.replace(/^"|"$/g, '');
    if (xy === '??') out.set(path, 'untracked');
    else if (xy.includes('D')) out.set(path, 'deleted');
    else if (xy[0] === 'R') out.set(path, 'renamed');
    else out.set(path, xy[1] === 'M' ? 'modified' : 'staged');
  }
  return out;
}

/** Importer count of a changed file through `--detail --json`, with the truth importers it misses or adds. */
function importersFigure(id, figure, path, truth, extra = {}) {
  return {
    id,
    figure,
    measure(ctx) {
      const t = truth(ctx).sort();
      const d = ctx.detail(path);
      const risk = ctx.main.delta.risk_files.find((r) => r.path === path);
      if (d.code !== 0) {
        const note = `--detail exit ${d.code}: ${d.stderr}`;
        return { truth: t.length, handoff: risk ? risk.importers : null, match: false, note };
      }
      // Paths, or objects with a path, should a later schema enrich the list.
      const got = (d.json[extra.field ?? 'importers'] ?? []).map((x) => (typeof x === 'string' ? x : x.path));
      const branchOrLocal = t.filter((f) => ctx.changedPaths.has(f));
      const missed = t.filter((f) => !got.includes(f));
      const missedChanged = missed.filter((f) => ctx.changedPaths.has(f)).length;
      const byExt = {};
      for (const f of missed) {
        const ext = posix.extname(f) || '(none)';
        byExt[ext] = (byExt[ext] ?? 0) + 1;
      }
      return {
        truth: t.length,
        handoff: got.length,
        match: t.length === got.length && t.every((f) => got.includes(f)),
        risk_entry: risk ? `${risk.importers}: ${risk.reason}` : 'none',
        missing: sample(missed),
        missing_changed: missedChanged,
        missing_by_ext: byExt,
        extra: sample(got.filter((f) => !t.includes(f))),
        note:
          `${branchOrLocal.length} of the truth importers are changed files (${missedChanged} of them missed); ` +
          `risk entry: ${risk ? risk.importers : 'none'}`,
        ...extra,
      };
    },
  };
}

function commonFigures() {
  return [
    {
      id: 'changed',
      figure: 'changed files (delta.changed_total) vs git diff -M base + untracked',
      measure: (ctx) => {
        const total = ctx.main.delta.changed_total;
        return { truth: ctx.changedPaths.size, handoff: total, match: ctx.changedPaths.size === total };
      },
    },
    {
      id: 'statuses',
      figure: 'listed delta.changed entries whose status agrees with git status / git diff base',
      measure(ctx) {
        const statuses = gitStatusOf(ctx);
        const listed = ctx.main.delta.changed;
        const wrong = listed.filter((c) => statuses.get(c.path) !== c.status);
        return {
          truth: listed.length,
          handoff: listed.length - wrong.length,
          match: wrong.length === 0,
          note: wrong
            .slice(0, 5)
            .map((c) => `${c.path}: ${c.status} (git: ${statuses.get(c.path) ?? 'unchanged'})`)
            .join('; '),
        };
      },
    },
    {
      id: 'uncommitted',
      figure: '"Commit or stash N uncommitted" vs git status --porcelain | wc -l',
      measure(ctx) {
        const step = ctx.main.delta.next_steps.find((s) => /uncommitted/.test(s));
        const n = step ? Number(step.match(/(\d+) uncommitted/)?.[1]) : 0;
        const note = step ?? 'no such next step';
        return { truth: ctx.status.length, handoff: n, match: n === ctx.status.length, note };
      },
    },
    {
      id: 'local-listed',
      figure: 'local-work files listed in --json delta.changed (of all local)',
      measure(ctx) {
        const local = [...ctx.changedPaths].filter((p) => ctx.localPaths.has(p));
        const listed = ctx.main.delta.changed.filter((c) => ctx.localPaths.has(c.path)).length;
        const note = `changed_omitted ${ctx.main.delta.changed_omitted}`;
        return { truth: local.length, handoff: listed, match: listed === local.length, note };
      },
    },
    {
      id: 'omitted-statuses',
      figure: 'statuses of the changed files left out of delta.changed (git) vs what --json says',
      measure(ctx) {
        const statuses = gitStatusOf(ctx);
        const listed = new Set(ctx.main.delta.changed.map((c) => c.path));
        const counts = {};
        for (const [p, s] of statuses) if (!listed.has(p)) counts[s] = (counts[s] ?? 0) + 1;
        const known = new Set(['changed_omitted', 'risk_omitted', 'events_omitted']);
        const said = Object.fromEntries(
          Object.entries(ctx.main.delta).filter(([k]) => /omitted/.test(k) && !known.has(k)),
        );
        const sorted = Object.fromEntries(Object.entries(counts).sort());
        const handoff = Object.keys(said).length ? said : `only changed_omitted ${ctx.main.delta.changed_omitted}`;
        return { truth: sorted, handoff };
      },
    },
    {
      id: 'docs-ci-listed',
      figure: 'docs/CI/changelog entries listed in delta.changed while local work is left out',
      measure(ctx) {
        const listed = new Set(ctx.main.delta.changed.map((c) => c.path));
        const localLeft = [...ctx.localPaths].filter((p) => ctx.changedPaths.has(p) && !listed.has(p));
        const docs = ctx.main.delta.changed.filter((c) => c.status === 'branch' && DOCS_CI.test(c.path)).length;
        const left = localLeft.length > 0;
        const note = `${localLeft.length} local files left out`;
        return { truth: left ? 0 : '—', handoff: docs, match: left ? docs === 0 : undefined, note };
      },
    },
    {
      id: 'split-question',
      figure: '"should it be split?" asked (changed_total / list cap)',
      measure(ctx) {
        const d = ctx.main.delta;
        const asked = d.open_questions.some((q) => /split/.test(q));
        const handoff = `${asked ? 'asked' : 'not asked'} (${d.changed_total} changed, ${d.changed.length} listed)`;
        return { truth: '—', handoff };
      },
    },
    {
      id: 'hub-tests',
      figure: 'test files among the top-10 prefix hubs (issue: source hubs first)',
      measure(ctx) {
        const top = ctx.main.prefix.hubs.slice(0, 10);
        const tests = top.filter((h) => TEST_PATH.test(h.path));
        const note = tests.map((h) => `${h.path} (${h.importers})`).join(', ');
        return { truth: '0 expected', handoff: tests.length, note };
      },
    },
  ];
}

function untrackedListed(path) {
  return {
    id: 'untracked-listed',
    figure: `new untracked ${path} in --json delta.changed`,
    measure(ctx) {
      const c = ctx.main.delta.changed.find((x) => x.path === path);
      return { truth: 'listed', handoff: c ? `listed (${c.status})` : 'missing', match: Boolean(c) };
    },
  };
}

function riskRank(path) {
  return {
    id: 'delete-risk-rank',
    figure: `rank of deleted ${path} in risk_files / in top-3 next steps`,
    measure(ctx) {
      const i = ctx.main.delta.risk_files.findIndex((r) => r.path === path);
      const inSteps = ctx.main.delta.next_steps.slice(0, 3).some((s) => s.includes(path));
      const { risk_files: risk, risk_omitted: omitted } = ctx.main.delta;
      const rank = i >= 0 ? `#${i + 1} of ${risk.length}` : `not listed (risk_omitted ${omitted})`;
      const handoff = `${rank}, ${inSteps ? 'in' : 'not in'} top-3 steps`;
      return { truth: '#1, in top-3 steps', handoff, match: i === 0 && inSteps };
    },
  };
}

/** Aliases from the "imports" map of `pkgDir`/package.json that point at `target`. */
function packageImportsAliases(dir, pkgDir, target) {
  const pkg = JSON.parse(readFileSync(join(dir, pkgDir, 'package.json'), 'utf8'));
  return Object.entries(pkg.imports ?? {})
    .filter(([, v]) => {
      const p = typeof v === 'string' ? v : (v.default ?? v.import);
      return typeof p === 'string' && posix.join(pkgDir, p) === target;
    })
    .map(([k]) => k);
}

const goPackage = (dir) => (ctx) => [...(goPackageImporters(ctx.work()).get(dir) ?? [])];
const PY = (roots) => (target) => (ctx) => pythonImporters(ctx.work(), target, roots);

const pytestPy = PY(['src', '']);
const flaskPy = PY(['src', '']);

export const REPOS = [
  {
    name: 'pytest',
    slug: 'pytest-dev+pytest',
    commit: 'df87db7b0462fb764ef73fa00561adf8ad047572',
    setup(w) {
      w.rm('src/_pytest/stash.py');
      w.append('src/_pytest/warnings.py', NOTE);
      w.git('add', 'src/_pytest/warnings.py');
      w.append('src/_pytest/pathlib.py', NOTE);
      w.append('src/_pytest/doctest.py', NOTE);
      w.append('src/_pytest/__init__.py', NOTE);
      w.write('src/_pytest/bench_probe.py', 'from _pytest.stash import StashKey\n\nKEY = StashKey[int]()\n');
    },
    figures: [
      importersFigure(
        'delete-importers',
        'deleted src/_pytest/stash.py: importers (detail) vs parsed imports',
        'src/_pytest/stash.py',
        pytestPy('src/_pytest/stash.py'),
      ),
      importersFigure(
        'warnings',
        'src/_pytest/warnings.py importers (`import warnings` is stdlib)',
        'src/_pytest/warnings.py',
        pytestPy('src/_pytest/warnings.py'),
      ),
      importersFigure(
        'pathlib',
        'src/_pytest/pathlib.py importers (`import pathlib` is stdlib)',
        'src/_pytest/pathlib.py',
        pytestPy('src/_pytest/pathlib.py'),
      ),
      importersFigure(
        'doctest',
        'src/_pytest/doctest.py importers (`import doctest` is stdlib)',
        'src/_pytest/doctest.py',
        pytestPy('src/_pytest/doctest.py'),
      ),
      {
        id: 'init-hub',
        figure: 'rank of src/_pytest/__init__.py among prefix hubs (item 3 question)',
        measure(ctx) {
          const i = ctx.main.prefix.hubs.findIndex((h) => h.path === 'src/_pytest/__init__.py');
          const handoff = i >= 0 ? `#${i + 1} (${ctx.main.prefix.hubs[i].importers})` : 'not a listed hub';
          return { truth: '—', handoff };
        },
      },
      {
        id: 'init-importers',
        figure: '_pytest/__init__.py importers: `import _pytest` or names from it / + `from _pytest import <module>`',
        measure(ctx) {
          // Modules of the package: files at base or now, and _version.py (written by setuptools-scm, ignored).
          const tree = ctx.work();
          const modules = new Set(
            [...tree.files, ...ctx.base().files, 'src/_pytest/_version.py'].map((f) => pythonModule(f, ['src', ''])),
          );
          let loose = 0;
          let strict = 0;
          for (const f of tree.files) {
            if (!f.endsWith('.py') || f === 'src/_pytest/__init__.py') continue;
            const pkg = (pythonModule(f, ['src', '']) ?? '').split('.');
            if (!f.endsWith('__init__.py')) pkg.pop();
            const own = pythonStatements(tree.read(f), pkg).filter((st) => st.base === '_pytest');
            if (own.length === 0) continue;
            loose++;
            if (own.some((st) => st.names === null || st.names.some((n) => !modules.has(`_pytest.${n}`)))) strict++;
          }
          const d = ctx.detail('src/_pytest/__init__.py');
          const handoff = d.code === 0 ? d.json.importers.length : `--detail exit ${d.code}`;
          return { truth: `${strict} / ${loose}`, handoff, note: 'README must say which one handoff counts' };
        },
      },
      untrackedListed('src/_pytest/bench_probe.py'),
      ...commonFigures(),
    ],
  },
  {
    name: 'flask',
    slug: 'pallets+flask',
    commit: '2ac89889f4cc330eabd50f295dcef02828522c69',
    setup(w) {
      w.rm('src/flask/signals.py');
      w.append('src/flask/typing.py', NOTE);
      w.git('add', 'src/flask/typing.py');
      w.append('src/flask/json/__init__.py', NOTE);
      w.write(
        'tests/test_bench_probe.py',
        'from flask.signals import template_rendered\n\n\ndef test_probe():\n    assert template_rendered\n',
      );
    },
    figures: [
      importersFigure(
        'delete-importers',
        'deleted src/flask/signals.py: importers (detail) vs parsed imports',
        'src/flask/signals.py',
        flaskPy('src/flask/signals.py'),
      ),
      importersFigure(
        'typing',
        'src/flask/typing.py importers (`import typing as t` is stdlib)',
        'src/flask/typing.py',
        flaskPy('src/flask/typing.py'),
      ),
      importersFigure(
        'json',
        'src/flask/json/__init__.py importers (`import json` is stdlib)',
        'src/flask/json/__init__.py',
        flaskPy('src/flask/json/__init__.py'),
      ),
      untrackedListed('tests/test_bench_probe.py'),
      ...commonFigures(),
    ],
  },
  {
    name: 'svelte',
    slug: 'sveltejs+svelte',
    commit: '15720b16a5ef33e3e1f4301c77b94ec375070e73',
    setup(w) {
      w.rm('packages/svelte/src/internal/client/dom/elements/events.js');
      w.append('packages/svelte/src/compiler/utils/builders.js', JS_NOTE);
      w.git('add', 'packages/svelte/src/compiler/utils/builders.js');
      w.append('packages/svelte/src/index-client.js', JS_NOTE);
      w.write(
        'packages/svelte/src/internal/client/dom/bench-probe.js',
        "import { on } from './elements/events.js';\n\nexport const probe = on;\n",
      );
    },
    figures: [
      importersFigure(
        'delete-importers',
        'deleted internal/client/dom/elements/events.js: importers (detail) vs parsed imports',
        'packages/svelte/src/internal/client/dom/elements/events.js',
        (ctx) => jsImporters(ctx.work(), 'packages/svelte/src/internal/client/dom/elements/events.js'),
      ),
      riskRank('packages/svelte/src/internal/client/dom/elements/events.js'),
      importersFigure(
        'builders',
        'src/compiler/utils/builders.js importers (relative + #compiler/builders)',
        'packages/svelte/src/compiler/utils/builders.js',
        (ctx) => {
          const target = 'packages/svelte/src/compiler/utils/builders.js';
          const aliases = packageImportsAliases(ctx.dir, 'packages/svelte', target);
          const tree = ctx.work();
          const own = { ...tree, files: tree.files.filter((f) => f.startsWith('packages/svelte/')) };
          return jsImporters(own, target, aliases);
        },
      ),
      untrackedListed('packages/svelte/src/internal/client/dom/bench-probe.js'),
      ...commonFigures(),
    ],
  },
  {
    name: 'vitest',
    slug: 'vitest-dev+vitest',
    commit: 'c3ba16b35847d27fb9f01f38cdcb047c77e121f8',
    setup(w) {
      w.append('packages/vitest/src/public/index.ts', JS_NOTE);
      w.git('add', 'packages/vitest/src/public/index.ts');
      w.git('mv', 'packages/vitest/src/utils/env.ts', 'packages/vitest/src/utils/env2.ts');
      w.rm('packages/vitest/src/utils/graph.ts');
      w.append('packages/vitest/src/node/cli/cac.ts', JS_NOTE);
      w.write('packages/vitest/src/node/bench-probe.ts', "export const probe = 'local work';\n");
    },
    figures: [
      importersFigure(
        'public-index',
        'packages/vitest/src/public/index.ts importers (relative + workspace name `vitest`)',
        'packages/vitest/src/public/index.ts',
        (ctx) => jsImporters(ctx.work(), 'packages/vitest/src/public/index.ts', ['vitest']),
      ),
      {
        id: 'rename-risk',
        figure: 'git mv utils/env.ts → env2.ts: files still importing the old path / risk entry',
        measure(ctx) {
          const t = jsImporters(ctx.work(), 'packages/vitest/src/utils/env.ts');
          const risk = ctx.main.delta.risk_files.find((r) => r.path.startsWith('packages/vitest/src/utils/env'));
          const handoff = risk ? `${risk.importers}: ${risk.reason}` : 'no risk entry';
          return { truth: t.length, handoff, match: risk?.importers === t.length };
        },
      },
      importersFigure(
        'rename-detail',
        '--detail env2.ts "Still importing the old path" vs files importing ./env',
        'packages/vitest/src/utils/env2.ts',
        (ctx) => jsImporters(ctx.work(), 'packages/vitest/src/utils/env.ts'),
        { field: 'still_importing_old_path' },
      ),
      importersFigure(
        'delete-importers',
        'deleted packages/vitest/src/utils/graph.ts: importers (detail) vs parsed imports',
        'packages/vitest/src/utils/graph.ts',
        (ctx) => jsImporters(ctx.work(), 'packages/vitest/src/utils/graph.ts'),
      ),
      untrackedListed('packages/vitest/src/node/bench-probe.ts'),
      ...commonFigures(),
    ],
  },
  {
    name: 'cli',
    slug: 'cli+cli',
    commit: '44ee17760709bedf1cad7e452e61751489b81a33',
    setup(w) {
      w.rm('internal/text/text.go');
      w.write(
        'pkg/cmd/pr/shared/bench_probe.go',
        'package shared\n\nimport "github.com/cli/cli/v2/internal/text"\n\nvar benchProbe = text.Pluralize\n',
      );
      w.git('mv', 'pkg/cmd/pr/shared/state.go', 'pkg/cmd/pr/shared/state_moved.go');
      w.append('pkg/cmdutil/factory.go', JS_NOTE);
      w.git('add', 'pkg/cmdutil/factory.go');
      w.append('pkg/cmdutil/errors.go', JS_NOTE);
      w.append('pkg/cmdutil/flags.go', JS_NOTE);
      w.append('internal/build/build.go', JS_NOTE);
    },
    figures: [
      importersFigure(
        'delete-importers',
        'deleted internal/text/text.go: importers of package internal/text',
        'internal/text/text.go',
        goPackage('internal/text'),
        { truth_note: 'text_test.go is all that is left of the package, so every importer breaks' },
      ),
      importersFigure(
        'rename-importers',
        'renamed pkg/cmd/pr/shared/state_moved.go: importers of its package',
        'pkg/cmd/pr/shared/state_moved.go',
        goPackage('pkg/cmd/pr/shared'),
      ),
      importersFigure(
        'added-importers',
        'added pkg/cmd/pr/shared/bench_probe.go: importers of its package',
        'pkg/cmd/pr/shared/bench_probe.go',
        goPackage('pkg/cmd/pr/shared'),
      ),
      {
        id: 'build-dir',
        figure: 'internal/build/build.go (modified) in delta.changed / --detail',
        measure(ctx) {
          const listed = ctx.main.delta.changed.some((c) => c.path === 'internal/build/build.go');
          const d = ctx.detail('internal/build/build.go');
          return {
            truth: 'changed (git status M)',
            handoff: `${listed ? 'listed' : 'not listed'}; --detail exit ${d.code}`,
            match: d.code === 0,
            note: d.code === 0 ? '' : d.stderr,
          };
        },
      },
      {
        id: 'go-hubs',
        figure: 'top hub (prefix, base tree) and distinct Go packages among the top-10 hubs',
        measure(ctx) {
          const base = ctx.base();
          base.preload((f) => f.endsWith('.go') || f === 'go.mod');
          const pk = [...goPackageImporters(base)].map(([d, s]) => [d, s.size]).sort((a, b) => b[1] - a[1]);
          const hubs = ctx.main.prefix.hubs.slice(0, 10);
          const dirs = new Set(hubs.map((h) => (posix.extname(h.path) ? posix.dirname(h.path) : h.path)));
          return {
            truth: `${pk[0][0]} (${pk[0][1]}); 10 packages: ${pk
              .slice(0, 10)
              .map((p) => p[0])
              .join(', ')}`,
            handoff: `${hubs[0].path} (${hubs[0].importers}); ${dirs.size} distinct dirs: ${[...dirs].join(', ')}`,
          };
        },
      },
      {
        id: 'go-risk-repeat',
        figure: 'most risk entries for one Go package directory',
        measure(ctx) {
          // A Go file counts for its directory; an entry naming a directory (per-package risk) for itself.
          const per = {};
          for (const r of ctx.main.delta.risk_files) {
            const key = r.path.endsWith('.go') ? posix.dirname(r.path) : posix.extname(r.path) ? null : r.path;
            if (key) per[key] = (per[key] ?? 0) + 1;
          }
          const top = Object.entries(per).sort((a, b) => b[1] - a[1])[0] ?? ['—', 0];
          return { truth: 1, handoff: top[1], match: top[1] <= 1, note: `${top[0]}` };
        },
      },
      untrackedListed('pkg/cmd/pr/shared/bench_probe.go'),
      ...commonFigures(),
    ],
  },
  {
    name: 'ripgrep',
    slug: 'BurntSushi+ripgrep',
    commit: '3fce3b5bb0236da2df6d99672afb8a719642eca7',
    setup(w) {
      w.rm('crates/core/flags/defs.rs');
      w.append('crates/grep/src/lib.rs', JS_NOTE);
      w.git('add', 'crates/grep/src/lib.rs');
      w.append('crates/core/haystack.rs', JS_NOTE);
      w.write(
        'crates/core/flags/bench_probe.rs',
        ['use crate::flags::defs::FLAGS;', '', 'pub fn probe() -> usize {', '    FLAGS.len()', '}', ''].join('\n'),
      );
    },
    figures: [
      importersFigure(
        'delete-importers',
        'deleted crates/core/flags/defs.rs: files naming crate::flags::defs (+ `mod defs;`)',
        'crates/core/flags/defs.rs',
        (ctx) => rustModuleImporters(ctx.work(), 'crates/core', 'crates/core/flags/defs.rs'),
      ),
      importersFigure(
        'grep-lib',
        'crates/grep/src/lib.rs importers (`use grep::…` outside crates/grep/src)',
        'crates/grep/src/lib.rs',
        (ctx) => rustCrateImporters(ctx.work(), 'crates/grep/src', 'grep'),
      ),
      untrackedListed('crates/core/flags/bench_probe.rs'),
      ...commonFigures(),
    ],
  },
];
