// Gives an agent's own shell commands its session: Claude Code hands SessionStart hooks a
// file (CLAUDE_ENV_FILE) that it sources before every later Bash command of the session, so
// the `export HANDOFF_SESSION=…` appended there makes `handoff claim add` run by the agent act
// as the session its hooks name. Best effort: a hook never fails for it.
import { appendFileSync, readFileSync } from 'node:fs';

/**
 * The session ids written to the shell: the characters of the UUIDs agents use and of common
 * id forms, and nothing a shell reads specially. A payload is untrusted: any other id is not
 * written at all (and the one written is single-quoted besides).
 */
const SAFE_SESSION = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** The line that exports `session`, or undefined when the id is not one we write to a shell. */
export function sessionExportLine(session: string): string | undefined {
  return SAFE_SESSION.test(session) ? `export HANDOFF_SESSION='${session}'` : undefined;
}

export type SessionEnvOutcome = 'written' | 'present' | 'no-file' | 'unsafe-id' | 'failed';

/**
 * Appends the export of `session` to the file named by `env.CLAUDE_ENV_FILE`, keeping what
 * other hooks wrote there; a second SessionStart of the same session (resume, compact) adds
 * nothing when the file already ends up exporting it. Never throws.
 */
export function exportSessionToShell(env: NodeJS.ProcessEnv, session: string): SessionEnvOutcome {
  const file = env.CLAUDE_ENV_FILE;
  if (!file) return 'no-file';
  const line = sessionExportLine(session);
  if (line === undefined) return 'unsafe-id';
  try {
    const before = readIfPresent(file);
    const exports = before.split('\n').filter((l) => l.startsWith('export HANDOFF_SESSION='));
    if (exports.at(-1) === line) return 'present';
    // Another hook's last line may lack its newline: ours must not run on into it.
    const gap = before === '' || before.endsWith('\n') ? '' : '\n';
    appendFileSync(file, `${gap}${line}\n`);
    return 'written';
  } catch {
    return 'failed';
  }
}

function readIfPresent(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}
