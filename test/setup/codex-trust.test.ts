// Codex's hook trust, computed the way Codex 0.171.0 computes it. The expected hashes are
// `currentHash` values that the real `codex app-server` reported (hooks/list) for these
// entries; test/agents/codex.test.ts checks the same against the live client.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../fixtures/git-repo.js';
import {
  codexHookHash,
  codexTrustChecks,
  eventLabel,
  hookTrust,
  listCodexHooks,
  type CodexHook,
  parseCodexConfig,
} from '../../src/setup/codex-trust.js';

const VARIETY = {
  hooks: {
    SessionStart: [
      {
        matcher: 'startup|resume',
        hooks: [
          { type: 'command', command: 'echo a', statusMessage: 'hi', additionalContextLimit: 100 },
          { type: 'command', command: 'echo b', timeout: 0 },
        ],
      },
    ],
    Stop: [{ matcher: 'x', hooks: [{ type: 'command', command: 'echo c', timeout: 7, async: true }] }],
    SessionEnd: [
      {
        hooks: [
          { type: 'command', command: 'echo d', timeout: 5 },
          { type: 'command', command: 'echo e' },
          { type: 'command', command: 'echo f', additionalContextLimit: 5 },
        ],
      },
    ],
    PreToolUse: [{ matcher: ' Bash ', hooks: [{ type: 'command', command: 'echo g' }] }],
    UserPromptSubmit: [
      { matcher: 'Bash', hooks: [{ type: 'command', command: 'echo é \u0001 "q"', commandWindows: 'x' }] },
    ],
  },
};

/** What `codex app-server` 0.171.0 answered for VARIETY saved as /r/.codex/hooks.json. */
const CODEX_SAYS: Record<string, string> = {
  'pre_tool_use:0:0': 'sha256:25121c9b9478bd12fe57ca1310873e38c0873e7f034e21ad188ed9b6ff65ee47',
  'session_start:0:0': 'sha256:532b9a98c1ad6393df2c884ece7ab305e212a1fe7beb2886b05411f1d2f9bc5c',
  'session_start:0:1': 'sha256:f4fe72780e906c0f7f6d572a24ac3f090f32ce1c3be1a29caaffc0586ae6c091',
  'session_end:0:0': 'sha256:119f554906f56ceefc7ff9736608c4e5a8a383a25f2816cce91d0434befb1bc6',
  'session_end:0:1': 'sha256:c64b695cbe99cd72dbdf183bd250df1c08e4d13fe33ca2cc20957c56232d98ff',
  'session_end:0:2': 'sha256:526a3262f46572c783dd9920944cf9713b4efd7b9aebbb9355352d700f961179',
  'user_prompt_submit:0:0': 'sha256:937eae3e8cd8ca3c6543bf6db9e6120c78403cce426671f526fe7c2662b0a957',
  'stop:0:0': 'sha256:1fcf0f78d35a203bb57d9970ed1f87f79b77866914b83497dca7b871ee083df3',
};

describe('Codex hook trust', () => {
  it('computes the hash Codex reports for each entry, with its key', () => {
    const hooks = listCodexHooks('/r/.codex/hooks.json', JSON.stringify(VARIETY, null, 4));
    const byKey = Object.fromEntries(hooks.map((h) => [h.key.replace('/r/.codex/hooks.json:', ''), h.hash]));
    expect(byKey).toEqual(CODEX_SAYS);
  });

  it('hashes one of our installed entries as Codex does', () => {
    const command = "'/usr/bin/node' '/work/wt/agents/bin/handoff.js' hook session-start --format json --agent codex";
    expect(codexHookHash('SessionStart', undefined, { type: 'command', command, timeout: 10 })).toBe(
      'sha256:43027ac385e69dac272053cd5d1a42d5783f740fc8e139f16cbc67233bfe456c',
    );
  });

  it('labels events the way Codex keys them', () => {
    const labels = ['SessionStart', 'Stop', 'SessionEnd', 'PreToolUse'].map(eventLabel);
    expect(labels).toEqual(['session_start', 'stop', 'session_end', 'pre_tool_use']);
  });

  it('reads trust from config.toml: trusted, modified, never reviewed, disabled', () => {
    const [a, b, c, d] = listCodexHooks('/r/.codex/hooks.json', JSON.stringify(VARIETY));
    const toml = [
      'model = "m"',
      '[projects."/r"]',
      'trust_level = "trusted"',
      `[hooks.state."${a!.key}"]`,
      `trusted_hash = "${a!.hash}"`,
      `[hooks.state." ${b!.key} "]`,
      'trusted_hash = "sha256:0000"',
      `[hooks.state."${d!.key}"]`,
      `trusted_hash = "${d!.hash}"`,
      'enabled = false',
    ].join('\n');
    const config = parseCodexConfig('/h/config.toml', toml);
    expect(config.projectTrust.get('/r')).toBe('trusted');
    const verdicts = [a, b, c, d].map((h) => hookTrust(h!, config.hookStates));
    expect(verdicts).toEqual(['trusted', 'modified', 'untrusted', 'disabled']);
  });

  it('reports a config.toml Codex could not read, and ignores a hooks.json that is not JSON', () => {
    expect(() => parseCodexConfig('/h/config.toml', '[hooks\n')).toThrow(/\/h\/config.toml is not valid TOML/);
    expect(listCodexHooks('/r/.codex/hooks.json', '{not json')).toEqual([]);
    // An event name Codex cannot have (here with a terminal escape) is not listed, so never printed.
    const ours = { type: 'command', command: 'handoff hook session-stop' };
    const hostile = { hooks: { 'Stop\u001b[2J': [{ hooks: [ours] }] } };
    expect(listCodexHooks('/r/.codex/hooks.json', JSON.stringify(hostile))).toEqual([]);
    expect(parseCodexConfig('/h/config.toml', undefined).hookStates.size).toBe(0);
  });
});

