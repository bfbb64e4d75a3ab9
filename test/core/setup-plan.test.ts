// The setup planner as pure functions: merging our hook entries into agent settings
// keeps every foreign hook and setting, is idempotent, and `remove` takes out exactly
// ours; the git hook script chains the hook it replaced.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import {
  GIT_MARKER,
  gitHookScript,
  installedClaims,
  installedEvents,
  isOurGitHook,
  mergeAgentSettings,
  type HookSpec,
} from '../../src/setup/plan.js';
import { agentHookSpecs, commandOf } from '../../src/setup/targets.js';

const EXE = { node: '/opt/node 20/bin/node', bin: "/home/o'neil/handoff/bin/handoff.js" };
const CLAUDE = agentHookSpecs('claude', EXE);
const CODEX = agentHookSpecs('codex', EXE);
const FILE = '/repo/.claude/settings.json';

const FOREIGN = {
  permissions: { allow: ['Bash(npm test)'], deny: ['Read(./.env)'] },
  env: { FOO: 'bar' },
  model: 'opus',
  hooks: {
    Stop: [{ hooks: [{ type: 'command', command: 'echo foreign' }] }],
    PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'lint-guard', timeout: 3 }] }],
    SessionStart: [{ matcher: 'startup', hooks: [{ type: 'command', command: 'other-tool hook session-start' }] }],
  },
};
const FOREIGN_TEXT = `${JSON.stringify(FOREIGN, null, 2)}\n`;

const merge = (text: string | undefined, specs: readonly HookSpec[] = CLAUDE, remove = false): string | undefined =>
  mergeAgentSettings(FILE, text, specs, remove);
const parse = (text: string | undefined): Record<string, any> => JSON.parse(text!) as Record<string, any>;
const commandsOf = (groups: any[] | undefined): string[] =>
  (groups ?? []).flatMap((g: any) => (g.hooks ?? []).map((h: any) => h.command as string));

