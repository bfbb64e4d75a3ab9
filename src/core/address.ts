// Who a message reaches: a developer handle, `branch:<name>` (whoever works on that branch of
// this repository), `session:<id>` (one agent session) or `all`. Parsing is strict (an
// unknown `word:` prefix is refused, not taken for a handle), and matching is against the
// reader's handle, current branch and session.
import { firstUnsafeChar } from '../schema/text.js';

export type Address =
  | { kind: 'handle'; handle: string }
  | { kind: 'branch'; branch: string }
  | { kind: 'session'; session: string }
  | { kind: 'all' };

/** Who is reading: my handle, the branch I am on (none when detached) and my session, if any. */
export interface Reader {
  handle: string;
  branch?: string | undefined;
  session?: string | undefined;
}

export const ADDRESS_FORMS = 'a developer handle, branch:<name>, session:<id> or all';
const MAX_ADDRESS = 250;

/** `word:` at the start, as in `branch:x` or `team:x`: a prefix form, never a handle. */
const PREFIX = /^([A-Za-z][A-Za-z0-9_-]*):/;

/** The address `text` names, or why it names none. */
export function parseAddress(raw: string): Address | { error: string } {
  const text = raw.trim();
  if (text === '') return { error: 'the address is empty' };
  if (text.length > MAX_ADDRESS) return { error: `the address is longer than ${MAX_ADDRESS} characters` };
  if (firstUnsafeChar(text, 'line')) return { error: 'the address holds a control character or a line break' };
  if (/\s/.test(text)) return { error: `the address "${text}" holds whitespace` };
  if (text === 'all') return { kind: 'all' };
  const prefix = PREFIX.exec(text);
  if (prefix) {
    const rest = text.slice(prefix[0].length);
    const kind = prefix[1];
    if (kind !== 'branch' && kind !== 'session') return { error: `unknown address form "${kind}:"` };
    if (rest === '') return { error: `"${kind}:" needs a ${kind === 'branch' ? 'branch name' : 'session id'}` };
    return kind === 'branch' ? { kind: 'branch', branch: rest } : { kind: 'session', session: rest };
  }
  return { kind: 'handle', handle: text };
}

export function isAddress(parsed: Address | { error: string }): parsed is Address {
  return !('error' in parsed);
}

/** The stored form: `all`, `branch:<name>`, `session:<id>` or the handle itself. */
export function formatAddress(a: Address): string {
  switch (a.kind) {
    case 'all':
      return 'all';
    case 'branch':
      return `branch:${a.branch}`;
    case 'session':
      return `session:${a.session}`;
    case 'handle':
      return a.handle;
  }
}

/** Whether `address` (stored form) reaches `reader`. */
export function reaches(address: string, reader: Reader): boolean {
  const a = parseAddress(address);
  if (!isAddress(a)) return false;
  switch (a.kind) {
    case 'all':
      return true;
    case 'branch':
      return reader.branch !== undefined && a.branch === reader.branch;
    case 'session':
      return reader.session !== undefined && a.session === reader.session;
    case 'handle':
      return a.handle === reader.handle;
  }
}

/** The handle an address names, if it names one (group and session addresses name none). */
export function handleOf(address: string): string | undefined {
  const a = parseAddress(address);
  return isAddress(a) && a.kind === 'handle' ? a.handle : undefined;
}
