// Every command declares the common options through one helper: -C and --debug always,
// --json where it prints a document, --as where a developer acts.
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
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
