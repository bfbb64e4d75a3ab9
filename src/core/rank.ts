// Ranks the changed files and risk entries by what the next session needs first, so
// capped lists keep the work in progress: risk, then local work, then branch commits
// newest first, with docs and CI files last. Pure; ties fall back to code-unit path order.
import type { ChangeStatus, RiskFile } from '../schema/artifact.js';
import { isLocal, type MergedChange } from './changes.js';
import { riskCovers } from './graph.js';
import { compareCodeUnit } from './paths.js';

const DOC_EXTENSIONS = ['.md', '.mdx', '.markdown', '.rst', '.adoc', '.asciidoc'];
const CI_FOLDERS = ['.github', '.gitlab', '.circleci', '.buildkite', '.azure-pipelines'];
const CI_FILES = [
  '.gitlab-ci.yml',
  '.travis.yml',
  'appveyor.yml',
  '.appveyor.yml',
  'azure-pipelines.yml',
  'Jenkinsfile',
];

/**
 * Documentation and CI configuration: `*.md`/`*.mdx`/`*.rst`/`*.adoc` anywhere (any case),
 * any file under a `docs/` or `doc/` folder at any depth, `.github/` (and other CI folders)
 * at the root, and root CI files.
 */
export function isDocsOrCi(path: string): boolean {
  const segments = path.split('/');
  const name = segments[segments.length - 1] ?? '';
  const lower = name.toLowerCase();
  if (DOC_EXTENSIONS.some((ext) => lower.endsWith(ext) && lower.length > ext.length)) return true;
  if (segments.slice(0, -1).some((dir) => dir === 'docs' || dir === 'doc')) return true;
  if (segments.length > 1 && CI_FOLDERS.includes(segments[0]!)) return true;
  return segments.length === 1 && CI_FILES.includes(name);
}

/**
 * The position of the first risk entry naming each change: its own path, the old path of
 * a rename still imported there, or (a Go package's entry names its folder) its folder.
 */
function riskPositions(changes: readonly MergedChange[], risk: readonly RiskFile[]): Map<string, number> {
  const byPath = new Map(changes.map((c) => [c.path, c]));
  const byFrom = new Map<string, MergedChange>();
  for (const c of changes) if (c.from !== undefined) byFrom.set(c.from, c);
  const position = new Map<string, number>();
  risk.forEach((r, i) => {
    const own = byPath.get(r.path) ?? byFrom.get(r.path);
    const members = own ? [own] : r.files !== undefined ? changes.filter((c) => riskCovers(r, c.path)) : [];
    for (const c of members) if (!position.has(c.path)) position.set(c.path, i);
  });
  return position;
}

/**
 * Every change in the order the next session needs it: risk files (in risk order), then
 * local work, then branch commits by their last commit time (newest first; a path not in
 * `lastCommitted` counts as oldest). Docs and CI files come after the rest of their group.
 */
export function rankChanged(
  changes: readonly MergedChange[],
  risk: readonly RiskFile[],
  lastCommitted: ReadonlyMap<string, number> = new Map(),
): MergedChange[] {
  const position = riskPositions(changes, risk);
  const keyed = changes.map((c) => ({
    c,
    risk: position.get(c.path) ?? risk.length,
    local: isLocal(c) ? 0 : 1,
    docs: isDocsOrCi(c.path) ? 1 : 0,
    time: isLocal(c) ? 0 : (lastCommitted.get(c.path) ?? -1),
  }));
  keyed.sort(
    (a, b) =>
      a.risk - b.risk || a.local - b.local || a.docs - b.docs || b.time - a.time || compareCodeUnit(a.c.path, b.c.path),
  );
  return keyed.map((k) => k.c);
}

/** The first `max` changes by rank, in rank order (so any shorter prefix of it is the best one). */
export function selectChanged(
  changes: readonly MergedChange[],
  risk: readonly RiskFile[],
  max: number,
  lastCommitted: ReadonlyMap<string, number> = new Map(),
): MergedChange[] {
  return rankChanged(changes, risk, lastCommitted).slice(0, Math.max(0, max));
}

/** How many changes of each status a capped list left out; keys in code-unit order. */
export function omittedByStatus(
  changes: readonly MergedChange[],
  kept: readonly MergedChange[],
): Partial<Record<ChangeStatus, number>> {
  const shown = new Set(kept.map((c) => c.path));
  const counts = new Map<ChangeStatus, number>();
  for (const c of changes) if (!shown.has(c.path)) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
  const out: Partial<Record<ChangeStatus, number>> = {};
  for (const status of [...counts.keys()].sort(compareCodeUnit)) out[status] = counts.get(status);
  return out;
}

/**
 * Risk entries with broken imports first — a deleted file still imported, or a rename
 * whose old path is (an entry naming the old path, or the new path when `staleImporters`
 * lists files still importing the old one), or a Go package with no files left — local
 * work before the branch's; then the rest in the order given.
 */
export function orderRisk(
  risk: readonly RiskFile[],
  changes: readonly MergedChange[],
  staleImporters: ReadonlyMap<string, readonly string[]> = new Map(),
  goPackages: ReadonlyMap<string, number> = new Map(),
): RiskFile[] {
  const byPath = new Map(changes.map((c) => [c.path, c]));
  const byFrom = new Map(changes.filter((c) => c.from !== undefined).map((c) => [c.from!, c]));
  const isBroken = (c: MergedChange): boolean =>
    c.status === 'deleted' || (c.from !== undefined && (staleImporters.get(c.path)?.length ?? 0) > 0);
  const tier = (r: RiskFile): number => {
    // A Go package whose files are all gone (deleted or moved away) breaks every importer.
    if (r.files !== undefined && goPackages.get(r.path === '.' ? '' : r.path) === 0) {
      const members = changes.filter((c) => riskCovers(r, c.path) || (c.from !== undefined && riskCovers(r, c.from)));
      return members.some(isLocal) ? 0 : 1;
    }
    const own = byPath.get(r.path);
    const broken = own ? (isBroken(own) ? own : undefined) : byFrom.get(r.path);
    if (!broken) return 2;
    return isLocal(broken) ? 0 : 1;
  };
  return risk
    .map((r, i) => ({ r, i, tier: tier(r) }))
    .sort((a, b) => a.tier - b.tier || a.i - b.i)
    .map((x) => x.r);
}
