// `handoff setup` and `handoff doctor`: install / remove the agent and git hooks (plan
// first, `--dry-run` prints it), and check the installation without changing anything.
import type { Command } from 'commander';
import { homedir } from 'node:os';
import { HandoffError, UsageError } from '../errors.js';
import { renderChecks, runDoctor } from '../setup/doctor.js';
import { applySetup, describePlan, planSetup } from '../setup/setup.js';
import { AGENTS, type Agent } from '../setup/targets.js';
import { commandDir, type Io } from './io.js';

interface SetupFlags {
  agent?: string[];
  global?: boolean;
  local?: boolean;
  dryRun?: boolean;
  remove?: boolean;
  C?: string;
  json?: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',')];

export function addSetupCommands(program: Command, io: Io): void {
  const home = (): string => io.env.HOME ?? homedir();
  program
    .command('setup')
    .description('install the session hooks for Claude Code, Codex and git (default: all three)')
    .option('--agent <agent>', 'claude, codex or git (repeatable)', collect)
    .option('--global', "install the agent hooks in the user's settings instead of the project's")
    .option('--local', 'Claude Code: use .claude/settings.local.json (not committed)')
    .option('--dry-run', 'show the changes without making them')
    .option('--remove', 'take out exactly what setup added')
    .option('-C <dir>', 'run as if started in <dir>')
    .option('--json', 'print the plan as JSON')
    .option('--debug', 'print stack traces of errors')
    .action(async (flags: SetupFlags) => {
      const agents = (flags.agent ?? [...AGENTS]).map((a) => a.trim());
      for (const a of agents) if (!AGENTS.includes(a as Agent)) throw new UsageError(`unknown agent "${a}"`, `choose from ${AGENTS.join(', ')}`);
      if (flags.global && flags.local) throw new UsageError('--global and --local cannot be used together');
      const cwd = commandDir(io, flags.C);
      const { root, commonDir, edits } = await planSetup({ cwd, home: home(), agents: agents as Agent[], scope: flags.global ? 'global' : flags.local ? 'local' : 'project', remove: Boolean(flags.remove) });
      const backups = flags.dryRun ? [] : applySetup(edits, root, commonDir, io.now());
      if (flags.json) io.out(`${JSON.stringify({ dry_run: Boolean(flags.dryRun), edits, backups }, null, 2)}\n`);
      else io.out(describePlan(edits, cwd, Boolean(flags.dryRun)) + (backups.length ? `Backups: ${backups.join(', ')}\n` : ''));
    });

  program
    .command('doctor')
    .description('check hooks, exclusion, base ref, context store and artifact (changes nothing)')
    .option('-C <dir>', 'run as if started in <dir>')
    .option('--json', 'print the checks as JSON')
    .option('--debug', 'print stack traces of errors')
    .action(async (flags: { C?: string; json?: boolean }) => {
      const cwd = commandDir(io, flags.C);
      const checks = await runDoctor(cwd, home(), io.env.CODEX_HOME || undefined);
      const failed = checks.some((c) => c.status === 'fail');
      io.out(flags.json ? `${JSON.stringify({ ok: !failed, checks }, null, 2)}\n` : renderChecks(checks));
      if (failed) throw new HandoffError(`${checks.filter((c) => c.status === 'fail').length} check(s) failed`, 1, 'see the fixes above');
    });
}
