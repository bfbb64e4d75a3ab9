// Reading a saved `handoff.latest.json` of schema_version 1, written by this tool or by the
// Go tool codemap (handoff/types.go, storage.go). Go leaves out what it never had (`head`,
// `prefix.languages`, `*_total`/`*_omitted`, …) and what its `omitempty` drops; those are
// filled with neutral values here, then the strict write schema validates the result. The
// next save writes every field. A file that is not a schema-1 handoff still fails.
import { z } from 'zod';
import { artifact, SCHEMA_VERSION } from './artifact.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Go marshals a nil slice as `null` and an `omitempty` one not at all. */
const list = (v: unknown): unknown => (v === undefined || v === null ? [] : v);

const mapList = (v: unknown, f: (item: unknown) => unknown): unknown => {
  const l = list(v);
  return Array.isArray(l) ? l.map(f) : l;
};

/** Sets each key of `defaults` that `o` lacks. */
function withDefaults(o: Json, defaults: Json): Json {
  const out = { ...o };
  for (const [k, v] of Object.entries(defaults)) if (out[k] === undefined) out[k] = v;
  return out;
}

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
  return { ...withDefaults(v, { size: 0, hash: '' }), status };
}

function event(v: unknown): unknown {
  return isObject(v) ? { ...v, time: utcSeconds(v.time) } : v;
}

function agent(v: unknown): unknown {
  if (!isObject(v)) return v;
  const { ended_at: ended, ...rest } = v;
  const out: Json = { ...rest, started_at: utcSeconds(v.started_at) };
  if (ended !== undefined && !(typeof ended === 'string' && GO_ZERO_TIME.test(ended))) out.ended_at = utcSeconds(ended);
  return out;
}

/** Go's own pre-layer files hold only the top-level lists: promote them, as Go's reader does. */
function deltaOf(a: Json): unknown {
  if (a.delta !== undefined && a.delta !== null) return a.delta;
  const changed = list(a.changed_files);
  return {
    changed: Array.isArray(changed) ? changed.map((path) => ({ path })) : changed,
    risk_files: a.risk_files,
    recent_events: a.recent_events,
    next_steps: a.next_steps,
    open_questions: a.open_questions,
  };
}

function prefix(v: unknown): unknown {
  if (!isObject(v)) return v;
  return { ...withDefaults(v, { base_tree: '', file_count: 0, languages: {}, hubs_omitted: 0 }), hubs: list(v.hubs) };
}

function delta(v: unknown): unknown {
  if (!isObject(v)) return v;
  const changed = mapList(v.changed, stub);
  const filled = withDefaults(v, { base_commit: '', changed_omitted: 0, risk_omitted: 0, events_omitted: 0 });
  const omitted = typeof filled.changed_omitted === 'number' ? filled.changed_omitted : 0;
  return withDefaults(
    {
      ...filled,
      changed,
      risk_files: list(v.risk_files),
      recent_events: mapList(v.recent_events, event),
      next_steps: list(v.next_steps),
      open_questions: list(v.open_questions),
    },
    { changed_total: (Array.isArray(changed) ? changed.length : 0) + omitted },
  );
}

/** Fills what a schema-1 file may lack; anything not an object is left for validation to refuse. */
export function fillSchema1(value: unknown): unknown {
  if (!isObject(value)) return value;
  const a = withDefaults(value, { head: '', prefix_hash: '', delta_hash: '', combined_hash: '' });
  // Go's reader takes a missing (zero) schema_version as 1; any other version is not ours to read.
  if (a.schema_version === undefined || a.schema_version === 0) a.schema_version = SCHEMA_VERSION;
  a.generated_at = utcSeconds(a.generated_at);
  a.prefix = prefix(a.prefix ?? {});
  const d = delta(deltaOf(a));
  a.delta = d;
  if (a.agent_history !== undefined && a.agent_history !== null) a.agent_history = mapList(a.agent_history, agent);
  else delete a.agent_history;
  // The deprecated top-level mirrors: Go writes them, and rebuilds them from the delta when absent.
  const mirror = isObject(d) ? d : {};
  const orMirror = (v: unknown, fallback: unknown): unknown => (v === undefined || v === null ? fallback : v);
  const paths = Array.isArray(mirror.changed) ? mirror.changed.map((c) => (isObject(c) ? c.path : c)) : mirror.changed;
  a.changed_files = orMirror(a.changed_files, paths);
  a.risk_files = orMirror(a.risk_files, mirror.risk_files);
  const events = a.recent_events === undefined || a.recent_events === null
    ? undefined
    : mapList(a.recent_events, event);
  a.recent_events = orMirror(events, mirror.recent_events);
  a.next_steps = orMirror(a.next_steps, mirror.next_steps);
  a.open_questions = orMirror(a.open_questions, mirror.open_questions);
  return a;
}

/** The read side of `artifact`: lenient on what schema-1 writers leave out, strict on the rest. */
export const savedArtifact = z.preprocess(fillSchema1, artifact);
