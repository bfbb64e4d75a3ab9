// The saved handoff: `handoff.latest.json` (whole artifact), the two layers on their
// own, and the capped metrics log. Writers serialise through the worktree lock.
import { renameSync } from 'node:fs';
import {
  artifact as artifactSchema,
  type Artifact,
  type DeltaFile,
  type MetricsLine,
  type PrefixFile,
} from '../schema/artifact.js';
import { CorruptFileError } from '../errors.js';
import { formatJson, readJsonFile, readTextIfExists, writeFileAtomic } from './atomic.js';
import type { Layout } from './layout.js';

export const METRICS_LOG_LINES = 500;

export function readLatest(layout: Layout): Artifact | undefined {
  return readJsonFile(layout.latest, artifactSchema, '.codemap/handoff.latest.json');
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
    const aside = `${layout.latest}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
    renameSync(layout.latest, aside);
    warn(`handoff: ${error.message}; moved it aside to ${aside}`);
    return undefined;
  }
}

export function prefixFileOf(a: Artifact): PrefixFile {
  return { ...a.prefix, schema_version: a.schema_version, generated_at: a.generated_at, base_ref: a.base_ref, prefix_hash: a.prefix_hash };
}

export function deltaFileOf(a: Artifact): DeltaFile {
  return { ...a.delta, schema_version: a.schema_version, generated_at: a.generated_at, branch: a.branch, base_ref: a.base_ref, delta_hash: a.delta_hash };
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

/** Appends one line and keeps only the newest `METRICS_LOG_LINES`. */
export function appendMetrics(path: string, line: MetricsLine, keep = METRICS_LOG_LINES): void {
  const existing = (readTextIfExists(path) ?? '').split('\n').filter((l) => l.trim() !== '');
  existing.push(JSON.stringify(line));
  writeFileAtomic(path, `${existing.slice(-keep).join('\n')}\n`);
}

export function writeArtifacts(layout: Layout, a: Artifact): string[] {
  writeFileAtomic(layout.prefix, formatJson(prefixFileOf(a)));
  writeFileAtomic(layout.delta, formatJson(deltaFileOf(a)));
  // The whole artifact last: a reader of latest never sees layers older than it.
  writeFileAtomic(layout.latest, formatJson(a));
  appendMetrics(layout.metricsLog, metricsLineOf(a));
  return [layout.latest, layout.prefix, layout.delta, layout.metricsLog];
}
