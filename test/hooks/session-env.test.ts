// The session exported to an agent's own shell commands (hooks/session-env.ts): the line
// appended to CLAUDE_ENV_FILE, read back by a real shell as Claude Code sources it; what other
// hooks wrote kept; a hostile session id never written; an unwritable file never failing the
// session-start hook, run in-process as the CLI runs it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportSessionToShell, sessionExportLine } from '../../src/hooks/session-env.js';
import { Scratch } from '../e2e/helpers.js';
import { handoffInProcess } from '../support/in-process.js';

const scratch = new Scratch();
afterAll(() => scratch.cleanup());

const ID = '94d0304c-0f3c-419d-9046-9a4dbdc9ff26';

/** HANDOFF_SESSION after sourcing `file` in sh, as Claude Code does before each Bash command. */
const sourced = (file: string): string =>
  execFileSync('sh', ['-c', '. "$1" && printf %s "${HANDOFF_SESSION-unset}"', 'sh', file], { encoding: 'utf8' });

const HOSTILE = [
  "x'; touch pwned; '",
  '$(touch pwned)',
  '`touch pwned`',
  'a\nexport PATH=/nowhere',
  'a b',
  '-n',
  '',
  'x'.repeat(129),
];

describe('the session export line', () => {
  it('single-quotes an id of the safe characters', () => {
    expect(sessionExportLine(ID)).toBe(`export HANDOFF_SESSION='${ID}'`);
    expect(sessionExportLine('01a2323c-02be-7911-b49f-d9f10cc431b9')).toBeDefined();
    expect(sessionExportLine('sess_2025.09:13')).toBe("export HANDOFF_SESSION='sess_2025.09:13'");
  });

  it.each(HOSTILE)('writes nothing for the id %j', (id) => {
    expect(sessionExportLine(id)).toBeUndefined();
  });
});

describe('exportSessionToShell', () => {
  it('creates the file when Claude Code has not, and a shell reads the session back', () => {
    const file = join(scratch.dir('session-env-'), 'sessionstart-hook-0.sh');
    expect(exportSessionToShell({ CLAUDE_ENV_FILE: file }, ID)).toBe('written');
    expect(readFileSync(file, 'utf8')).toBe(`export HANDOFF_SESSION='${ID}'\n`);
    expect(sourced(file)).toBe(ID);
  });

  it("appends after other hooks' lines (one without its newline), and repeats nothing for the same session", () => {
    const file = join(scratch.dir('session-env-'), 'env.sh');
    writeFileSync(file, 'export FOO=\'bar\'\nexport PATH="$PATH:/opt/x"');
    expect(exportSessionToShell({ CLAUDE_ENV_FILE: file }, ID)).toBe('written');
    const once = `export FOO='bar'\nexport PATH="$PATH:/opt/x"\nexport HANDOFF_SESSION='${ID}'\n`;
    expect(readFileSync(file, 'utf8')).toBe(once);
    // A second SessionStart of the same session (resume, compact) adds nothing.
    expect(exportSessionToShell({ CLAUDE_ENV_FILE: file }, ID)).toBe('present');
    expect(readFileSync(file, 'utf8')).toBe(once);
    // Another session later in the same file: the last export wins when sourced.
    expect(exportSessionToShell({ CLAUDE_ENV_FILE: file }, 'second-session')).toBe('written');
    expect(sourced(file)).toBe('second-session');
    expect(readFileSync(file, 'utf8')).toContain("export FOO='bar'\n");
  });

  it.each(HOSTILE)('leaves the file alone for the hostile id %j', (id) => {
    const dir = scratch.dir('session-env-');
    const file = join(dir, 'env.sh');
    expect(exportSessionToShell({ CLAUDE_ENV_FILE: file }, id)).toBe('unsafe-id');
    expect(existsSync(file)).toBe(false);
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
  });

  it('does nothing without CLAUDE_ENV_FILE, and never throws on a file it cannot write', () => {
    expect(exportSessionToShell({}, ID)).toBe('no-file');
    expect(exportSessionToShell({ CLAUDE_ENV_FILE: '' }, ID)).toBe('no-file');
    const dir = scratch.dir('session-env-');
    // A folder where the file should be, and a file in a folder that does not exist.
    mkdirSync(join(dir, 'is-a-dir'));
    expect(exportSessionToShell({ CLAUDE_ENV_FILE: join(dir, 'is-a-dir') }, ID)).toBe('failed');
    expect(exportSessionToShell({ CLAUDE_ENV_FILE: join(dir, 'missing', 'env.sh') }, ID)).toBe('failed');
  });
});

describe('handoff hook session-start and CLAUDE_ENV_FILE', () => {
  const start = (cwd: string, payload: Record<string, unknown>, env: NodeJS.ProcessEnv) =>
    handoffInProcess(['hook', 'session-start', '--format', 'json'], {
      cwd,
      env: { HANDOFF_DEVELOPER: 'me', ...env },
      input: JSON.stringify(payload),
    });

  it("exports the payload's session, and briefs as usual whatever happens to the file", async () => {
    const repo = scratch.repo({ 'README.md': '# demo\n' });
    repo.write({ 'src/new.ts': 'export const n = 1;\n' });
    const dir = scratch.dir('session-env-');
    const payload = { session_id: ID, cwd: repo.dir };
    const usual = await start(repo.dir, payload, {});
    expect(usual.stdout).toContain('additionalContext');

    const file = join(dir, 'sessionstart-hook-0.sh');
    const ok = await start(repo.dir, payload, { CLAUDE_ENV_FILE: file });
    expect([ok.code, ok.stderr, ok.stdout]).toEqual([0, '', usual.stdout]);
    expect(sourced(file)).toBe(ID);

    const hostile = join(dir, 'hostile.sh');
    const bad = await start(repo.dir, { ...payload, session_id: "x'$(touch pwned)'" }, { CLAUDE_ENV_FILE: hostile });
    expect([bad.code, bad.stderr, bad.stdout]).toEqual([0, '', usual.stdout]);
    expect(existsSync(hostile)).toBe(false);

    mkdirSync(join(dir, 'a-dir'));
    const unwritable = await start(repo.dir, payload, { CLAUDE_ENV_FILE: join(dir, 'a-dir') });
    expect([unwritable.code, unwritable.stderr, unwritable.stdout]).toEqual([0, '', usual.stdout]);
  });
});
