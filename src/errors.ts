// Typed errors that carry their exit code. Commands throw them; only src/main.ts turns
// them into a process exit, one line on stderr: `handoff: <what> — <what to do>`.

export const EXIT = { ok: 0, failure: 1, usage: 2, notFound: 3 } as const;
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

/** Errors are one line: newlines inside a message (a parser's, git's) become spaces. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
