// Reads `.codemap/config.json`: the worktree's own copy first (it may be committed and
// differ per branch), else the primary worktree's. The file is the user's input, so any
// invalid value — bad JSON, a wrong type, a duration that does not parse — is one usage
// error (exit 2) naming the file and the key, never a silent default; a key handoff does
// not read is named in `unused`, so the caller can say so rather than ignore it silently.
import { join } from 'node:path';
import * as z from 'zod';
import { parseDuration } from '../core/duration.js';
import { badExcludePattern } from '../core/scope.js';
import { UsageError } from '../errors.js';
import { projectConfig, type ProjectConfig } from '../schema/config.js';
import { readTextIfExists } from './atomic.js';
import { CODEMAP_DIR, primaryWorktreeRoot } from './layout.js';

const HINT = 'fix the value or remove the key';

/**
 * Keys of the Go tool's config that configure its other commands (tree depth, hook mode,
 * prompt routing, doc drift, guidance, diff output); its handoff does not read them either,
 * so a config shared by both tools is not warned about for them.
 */
const GO_TOOL_KEYS = new Set(['depth', 'mode', 'routing', 'drift', 'guidance', 'budgets.diff_bytes']);

export interface ReadConfig {
  config: ProjectConfig;
  path?: string;
  /** Keys of the file that handoff does not read (dotted, sorted), Go-tool-only keys aside. */
  unused: string[];
}

export function readProjectConfig(root: string, commonDir: string): ReadConfig {
  const candidates = [join(root, CODEMAP_DIR, 'config.json')];
  const primary = primaryWorktreeRoot(commonDir);
  if (primary && primary !== root) candidates.push(join(primary, CODEMAP_DIR, 'config.json'));
  for (const path of candidates) {
    const text = readTextIfExists(path);
    if (text !== undefined) {
      const { config, unused } = parseProjectConfigKeys(text, path);
      return { config, path, unused };
    }
  }
  return { config: {}, unused: [] };
}

export function parseProjectConfig(text: string, path: string): ProjectConfig {
  return parseProjectConfigKeys(text, path).config;
}

function parseProjectConfigKeys(text: string, path: string): { config: ProjectConfig; unused: string[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path} is not valid JSON (${(error as Error).message})`, 'fix the file or remove it');
  }
  const parsed = projectConfig.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path.length ? issue.path.join('.') : '(the whole file)';
    throw new UsageError(`invalid value in ${path} at ${key}: ${issue?.message ?? 'schema mismatch'}`, HINT);
  }
  const config = parsed.data;
  if (config.since !== undefined && parseDuration(config.since) === undefined) {
    const what = `invalid value in ${path} at since: "${config.since}" is not a duration`;
    throw new UsageError(what, 'use a duration such as 30m, 6h or 2d');
  }
  const bad = badExcludePattern(config.exclude ?? []);
  if (bad >= 0) {
    const what = `invalid value in ${path} at exclude.${bad}: "${config.exclude![bad]}" is not a valid glob`;
    throw new UsageError(what, 'close each [ class and end no pattern with a lone \\');
  }
  return {
    config,
    unused: unusedKeys(value, projectConfig, '')
      .filter((k) => !GO_TOOL_KEYS.has(k))
      .sort(),
  };
}

/** Dotted keys of `value` that `schema` (an object schema, nested objects included) has no field for. */
function unusedKeys(value: unknown, schema: z.ZodType, prefix: string): string[] {
  const shape = objectShape(schema);
  if (!shape || typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const out: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const field = Object.hasOwn(shape, key) ? shape[key] : undefined;
    if (field === undefined) out.push(prefix + key);
    else out.push(...unusedKeys(child, field, `${prefix}${key}.`));
  }
  return out;
}

function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const inner = schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
  return inner instanceof z.ZodObject ? (inner.shape as Record<string, z.ZodType>) : undefined;
}
