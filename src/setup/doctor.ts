// doctor's checks of the agents' side, without changing anything: the hooks are installed
// and point at a working handoff (the one place besides git/ that starts a process), and
// Codex trusts them. Each check is ok / warn / fail with the command that fixes it; the
// use case (api/doctor.ts) adds the repository's and the store's checks.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { guarded, type Check } from '../core/check.js';
import { joinLines } from '../errors.js';
import type { RepoInfo } from '../git/repo.js';
import { readTextIfExists } from '../store/atomic.js';
import { codexTrustChecks } from './codex-trust.js';
import { worktreeCodexChecks } from './codex-worktree.js';
import { installedClaims, installedEvents, isOurGitHook } from './plan.js';
import {
  codexProjectRoot,
  codexUserDir,
  currentExecutable,
  GIT_HOOKS,
  gitHooksDir,
  settingsPath,
  type AgentHomes,
} from './targets.js';
import { verifyCommand, type TrustedInstall } from './verify-command.js';

/** What `<node> <bin> --version` said in this doctor run, by node and bin: every hook command starts the same few. */
type StartResults = Map<string, string | undefined>;

/**
 * Why the installed command would not run, or undefined when `<node> <bin> --version`
 * answers: a path that is gone, a handoff that fails to start (a broken install), or a
 * command doctor cannot verify as this tool — reported as foreign and never started. Each
 * node and bin pair is started once per run (`started`), not once per hook.
 */
export function brokenCommand(
  command: string,
  trusted: TrustedInstall,
  started: StartResults = new Map(),
): string | undefined {
  const verdict = verifyCommand(command, trusted);
  if (verdict.kind === 'missing') return `runs ${verdict.path}, which does not exist`;
  if (verdict.kind === 'foreign') return `has a foreign hook command (not run): it ${verdict.why}`;
  const key = `${verdict.node}\0${verdict.bin}`;
  if (!started.has(key)) {
    const res = spawnSync(verdict.node, [verdict.bin, '--version'], { encoding: 'utf8', timeout: 10_000 });
    const why = res.status === 0 ? undefined : joinLines(res.stderr || res.error?.message || `exit ${res.status}`);
    started.set(key, why === undefined ? undefined : `runs ${verdict.bin}, which does not start (${why})`);
  }
  return started.get(key);
}

function agentCheck(
  name: string,
  files: readonly string[],
  trusted: TrustedInstall,
  fix: string,
  started: StartResults,
): Check {
  const required = ['SessionStart', 'Stop', 'SessionEnd'];
  for (const file of files) {
    const events = installedEvents(readTextIfExists(file));
    if (events.size === 0) continue;
    const missing = required.filter((e) => !events.has(e));
    const commands = [...new Set([...events.values()].flat())];
    const broken = commands.map((c) => brokenCommand(c, trusted, started)).find((b) => b !== undefined);
    if (broken) return { name, status: 'fail', detail: `${file} ${broken}`, fix };
    if (missing.length > 0)
      return { name, status: 'warn', detail: `${file} lacks the ${missing.join(', ')} hook`, fix };
    return { name, status: 'ok', detail: `installed in ${file}` };
  }
  return { name, status: 'warn', detail: 'not installed', fix };
}

/**
 * The pre-edit hook on claims, where the agent's hooks are installed (its command is checked
 * with them): Claude Code's warns or asks; Codex's only ever warns.
 */
function claimsHookCheck(agent: 'claude' | 'codex', files: readonly string[]): Check[] {
  const file = files.find((f) => installedEvents(readTextIfExists(f)).size > 0);
  if (file === undefined) return [];
  const name = agent === 'claude' ? 'claims hook' : 'codex claims hook';
  const mode = installedClaims(readTextIfExists(file));
  const detail = mode
    ? `pre-edit (${mode}) in ${file}`
    : `off in ${file} (handoff setup --agent ${agent} --claims warn installs it)`;
  return [{ name, status: 'ok', detail }];
}

async function gitHooksCheck(repo: RepoInfo, trusted: TrustedInstall, started: StartResults): Promise<Check> {
  const dir = await gitHooksDir(repo.root);
  const ours = GIT_HOOKS.filter((h) => isOurGitHook(readTextIfExists(join(dir, h))));
  const fix = 'handoff setup --agent git';
  if (ours.length === 0) return { name: 'git hooks', status: 'warn', detail: `not installed in ${dir}`, fix };
  const scripts = ours.map((h) => readTextIfExists(join(dir, h)) ?? '');
  // The refresh line: `( cd "…" && '<node>' '<bin>' >/dev/null 2>&1 & ) …`.
  const refreshLine = (text: string): string => text.split('\n').find((l) => l.includes('>/dev/null 2>&1 &')) ?? '';
  const refresh = scripts.map((text) => refreshLine(text).split(' && ')[1] ?? '');
  const broken = [...new Set(refresh)].map((c) => brokenCommand(c, trusted, started)).find((b) => b !== undefined);
  if (broken) return { name: 'git hooks', status: 'fail', detail: `a hook in ${dir} ${broken}`, fix };
  if (ours.length < GIT_HOOKS.length)
    return { name: 'git hooks', status: 'warn', detail: `only ${ours.join(', ')} installed in ${dir}`, fix };
  return { name: 'git hooks', status: 'ok', detail: `${ours.join(', ')} in ${dir}` };
}

/**
 * The agents' side of doctor's checks, in its order: Claude Code's and Codex's hooks
 * installed and starting, a linked worktree's .codex/, Codex's trust, the git hooks.
 */
export async function agentChecks(repo: RepoInfo, homes: AgentHomes): Promise<Check[]> {
  // Codex reads the primary checkout's .codex/ even from a linked worktree.
  const codexRoot = codexProjectRoot(repo);
  const trusted: TrustedInstall = {
    node: process.execPath,
    bin: currentExecutable().bin,
    untrustedRoots: [repo.root, codexRoot],
  };
  const started: StartResults = new Map();
  const scopes = ['project', 'local', 'global'] as const;
  const claudeFiles = scopes.map((s) => settingsPath('claude', repo.root, homes, s));
  const codexFiles = (['project', 'global'] as const).map((s) => settingsPath('codex', codexRoot, homes, s));
  const checks: Check[] = [
    await guarded('claude hooks', 'handoff setup --agent claude', () =>
      agentCheck('claude hooks', claudeFiles, trusted, 'handoff setup --agent claude', started),
    ),
    ...claimsHookCheck('claude', claudeFiles),
    await guarded('codex hooks', 'handoff setup --agent codex', () =>
      agentCheck('codex hooks', codexFiles, trusted, 'handoff setup --agent codex', started),
    ),
    ...claimsHookCheck('codex', codexFiles),
    // In a linked worktree: Codex reads the primary's hooks only if the worktree has a .codex/.
    ...worktreeCodexChecks(repo),
  ];
  // Installed is not running: Codex skips hooks it has not been told to trust.
  checks.push(
    ...codexTrustChecks(codexUserDir(homes), [
      {
        hooksFile: settingsPath('codex', codexRoot, homes, 'project'),
        // Codex accepts the trust of a linked worktree or of its primary checkout.
        projectRoots: [...new Set([repo.root, codexRoot])],
      },
      { hooksFile: settingsPath('codex', codexRoot, homes, 'global') },
    ]),
  );
  checks.push(await guarded('git hooks', 'handoff setup --agent git', () => gitHooksCheck(repo, trusted, started)));
  return checks;
}
