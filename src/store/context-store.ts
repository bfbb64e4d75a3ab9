// The team store, one per clone in the git common dir (so every linked worktree finds
// it): an append-only log of checksummed typed records (schema/records.ts); `active.json`
// is a checkpoint of the live contexts, the live records of other kinds and the log offset
// it covers, so writes and reads cost O(active records + log tail), not O(history). The rules of the fold are core's
// (core/records.ts); this module owns the files. Writers serialise through one lock;
// readers never take it, and an open whose checkpoint no longer matches the log refolds.
// (About 400 lines: open, write, migrate and repair share the checkpoint's invariants.)
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { encodeTime, ulid } from 'ulid';
import * as z from 'zod';
import type { Hasher } from '../core/hash.js';
import { canonicalJson } from '../core/canonical-json.js';
import { isLive, keptInCheckpoint } from '../core/context-rules.js';
import {
  accumulate,
  checkpointKindRecords,
  checkpointRecords,
  emptyAccumulator,
  foldRecords,
  fromLegacy,
  keptRecords,
  registryAfter,
  resolveContexts,
  type Accumulator,
} from '../core/records.js';
import { compareCodeUnit } from '../core/paths.js';
import { CorruptFileError } from '../errors.js';
import {
  developerRegistry,
  eventRecord,
  staleSightings,
  STORE_VERSION,
  type Context,
  type DeveloperRegistry,
  type EventRecord,
  type StaleSightings,
} from '../schema/context.js';
import {
  checkpoint as checkpointSchema,
  legacyRecord,
  STORE_FORMAT,
  storeRecord,
  type Checkpoint,
  type StoreRecord,
} from '../schema/records.js';
import { parseJsonText, readJsonFile, readTextIfExists, writeFileAtomic, moveAside } from './atomic.js';
import { appendAt, appendCappedLines, checkedLine, readLines, repairLines, sumOf } from './jsonl.js';
import { LOG_FILE, storeLayoutIn, type StoreLayout } from './layout.js';
import { withLock, type LockOptions } from './lock.js';
import { lineEndingAt } from './log-lines.js';

export { STORE_DIR_NAME } from './layout.js';
export const EVENTS_KEPT = 5_000;
/** A log larger than this is closed and a new one started (history compaction). */
const LOG_ROTATE_BYTES = 4 << 20;
/** No event line is shorter: a log under EVENTS_KEPT times this cannot need trimming. */
const EVENT_MIN_LINE_BYTES = 40;

const REPAIR_HINT = 'run `handoff context repair`';

/** A log line: a typed record, or a format-1 record of a store not yet migrated. */
const logLine = z.union([storeRecord, legacyRecord]);
type LogLine = z.infer<typeof logLine>;
const isLegacy = (line: LogLine): line is z.infer<typeof legacyRecord> => 'op' in line;

/** How a format-1 checkpoint starts, however it is spaced (a cheap test before a parse). */
const FORMAT_1_START = /^\s*\{\s*"schema_version"\s*:\s*1\s*[,}]/;

/** A well-formed checkpoint of store format 1 (a corrupt one is reported as corrupt). */
function isFormat1(text: string): boolean {
  try {
    return (JSON.parse(text) as { schema_version?: unknown }).schema_version === 1;
  } catch {
    return false;
  }
}

/**
 * Reads a store file we own (or parses `text`, when the caller has already read it); a
 * corrupt one points at `context repair`, which moves it aside and rebuilds.
 */
function readStoreFile<S extends z.ZodType>(path: string, schema: S, text?: string): z.infer<S> | undefined {
  try {
    return text === undefined ? readJsonFile(path, schema) : parseJsonText(text, schema, path);
  } catch (error) {
    if (error instanceof CorruptFileError) throw new CorruptFileError(error.file, error.reason, REPAIR_HINT);
    throw error;
  }
}

