// Runs the real Claude Code and Codex clients (pinned devDependencies) against our fake
// model server: an isolated HOME / CLAUDE_CONFIG_DIR / CODEX_HOME per test in a temp dir,
// no API key of the user's, no network, no update checks. Hooks installed by `handoff
// setup` name this node and this checkout's bin/handoff.js by absolute path.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { FakeModelServer } from '../../fixtures/fake-model-server.js';
import { cliEnv, PROJECT_ROOT, runCli } from '../e2e/helpers.js';

/** A session starts several processes per hook; on a busy 2-core machine that takes a while. */
export const AGENT_TEST_TIMEOUT_MS = 180_000;

export interface AgentRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** The client's own launcher, or for Claude Code the fallback wrapper when its postinstall did not run. */
export function clientCommand(client: 'claude' | 'codex'): { command: string; args: string[] } {
  const modules = join(PROJECT_ROOT, 'node_modules');
  if (client === 'codex') {
    return { command: process.execPath, args: [join(modules, '@openai', 'codex', 'bin', 'codex.js')] };
  }
  const pkg = join(modules, '@anthropic-ai', 'claude-code');
  // The postinstall replaces the placeholder bin/claude.exe with the native binary (hundreds of MB).
  const native = statSync(join(pkg, 'bin', 'claude.exe')).size > 1 << 20;
  if (native) return { command: join(pkg, 'bin', 'claude.exe'), args: [] };
  return { command: process.execPath, args: [join(pkg, 'cli-wrapper.cjs')] };
}

/** The environment of one client run: nothing inherited that could reach a real account. */
export function agentEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = cliEnv();
  const account = /^(ANTHROPIC_|OPENAI_|CLAUDE|CODEX|AWS_|GOOGLE_|AZURE_|MCP_)/;
  for (const key of Object.keys(env)) if (account.test(key)) delete env[key];
  return {
    ...env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    CLAUDE_CONFIG_DIR: join(home, '.claude'),
    CODEX_HOME: join(home, '.codex'),
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    NO_UPDATE_NOTIFIER: '1',
    // Reaches the hooks through the client: each handoff hook run is logged (hookRuns).
    NODE_OPTIONS: `--require=${join(PROJECT_ROOT, 'fixtures', 'hook-spy.cjs')}`,
    HANDOFF_TEST_HOOK_LOG: join(home, 'hook-runs.jsonl'),
    ...extra,
  };
}

interface ClientOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export function runClient(
  client: 'claude' | 'codex',
  args: readonly string[],
  options: ClientOptions,
): Promise<AgentRun> {
  const { command, args: prefix } = clientCommand(client);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    // No standard input: `codex exec` would otherwise wait to read more prompt from it.
    const child = spawn(command, [...prefix, ...args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    // A hung client is a failed test, not a stuck suite.
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const text = (chunks: Buffer[]): string => Buffer.concat(chunks).toString('utf8');
      resolve({ code, stdout: text(out), stderr: text(err), ms: Date.now() - started });
    });
  });
}

/** Claude Code with the fake server as its API: one print-mode session. */
export interface SessionOptions {
  cwd: string;
  home: string;
  args?: string[];
}

export function runClaude(
  prompt: string,
  options: SessionOptions & { server: FakeModelServer; env?: NodeJS.ProcessEnv },
): Promise<AgentRun> {
  const env = agentEnv(options.home, {
    ...options.env,
    ANTHROPIC_BASE_URL: options.server.url,
    ANTHROPIC_API_KEY: 'sk-ant-fake-for-tests',
    ANTHROPIC_MODEL: 'claude-fake',
  });
  // The debug file is what to read when a run fails: it logs every hook with its output.
  const debug = ['--debug-file', join(options.home, 'claude-debug.log')];
  const args = ['-p', prompt, '--output-format', 'stream-json', '--verbose', ...debug, ...(options.args ?? [])];
  return runClient('claude', args, { cwd: options.cwd, env });
}

/**
 * Writes the Codex user config: the fake provider, and (optionally) the project trusted.
 * `model` picks the tools Codex offers: an unknown slug gets no `apply_patch`; a slug of
 * Codex's bundled catalog (`gpt-5.5`) gets it as the freeform tool real sessions use.
 */
