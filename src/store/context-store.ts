// The context store, one per clone in the git common dir (so every linked worktree
// finds it). History is an append-only log of self-checking lines; `active.json` is a
// checkpoint of the live contexts and the log offset it covers, so publish and get cost
// O(active contexts + log tail), not O(history). Writers serialise through one lock;
// readers never take it, and an open whose checkpoint no longer matches the log refolds.
import {
  closeSync,
  existsSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
} from 'node:fs';
import { join } from 'node:path';
import { ulid } from 'ulid';
import type { z } from 'zod';
import type { Hasher } from '../core/hash.js';
import { canonicalJson } from '../core/canonical-json.js';
import { applyRecord, foldRegistry } from '../core/context-rules.js';
import { compareCodeUnit } from '../core/paths.js';
import { CorruptFileError } from '../errors.js';
import {
  checkpoint as checkpointSchema,
  developerRegistry,
  eventRecord,
  logRecord,
  staleSightings,
  STORE_VERSION,
  type Checkpoint,
  type Context,
  type DeveloperRegistry,
  type EventRecord,
  type LogRecord,
  type StaleSightings,
} from '../schema/context.js';
import { APPEND_NO_FOLLOW, parseJsonText, readJsonFile, readTextIfExists, writeAllAt, writeFileAtomic } from './atomic.js';
import { appendCappedLines } from './jsonl.js';
import { withLock, type LockOptions } from './lock.js';
import { completeLinesFrom, lineEndingAt } from './log-lines.js';

export const STORE_DIR_NAME = 'codemap-handoff';
export const EVENTS_KEPT = 5_000;
/** A log larger than this is closed and a new one started (history compaction). */
const LOG_ROTATE_BYTES = 4 << 20;
/** No event line is shorter: a log under EVENTS_KEPT times this cannot need trimming. */
const EVENT_MIN_LINE_BYTES = 40;

const REPAIR_HINT = 'run `handoff context repair`';
const SUM_LENGTH = 16;

/** Reads a store file we own; a corrupt one points at `context repair`, which moves it aside and rebuilds. */
function readStoreFile<S extends z.ZodType>(path: string, schema: S): z.infer<S> | undefined {
  try {
    return readJsonFile(path, schema);
  } catch (error) {
    if (error instanceof CorruptFileError) throw new CorruptFileError(error.file, error.reason, REPAIR_HINT);
    throw error;
  }
}

const isLive = (c: Context): boolean => c.superseded_by === undefined && c.revoked_at === undefined;

export interface StoreSnapshot {
  checkpoint: Checkpoint;
  /** Live contexts (not superseded or revoked) by id, including the log tail. */
  contexts: Map<string, Context>;
  /** End of the last complete line of the current log. */
  logEnd: number;
  /** Checksum of the line that ends at `logEnd` (none at 0). */
  lastSum?: string;
  /** The saved checkpoint did not match the log (or was missing) and was refolded from it in memory. */
  rebuilt: boolean;
}

export class ContextStore {
  readonly checkpointPath: string;
  readonly developersPath: string;
  readonly stalePath: string;
  readonly eventsPath: string;
  readonly lockPath: string;

  constructor(
    readonly dir: string,
    private readonly hasher: Hasher,
  ) {
    this.checkpointPath = join(dir, 'active.json');
    this.developersPath = join(dir, 'developers.json');
    this.stalePath = join(dir, 'stale.json');
    this.eventsPath = join(dir, 'events.jsonl');
    this.lockPath = join(dir, 'store.lock');
  }

  logPath(id: string): string {
    return join(this.dir, `log-${id}.jsonl`);
  }

  /** Log files, oldest first (ids are ULIDs, so names sort by time). */
  logIds(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((f) => /^log-[0-9A-Z]+\.jsonl$/.test(f))
      .map((f) => f.slice(4, -6))
      .sort();
  }

  encodeRecord(record: LogRecord): string {
    const json = JSON.stringify(record);
    return `${this.hasher.text(json)} ${json}\n`;
  }

  /** Complete lines of `path` from `offset`; a torn last line (no newline) is not returned. */
  readRecords(path: string, offset = 0): { records: LogRecord[]; end: number; lastSum?: string } {
    const { lines, end } = completeLinesFrom(path, offset);
    const records = lines.map((line, i) => this.decodeLine(line, path, i + 1, offset));
    const last = lines.at(-1);
    return { records, end, ...(last !== undefined ? { lastSum: last.slice(0, SUM_LENGTH) } : {}) };
  }