export interface StoreSnapshot {
  checkpoint: Checkpoint;
  /** Live contexts (not superseded or revoked) by id, including the log tail. */
  contexts: Map<string, Context>;
  /** The newest context of each slot the checkpoint and tail know, revoked ones included (see keptInCheckpoint). */
  heads: Context[];
  /** The fold of everything the checkpoint keeps plus the log tail: what views of every kind derive from. */
  acc: Accumulator;
  /** The records of the kinds the checkpoint keeps as records (core/records.ts CHECKPOINT_RULES): its own and the tail's. */
  others: StoreRecord[];
  /** End of the last complete line of the current log. */
  logEnd: number;
  /** Checksum of the line that ends at `logEnd` (none at 0). */
  lastSum?: string;
  /** The saved checkpoint did not match the log (or was missing) and was refolded from it in memory. */
  rebuilt: boolean;
  /** The store is of format 1: the next write migrates it. */
  legacy: boolean;
}

/** One log as read: where its complete lines end, how many there are, the last one's checksum. */
interface LogRead {
  id: string;
  end: number;
  count: number;
  lastSum?: string;
}

export class ContextStore {
  readonly paths: StoreLayout;

  constructor(
    readonly dir: string,
    private readonly hasher: Hasher,
  ) {
    this.paths = storeLayoutIn(dir);
  }

  private get lineFormat() {
    return { schema: logLine, hasher: this.hasher, hint: REPAIR_HINT };
  }

  /** Log files, oldest first (ids are ULIDs, so names sort by time). */
  logIds(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .map((f) => LOG_FILE.exec(f)?.[1])
      .filter((id): id is string => id !== undefined)
      .sort();
  }

  encodeRecord(record: StoreRecord): string {
    return checkedLine(JSON.stringify(record), this.hasher);
  }

  /** The checkpoint, or 'legacy' for one of store format 1 (refolded from the log, migrated on a write). */
  readCheckpoint(): Checkpoint | 'legacy' | undefined {
    // Validating the checkpoint is most of an open's cost: a publish reads it before and
    // under the lock, so the same file (same inode, size and mtime) is parsed once.
    const stat = statSync(this.paths.checkpoint, { bigint: true, throwIfNoEntry: false });
    const key = stat?.isFile() ? `${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}` : undefined;
    if (key !== undefined && this.checkpointCache?.key === key) return this.checkpointCache.value;
    const value = this.readCheckpointFile();
    this.checkpointCache = key !== undefined ? { key, value } : undefined;
    return value;
  }

  private checkpointCache: { key: string; value: Checkpoint | 'legacy' | undefined } | undefined;

  private readCheckpointFile(): Checkpoint | 'legacy' | undefined {
    const text = readTextIfExists(this.paths.checkpoint);
    if (text === undefined) return undefined;
    if (FORMAT_1_START.test(text) && isFormat1(text)) return 'legacy';
    return readStoreFile(this.paths.checkpoint, checkpointSchema, text);
  }

  /**
   * Whether a saved checkpoint still describes its log: the offset is inside the log,
   * just past a newline, and that line is the one the checkpoint saw. A log rewritten
   * by repair (or a checkpoint left by a killed writer against one) fails this.
   */
  coversLog(checkpoint: Checkpoint): boolean {
    const line = lineEndingAt(this.paths.log(checkpoint.log_id), checkpoint.log_offset);
    if (line === undefined) return false;
    return checkpoint.log_last_sum === undefined || sumOf(line) === checkpoint.log_last_sum;
  }

  /**
   * The live contexts: the checkpoint folded with whatever the log gained after it. No
   * lock and no write: a checkpoint that does not match the log is refolded from it in memory.
   */
  snapshot(): StoreSnapshot {
    const saved = this.readCheckpoint();
    const usable = saved !== undefined && saved !== 'legacy' && this.coversLog(saved);
    const history = usable ? undefined : this.history();
    const checkpoint = usable ? saved : this.checkpointOfHistory(history!);
    const tail = readLines(this.paths.log(checkpoint.log_id), this.lineFormat, checkpoint.log_offset);
    const legacy = saved === 'legacy' || (history?.legacy ?? false) || tail.values.some(isLegacy);
    const fresh = tail.values.filter((l): l is StoreRecord => !isLegacy(l));
    const others = [...checkpoint.records, ...checkpointKindRecords(fresh)];
    const acc = accumulate(emptyAccumulator(), [
      ...checkpoint.contexts.flatMap(checkpointRecords),
      ...checkpoint.records,
      ...fresh,
    ]);
    const heads = [...resolveContexts(acc).values()].filter((c) => c.superseded_by === undefined);
    const contexts = new Map(heads.filter(isLive).map((c) => [c.id, c]));
    const lastSum = tail.lastSum ?? checkpoint.log_last_sum;
    const rebuilt = !usable && (saved !== undefined || checkpoint.log_offset > 0);
    const sum = lastSum !== undefined ? { lastSum } : {};
    return { checkpoint, contexts, heads, acc, others, logEnd: tail.end, ...sum, rebuilt, legacy };
  }