describe('mergeAgentSettings', () => {
  it('adds our SessionStart, Stop and SessionEnd hooks in the shape Claude Code reads', () => {
    const root = parse(merge(undefined));
    expect(Object.keys(root)).toEqual(['hooks']);
    for (const spec of CLAUDE) {
      const groups = root.hooks[spec.event] as any[];
      expect(groups, spec.event).toHaveLength(1);
      expect(groups[0].hooks).toEqual([{ type: 'command', command: spec.command, timeout: spec.timeout }]);
      expect(spec.timeout).toBeGreaterThan(0);
    }
    expect(Object.keys(root.hooks).sort()).toEqual(['PreToolUse', 'SessionEnd', 'SessionStart', 'Stop']);
    expect(root.hooks.PreToolUse[0].matcher).toBe('Edit|Write|MultiEdit|NotebookEdit');
  });

  it('installs the pre-edit claims hook: warn by default, enforce asks (Claude Code only), off installs none', () => {
    const preEdit = (specs: HookSpec[]): string | undefined => specs.find((s) => s.event === 'PreToolUse')?.command;
    expect(preEdit(CLAUDE)).toMatch(/hook pre-edit --agent claude-code$/);
    expect(preEdit(agentHookSpecs('claude', EXE, 'system', 'enforce'))).toMatch(/--claims enforce$/);
    expect(preEdit(agentHookSpecs('claude', EXE, 'system', 'off'))).toBeUndefined();
    // Codex refuses `ask`: its entry only warns, the same command whatever --claims says (so the same trust hash).
    expect(preEdit(CODEX)).toMatch(/hook pre-edit --agent codex$/);
    expect(preEdit(agentHookSpecs('codex', EXE, 'system', 'enforce'))).toBe(preEdit(CODEX));
    expect(preEdit(agentHookSpecs('codex', EXE, 'system', 'off'))).toBeUndefined();
    expect(installedClaims(merge(undefined))).toBe('warn');
    expect(installedClaims(merge(undefined, agentHookSpecs('claude', EXE, 'system', 'enforce')))).toBe('enforce');
    expect(installedClaims(merge(merge(undefined), agentHookSpecs('claude', EXE, 'system', 'off')))).toBeUndefined();
    expect(merge(merge(FOREIGN_TEXT), CLAUDE, true)).toBe(FOREIGN_TEXT);
  });

  it('gives Codex SessionStart, Stop, SessionEnd (reason "other") and PreToolUse on apply_patch', () => {
    expect(CODEX.map((s) => s.event)).toEqual(['SessionStart', 'Stop', 'SessionEnd', 'PreToolUse']);
    const root = parse(merge(undefined, CODEX));
    expect(Object.keys(root.hooks).sort()).toEqual(['PreToolUse', 'SessionEnd', 'SessionStart', 'Stop']);
    expect(root.hooks.PreToolUse).toEqual([
      {
        matcher: 'apply_patch',
        hooks: [{ type: 'command', command: commandOf(EXE, 'hook pre-edit --agent codex'), timeout: 5 }],
      },
    ]);
    expect(installedClaims(merge(undefined, CODEX))).toBe('warn');
  });

  it('adds the Codex pre-edit hook to a hooks.json set up before it existed, and removes it with the rest', () => {
    const before = CODEX.filter((s) => s.event !== 'PreToolUse');
    const old = merge(FOREIGN_TEXT, before)!;
    const now = merge(old, CODEX)!;
    expect(now).toBe(merge(FOREIGN_TEXT, CODEX));
    expect(merge(now, CODEX)).toBe(now);
    expect(commandsOf(parse(now).hooks.PreToolUse)).toEqual([
      'lint-guard',
      commandOf(EXE, 'hook pre-edit --agent codex'),
    ]);
    // --claims off takes it out again, leaving the rest as the older setup wrote it.
    expect(merge(now, agentHookSpecs('codex', EXE, 'system', 'off'))).toBe(old);
    expect(merge(now, CODEX, true)).toBe(FOREIGN_TEXT);
  });

  it('keeps each SessionEnd budget inside what its client waits for, and never nudges at SessionEnd', () => {
    const budget = (spec: HookSpec): number => Number(/--budget-ms (\d+)/.exec(spec.command)?.[1]);
    const claude = CLAUDE.find((s) => s.event === 'SessionEnd')!;
    const codex = CODEX.find((s) => s.event === 'SessionEnd')!;
    // Claude Code waits max(1.5 s, timeout) up to 60 s; Codex clamps SessionEnd timeouts to 3 s.
    expect(claude.timeout).toBeLessThanOrEqual(60);
    expect(budget(claude)).toBeLessThanOrEqual(Math.max(1.5, claude.timeout) * 1000 - 1000);
    expect(codex.timeout).toBeLessThanOrEqual(3);
    expect(budget(codex)).toBeLessThanOrEqual(codex.timeout * 1000 - 1000);
    for (const spec of [claude, codex]) expect(spec.command).toContain('--nudge off');
  });

  it('puts the chosen --nudge on the Stop command only', () => {
    const stop = (specs: HookSpec[]): string => specs.find((s) => s.event === 'Stop')!.command;
    expect(stop(CLAUDE)).not.toContain('--nudge');
    expect(stop(agentHookSpecs('claude', EXE, 'block'))).toMatch(
      /hook session-stop --agent claude-code --nudge block$/,
    );
    expect(stop(agentHookSpecs('codex', EXE, 'off'))).toMatch(/--agent codex --nudge off$/);
  });

  it('writes commands with the absolute, shell-quoted paths of node and handoff', () => {
    const start = CLAUDE.find((s) => s.event === 'SessionStart')!;
    expect(start.command).toBe(
      `'/opt/node 20/bin/node' '/home/o'\\''neil/handoff/bin/handoff.js' hook session-start --format json --agent claude-code`,
    );
    expect(commandOf(EXE, 'x')).toMatch(/^'\/opt\/node 20\/bin\/node' /);
    expect(CLAUDE.find((s) => s.event === 'Stop')!.command).toContain('hook session-stop');
    expect(CLAUDE.find((s) => s.event === 'SessionEnd')!.command).toContain('hook session-stop');
  });

  it('keeps foreign hooks and every other setting', () => {
    const root = parse(merge(FOREIGN_TEXT));
    expect(root.permissions).toEqual(FOREIGN.permissions);
    expect(root.env).toEqual(FOREIGN.env);
    expect(root.model).toBe('opus');
    expect(root.hooks.PreToolUse[0]).toEqual(FOREIGN.hooks.PreToolUse[0]);
    expect(root.hooks.Stop[0]).toEqual(FOREIGN.hooks.Stop[0]);
    expect(root.hooks.SessionStart[0]).toEqual(FOREIGN.hooks.SessionStart[0]);
    for (const spec of CLAUDE) expect(commandsOf(root.hooks[spec.event])).toContain(spec.command);
    expect(commandsOf(root.hooks.Stop)).toEqual(['echo foreign', CLAUDE.find((s) => s.event === 'Stop')!.command]);
  });

  it('is idempotent: a second merge returns the same text', () => {
    const once = merge(FOREIGN_TEXT);
    expect(merge(once)).toBe(once);
    const fresh = merge(undefined);
    expect(merge(fresh)).toBe(fresh);
  });

  it('replaces an older install of ours instead of adding a second one', () => {
    const old = merge(
      FOREIGN_TEXT,
      agentHookSpecs('claude', { node: '/old/node', bin: '/old/handoff/bin/handoff.js' }),
    );
    const root = parse(merge(old));
    for (const spec of CLAUDE) {
      const ours = commandsOf(root.hooks[spec.event]).filter((c) => c.includes('handoff'));
      expect(ours, spec.event).toEqual([spec.command]);
    }
  });

  it('remove takes out exactly ours', () => {
    const merged = merge(FOREIGN_TEXT);
    const removed = merge(merged, CLAUDE, true);
    expect(parse(removed)).toEqual(FOREIGN);
    // Nothing of ours left: a second remove changes nothing.
    expect(merge(removed, CLAUDE, true)).toBe(removed);
  });

  it('remove keeps a foreign hook that shares a group with ours', () => {
    const stop = CLAUDE.find((s) => s.event === 'Stop')!;
    const shared = {
      hooks: {
        Stop: [
          {
            matcher: '',
            hooks: [
              { type: 'command', command: 'echo foreign' },
              { type: 'command', command: stop.command, timeout: 30 },
            ],
          },
        ],
      },
    };
    const removed = parse(merge(JSON.stringify(shared), CLAUDE, true));
    expect(removed).toEqual({
      hooks: { Stop: [{ matcher: '', hooks: [{ type: 'command', command: 'echo foreign' }] }] },
    });
  });

  it('remove of a file that held only ours deletes it (undefined)', () => {
    const created = merge(undefined);
    expect(created).toBeDefined();
    expect(merge(created, CLAUDE, true)).toBeUndefined();
    const codex = merge(undefined, CODEX);
    expect(merge(codex, CODEX, true)).toBeUndefined();
  });

  it('remove of a file without our hooks changes nothing', () => {
    expect(merge(FOREIGN_TEXT, CLAUDE, true)).toBe(FOREIGN_TEXT);
    expect(merge(undefined, CLAUDE, true)).toBeUndefined();
  });

  it('refuses invalid JSON or a non-object with a UsageError', () => {
    expect(() => merge('{ "hooks": ')).toThrow(UsageError);
    expect(() => merge('[1, 2]')).toThrow(UsageError);
    expect(() => merge('"text"')).toThrow(UsageError);
    try {
      merge('{ nope');
    } catch (error) {
      expect((error as UsageError).exitCode).toBe(2);
      expect((error as Error).message).toContain(FILE);
    }
  });

  it('treats an empty file as no settings', () => {
    expect(parse(merge(''))).toEqual(parse(merge(undefined)));
  });
});

