// `handoff setup` and `handoff doctor`: install / remove the agent and git hooks (plan
// first, `--dry-run` prints it), and check the installation without changing anything.
import type { Command } from 'commander';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import {
  AGENTS,
  applySetup,
  CLAIMS_SETTINGS,
  NUDGES,
  planSetup,
  runDoctor,
  type Agent,
  type AgentHomes,
  type ClaimsSetting,
  type Nudge,
} from '../api.js';
import { EXIT, HandoffError, UsageError } from '../errors.js';
import { describePlan, renderChecks } from '../render/setup.js';
import { commandDir, type Io } from './io.js';
import { withCommon } from './options.js';

interface SetupFlags {
  agent?: string[];
  global?: boolean;
  local?: boolean;
  dryRun?: boolean;
  remove?: boolean;
  C?: string;
  json?: boolean;
  nudge?: string;
  claims?: string;
  force?: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',')];

/**
 * The clients' user settings folders, as the clients find them: CLAUDE_CONFIG_DIR and
 * CODEX_HOME when set (relative ones against the cwd), else under HOME.
 */
export function agentHomes(io: Io): AgentHomes {
  const dir = (value: string | undefined): string | undefined => (value ? resolve(io.cwd, value) : undefined);
  const claudeConfigDir = dir(io.env.CLAUDE_CONFIG_DIR);
  const codexHome = dir(io.env.CODEX_HOME);
  return {
    home: io.env.HOME || homedir(),
    ...(claudeConfigDir ? { claudeConfigDir } : {}),
    ...(codexHome ? { codexHome } : {}),
  };
}

export function addSetupCommands(program: Command, io: Io): void {
  withCommon(program.command('setup'), { json: 'print the plan as JSON' })
    .description('install the session hooks for Claude Code, Codex and git (default: all three)')
    .option('--agent <agent>', 'claude, codex or git (repeatable)', collect)
    .option('--global', "install the agent hooks in the user's settings ($CLAUDE_CONFIG_DIR, $CODEX_HOME or ~)")
    .option('--local', 'Claude Code: use .claude/settings.local.json (not committed)')
    .option('--dry-run', 'show the changes without making them')
    .option('--remove', 'take out exactly what setup added')
    .option('--nudge <mode>', 'the Stop reminder to publish: system (default), block (once, to the model), off')
    .option(
      '--claims <mode>',
      "the pre-edit hook on others' file claims: warn (default, tells the agent), enforce (Claude Code asks you; " +
        'Codex takes no ask and still warns), off',
    )
    .option('--force', 'change a settings file even when it is read-only')
    .action(async (flags: SetupFlags) => {
      const agents = (flags.agent ?? [...AGENTS]).map((a) => a.trim());
      for (const a of agents)
        if (!AGENTS.includes(a as Agent))
          throw new UsageError(`unknown agent "${a}"`, `choose from ${AGENTS.join(', ')}`);
      if (flags.global && flags.local) throw new UsageError('--global and --local cannot be used together');
      if (flags.nudge !== undefined) {
        if (!NUDGES.includes(flags.nudge as Nudge)) {
          throw new UsageError(`unknown --nudge "${flags.nudge}"`, `choose from ${NUDGES.join(', ')}`);
        }
        if (flags.remove) throw new UsageError('--nudge cannot be used with --remove');
        if (!agents.some((a) => a !== 'git')) {
          throw new UsageError('--nudge applies to the claude and codex hooks', 'add --agent claude or --agent codex');
        }
      }
      if (flags.claims !== undefined) {
        if (!CLAIMS_SETTINGS.includes(flags.claims as ClaimsSetting)) {
          throw new UsageError(`unknown --claims "${flags.claims}"`, `choose from ${CLAIMS_SETTINGS.join(', ')}`);
        }
        if (flags.remove) throw new UsageError('--claims cannot be used with --remove');
      }
      const cwd = commandDir(io, flags.C);
      const plan = await planSetup({
        cwd,
        homes: agentHomes(io),
        agents: agents as Agent[],
        scope: flags.global ? 'global' : flags.local ? 'local' : 'project',
        remove: Boolean(flags.remove),
        ...(flags.nudge ? { nudge: flags.nudge as Nudge } : {}),
        ...(flags.claims ? { claims: flags.claims as ClaimsSetting } : {}),
        force: Boolean(flags.force),
      });
      const backups = flags.dryRun ? [] : applySetup(plan.edits, plan.root, plan.commonDir, io.now());
      if (flags.json) {
        const doc = { dry_run: Boolean(flags.dryRun), edits: plan.edits, backups, notes: plan.notes };
        io.out(`${JSON.stringify(doc, null, 2)}\n`);
      } else {
        const made = backups.length ? `Backups: ${backups.join(', ')}\n` : '';
        io.out(describePlan(plan.edits, cwd, Boolean(flags.dryRun)) + made);
        for (const line of plan.notes) io.err(line);
      }
    });

  withCommon(program.command('doctor'), { json: 'print the checks as JSON' })
    .description('check hooks, exclusion, base ref, context store and artifact (changes nothing)')
    .action(async (flags: { C?: string; json?: boolean }) => {
      const cwd = commandDir(io, flags.C);
      const checks = await runDoctor({ cwd, homes: agentHomes(io), env: io.env, now: io.now() });
      const failed = checks.filter((c) => c.status === 'fail').length;
      io.out(flags.json ? `${JSON.stringify({ ok: failed === 0, checks }, null, 2)}\n` : renderChecks(checks));
      if (failed > 0) throw new HandoffError(`${failed} check(s) failed`, EXIT.failure, 'see the fixes above');
    });
}
