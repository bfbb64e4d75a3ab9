// The saved handoff: `handoff.latest.json` (whole artifact), the two layers on their
// own, and the capped metrics log. Writers serialise through the worktree lock. Each
// write stays inside the worktree's `.codemap/`: a symlink committed under one of these
// names is replaced by a regular file, never written through.
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { Artifact, DeltaFile, MetricsLine, PrefixFile } from '../schema/artifact.js';
import { savedArtifact } from '../schema/artifact-read.js';
import { CorruptFileError } from '../errors.js';
import { formatJson, moveAside, readJsonFile, writeFileAtomic } from './atomic.js';
import { appendCappedLines } from './jsonl.js';
import type { Layout } from './layout.js';

export const METRICS_LOG_LINES = 500;
/** Shorter than any metrics line: its fixed keys and three hashes alone take more. */
const METRICS_MIN_LINE_BYTES = 100;

/**
 * The saved artifact, as either tool wrote it (schema_version 1; what the Go tool leaves out
 * is filled in). A symlink in its place reads as a corrupt file (a save moves it aside).
 * Without one, the Go tool's own (goLatestPath) is read, never written or moved.
 */
export function readLatest(layout: Layout): Artifact | undefined {
  const ours = readJsonFile(layout.latest, savedArtifact, '.codemap/handoff.latest.json', { noFollow: true });
  return ours ?? readGoLatest(layout);
}

/**
 * Where the Go tool codemap keeps its handoff since it moved per-project state (Aug 2026):
 * `.codemap/projects/<key>/handoff.latest.json`, the key being the first 6 bytes of the
 * sha256 of the canonical worktree root, in hex (internal/projectpath ProjectKey). Older
 * Go versions wrote `.codemap/handoff.latest.json`, the file we share.
 */
export function goLatestPath(layout: Layout): string | undefined {
  try {
    const key = createHash('sha256').update(realpathSync(layout.root)).digest('hex').slice(0, 12);
    return join(layout.dir, 'projects', key, 'handoff.latest.json');
  } catch {
    return undefined;
  }
}

/** The Go tool's file is its own: one we cannot read is simply not there for us. */
function readGoLatest(layout: Layout): Artifact | undefined {
  const path = goLatestPath(layout);
  if (path === undefined) return undefined;
  try {
    return readJsonFile(path, savedArtifact, path, { noFollow: true });
  } catch {
    return undefined;
  }
}

/** The saved artifact, or undefined when there is none or it cannot be read (a save moves a corrupt one aside). */
export function readLatestIfValid(layout: Layout): Artifact | undefined {
  try {
    return readLatest(layout);
  } catch {
    return undefined;
  }
}

/**
 * The previous artifact for reuse metrics. A corrupt one is moved aside (never
 * overwritten in place) and reported through `warn`.
 */
export function readPreviousForSave(layout: Layout, now: Date, warn: (line: string) => void): Artifact | undefined {
  try {
    return readLatest(layout);
  } catch (error) {
    if (!(error instanceof CorruptFileError)) throw error;
    const aside = moveAside(layout.latest, now);
    warn(`handoff: ${error.message}; moved it aside to ${aside}`);
    return undefined;
  }
}

export function prefixFileOf(a: Artifact): PrefixFile {
  return {
    ...a.prefix,
    schema_version: a.schema_version,
    generated_at: a.generated_at,
    base_ref: a.base_ref,
    prefix_hash: a.prefix_hash,
  };
}

export function deltaFileOf(a: Artifact): DeltaFile {
  return {
    ...a.delta,
    schema_version: a.schema_version,
    generated_at: a.generated_at,
    branch: a.branch,
    base_ref: a.base_ref,
    delta_hash: a.delta_hash,
  };
}

export function metricsLineOf(a: Artifact): MetricsLine {
  return {
    generated_at: a.generated_at,
    branch: a.branch,
    base_ref: a.base_ref,
    prefix_hash: a.prefix_hash,
    delta_hash: a.delta_hash,
    combined_hash: a.combined_hash,
    metrics: a.metrics,
  };
}

/**
 * Appends one line and keeps only the newest `keep`. The log is rewritten by rename, so a
 * reader never meets a torn line; only its tail is read, however large the file grew.
 */
export function appendMetrics(layout: Layout, line: MetricsLine, keep = METRICS_LOG_LINES): void {
  const options = { keep, minLineBytes: METRICS_MIN_LINE_BYTES, within: layout.root };
  appendCappedLines(layout.metricsLog, [JSON.stringify(line)], options);
}

export function writeArtifacts(layout: Layout, a: Artifact): string[] {
  const within = { within: layout.root };
  writeFileAtomic(layout.prefix, formatJson(prefixFileOf(a)), within);
  writeFileAtomic(layout.delta, formatJson(deltaFileOf(a)), within);
  // The whole artifact last: a reader of latest never sees layers older than it.
  writeFileAtomic(layout.latest, formatJson(a), within);
  appendMetrics(layout, metricsLineOf(a));
  return [layout.latest, layout.prefix, layout.delta, layout.metricsLog];
}
