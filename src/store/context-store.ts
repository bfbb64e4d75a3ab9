// The context store, one per clone in the git common dir (so every linked worktree
// finds it). History is an append-only log of self-checking lines; `active.json` is a
// checkpoint of the live contexts and the log offset it covers, so publish and get cost
// O(active contexts + log tail), not O(history). Writers serialise through one lock.
import { closeSync, existsSync, fstatSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ulid } from 'ulid';
import type { Hasher } from '../core/hash.js';
import { applyRecord, foldRegistry } from '../core/context-rules.js';
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
import { withLock } from './lock.js';

export const STORE_DIR_NAME = 'codemap-handoff';
export const EVENTS_KEPT = 5_000;
/** A log larger than this is closed and a new one started (history compaction). */
const LOG_ROTATE_BYTES = 4 << 20;
/** No event line is shorter: a log under EVENTS_KEPT times this cannot need trimming. */
const EVENT_MIN_LINE_BYTES = 40;

/** Offset just past the last newline in the first `size` bytes of a file (0 if none). */
function lastNewlineEnd(fd: number, size: number): number {
  const chunk = Buffer.alloc(Math.min(size, 64 * 1024));
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - chunk.length);
    const n = readSync(fd, chunk, 0, end - start, start);
    const i = chunk.subarray(0, n).lastIndexOf(10);
    if (i >= 0) return start + i + 1;
    end = start;
  }
  return 0;
}

export interface StoreSnapshot {
  checkpoint: Checkpoint;
  /** Live contexts (not superseded or revoked) by id, including the log tail. */
  contexts: Map<string, Context>;
  /** End of the last complete line of the current log. */
  logEnd: number;
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
  readRecords(path: string, offset = 0): { records: LogRecord[]; end: number } {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], end: 0 };
      throw error;
    }
    let bytes: Buffer;
    try {
      const size = fstatSync(fd).size;
      bytes = Buffer.alloc(Math.max(0, size - offset));
      let read = 0;
      while (read < bytes.length) {
        const n = readSync(fd, bytes, read, bytes.length - read, offset + read);
        if (n === 0) break;
        read += n;
      }
      bytes = bytes.subarray(0, read);
    } finally {
      closeSync(fd);
    }
    const lastNewline = bytes.lastIndexOf(10);
    const complete = lastNewline < 0 ? '' : bytes.subarray(0, lastNewline).toString('utf8');
    const records: LogRecord[] = [];
    let lineNo = 0;
    for (const line of complete === '' ? [] : complete.split('\n')) {
      lineNo += 1;
      records.push(this.decodeLine(line, path, lineNo));
    }
    return { records, end: offset + lastNewline + 1 };
  }

  private decodeLine(line: string, path: string, lineNo: number): LogRecord {
    const space = line.indexOf(' ');
    const json = line.slice(space + 1);
    if (space !== 16 || this.hasher.text(json) !== line.slice(0, space)) {
      throw new CorruptFileError(path, `line ${lineNo} fails its checksum`, 'run `handoff context repair`');
    }
    return parseJsonText(json, logRecord, `${path} line ${lineNo}`);
  }

  readCheckpoint(): Checkpoint | undefined {
    return readJsonFile(this.checkpointPath, checkpointSchema);
  }

  /** The live contexts: the checkpoint plus whatever the log gained after it. No lock. */
  snapshot(): StoreSnapshot {
    const saved = this.readCheckpoint();
    const checkpoint = saved ?? this.rebuildCheckpoint();
    const contexts = new Map(checkpoint.contexts.map((c) => [c.id, c]));
    const tail = this.readRecords(this.logPath(checkpoint.log_id), checkpoint.log_offset);
    for (const r of tail.records) applyRecord(contexts, r);
    for (const [id, c] of contexts) if (c.superseded_by !== undefined || c.revoked_at !== undefined) contexts.delete(id);
    return { checkpoint, contexts, logEnd: Math.max(tail.end, checkpoint.log_offset) };
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

  private rebuildCheckpoint(): Checkpoint {
    const ids = this.logIds();
    const live = [...this.foldHistory().values()].filter((c) => c.superseded_by === undefined && c.revoked_at === undefined);
    const logId = ids.at(-1) ?? ulid(0).replace(/^0+/, '0');
    const end = ids.length > 0 ? this.readRecords(this.logPath(logId)).end : 0;
    return { schema_version: STORE_VERSION, log_id: logId, log_offset: end, contexts: live };
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
      if (records.length > 0) {
        end = this.append(this.logPath(logId), snap.logEnd, records.map((r) => this.encodeRecord(r)).join(''));
        for (const r of records) applyRecord(snap.contexts, r);
      }
      let live = [...snap.contexts.values()].filter((c) => c.superseded_by === undefined && c.revoked_at === undefined);
      // Expired contexts leave the checkpoint (the log keeps them for audit).
      if (dropExpiredBefore) live = live.filter((c) => Date.parse(c.expires_at) > dropExpiredBefore.getTime());
      if (end > LOG_ROTATE_BYTES) {
        logId = ulid();
        end = 0;
        writeFileAtomic(this.logPath(logId), '');
      }
      if (records.length > 0 || logId !== snap.checkpoint.log_id || !existsSync(this.checkpointPath)) {
        writeFileAtomic(this.checkpointPath, JSON.stringify({ schema_version: STORE_VERSION, log_id: logId, log_offset: end, contexts: live }));
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
    return readJsonFile(this.developersPath, developerRegistry) ?? { schema_version: STORE_VERSION, developers: foldRegistry(this.allRecords()) };
  }

  writeDevelopers(registry: DeveloperRegistry): void {
    mkdirSync(this.dir, { recursive: true });
    writeFileAtomic(this.developersPath, `${JSON.stringify(registry, null, 2)}\n`);
  }

  readSightings(): StaleSightings {
    return readJsonFile(this.stalePath, staleSightings) ?? { schema_version: STORE_VERSION, seen: {} };
  }

  writeSightings(sightings: StaleSightings): void {
    writeFileAtomic(this.stalePath, JSON.stringify(sightings));
  }

  /** Runs `fn` under the store lock (for the registry, sightings and events). */
  locked<T>(fn: () => T | Promise<T>): Promise<T> {
    mkdirSync(this.dir, { recursive: true });
    return withLock(this.lockPath, fn);
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
      .map((l, i) => parseJsonText(l, eventRecord, `${this.eventsPath} line ${i + 1}`));
  }

  /**
   * Moves every file that fails validation aside (`<name>.corrupt-<time>`) and rebuilds
   * what it can: logs keep their valid lines, the checkpoint is refolded from the logs.
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
      if (!existsSync(this.checkpointPath)) {
        const rebuilt = this.rebuildCheckpoint();
        writeFileAtomic(this.checkpointPath, JSON.stringify(rebuilt));
        report.push(`${this.checkpointPath}: rebuilt from the log (${rebuilt.contexts.length} live contexts)`);
      }
    });
    return report;
  }
}