  /** `lineNo` counts from `offset` (a tail read), so the message names where the tail starts. */
  private decodeLine(line: string, path: string, lineNo: number, offset = 0): LogRecord {
    const space = line.indexOf(' ');
    const json = line.slice(space + 1);
    const where = offset === 0 ? `line ${lineNo}` : `line ${lineNo} after byte ${offset}`;
    if (space !== SUM_LENGTH || this.hasher.text(json) !== line.slice(0, space)) {
      throw new CorruptFileError(path, `${where} fails its checksum`, REPAIR_HINT);
    }
    try {
      return parseJsonText(json, logRecord, `${path} ${where}`);
    } catch (error) {
      if (error instanceof CorruptFileError) throw new CorruptFileError(error.file, error.reason, REPAIR_HINT);
      throw error;
    }
  }

  readCheckpoint(): Checkpoint | undefined {
    return readStoreFile(this.checkpointPath, checkpointSchema);
  }

  /**
   * Whether a saved checkpoint still describes its log: the offset is inside the log,
   * just past a newline, and that line is the one the checkpoint saw. A log rewritten
   * by repair (or a checkpoint left by a killed writer against one) fails this.
   */
  coversLog(checkpoint: Checkpoint): boolean {
    const line = lineEndingAt(this.logPath(checkpoint.log_id), checkpoint.log_offset);
    if (line === undefined) return false;
    return checkpoint.log_last_sum === undefined || line.slice(0, SUM_LENGTH) === checkpoint.log_last_sum;
  }

  /**
   * The live contexts: the checkpoint plus whatever the log gained after it. No lock and
   * no write: a checkpoint that does not match the log is refolded from it in memory.
   */
  snapshot(): StoreSnapshot {
    const saved = this.readCheckpoint();
    const usable = saved !== undefined && this.coversLog(saved);
    const checkpoint = usable ? saved : this.rebuildCheckpoint();
    const contexts = new Map(checkpoint.contexts.map((c) => [c.id, c]));
    const tail = this.readRecords(this.logPath(checkpoint.log_id), checkpoint.log_offset);
    for (const r of tail.records) applyRecord(contexts, r);
    for (const [id, c] of contexts) if (!isLive(c)) contexts.delete(id);
    const lastSum = tail.lastSum ?? checkpoint.log_last_sum;
    const rebuilt = !usable && (saved !== undefined || checkpoint.log_offset > 0);
    return { checkpoint, contexts, logEnd: tail.end, ...(lastSum !== undefined ? { lastSum } : {}), rebuilt };
  }

  /** Every record of every log, oldest first. */
  *allRecords(): Generator<LogRecord> {
    for (const id of this.logIds()) yield* this.readRecords(this.logPath(id)).records;
  }

  /** Folds every log from the start: the audit view, and the way back from a lost checkpoint. */
  foldHistory(): Map<string, Context> {
    const all = new Map<string, Context>();
    for (const r of this.allRecords()) applyRecord(all, r);
    return all;
  }

  /** The checkpoint folded from every log; contexts expired before `dropExpiredBefore` are left out. */
  private rebuildCheckpoint(dropExpiredBefore?: Date): Checkpoint {
    const all = new Map<string, Context>();
    let last: ReturnType<ContextStore['readRecords']> = { records: [], end: 0 };
    const ids = this.logIds();
    for (const id of ids) {
      last = this.readRecords(this.logPath(id));
      for (const r of last.records) applyRecord(all, r);
    }
    let live = [...all.values()].filter(isLive);
    if (dropExpiredBefore) live = live.filter((c) => Date.parse(c.expires_at) > dropExpiredBefore.getTime());
    const logId = ids.at(-1) ?? ulid(0).replace(/^0+/, '0');
    return this.checkpointOf(logId, last.end, last.lastSum, live);
  }

  private checkpointOf(logId: string, offset: number, lastSum: string | undefined, contexts: Context[]): Checkpoint {
    const sum = offset > 0 && lastSum !== undefined ? { log_last_sum: lastSum } : {};
    return { schema_version: STORE_VERSION, log_id: logId, log_offset: offset, ...sum, contexts };
  }

