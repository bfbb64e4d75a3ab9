// Interfaces declared ready for others, free of I/O: which stand (not revoked by their
// author), which a reader may see, whether one is still as declared (ready), changed since
// (stale) or deleted (gone), judged like a context's touched files. Briefing lines: core/decisions.ts.
import type { CurrentFile } from './context-rules.js';
import type { Visibility } from '../schema/context.js';
import type { Interface, InterfaceStatus, InterfaceView } from '../schema/decision.js';
import type { RecordOf } from '../schema/records.js';
import { newestRecordFirst, pathConcerns, revokedByAuthor, type RevokesByTarget } from './decisions.js';

/** How many interfaces touching my files the briefing shows, and how many of the rest after. */
export const INTERFACES_SHOWN = 3;

/** The part of the fold's accumulator interfaces are read from. */
export interface InterfaceFold {
  interfaces: ReadonlyMap<string, RecordOf<'interface'>>;
  interfaceRevokes: RevokesByTarget;
}

/** The checkpoint keeps an interface until its author revokes it; the revoke leaves with it. */
export const keepInterface = (r: RecordOf<'interface'>, acc: InterfaceFold): boolean =>
  !revokedByAuthor(acc.interfaceRevokes, r);

/** Interfaces that stand and that `reader` may see, newest first (status not judged yet). */
export function visibleInterfaces(
  acc: InterfaceFold,
  reader: string,
  visibilityOf: (developer: string) => Visibility,
): RecordOf<'interface'>[] {
  return [...acc.interfaces.values()]
    .filter((r) => !revokedByAuthor(acc.interfaceRevokes, r))
    .filter((r) => r.author === reader || visibilityOf(r.author) !== 'private')
    .sort(newestRecordFirst);
}

/**
 * An interface's file now against when it was declared: gone when it no longer exists,
 * stale when its bytes differ (a committed file is compared by blob id, since a checkout
 * may differ only by line endings), ready otherwise.
 */
export function judgeInterface(
  declared: Pick<Interface, 'hash' | 'blob'>,
  now: CurrentFile | undefined,
): InterfaceStatus {
  if (now === undefined) return 'gone';
  const byBlob = now.blob !== undefined && declared.blob !== undefined;
  return (byBlob ? now.blob === declared.blob : now.hash === declared.hash) ? 'ready' : 'stale';
}

export const interfaceView = (r: RecordOf<'interface'>, status: InterfaceStatus): InterfaceView => ({
  id: r.id,
  author: r.author,
  at: r.at,
  ...r.interface,
  status,
});

export const interfaceTouches = (i: Pick<Interface, 'file'>, path: string): boolean => pathConcerns(i.file, path);