  /**
   * Every record of every log, oldest first; format-1 lines converted (their ids made
   * from their time and position, so the conversion is the same every time).
   */
  history(): { records: StoreRecord[]; logs: LogRead[]; legacy: boolean } {
    const records: StoreRecord[] = [];
    const logs: LogRead[] = [];
    const developerOf = new Map<string, string>();
    let seq = 0;
    const idOf = (_i: number, at: string): string =>
      encodeTime(Math.max(0, Date.parse(at) || 0), 10) + (seq++).toString(32).toUpperCase().padStart(16, '0');
    let legacy = false;
    for (const id of this.logIds()) {
      const read = readLines(this.paths.log(id), this.lineFormat);
      for (const line of read.values) {
        if (isLegacy(line)) {
          legacy = true;
          records.push(...fromLegacy([line], developerOf, idOf));
        } else {
          if (line.kind === 'context') developerOf.set(line.context.id, line.context.developer);
          records.push(line);
        }
      }
      const sum = read.lastSum !== undefined ? { lastSum: read.lastSum } : {};
      logs.push({ id, end: read.end, count: read.values.length, ...sum });
    }
    return { records, logs, legacy };
  }

  /** Every record of every log, oldest first. */
  allRecords(): StoreRecord[] {
    return this.history().records;
  }

  /** Folds every log from the start: the audit view, and the way back from a lost checkpoint. */
  foldHistory(): Map<string, Context> {
    return foldRecords(this.allRecords()).contexts;
  }

  /**
   * The checkpoint of a whole history; with `now`, what keptInCheckpoint and
   * CHECKPOINT_RULES drop then is left out (without it, in memory, every record is kept).
   */
  private checkpointOfHistory(history: ReturnType<ContextStore['history']>, now?: Date): Checkpoint {
    const acc = accumulate(emptyAccumulator(), history.records);
    let live = [...resolveContexts(acc).values()].filter((c) => c.superseded_by === undefined);
    if (now) live = live.filter((c) => keptInCheckpoint(c, now));
    const last = history.logs.at(-1);
    const logId = last?.id ?? ulid(0).replace(/^0+/, '0');
    return this.checkpointOf(logId, last?.end ?? 0, last?.lastSum, live, keptRecords(acc, history.records, now));
  }

  private checkpointOf(
    logId: string,
    offset: number,
    lastSum: string | undefined,
    contexts: Context[],
    records: StoreRecord[],
  ): Checkpoint {
    const sum = offset > 0 && lastSum !== undefined ? { log_last_sum: lastSum } : {};
    return { schema_version: STORE_FORMAT, log_id: logId, log_offset: offset, ...sum, contexts, records };
  }

  private writeCheckpoint(checkpoint: Checkpoint): void {
    writeFileAtomic(this.paths.checkpoint, JSON.stringify(checkpoint));
  }

