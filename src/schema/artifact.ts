// Zod schemas of the handoff artifact and its two layers. Field names follow the Go
// tool codemap's handoff schema_version 1 so scripts written for it keep working;
// fields it does not have are additive.
import * as z from 'zod';

export const SCHEMA_VERSION = 1;

export const changeStatus = z.enum(['branch', 'staged', 'modified', 'untracked', 'deleted', 'renamed']);
export type ChangeStatus = z.infer<typeof changeStatus>;

export const hubSummary = z.object({
  /** A file, or for Go the package folder (`.` for the root folder). */
  path: z.string(),
  importers: z.number().int().nonnegative(),
  /** Go package hubs: how many non-test files the package has. Absent for a file. */
  files: z.number().int().positive().optional(),
  /** Present (true) on a test-support hub (a helper under tests/, a fixture): listed after the source hubs. */
  test: z.boolean().optional(),
});
export type HubSummary = z.infer<typeof hubSummary>;

export const fileStub = z.object({
  path: z.string(),
  status: changeStatus,
  /** Previous path, for a rename. */
  from: z.string().optional(),
  /** Working-tree size in bytes; 0 for a deleted file. */
  size: z.number().int().nonnegative(),
  /** xxhash64 (hex) of the working-tree bytes; empty for a deleted file. */
  hash: z.string(),
});
export type FileStub = z.infer<typeof fileStub>;

export const riskFile = z.object({
  /** A changed file, or for Go the package folder of changed files (`.` for the root folder). */
  path: z.string(),
  importers: z.number().int().nonnegative(),
  is_hub: z.boolean(),
  reason: z.string(),
  /** Go package risk: how many changed files of the package this entry stands for. Absent for a file. */
  files: z.number().int().positive().optional(),
});
export type RiskFile = z.infer<typeof riskFile>;

export const eventSummary = z.object({
  /** RFC 3339 UTC, second precision. */
  time: z.string(),
  /** `commit` (a commit on the branch touched the path) or `edit` (working-tree change). */
  op: z.string(),
  path: z.string(),
});
export type EventSummary = z.infer<typeof eventSummary>;

export const prefixSnapshot = z.object({
  /** Tree id of the base commit the prefix was computed from. */
  base_tree: z.string(),
  file_count: z.number().int().nonnegative(),
  languages: z.record(z.string(), z.number().int().nonnegative()),
  hubs: z.array(hubSummary),
  hubs_omitted: z.number().int().nonnegative(),
});
export type PrefixSnapshot = z.infer<typeof prefixSnapshot>;

export const deltaSnapshot = z.object({
  /** Commit the delta is measured from: merge-base of HEAD and the base ref. */
  base_commit: z.string(),
  changed: z.array(fileStub),
  changed_total: z.number().int().nonnegative(),
  changed_omitted: z.number().int().nonnegative(),
  /** How many changed files of each status the capped `changed` list left out (only when some were). */
  changed_omitted_by_status: z.partialRecord(changeStatus, z.number().int().nonnegative()).optional(),
  risk_files: z.array(riskFile),
  risk_omitted: z.number().int().nonnegative(),
  recent_events: z.array(eventSummary),
  events_omitted: z.number().int().nonnegative(),
  next_steps: z.array(z.string()),
  open_questions: z.array(z.string()),
  /** The current developer's active published context, when there is one. */
  context: z.object({ id: z.string(), title: z.string(), summary: z.string() }).optional(),
});
export type DeltaSnapshot = z.infer<typeof deltaSnapshot>;

export const cacheMetrics = z.object({
  prefix_bytes: z.number().int().nonnegative(),
  delta_bytes: z.number().int().nonnegative(),
  total_bytes: z.number().int().nonnegative(),
  unchanged_bytes: z.number().int().nonnegative(),
  reuse_ratio: z.number().min(0).max(1),
  prefix_reused: z.boolean(),
  delta_reused: z.boolean(),
  previous_combined_hash: z.string().optional(),
});
export type CacheMetrics = z.infer<typeof cacheMetrics>;

export const agentEntry = z.object({
  agent_id: z.string(),
  session_id: z.string().optional(),
  started_at: z.string(),
  ended_at: z.string().optional(),
  files_edited: z.array(z.string()).optional(),
  summary: z.string().optional(),
});
export type AgentEntry = z.infer<typeof agentEntry>;

export const artifact = z.object({
  schema_version: z.literal(SCHEMA_VERSION),
  generated_at: z.string(),
  /** Always "." (the worktree holding `.codemap/`): never an absolute path, so clones agree byte for byte. */
  root: z.string(),
  branch: z.string(),
  base_ref: z.string(),
  head: z.string(),
  prefix: prefixSnapshot,
  delta: deltaSnapshot,
  prefix_hash: z.string(),
  /** xxhash64 of the delta's canonical JSON without its timeline (recent_events, events_omitted). */
  delta_hash: z.string(),
  combined_hash: z.string(),
  metrics: cacheMetrics,
  agent_history: z.array(agentEntry).optional(),
  // Deprecated top-level mirrors of the delta, kept for schema_version 1 readers.
  changed_files: z.array(z.string()),
  risk_files: z.array(riskFile),
  recent_events: z.array(eventSummary),
  next_steps: z.array(z.string()),
  open_questions: z.array(z.string()),
});
export type Artifact = z.infer<typeof artifact>;

/**
 * The saved prefix layer on its own (`handoff.prefix.json`, `--prefix --json`): the bare
 * snapshot, as the Go tool writes it, with its hash and provenance added beside it.
 */
export const prefixFile = prefixSnapshot.extend({
  schema_version: z.literal(SCHEMA_VERSION),
  generated_at: z.string(),
  base_ref: z.string(),
  prefix_hash: z.string(),
});
export type PrefixFile = z.infer<typeof prefixFile>;

/** The saved delta layer on its own (`handoff.delta.json`, `--delta --json`), likewise bare. */
export const deltaFile = deltaSnapshot.extend({
  schema_version: z.literal(SCHEMA_VERSION),
  generated_at: z.string(),
  branch: z.string(),
  base_ref: z.string(),
  delta_hash: z.string(),
});
export type DeltaFile = z.infer<typeof deltaFile>;

export const fileDetail = z.object({
  path: z.string(),
  status: changeStatus,
  from: z.string().optional(),
  size: z.number().int().nonnegative(),
  hash: z.string(),
  importers: z.array(z.string()),
  imports: z.array(z.string()),
  recent_events: z.array(eventSummary),
  is_hub: z.boolean(),
  /** A renamed file whose old path is gone: the files that still import the old path (broken imports). */
  still_importing_old_path: z.array(z.string()).optional(),
});
export type FileDetail = z.infer<typeof fileDetail>;

export const metricsLine = z.object({
  generated_at: z.string(),
  branch: z.string(),
  base_ref: z.string(),
  prefix_hash: z.string(),
  delta_hash: z.string(),
  combined_hash: z.string(),
  metrics: cacheMetrics,
});
export type MetricsLine = z.infer<typeof metricsLine>;
