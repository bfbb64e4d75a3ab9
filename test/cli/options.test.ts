// Every command declares the common options through one helper: -C and --debug always,
// --json where it prints a document, --as where a developer acts; and the acting session
// comes from --session, HANDOFF_SESSION or Codex's CODEX_THREAD_ID, in that order.
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { sessionOf } from '../../src/cli/options.js';
import { buildProgram } from '../../src/cli/program.js';
import type { Io } from '../../src/cli/io.js';

const io: Io = {
  cwd: '/',
  env: {},
  now: () => new Date(0),
  out: () => {},
  err: () => {},
  stdoutIsTTY: false,
  readStdin: async () => '',
  readFile: async () => '',
};

function leaves(cmd: Command, path: string[] = []): [string, Command][] {
  if (cmd.commands.length === 0) return [[path.join(' ') || 'handoff', cmd]];
  const own: [string, Command][] = path.length === 0 ? [['handoff', cmd]] : [];
  return [...own, ...cmd.commands.flatMap((c) => leaves(c, [...path, c.name()]))];
}
const flags = (cmd: Command): string[] => cmd.options.map((o) => o.long ?? o.short ?? '');

describe('common options', () => {
  const commands = leaves(buildProgram(io));

  it.each(commands)('%s takes -C and --debug', (_name, cmd) => {
    expect(cmd.options.some((o) => o.short === '-C')).toBe(true);
    expect(flags(cmd)).toContain('--debug');
  });

  it('every command but the hooks takes --json; every context command and state take --as', () => {
    const names = (pred: (cmd: Command) => boolean): string[] =>
      commands.filter(([, cmd]) => pred(cmd)).map(([name]) => name);
    expect(names((cmd) => !flags(cmd).includes('--json'))).toEqual([
      'hook session-start',
      'hook session-stop',
      'hook pre-edit',
    ]);
    const acting = names((cmd) => flags(cmd).includes('--as'));
    expect(acting).toEqual(expect.arrayContaining(['context publish', 'context get', 'context revoke', 'state']));
  });
});

describe('the acting session', () => {
  it('is --session, else HANDOFF_SESSION, else CODEX_THREAD_ID; an empty value counts as unset', () => {
    const env = { HANDOFF_SESSION: 'from-hook', CODEX_THREAD_ID: 'codex-thread' };
    expect(sessionOf({ session: 'flag' }, env)).toBe('flag');
    expect(sessionOf({}, env)).toBe('from-hook');
    expect(sessionOf({}, { CODEX_THREAD_ID: 'codex-thread' })).toBe('codex-thread');
    expect(sessionOf({}, { HANDOFF_SESSION: '', CODEX_THREAD_ID: 'codex-thread' })).toBe('codex-thread');
    expect(sessionOf({ session: '' }, {})).toBeUndefined();
    // Codex's other variable names the root session of a thread tree, not this thread: not used.
    expect(sessionOf({}, { CODEX_SESSION_ID: 'root' })).toBeUndefined();
  });
});