describe('installedEvents', () => {
  it('finds only our hooks, by event', () => {
    const events = installedEvents(merge(FOREIGN_TEXT));
    expect([...events.keys()].sort()).toEqual(['PreToolUse', 'SessionEnd', 'SessionStart', 'Stop']);
    for (const spec of CLAUDE) expect(events.get(spec.event)).toEqual([spec.command]);
  });

  it('finds nothing in foreign-only, missing or invalid settings', () => {
    expect(installedEvents(FOREIGN_TEXT).size).toBe(0);
    expect(installedEvents(undefined).size).toBe(0);
    expect(installedEvents('{ broken').size).toBe(0);
    expect(installedEvents(merge(merge(FOREIGN_TEXT), CLAUDE, true)).size).toBe(0);
  });
});

describe('gitHookScript', () => {
  const refresh = `'/usr/bin/node' '/x/bin/handoff.js'`;
  const script = gitHookScript('post-commit', refresh);
  const lines = script.split('\n');

  it('is a shell script carrying the marker', () => {
    expect(lines[0]).toBe('#!/bin/sh');
    expect(script).toContain(GIT_MARKER);
    expect(isOurGitHook(script)).toBe(true);
    expect(isOurGitHook('#!/bin/sh\necho mine\n')).toBe(false);
    expect(isOurGitHook(undefined)).toBe(false);
  });

  it('runs the chained .pre-handoff hook first, keeping its exit status, then refreshes in the background', () => {
    const runsPrevious = lines.findIndex((l) => l.includes('"$previous"'));
    const refreshes = lines.findIndex((l) => l.includes(refresh));
    expect(script).toContain('post-commit.pre-handoff');
    expect(runsPrevious).toBeGreaterThan(0);
    expect(refreshes).toBeGreaterThan(runsPrevious);
    expect(lines[runsPrevious]).toContain('"$@"');
    expect(lines[refreshes]).toMatch(/&/);
    expect(lines.filter((l) => l.trim() !== '').at(-1)).toBe('exit $status');
  });

  it('names the hook it chains after its own name', () => {
    expect(gitHookScript('post-merge', refresh)).toContain('post-merge.pre-handoff');
    expect(gitHookScript('post-merge', refresh)).not.toContain('post-commit');
  });
});