export function writeCodexConfig(home: string, server: FakeModelServer, extra = '', model = 'fake-model'): string {
  const dir = join(home, '.codex');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'config.toml');
  const text = [
    `model = ${JSON.stringify(model)}`,
    'model_provider = "fake"',
    'approval_policy = "never"',
    'sandbox_mode = "danger-full-access"',
    '',
    '[model_providers.fake]',
    'name = "fake"',
    `base_url = "${server.url}/v1"`,
    'wire_api = "responses"',
    'requires_openai_auth = false',
    '',
    extra,
  ].join('\n');
  writeFileSync(file, text);
  return file;
}

/** Appends TOML to the Codex user config, as Codex's own trust prompts and /hooks review do. */
export function appendCodexConfig(home: string, text: string): void {
  const file = join(home, '.codex', 'config.toml');
  writeFileSync(file, `${readFileSync(file, 'utf8')}\n${text}\n`);
}

export function runCodex(prompt: string, options: SessionOptions & { env?: NodeJS.ProcessEnv }): Promise<AgentRun> {
  const env = agentEnv(options.home, { ...options.env, OPENAI_API_KEY: 'sk-fake-for-tests' });
  const args = ['exec', '--skip-git-repo-check', '--json', ...(options.args ?? []), prompt];
  return runClient('codex', args, { cwd: options.cwd, env });
}

/** `handoff setup --agent <agent>` in `dir`, with the user's files under `home`. */
export function installHooks(agent: 'claude' | 'codex', dir: string, home: string, nudge?: 'block' | 'system'): void {
  const args = ['setup', '--agent', agent, ...(nudge ? ['--nudge', nudge] : [])];
  const res = runCli(args, { cwd: dir, env: { HOME: home, CODEX_HOME: join(home, '.codex') } });
  expect(res.code, `setup --agent ${agent}: ${res.stderr}`).toBe(0);
}

export interface HookRun {
  event: 'SessionStart' | 'Stop' | 'SessionEnd' | 'PreToolUse';
  args: string[];
  code: number;
}

/**
 * The handoff hooks the client ran, in order (from fixtures/hook-spy.cjs). SessionEnd is
 * the session-stop entry setup installs with its own --budget-ms; Stop has none; pre-edit
 * is PreToolUse.
 */
export function hookRuns(home: string): HookRun[] {
  const file = join(home, 'hook-runs.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as { args: string[]; code: number })
    .map(({ args, code }) => ({
      event:
        args[0] === 'session-start'
          ? 'SessionStart'
          : args[0] === 'pre-edit'
            ? 'PreToolUse'
            : args.includes('--budget-ms')
              ? 'SessionEnd'
              : 'Stop',
      args,
      code,
    }));
}

export interface CodexListedHook {
  key: string;
  eventName: string;
  command: string;
  currentHash: string;
  trustStatus: string;
}

interface RpcMessage {
  id?: number;
  result?: { data: { hooks: CodexListedHook[] }[] };
  error?: unknown;
}

/** Codex's own view of the hooks for `cwd`: `hooks/list` over `codex app-server` (JSON-RPC on stdio). */
export function codexHooksList(cwd: string, home: string): Promise<CodexListedHook[]> {
  const { command, args } = clientCommand('codex');
  const child = spawn(command, [...args, 'app-server'], {
    cwd,
    env: agentEnv(home),
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const send = (message: unknown): boolean => child.stdin.write(`${JSON.stringify(message)}\n`);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('codex app-server did not answer hooks/list'));
    }, 30_000);
    let buffer = '';
    child.on('error', reject);
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const message = JSON.parse(buffer.slice(0, nl)) as RpcMessage;
        buffer = buffer.slice(nl + 1);
        if (message.id === 1) {
          send({ method: 'initialized' });
          send({ id: 2, method: 'hooks/list', params: { cwds: [cwd] } });
        } else if (message.id === 2) {
          clearTimeout(timer);
          child.kill();
          if (message.error) reject(new Error(`hooks/list: ${JSON.stringify(message.error)}`));
          else resolve(message.result!.data.flatMap((d) => d.hooks));
        }
      }
    });
    send({ id: 1, method: 'initialize', params: { clientInfo: { name: 'handoff-tests', version: '0' } } });
  });
}
