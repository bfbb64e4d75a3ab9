// `handoff doctor`: checks, without changing anything, that the hooks are installed and
// point at a working handoff, `.codemap/` is excluded, the base ref resolves, and the
// store and artifact parse. Each check is ok / warn / fail with the command that fixes it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  gitHooksDir,
  guarded,
  openRepository,
  readTextIfExists,
  repositoryChecks,
  type Check,
  type RepoInfo,
} from '../api.js';
import { joinLines, oneLine } from '../errors.js';
import { codexTrustChecks } from './codex-trust.js';
import { worktreeCodexChecks } from './codex-worktree.js';
import { installedClaims, installedEvents, isOurGitHook } from './plan.js';
import {
  codexProjectRoot,
  codexUserDir,
  currentExecutable,
  GIT_HOOKS,
  settingsPath,
  type AgentHomes,
} from './targets.js';
import { verifyCommand, type TrustedInstall } from './verify-command.js';

export type { Check, CheckStatus } from '../api.js';

/**
 * Why the installed command would not run, or undefined when `<node> <bin> --version`
 * answers: a path that is gone, a handoff that fails to start (a broken install), or a
 * command doctor cannot verify as this tool — reported as foreign and never started.
 */
export function brokenCommand(command: string, trusted: TrustedInstall): string | undefined {
  const verdict = verifyCommand(command, trusted);
  if (verdict.kind === 'missing') return `runs ${verdict.path}, which does not exist`;
  if (verdict.kind === 'foreign') return `has a foreign hook command (not run): it ${verdict.why}`;
  const res = spawnSync(verdict.node, [verdict.bin, '--version'], { encoding: 'utf8', timeout: 10_000 });
  if (res.status === 0) return undefined;
  const why = joinLines(res.stderr || res.error?.message || `exit ${res.status}`);
  return `runs ${verdict.bin}, which does not start (${why})`;
}

function agentCheck(name: string, files: readonly string[], trusted: TrustedInstall, fix: string): Check {
  const required = ['SessionStart', 'Stop', 'SessionEnd'];
  for (const file of files) {
    const events = installedEvents(readTextIfExists(file));
    if (events.size === 0) continue;
    const missing = required.filter((e) => !events.has(e));
    const commands = [...new Set([...events.values()].flat())];
    const broken = commands.map((c) => brokenCommand(c, trusted)).find((b) => b !== undefined);
    if (broken) return { name, status: 'fail', detail: `${file} ${broken}`, fix };
    if (missing.length > 0)
      return { name, status: 'warn', detail: `${file} lacks the ${missing.join(', ')} hook`, fix };
    return { name, status: 'ok', detail: `installed in ${file}` };
  }
  return { name, status: 'warn', detail: 'not installed', fix };
}

/** Claude Code's pre-edit hook on claims, where the Claude hooks are installed (its command is checked with them). */
function claimsHookCheck(files: readonly string[]): Check[] {
  const file = files.find((f) => installedEvents(readTextIfExists(f)).size > 0);
  if (file === undefined) return [];
  const mode = installedClaims(readTextIfExists(file));
  const detail = mode
    ? `pre-edit (${mode}) in ${file}`
    : `off in ${file} (handoff setup --agent claude --claims warn installs it)`;
  return [{ name: 'claims hook', status: 'ok', detail }];
}

async function gitHooksCheck(repo: RepoInfo, trusted: TrustedInstall): Promise<Check> {
  const dir = await gitHooksDir(repo.root);
  const ours = GIT_HOOKS.filter((h) => isOurGitHook(readTextIfExists(join(dir, h))));
  const fix = 'handoff setup --agent git';
  if (ours.length === 0) return { name: 'git hooks', status: 'warn', detail: `not installed in ${dir}`, fix };
  const scripts = ours.map((h) => readTextIfExists(join(dir, h)) ?? '');
  // The refresh line: `( cd "…" && '<node>' '<bin>' >/dev/null 2>&1 & ) …`.
  const refreshLine = (text: string): string => text.split('\n').find((l) => l.includes('>/dev/null 2>&1 &')) ?? '';
  const refresh = scripts.map((text) => refreshLine(text).split(' && ')[1] ?? '');
  const broken = [...new Set(refresh)].map((c) => brokenCommand(c, trusted)).find((b) => b !== undefined);
  if (broken) return { name: 'git hooks', status: 'fail', detail: `a hook in ${dir} ${broken}`, fix };
  if (ours.length < GIT_HOOKS.length)
    return { name: 'git hooks', status: 'warn', detail: `only ${ours.join(', ')} installed in ${dir}`, fix };
  return { name: 'git hooks', status: 'ok', detail: `${ours.join(', ')} in ${dir}` };
}

export interface DoctorRequest {
  cwd: string;
  homes: AgentHomes;
  /** For the viewer's identity: the store check counts only what this viewer may see. */
  env: NodeJS.ProcessEnv;
  now: Date;
}

export async function runDoctor(req: DoctorRequest): Promise<Check[]> {
  let repo: RepoInfo;
  try {
    repo = await openRepository(req.cwd);
  } catch (error) {
    return [
      {
        name: 'repository',
        status: 'fail',
        detail: (error as Error).message,
        fix: 'run handoff doctor inside a git repository',
      },
    ];
  }
  // Codex reads the primary checkout's .codex/ even from a linked worktree.
  const codexRoot = codexProjectRoot(repo);
  const trusted: TrustedInstall = {
    node: process.execPath,
    bin: currentExecutable().bin,
    untrustedRoots: [repo.root, codexRoot],
  };
  const scopes = ['project', 'local', 'global'] as const;
  const claudeFiles = scopes.map((s) => settingsPath('claude', repo.root, req.homes, s));
  const codexFiles = (['project', 'global'] as const).map((s) => settingsPath('codex', codexRoot, req.homes, s));
  const checks: Check[] = [{ name: 'repository', status: 'ok', detail: repo.root }];
  checks.push(
    await guarded('claude hooks', 'handoff setup --agent claude', () =>
      agentCheck('claude hooks', claudeFiles, trusted, 'handoff setup --agent claude'),
    ),
    ...claimsHookCheck(claudeFiles),
    await guarded('codex hooks', 'handoff setup --agent codex', () =>
      agentCheck('codex hooks', codexFiles, trusted, 'handoff setup --agent codex'),
    ),
    // In a linked worktree: Codex reads the primary's hooks only if the worktree has a .codex/.
    ...worktreeCodexChecks(repo),
  );
  // Installed is not running: Codex skips hooks it has not been told to trust.
  checks.push(
    ...codexTrustChecks(codexUserDir(req.homes), [
      {
        hooksFile: settingsPath('codex', codexRoot, req.homes, 'project'),
        // Codex accepts the trust of a linked worktree or of its primary checkout.
        projectRoots: [...new Set([repo.root, codexRoot])],
      },
      { hooksFile: settingsPath('codex', codexRoot, req.homes, 'global') },
    ]),
  );
  checks.push(await guarded('git hooks', 'handoff setup --agent git', () => gitHooksCheck(repo, trusted)));
  checks.push(...(await repositoryChecks(repo, req)));
  return checks;
}

export function renderChecks(checks: readonly Check[]): string {
  const lines = checks.map((c) =>
    oneLine(`${c.status.padEnd(4)}  ${c.name} — ${c.detail}${c.fix && c.status !== 'ok' ? ` (fix: ${c.fix})` : ''}`),
  );
  return `${lines.join('\n')}\n`;
}
