// The options every command takes, declared once: -C, --json, --debug and, where a
// developer acts, --as; and the request they make for api. Given before a subcommand
// (`handoff -C dir state`), they are handed down to it (program.ts).
import type { Command } from 'commander';
import type { ContextRequest } from '../api.js';
import { commandDir, type Io } from './io.js';

export interface CommonFlags {
  C?: string;
  json?: boolean;
  debug?: boolean;
  as?: string;
  /** `--session <id>` where a command takes it; else the environment's (sessionOf). */
  session?: string;
}

/** The names of the common options, as commander keys them. */
export const COMMON_KEYS = ['C', 'json', 'debug', 'as'] as const;

export interface CommonOptions {
  /** What --json prints (default: "print JSON on stdout"); false: the command has no --json. */
  json?: string | false;
  /** The command acts as a developer: it takes --as. */
  as?: boolean;
}

export function withCommon(cmd: Command, options: CommonOptions = {}): Command {
  cmd.option('-C <dir>', 'run as if started in <dir>');
  if (options.json !== false) cmd.option('--json', options.json ?? 'print JSON on stdout');
  if (options.as)
    cmd.option('--as <handle>', 'act as this developer (default: HANDOFF_DEVELOPER, config, git user.email)');
  return cmd.option('--debug', 'print stack traces of errors');
}

/**
 * The acting agent session: `--session`, else HANDOFF_SESSION (which our SessionStart hook
 * exports to Claude Code's later Bash commands), else CODEX_THREAD_ID, which Codex gives its
 * shell commands and which equals the `session_id` of its hook payloads. Empty counts as unset.
 */
export function sessionOf(flags: CommonFlags, env: NodeJS.ProcessEnv): string | undefined {
  return [flags.session, env.HANDOFF_SESSION, env.CODEX_THREAD_ID].find((s) => s !== undefined && s !== '');
}

/** The api request of a command: its directory (-C), the clock, the environment, --as and the session. */
export function requestOf(flags: CommonFlags, io: Io): ContextRequest {
  const session = sessionOf(flags, io.env);
  return {
    cwd: commandDir(io, flags.C),
    now: io.now(),
    env: io.env,
    ...(flags.as ? { as: flags.as } : {}),
    ...(session ? { session } : {}),
  };
}

/** Prints one JSON document on stdout. */
export const printJson = (io: Io, value: unknown): void => io.out(`${JSON.stringify(value, null, 2)}\n`);
