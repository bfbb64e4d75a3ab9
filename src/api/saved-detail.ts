// `--latest --detail <file>`: one changed file's detail from the saved handoff, never
// recomputed. The details saved beside the artifact (same combined_hash) answer in full; a
// handoff saved without them (by the Go tool codemap) answers from its stub, risk entry and
// timeline, and the caller is told the import lists are missing.
import type { Artifact, FileDetail } from '../schema/artifact.js';
import { escapeText } from '../core/escape.js';
import { NotFoundError } from '../errors.js';
import { readSavedDetails } from '../store/saved-details.js';
import { closestPaths, detailPaths, readSavedHandoff } from './handoff.js';

export interface SavedDetailRequest {
  cwd: string;
  /** Optional `[path]` argument: a directory inside the repository. */
  path?: string;
  /** The file, as given to --detail. */
  file: string;
  warn: (line: string) => void;
}

export async function loadSavedDetail(req: SavedDetailRequest): Promise<FileDetail> {
  const { artifact, layout } = await readSavedHandoff(req.cwd, req.path);
  // The name exactly as saved comes last: it spells what path resolution cannot (a backslash).
  const candidates = [...detailPaths(req.file, req.cwd, layout.root), req.file];
  const changed = artifact.delta.changed;
  const stub = candidates.map((c) => changed.find((x) => x.path === c)).find((x) => x !== undefined);
  if (!stub) throw notSaved(req.file, candidates[0] ?? req.file, artifact);
  const saved = readSavedDetails(layout);
  const ours = saved?.combined_hash === artifact.combined_hash ? saved.files : [];
  const detail = ours.find((f) => f.path === stub.path);
  if (detail) return detail;
  const name = escapeText(stub.path);
  const how = `run \`handoff --detail ${name}\` to compute them`;
  req.warn(`handoff: the saved handoff holds no import lists for ${name} — ${how}`);
  return fromArtifact(artifact, stub.path);
}

function notSaved(requested: string, wanted: string, artifact: Artifact): NotFoundError {
  const paths = artifact.delta.changed.map((c) => c.path);
  const near = closestPaths(wanted, paths);
  const { changed_omitted: omitted, changed_total: total } = artifact.delta;
  const more = omitted > 0 ? ` (it lists ${paths.length} of ${total}; without --latest, --detail finds any)` : '';
  const hint = near.length > 0 ? `closest changed paths: ${near.join(', ')}${more}` : 'the saved handoff lists none';
  return new NotFoundError(`${requested} is not a changed file in the saved handoff`, hint);
}

/** What the artifact itself says about one listed file: its stub, risk entry and timeline. */
function fromArtifact(a: Artifact, path: string): FileDetail {
  const stub = a.delta.changed.find((c) => c.path === path)!;
  const risk = a.delta.risk_files.find((r) => r.path === path);
  const detail: FileDetail = {
    path,
    status: stub.status,
    size: stub.size,
    hash: stub.hash,
    importers: [],
    imports: [],
    recent_events: a.delta.recent_events.filter((e) => e.path === path),
    is_hub: risk?.is_hub ?? false,
  };
  if (stub.from !== undefined) detail.from = stub.from;
  return detail;
}