  /**
   * Appends `records` to the log (fsync) under the store lock, after updating the
   * registry (first, so a crash between leaves the stricter visibility), then writes the
   * checkpoint: the live contexts still active at `now` and the records CHECKPOINT_RULES
   * keep. `events` join the event log under the same lock. A store of format 1 is
   * migrated first. Given a function, the records are what it returns for a snapshot
   * taken under the lock (a check-then-write; if it throws, nothing is written).
   * Returns the records appended.
   */
  async write(
    given: readonly StoreRecord[] | ((snap: StoreSnapshot) => readonly StoreRecord[]),
    options: { now: Date; events?: readonly EventRecord[] },
  ): Promise<readonly StoreRecord[]> {
    mkdirSync(this.dir, { recursive: true });
    return withLock(this.paths.lock, () => {
      let snap = this.snapshot();
      if (snap.legacy) snap = this.migrateLocked();
      const records = typeof given === 'function' ? given(snap) : given;
      this.updateRegistryLocked(records);
      let logId = snap.checkpoint.log_id;
      let end = snap.logEnd;
      let lastSum = snap.lastSum;
      if (records.length > 0) {
        const lines = records.map((r) => this.encodeRecord(r));
        end = appendAt(this.paths.log(logId), snap.logEnd, lines.join(''));
        lastSum = sumOf(lines.at(-1)!);
      }
      const acc = accumulate(emptyAccumulator(), [
        ...snap.heads.flatMap(checkpointRecords),
        ...snap.others,
        ...records,
      ]);
      const live = [...resolveContexts(acc).values()].filter((c) => keptInCheckpoint(c, options.now));
      const kept = keptRecords(acc, [...snap.others, ...records], options.now);
      if (end > LOG_ROTATE_BYTES) {
        logId = ulid();
        end = 0;
        writeFileAtomic(this.paths.log(logId), '');
      }
      const changed = records.length > 0 || logId !== snap.checkpoint.log_id || snap.rebuilt;
      if (changed || !existsSync(this.paths.checkpoint)) {
        this.writeCheckpoint(this.checkpointOf(logId, end, lastSum, live, kept));
      }
      if (options.events?.length) this.appendEventsLocked(options.events);
      return records;
    });
  }

  /** Whether the store still is of format 1 (a corrupt checkpoint is repair's to report, not this). */
  private isFormat1(): boolean {
    const text = readTextIfExists(this.paths.checkpoint);
    return (text !== undefined && isFormat1(text)) || this.history().legacy;
  }

  /** Adds what `records` say to the registry, saved when that changed it or it is missing (caller holds the lock). */
  private updateRegistryLocked(records: readonly StoreRecord[]): void {
    const saved = this.readDevelopers();
    const developers = registryAfter(saved.developers, records);
    if (developers === saved.developers && existsSync(this.paths.developers)) return;
    this.writeDevelopers({ schema_version: STORE_VERSION, developers });
  }

  /**
   * Rewrites a format-1 store in place (caller holds the lock): each log's lines become
   * typed records, and the checkpoint is refolded from them. Returns the new snapshot.
   */
  private migrateLocked(): StoreSnapshot {
    const history = this.history();
    let next = 0;
    for (const log of history.logs) {
      const lines = history.records.slice(next, next + log.count).map((r) => this.encodeRecord(r));
      next += log.count;
      writeFileAtomic(this.paths.log(log.id), lines.join(''));
    }
    this.writeCheckpoint(this.checkpointOfHistory(this.history()));
    return this.snapshot();
  }

  /** The registry; rebuilt from the log when the file is missing (never defaulting a private developer to public). */
  readDevelopers(): DeveloperRegistry {
    const saved = readStoreFile(this.paths.developers, developerRegistry);
    return saved ?? { schema_version: STORE_VERSION, developers: foldRecords(this.allRecords()).developers };
  }

  writeDevelopers(registry: DeveloperRegistry): void {
    mkdirSync(this.dir, { recursive: true });
    writeFileAtomic(this.paths.developers, `${JSON.stringify(registry, null, 2)}\n`);
  }

  readSightings(): StaleSightings {
    return readStoreFile(this.paths.sightings, staleSightings) ?? { schema_version: STORE_VERSION, seen: {} };
  }

  writeSightings(sightings: StaleSightings): void {
    writeFileAtomic(this.paths.sightings, JSON.stringify(sightings));
  }

  /** Runs `fn` under the store lock (for the sightings and events). */
  locked<T>(fn: () => T | Promise<T>, options?: LockOptions): Promise<T> {
    mkdirSync(this.dir, { recursive: true });
    return withLock(this.paths.lock, fn, options);
  }

  /** Saves the checkpoint a reader refolded from the log (caller holds the lock), if it still needs it. */
  saveRebuiltCheckpointLocked(now: Date): void {
    let snap = this.snapshot();
    if (snap.legacy) snap = this.migrateLocked();
    if (!snap.rebuilt) return;
    const kept = keptRecords(snap.acc, snap.others, now);
    this.writeCheckpoint(this.checkpointOf(snap.checkpoint.log_id, snap.logEnd, snap.lastSum, snap.heads, kept));
  }