describe("doctor's codex trust check", () => {
  const dir = makeTempDir('codex-trust-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const root = join(dir, 'repo');
  const codexHome = join(dir, 'codex-home');
  const hooksFile = join(root, '.codex', 'hooks.json');
  const command = "'/usr/bin/node' '/x/bin/handoff.js' hook session-stop --agent codex";
  mkdirSync(join(root, '.codex'), { recursive: true });
  mkdirSync(codexHome, { recursive: true });
  const handlers = [
    { type: 'command', command, timeout: 30 },
    { type: 'command', command: 'lint' },
  ];
  const hooks = { hooks: { Stop: [{ hooks: handlers }] } };
  writeFileSync(hooksFile, JSON.stringify(hooks));
  const [ours] = listCodexHooks(hooksFile, JSON.stringify(hooks));
  const check = (config: string | undefined, projectRoots?: string[]) => {
    if (config === undefined) rmSync(join(codexHome, 'config.toml'), { force: true });
    else writeFileSync(join(codexHome, 'config.toml'), config);
    return codexTrustChecks(codexHome, [{ hooksFile, ...(projectRoots ? { projectRoots } : {}) }]);
  };
  const trustedProject = `[projects.${JSON.stringify(root)}]\ntrust_level = "trusted"\n`;

  it('an untrusted project: Codex reads none of its hooks', () => {
    const [c] = check(undefined, [root]);
    expect(c).toMatchObject({ name: 'codex trust', status: 'warn' });
    expect(c!.detail).toContain(`Codex does not trust ${root}`);
    expect(c!.fix).toContain('/hooks');
  });

  it('a trusted project: only our hooks are reported, never reviewed, then trusted', () => {
    const detail = `${hooksFile}: Stop untrusted (never reviewed in Codex); Codex will not run them`;
    expect(check(trustedProject, [root])).toEqual([expect.objectContaining({ status: 'warn', detail })]);
    const reviewed = `${trustedProject}[hooks.state.${JSON.stringify(ours!.key)}]\ntrusted_hash = "${ours!.hash}"\n`;
    expect(check(reviewed, [root])).toEqual([expect.objectContaining({ status: 'ok' })]);
  });

  it('a user-level hooks file needs no project trust; a config Codex cannot read fails the check', () => {
    const [user] = check(undefined);
    expect(user).toMatchObject({ status: 'warn', detail: expect.stringContaining('Stop untrusted') });
    expect(check('[hooks.state\n', [root])).toEqual([
      expect.objectContaining({ status: 'fail', detail: expect.stringContaining('is not valid TOML') }),
    ]);
  });

  it('reports our pre-edit (PreToolUse) hook with the session hooks: trusting only those is not enough', () => {
    const preEdit = {
      type: 'command',
      command: "'/usr/bin/node' '/x/bin/handoff.js' hook pre-edit --agent codex",
      timeout: 5,
    };
    const both = { hooks: { ...hooks.hooks, PreToolUse: [{ matcher: 'apply_patch', hooks: [preEdit] }] } };
    writeFileSync(hooksFile, JSON.stringify(both));
    try {
      const listed = listCodexHooks(hooksFile, JSON.stringify(both)).filter((h) => h.command.includes('handoff.js'));
      expect(listed.map((h) => h.key)).toEqual([ours!.key, `${hooksFile}:pre_tool_use:0:0`]);
      const state = (h: CodexHook): string => `[hooks.state.${JSON.stringify(h.key)}]\ntrusted_hash = "${h.hash}"\n`;
      const detail = `${hooksFile}: Stop trusted, PreToolUse untrusted (never reviewed in Codex); Codex will not run them`;
      expect(check(`${trustedProject}${state(listed[0]!)}`, [root])).toEqual([expect.objectContaining({ detail })]);
      const all = `${trustedProject}${listed.map(state).join('')}`;
      expect(check(all, [root])).toEqual([expect.objectContaining({ status: 'ok' })]);
    } finally {
      writeFileSync(hooksFile, JSON.stringify(hooks));
    }
  });

  it('a hooks file without our hooks gives no check', () => {
    expect(codexTrustChecks(codexHome, [{ hooksFile: join(dir, 'missing.json') }])).toEqual([]);
  });
});
