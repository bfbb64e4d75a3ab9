// Builds the artifact from its two layers, pure: the list caps a config asks for, the link
// to the session's own context, the layer hashes and byte counts, and the assembly in the
// schema's field order with metrics against the previous artifact. No fs, git or clock.
import { SCHEMA_VERSION, type AgentEntry, type Artifact } from '../schema/artifact.js';
import type { ProjectConfig } from '../schema/config.js';
import type { Context } from '../schema/context.js';
import { listCapsFor, type ListCaps } from './budget.js';
import { canonicalJson } from './canonical-json.js';
import type { Hasher } from './hash.js';
import { computeMetrics, type LayerHashes } from './metrics.js';

/** The list caps for a prefix of `fileCount` files, each overridable by the config's `budgets`. */
export function capsFor(fileCount: number, budgets: ProjectConfig['budgets']): ListCaps {
  const caps = listCapsFor(fileCount);
  const b = budgets ?? {};
  return {
    changed: b.max_changed ?? caps.changed,
    risk: b.max_risk ?? caps.risk,
    events: b.max_events ?? caps.events,
    hubs: b.max_hubs ?? caps.hubs,
  };
}

/**
 * The part of the delta its hash covers: everything but the timeline. Event times are
 * file mtimes and a window on the clock — machine and moment, not repository state —
 * so they are carried in the artifact but kept out of the hash.
 */
export function hashedDelta(delta: Artifact['delta']): Omit<Artifact['delta'], 'recent_events' | 'events_omitted'> {
  const { recent_events: _events, events_omitted: _omitted, ...rest } = delta;
  return rest;
}

/** The delta linked to the session's own live context: its title and summary, next actions and blockers. */
export function linkContext(delta: Artifact['delta'], own: Context | undefined): Artifact['delta'] {
  if (!own) return delta;
  return {
    ...delta,
    context: { id: own.id, title: own.title, summary: own.summary },
    next_steps: [...delta.next_steps, ...own.next_actions.map((a) => `From your context "${own.title}": ${a}`)],
    open_questions: [
      ...delta.open_questions,
      ...own.blockers.map((b) => `Blocker from your context "${own.title}": ${b}`),
    ],
  };
}

export interface LayerSums {
  hashes: LayerHashes;
  /** Bytes of each layer's canonical JSON (the metrics' reuse figures). */
  bytes: { prefix: number; delta: number };
}

/** Each layer's hash over its canonical JSON, and the combined hash of the two. */
export function hashLayers(prefix: Artifact['prefix'], delta: Artifact['delta'], hasher: Hasher): LayerSums {
  const prefixJson = canonicalJson(prefix);
  const deltaJson = canonicalJson(delta);
  const prefixHash = hasher.text(prefixJson);
  const deltaHash = hasher.text(canonicalJson(hashedDelta(delta)));
  return {
    hashes: {
      prefix_hash: prefixHash,
      delta_hash: deltaHash,
      combined_hash: hasher.text(`${prefixHash}:${deltaHash}`),
    },
    bytes: { prefix: Buffer.byteLength(prefixJson), delta: Buffer.byteLength(deltaJson) },
  };
}

export interface AssembleInput extends LayerSums {
  now: Date;
  previous: Artifact | undefined;
  branch: string;
  baseRef: string;
  head: string;
  prefix: Artifact['prefix'];
  delta: Artifact['delta'];
  /** Open questions about other sessions (claims on my files), added outside the hashed layers. */
  coordination?: readonly string[];
}

export function assembleArtifact(input: AssembleInput): Artifact {
  const { previous, hashes, delta } = input;
  const unchanged =
    previous !== undefined && previous.prefix_hash === hashes.prefix_hash && previous.delta_hash === hashes.delta_hash;
  const artifact: Artifact = {
    schema_version: SCHEMA_VERSION,
    generated_at: unchanged ? previous.generated_at : input.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    root: '.',
    branch: input.branch,
    base_ref: input.baseRef,
    head: input.head,
    prefix: input.prefix,
    delta,
    prefix_hash: hashes.prefix_hash,
    delta_hash: hashes.delta_hash,
    combined_hash: hashes.combined_hash,
    metrics: computeMetrics(previous, hashes, input.bytes),
    changed_files: delta.changed.map((c) => c.path),
    risk_files: delta.risk_files,
    recent_events: delta.recent_events,
    next_steps: delta.next_steps,
    open_questions: [...delta.open_questions, ...(input.coordination ?? [])],
  };
  if (previous?.agent_history) artifact.agent_history = previous.agent_history;
  return reorder(artifact);
}

/** The artifact with its agent history replaced. */
export function withAgentHistory(artifact: Artifact, history: AgentEntry[]): Artifact {
  return reorder({ ...artifact, agent_history: history });
}

/** agent_history sits after metrics, as in schema_version 1. */
function reorder(a: Artifact): Artifact {
  const { changed_files, risk_files, recent_events, next_steps, open_questions, agent_history, ...head } = a;
  return {
    ...head,
    ...(agent_history ? { agent_history } : {}),
    changed_files,
    risk_files,
    recent_events,
    next_steps,
    open_questions,
  };
}
