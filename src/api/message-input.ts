// The input checks of `message send`, before anything is written: addresses in one of the
// four forms, a body of prose under the contexts' content rule, repository-relative files,
// the TTL range and a known type. Each failure is one usage error (exit 2).
import { ADDRESS_FORMS, formatAddress, isAddress, parseAddress } from '../core/address.js';
import { contentViolation } from '../core/context-rules.js';
import { compareCodeUnit, normalizeRepoPath } from '../core/paths.js';
import { UsageError } from '../errors.js';
import { MESSAGE_LIMITS, MESSAGE_TTL_HOURS, MESSAGE_TYPES, messageType, type MessageType } from '../schema/message.js';
import { multiLineText } from '../schema/text.js';

export function checkedAddresses(given: readonly string[]): string[] {
  if (given.length > MESSAGE_LIMITS.to)
    throw new UsageError(`${given.length} addresses; the limit is ${MESSAGE_LIMITS.to}`);
  const out = new Set<string>();
  for (const raw of given) {
    const parsed = parseAddress(raw);
    if (!isAddress(parsed)) throw new UsageError(`bad address "${raw}": ${parsed.error}`, `use ${ADDRESS_FORMS}`);
    out.add(formatAddress(parsed));
  }
  return [...out].sort(compareCodeUnit);
}

export function checkedBody(raw: string): string {
  const parsed = multiLineText().safeParse(raw);
  if (!parsed.success) throw new UsageError(`the message body ${parsed.error.issues[0]?.message ?? 'is invalid'}`);
  const body = parsed.data;
  if (body === '') throw new UsageError('the message body is empty', 'say what you need with --body "…"');
  if (body.length > MESSAGE_LIMITS.body)
    throw new UsageError(`the message body is ${body.length} characters; the limit is ${MESSAGE_LIMITS.body}`);
  const why = contentViolation(body);
  if (why) {
    throw new UsageError(
      `the message body was rejected because ${why}: messages hold metadata and prose only`,
      'describe it in words and name the files with --file',
    );
  }
  return body;
}

export function checkedFiles(paths: readonly string[]): string[] {
  if (paths.length > MESSAGE_LIMITS.files)
    throw new UsageError(`${paths.length} files; the limit is ${MESSAGE_LIMITS.files}`);
  const out = new Set<string>();
  for (const raw of paths) {
    const normal = /^([a-zA-Z]:)?[\\/]/.test(raw) ? undefined : normalizeRepoPath(raw.trim());
    if (normal === undefined || normal === '')
      throw new UsageError(`--file "${raw}" is not a repository-relative path`, 'give paths without .. or a root');
    out.add(normal);
  }
  return [...out].sort(compareCodeUnit);
}

export function checkedTtl(ttl: number | undefined): number {
  const hours = ttl ?? MESSAGE_TTL_HOURS.default;
  const { min, max } = MESSAGE_TTL_HOURS;
  if (!Number.isFinite(hours) || hours < min || hours > max)
    throw new UsageError(`ttl_hours ${hours} is out of range`, `use ${min} to ${max} hours`);
  return hours;
}

export function checkedType(type: string | undefined): MessageType {
  const parsed = messageType.safeParse(type ?? 'fyi');
  if (!parsed.success) throw new UsageError(`unknown message type "${type}"`, `use ${MESSAGE_TYPES.join(', ')}`);
  return parsed.data;
}
