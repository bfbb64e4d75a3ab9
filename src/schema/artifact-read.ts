// Reading a saved `handoff.latest.json` of schema_version 1, written by this tool or by the
// Go tool codemap (handoff/types.go, storage.go). What Go always writes stays required
// (GO_REQUIRED); every other field is ours or `omitempty` in Go, and a file lacking it gets
// a neutral value by its type in the write schema (0, '', [], {}), then the strict write
// schema validates the result. The next save writes every field.
import * as z from 'zod';
import {
  agentEntry,
  artifact,
  cacheMetrics,
  deltaSnapshot,
  eventSummary,
  fileStub,
  hubSummary,
  prefixSnapshot,
  riskFile,
  SCHEMA_VERSION,
} from './artifact.js';

type Json = Record<string, unknown>;
type Shaped = { shape: Record<string, z.ZodType> };

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const absent = (v: unknown): boolean => v === undefined || v === null;

/**
 * Fields the Go tool writes on every save (no `omitempty`): a file without one is no
 * handoff. Its own reader tolerates a missing prefix, delta, hash or list, and so do we.
 */
const GO_REQUIRED = {
  artifact: ['generated_at', 'root', 'branch', 'base_ref', 'metrics'],
  metrics: [
    'prefix_bytes',
    'delta_bytes',
    'total_bytes',
    'unchanged_bytes',
    'reuse_ratio',
    'prefix_reused',
    'delta_reused',
  ],
  stub: ['path'],
  risk: ['path', 'importers', 'is_hub', 'reason'],
  hub: ['path', 'importers'],
  event: ['time', 'op', 'path'],
  agent: ['agent_id', 'started_at'],
  none: [],
} as const;

const NEUTRAL: Record<string, () => unknown> = {
  number: () => 0,
  string: () => '',
  array: () => [],
  record: () => ({}),
  boolean: () => false,
};

/**
 * Sets each field of `schema` that `v` lacks, other than `required`, to the neutral value of
 * its type (a list written as `null`, Go's nil slice, included); objects, enums and optional
 * fields are left alone. Fields added later to the write schema are covered the same way.
 */
function fill(v: unknown, schema: Shaped, required: readonly string[]): unknown {
  if (!isObject(v)) return v;
  const out: Json = { ...v };
  for (const [key, field] of Object.entries(schema.shape)) {
    if (!absent(out[key]) || required.includes(key)) continue;
    const neutral = NEUTRAL[field.def.type];
    if (neutral && (out[key] === undefined || field.def.type === 'array')) out[key] = neutral();
  }
  return out;
}

const each = (v: unknown, f: (item: unknown) => unknown): unknown => (Array.isArray(v) ? v.map(f) : v);

const OUR_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
/** Go's zero time.Time: what it writes for a time never set. */
const GO_ZERO_TIME = /^0001-01-01T00:00:00(\.0+)?(Z|[+-]00:00)$/;

/**
 * RFC 3339 UTC at second precision, as this tool writes times. Go writes RFC3339Nano in the
 * writer's zone (`09:12:44.100001+01:00`); times are compared as text, so they must agree.
 */
function utcSeconds(t: unknown): unknown {
  if (typeof t !== 'string' || OUR_TIME.test(t)) return t;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? t : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Go's statuses beyond ours: `event` (a path only the watch daemon saw change) and none at all. */
function stub(v: unknown): unknown {
  if (!isObject(v)) return v;
  const status = v.status === undefined || v.status === '' || v.status === 'event' ? 'modified' : v.status;
  return fill({ ...v, status }, fileStub, GO_REQUIRED.stub);
}

function event(v: unknown): unknown {
  return isObject(v) ? fill({ ...v, time: utcSeconds(v.time) }, eventSummary, GO_REQUIRED.event) : v;
}

const risk = (v: unknown): unknown => fill(v, riskFile, GO_REQUIRED.risk);

function agent(v: unknown): unknown {
  if (!isObject(v)) return v;
  const { ended_at: ended, ...rest } = v;
  const out: Json = { ...rest, started_at: utcSeconds(v.started_at) };
  if (ended !== undefined && !(typeof ended === 'string' && GO_ZERO_TIME.test(ended))) out.ended_at = utcSeconds(ended);
  return fill(out, agentEntry, GO_REQUIRED.agent);
}

/** Go's own pre-layer files hold only the top-level lists: promote them, as Go's reader does. */
function deltaOf(a: Json): unknown {
  if (!absent(a.delta)) return a.delta;
  return {
    changed: each(a.changed_files ?? [], (path) => ({ path })),
    risk_files: a.risk_files,
    recent_events: a.recent_events,
    next_steps: a.next_steps,
    open_questions: a.open_questions,
  };
}

function prefix(v: unknown): unknown {
  const p = fill(v, prefixSnapshot, GO_REQUIRED.none);
  return isObject(p) ? { ...p, hubs: each(p.hubs, (h) => fill(h, hubSummary, GO_REQUIRED.hub)) } : p;
}

function delta(v: unknown): unknown {
  if (!isObject(v)) return v;
  const changed = each(v.changed ?? [], stub);
  const omitted = typeof v.changed_omitted === 'number' ? v.changed_omitted : 0;
  const total = v.changed_total ?? (Array.isArray(changed) ? changed.length + omitted : undefined);
  const d = fill({ ...v, changed, changed_total: total }, deltaSnapshot, GO_REQUIRED.none);
  if (!isObject(d)) return d;
  return { ...d, risk_files: each(d.risk_files, risk), recent_events: each(d.recent_events, event) };
}

/** Fills what a schema-1 file may lack; anything not an object is left for validation to refuse. */
export function fillSchema1(value: unknown): unknown {
  if (!isObject(value)) return value;
  // Go's reader takes a missing (zero) schema_version as 1; any other version is not ours to read.
  const zero = value.schema_version === undefined || value.schema_version === 0;
  const version = zero ? SCHEMA_VERSION : value.schema_version;
  const d = delta(deltaOf(value));
  const a: Json = {
    ...value,
    schema_version: version,
    generated_at: utcSeconds(value.generated_at),
    prefix: prefix(value.prefix ?? {}),
    delta: d,
    metrics: fill(value.metrics, cacheMetrics, GO_REQUIRED.metrics),
  };
  if (absent(a.agent_history)) delete a.agent_history;
  else a.agent_history = each(a.agent_history, agent);
  // The deprecated top-level mirrors: Go writes them, and rebuilds them from the delta when absent.
  const mirror = isObject(d) ? d : {};
  const orMirror = (v: unknown, fallback: unknown): unknown => (absent(v) ? fallback : v);
  a.changed_files = orMirror(
    a.changed_files,
    each(mirror.changed, (c) => (isObject(c) ? c.path : c)),
  );
  a.risk_files = orMirror(each(a.risk_files, risk), mirror.risk_files);
  a.recent_events = orMirror(each(a.recent_events, event), mirror.recent_events);
  a.next_steps = orMirror(a.next_steps, mirror.next_steps);
  a.open_questions = orMirror(a.open_questions, mirror.open_questions);
  return fill(a, artifact, GO_REQUIRED.artifact);
}

/** The read side of `artifact`: lenient on what schema-1 writers leave out, strict on the rest. */
export const savedArtifact = z.preprocess(fillSchema1, artifact);