  private writeCheckpoint(checkpoint: Checkpoint): void {
    writeFileAtomic(this.checkpointPath, JSON.stringify(checkpoint));
  }

  /**
   * Runs `change` under the store lock with a fresh snapshot, appends the records it
   * returns to the log (fsync), writes the new checkpoint atomically, then runs its
   * `after` (registry, events) still under the same lock.
   */
  async write<T>(change: (snap: StoreSnapshot) => { records: LogRecord[]; result: T; dropExpiredBefore?: Date; after?: () => void }): Promise<T> {
    mkdirSync(this.dir, { recursive: true });
    return withLock(this.lockPath, () => {
      const snap = this.snapshot();
      const { records, result, dropExpiredBefore, after } = change(snap);
      let logId = snap.checkpoint.log_id;
      let end = snap.logEnd;
      let lastSum = snap.lastSum;
      if (records.length > 0) {
        const lines = records.map((r) => this.encodeRecord(r));
        end = this.append(this.logPath(logId), snap.logEnd, lines.join(''));
        lastSum = lines.at(-1)!.slice(0, SUM_LENGTH);
        for (const r of records) applyRecord(snap.contexts, r);
      }
      let live = [...snap.contexts.values()].filter(isLive);
      // Expired contexts leave the checkpoint (the log keeps them for audit).
      if (dropExpiredBefore) live = live.filter((c) => Date.parse(c.expires_at) > dropExpiredBefore.getTime());
      if (end > LOG_ROTATE_BYTES) {
        logId = ulid();
        end = 0;
        writeFileAtomic(this.logPath(logId), '');
      }
      if (records.length > 0 || logId !== snap.checkpoint.log_id || snap.rebuilt || !existsSync(this.checkpointPath)) {
        this.writeCheckpoint(this.checkpointOf(logId, end, lastSum, live));
      }
      after?.();
      return result;
    });
  }

  /** Appends at `at` (dropping a torn tail left by a killed writer) and fsyncs; returns the new end. */
  private append(path: string, at: number, text: string): number {
    const fd = openSync(path, APPEND_NO_FOLLOW);
    try {
      if (fstatSync(fd).size > at) ftruncateSync(fd, at);
      return at + writeAllAt(fd, text, at);
    } finally {
      closeSync(fd);
    }
  }

  /** The registry; rebuilt from the log when the file is missing (never defaulting a private developer to public). */
  readDevelopers(): DeveloperRegistry {
    const saved = readStoreFile(this.developersPath, developerRegistry);
    return saved ?? { schema_version: STORE_VERSION, developers: foldRegistry(this.allRecords()) };
  }

  writeDevelopers(registry: DeveloperRegistry): void {
    mkdirSync(this.dir, { recursive: true });
    writeFileAtomic(this.developersPath, `${JSON.stringify(registry, null, 2)}\n`);
  }

  readSightings(): StaleSightings {
    return readStoreFile(this.stalePath, staleSightings) ?? { schema_version: STORE_VERSION, seen: {} };
  }

  writeSightings(sightings: StaleSightings): void {
    writeFileAtomic(this.stalePath, JSON.stringify(sightings));
  }

  /** Runs `fn` under the store lock (for the registry, sightings and events). */
  locked<T>(fn: () => T | Promise<T>, options?: LockOptions): Promise<T> {
    mkdirSync(this.dir, { recursive: true });
    return withLock(this.lockPath, fn, options);
  }

  /** Saves the checkpoint a reader refolded from the log (caller holds the lock), if it still needs it. */
  saveRebuiltCheckpointLocked(): void {
    const snap = this.snapshot();
    if (!snap.rebuilt) return;
    const live = [...snap.contexts.values()];
    this.writeCheckpoint(this.checkpointOf(snap.checkpoint.log_id, snap.logEnd, snap.lastSum, live));
  }

  /** Appends events (caller holds the lock) and keeps only the newest EVENTS_KEPT. */
  appendEventsLocked(events: readonly EventRecord[]): void {
    const options = { keep: EVENTS_KEPT, inPlace: true, minLineBytes: EVENT_MIN_LINE_BYTES };
    appendCappedLines(this.eventsPath, events.map((e) => JSON.stringify(e)), options);
  }