describe('mergeAgentSettings keeps the user file as it was (issue 7, item 11)', () => {
  const roundTrip = (
    text: string,
    specs: readonly HookSpec[] = CLAUDE,
  ): { installed: string; removed: string | undefined } => {
    const installed = merge(text, specs)!;
    return { installed, removed: merge(installed, specs, true) };
  };
  const cases: Record<string, string> = {
    'four-space indent': JSON.stringify(FOREIGN, null, 4),
    'compact JSON': JSON.stringify(FOREIGN),
    'CRLF line ends': `${JSON.stringify(FOREIGN, null, 2).replace(/\n/g, '\r\n')}\r\n`,
    'tab indent': `${JSON.stringify(FOREIGN, null, '\t')}\n`,
    'a 20-digit integer': '{\n  "big": 12345678901234567890,\n  "model": "opus"\n}\n',
    'a 1.0 float': '{\n  "ratio": 1.0,\n  "exp": 1E3\n}\n',
    '\\u escapes':
      '{\n  "name": "caf\\u00e9 \\u2603",\n  "hooks": {\n    "Stop": [{ "hooks": [{ "type": "command", "command": "echo \\u00e9" }] }]\n  }\n}\n',
    'no trailing newline': '{\n  "model": "opus"\n}',
    'odd spacing kept around our entries':
      '{ "model" :"opus" ,\n   "hooks": {"Stop":[ {"hooks":[{"type":"command","command":"echo foreign"}]} ]}\n}\n',
    'an empty object on one line': '{}',
  };

  for (const [name, text] of Object.entries(cases)) {
    it(`setup then remove gives identical bytes: ${name}`, () => {
      for (const specs of [CLAUDE, CODEX]) {
        const { installed, removed } = roundTrip(text, specs);
        expect(installed).not.toBe(text);
        expect(installedEvents(installed).size).toBe(specs.length);
        // Every foreign value survives the install as it was spelled.
        const { hooks: _ours, ...rest } = JSON.parse(installed) as Record<string, unknown>;
        const { hooks: _theirs, ...before } = JSON.parse(text) as Record<string, unknown>;
        expect(rest).toEqual(before);
        if (name === 'an empty object on one line') expect(removed).toBeUndefined();
        else expect(removed).toBe(text);
      }
    });
  }

  it('an empty hooks object goes with our last entry (remove cannot tell it from one setup added)', () => {
    const text = '{\n  "model": "opus",\n  "hooks": {}\n}\n';
    expect(merge(merge(text), CLAUDE, true)).toBe('{\n  "model": "opus"\n}\n');
  });

  it('keeps the line end, the indent unit and the number spellings in what it adds', () => {
    const crlf = merge(cases['CRLF line ends'])!;
    expect(crlf.replace(/\r\n/g, '')).not.toContain('\n');
    const four = merge(cases['four-space indent'])!;
    expect(four).toMatch(/\n {4}"hooks": \{\n {8}"Stop": \[/);
    expect(four).not.toMatch(/\n {2}"/);
    expect(merge(cases['compact JSON'])!).not.toContain('\n');
    expect(merge(cases['a 20-digit integer'])!).toContain('12345678901234567890');
    expect(merge(cases['a 1.0 float'])!).toContain('"ratio": 1.0');
    expect(merge(cases['\\u escapes'])!).toContain('caf\\u00e9 \\u2603');
  });

  it('a second setup, and a setup with another nudge then back, change nothing or only our entry', () => {
    const once = merge(cases['four-space indent'])!;
    expect(merge(once)).toBe(once);
    const block = merge(once, agentHookSpecs('claude', EXE, 'block'))!;
    expect(block).toContain('--nudge block');
    expect(merge(block, CLAUDE)).toBe(once);
  });

  it('refuses (exit 2) a hooks value of the wrong shape, for setup and for remove', () => {
    for (const text of [
      '{ "hooks": "echo hi" }',
      '{ "hooks": [] }',
      '{ "hooks": { "Stop": {} } }',
      '{ "hooks": { "Stop": ["echo"] } }',
      '{ "hooks": { "Stop": [{ "hooks": "echo" }] } }',
      '{ "hooks": { "PreToolUse": [{ "hooks": [42] }] } }',
      '{ "a": 1, } ',
      '{ /* comment */ "a": 1 }',
    ]) {
      for (const remove of [false, true]) {
        let error: unknown;
        try {
          merge(text, CLAUDE, remove);
        } catch (e) {
          error = e;
        }
        expect(error, `${text} remove=${remove}`).toBeInstanceOf(UsageError);
        expect((error as UsageError).exitCode).toBe(2);
        expect((error as Error).message).toContain(FILE);
      }
    }
  });
});
