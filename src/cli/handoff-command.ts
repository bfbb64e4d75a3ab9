// `handoff [path]`: compute (or read) the layered handoff, save it, and print it as
// markdown or JSON; `--detail <file>` prints one changed file's detail instead (with
// --latest, the detail saved with the handoff).
import { relative } from 'node:path';
import {
  computeHandoff,
  deltaFileOf,
  loadDetail,
  loadSavedDetail,
  prefixFileOf,
  readSavedHandoff,
  saveHandoff,
} from '../api.js';
import { UsageError } from '../errors.js';
import { renderArtifact, renderDetail, type Layer } from '../render/markdown.js';
import { colorEnabled, createStyle } from '../render/style.js';
import type { Artifact } from '../schema/artifact.js';
import { commandDir, type Io } from './io.js';

export interface HandoffFlags {
  ref?: string;
  since?: string;
  json?: boolean;
  latest?: boolean;
  prefix?: boolean;
  delta?: boolean;
  detail?: string;
  save: boolean;
  C?: string;
}

function layerOf(flags: HandoffFlags): Layer {
  if (flags.prefix && flags.delta)
    throw new UsageError('--prefix and --delta cannot be used together', 'pick one layer, or neither for both');
  return flags.prefix ? 'prefix' : flags.delta ? 'delta' : 'both';
}

function jsonOf(a: Artifact, layer: Layer): unknown {
  return layer === 'prefix' ? prefixFileOf(a) : layer === 'delta' ? deltaFileOf(a) : a;
}

export async function runHandoffCommand(path: string | undefined, flags: HandoffFlags, io: Io): Promise<void> {
  const layer = layerOf(flags);
  const cwd = commandDir(io, flags.C);
  const style = createStyle(!flags.json && colorEnabled(io.stdoutIsTTY, io.env));
  if (flags.latest) {
    if (flags.detail !== undefined) {
      const detail = await loadSavedDetail({ cwd, path, file: flags.detail, warn: io.err });
      io.out(flags.json ? `${JSON.stringify(detail, null, 2)}\n` : renderDetail(detail, style));
      return;
    }
    const { artifact } = await readSavedHandoff(cwd, path);
    io.out(
      flags.json ? `${JSON.stringify(jsonOf(artifact, layer), null, 2)}\n` : renderArtifact(artifact, layer, style),
    );
    return;
  }
  const now = io.now();
  const result = await computeHandoff({
    cwd,
    path,
    ref: flags.ref,
    since: flags.since,
    now,
    env: io.env,
    warn: io.err,
  });
  if (flags.detail !== undefined) {
    const detail = loadDetail(result, flags.detail, cwd);
    io.out(flags.json ? `${JSON.stringify(detail, null, 2)}\n` : renderDetail(detail, style));
    return;
  }
  let artifact = result.artifact;
  let written: string[] = [];
  if (flags.save) ({ artifact, written } = await saveHandoff(result, now, io.err));
  if (flags.json) {
    io.out(`${JSON.stringify(jsonOf(artifact, layer), null, 2)}\n`);
    return;
  }
  io.out(renderArtifact(artifact, layer, style));
  // A note, not part of the report: stdout stays within the markdown budget.
  const paths = written.map((p) => relative(cwd, p) || p);
  if (paths.length > 0) io.err(`Wrote ${paths.join(', ')}`);
}