  readEvents(): EventRecord[] {
    const text = readTextIfExists(this.eventsPath) ?? '';
    return text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l, i) => {
        try {
          return parseJsonText(l, eventRecord, `${this.eventsPath} line ${i + 1}`);
        } catch (error) {
          if (error instanceof CorruptFileError) throw new CorruptFileError(error.file, error.reason, REPAIR_HINT);
          throw error;
        }
      });
  }

  /**
   * Moves every file that fails validation aside (`<name>.corrupt-<time>`) and rebuilds
   * what it can: logs keep their valid lines, and the checkpoint is refolded from the
   * lines kept whenever a log changed or it no longer matches them.
   */
  async repair(now: Date): Promise<string[]> {
    const report: string[] = [];
    if (!existsSync(this.dir)) return report;
    const stamp = now.toISOString().replace(/[:.]/g, '-');
    const aside = (path: string): string => {
      const target = `${path}.corrupt-${stamp}`;
      renameSync(path, target);
      return target;
    };
    await withLock(this.lockPath, () => {
      let logsRewritten = false;
      for (const id of this.logIds()) {
        const path = this.logPath(id);
        const text = readFileSync(path, 'utf8');
        const good: string[] = [];
        let bad = 0;
        for (const [i, line] of text.split('\n').entries()) {
          if (line === '') continue;
          try {
            this.decodeLine(line, path, i + 1);
            good.push(line);
          } catch {
            bad += 1;
          }
        }
        if (bad > 0) {
          logsRewritten = true;
          const moved = aside(path);
          writeFileAtomic(path, good.map((l) => `${l}\n`).join(''));
          report.push(`${path}: ${bad} bad lines dropped, ${good.length} kept (original moved to ${moved})`);
        }
      }
      for (const [path, schema] of [
        [this.checkpointPath, checkpointSchema],
        [this.developersPath, developerRegistry],
        [this.stalePath, staleSightings],
      ] as const) {
        try {
          readJsonFile(path, schema);
        } catch {
          report.push(`${path}: invalid, moved to ${aside(path)}`);
        }
      }
      const events = readTextIfExists(this.eventsPath);
      if (events !== undefined) {
        const lines = events.split('\n').filter((l) => l.trim() !== '');
        const good = lines.filter((l) => {
          try {
            parseJsonText(l, eventRecord, 'event');
            return true;
          } catch {
            return false;
          }
        });
        if (good.length !== lines.length) {
          const moved = aside(this.eventsPath);
          writeFileAtomic(this.eventsPath, good.map((l) => `${l}\n`).join(''));
          report.push(`${this.eventsPath}: ${lines.length - good.length} bad lines dropped (original moved to ${moved})`);
        }
      }
      if (!existsSync(this.developersPath)) {
        const developers = foldRegistry(this.allRecords());
        writeFileAtomic(this.developersPath, `${JSON.stringify({ schema_version: STORE_VERSION, developers }, null, 2)}\n`);
        report.push(`${this.developersPath}: rebuilt from the log (${Object.keys(developers).length} developers)`);
      }
      const why = this.checkpointProblem(logsRewritten, now);
      if (why !== undefined) {
        const rebuilt = this.rebuildCheckpoint(now);
        this.writeCheckpoint(rebuilt);
        report.push(`${this.checkpointPath}: rebuilt from the log, ${why} (${rebuilt.contexts.length} live contexts)`);
      }
    });
    return report;
  }

  /** Why the saved checkpoint must be refolded (caller holds the lock), or undefined when it matches the logs. */
  private checkpointProblem(logsRewritten: boolean, now: Date): string | undefined {
    const saved = this.readCheckpoint();
    if (saved === undefined) return 'it was missing';
    if (logsRewritten) return 'which lost lines';
    if (!this.coversLog(saved)) return `its offset ${saved.log_offset} does not match log-${saved.log_id}.jsonl`;
    // What reads would serve against what the whole history says: a checkpoint that
    // kept a context the log lost, or missed one it gained, is refolded.
    const unexpired = (contexts: Iterable<Context>): string => {
      const kept = [...contexts].filter((c) => Date.parse(c.expires_at) > now.getTime());
      return canonicalJson(kept.sort((a, b) => compareCodeUnit(a.id, b.id)));
    };
    const served = unexpired(this.snapshot().contexts.values());
    if (served !== unexpired(this.rebuildCheckpoint(now).contexts)) return 'which disagreed with it';
    return undefined;
  }
}
