// Typed errors that carry their exit code. Commands throw them; only src/main.ts turns
// them into a process exit, one line on stderr: `handoff: <what> — <what to do>`.
import { escapeText } from './core/escape.js';

export const EXIT = { ok: 0, failure: 1, usage: 2, notFound: 3, conflict: 4 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class HandoffError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.failure,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'HandoffError';
  }

  /** The one line printed to stderr. */
  line(): string {
    const text = this.hint ? `handoff: ${this.message} — ${this.hint}` : `handoff: ${this.message}`;
    return oneLine(text);
  }
}

export class UsageError extends HandoffError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.usage, hint);
    this.name = 'UsageError';
  }
}

export class NotFoundError extends HandoffError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.notFound, hint);
    this.name = 'NotFoundError';
  }
}

/** Someone else holds what was asked for (a `--strict` claim, `--exit-code` of a check): exit 4. */
export class ConflictError extends HandoffError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.conflict, hint);
    this.name = 'ConflictError';
  }
}

export class GitError extends HandoffError {
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
    readonly code: number,
  ) {
    const first = stderr.split('\n').find((l) => l.trim() !== '') ?? `exit code ${code}`;
    super(`git ${args[0] ?? ''} failed: ${first.replace(/^(fatal|error): /, '')}`, EXIT.failure);
    this.name = 'GitError';
  }
}

/** A file we own that exists but cannot be parsed or validated. Never overwritten. */
export class CorruptFileError extends HandoffError {
  constructor(
    readonly file: string,
    readonly reason: string,
    hint = 'move it aside or run `handoff doctor`',
  ) {
    super(`${file} is not valid (${reason})`, EXIT.failure, hint);
    this.name = 'CorruptFileError';
  }
}

/**
 * A directory handoff writes into (`.codemap`, `.codemap/cache`) that is a symlink or a
 * file. Refused rather than replaced: it may be the user's (or a repository's) own
 * thing, and following it would put our writes anywhere on disk. Exit 1: the
 * repository's state is wrong, not the command line.
 */
export class UnsafePathError extends HandoffError {
  constructor(
    readonly path: string,
    readonly root: string,
    readonly what: string,
  ) {
    super(
      `${path} in ${root} is ${what}, not a directory`,
      EXIT.failure,
      `remove it (handoff only writes inside a real ${path} directory) and run handoff again`,
    );
    this.name = 'UnsafePathError';
  }
}

/** Newlines inside a message (a parser's, git's) become spaces; nothing else changes. */
export function joinLines(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** Errors are one line, and whatever else could drive a terminal (a path or a setting from the repository) is escaped. */
export function oneLine(text: string): string {
  return escapeText(joinLines(text));
}