  /** Appends events (caller holds the lock) and keeps only the newest EVENTS_KEPT. */
  appendEventsLocked(events: readonly EventRecord[]): void {
    const options = { keep: EVENTS_KEPT, inPlace: true, minLineBytes: EVENT_MIN_LINE_BYTES };
    appendCappedLines(
      this.paths.events,
      events.map((e) => JSON.stringify(e)),
      options,
    );
  }

  readEvents(): EventRecord[] {
    return readLines(this.paths.events, { schema: eventRecord, hint: REPAIR_HINT }).values;
  }

  /**
   * Moves every file that fails validation aside (`<name>.corrupt-<time>`) and rebuilds
   * what it can: logs keep their valid lines, and the checkpoint is refolded from the
   * lines kept whenever a log changed or it no longer matches them.
   */
  async repair(now: Date): Promise<string[]> {
    const report: string[] = [];
    if (!existsSync(this.dir)) return report;
    await withLock(this.paths.lock, () => {
      let logsRewritten = false;
      for (const id of this.logIds()) {
        const done = repairLines(this.paths.log(id), this.lineFormat, now);
        if (done === undefined) continue;
        logsRewritten = true;
        const what = `${done.bad} bad lines dropped, ${done.kept} kept`;
        report.push(`${this.paths.log(id)}: ${what} (original moved to ${done.movedTo})`);
      }
      if (this.isFormat1()) this.migrateLocked();
      for (const [path, schema] of [
        [this.paths.checkpoint, checkpointSchema],
        [this.paths.developers, developerRegistry],
        [this.paths.sightings, staleSightings],
      ] as const) {
        try {
          readJsonFile(path, schema);
        } catch {
          report.push(`${path}: invalid, moved to ${moveAside(path, now)}`);
        }
      }
      const events = repairLines(this.paths.events, { schema: eventRecord }, now);
      if (events) {
        report.push(`${this.paths.events}: ${events.bad} bad lines dropped (original moved to ${events.movedTo})`);
      }
      if (!existsSync(this.paths.developers)) {
        const { developers } = foldRecords(this.allRecords());
        this.writeDevelopers({ schema_version: STORE_VERSION, developers });
        report.push(`${this.paths.developers}: rebuilt from the log (${Object.keys(developers).length} developers)`);
      }
      const why = this.checkpointProblem(logsRewritten, now);
      if (why !== undefined) {
        const rebuilt = this.checkpointOfHistory(this.history(), now);
        this.writeCheckpoint(rebuilt);
        const count = `${rebuilt.contexts.length} live contexts`;
        report.push(`${this.paths.checkpoint}: rebuilt from the log, ${why} (${count})`);
      }
    });
    return report;
  }

  /** Why the saved checkpoint must be refolded (caller holds the lock), or undefined when it matches the logs. */
  private checkpointProblem(logsRewritten: boolean, now: Date): string | undefined {
    const saved = this.readCheckpoint();
    if (saved === undefined || saved === 'legacy') return 'it was missing';
    if (logsRewritten) return 'which lost lines';
    if (!this.coversLog(saved)) return `its offset ${saved.log_offset} does not match log-${saved.log_id}.jsonl`;
    // What reads would serve against what the whole history says: a checkpoint that
    // kept a context the log lost, or missed one it gained, is refolded.
    const unexpired = (contexts: Iterable<Context>): string => {
      const kept = [...contexts].filter((c) => isLive(c) && Date.parse(c.expires_at) > now.getTime());
      return canonicalJson(kept.sort((a, b) => compareCodeUnit(a.id, b.id)));
    };
    const snap = this.snapshot();
    const whole = this.checkpointOfHistory(this.history(), now);
    const ids = (records: StoreRecord[]): string => records.map((r) => r.id).join(',');
    const served = unexpired(snap.contexts.values()) + ids(keptRecords(snap.acc, snap.others, now));
    if (served !== unexpired(whole.contexts) + ids(whole.records)) return 'which disagreed with it';
    return undefined;
  }
}
