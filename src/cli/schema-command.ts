// `handoff schema [name]`: JSON Schema generated from the zod schemas, so scripts can
// validate what they read with the same contract the tool writes with.
import * as z from 'zod';
import { artifact, deltaFile, fileDetail, metricsLine, prefixFile } from '../schema/artifact.js';
import { projectConfig } from '../schema/config.js';
import { contextView, eventRecord } from '../schema/context.js';
import { decisionView, interfaceView } from '../schema/decision.js';
import { storeRecord } from '../schema/records.js';
import { teamState } from '../schema/state.js';
import { inboxView, message, threadView } from '../schema/message.js';
import { claimView } from '../schema/claim.js';
import { conflictReport } from '../schema/conflicts.js';
import { UsageError } from '../errors.js';
import type { Io } from './io.js';

export const SCHEMAS = {
  latest: artifact,
  prefix: prefixFile,
  delta: deltaFile,
  detail: fileDetail,
  metrics: metricsLine,
  config: projectConfig,
  context: contextView,
  message,
  inbox: inboxView,
  thread: threadView,
  event: eventRecord,
  state: teamState,
  decision: decisionView,
  interface: interfaceView,
  /** A line of the team store's log: every record kind (context, revoke, visibility, decision, …). */
  record: storeRecord,
  conflicts: conflictReport,
  claim: claimView,
} as const;

export type SchemaName = keyof typeof SCHEMAS;

export function jsonSchemaOf(name: SchemaName): unknown {
  return { $id: `codemap-handoff/${name}`, ...(z.toJSONSchema(SCHEMAS[name], { io: 'output' }) as object) };
}

export function runSchemaCommand(name: string | undefined, io: Io): void {
  if (name === undefined) {
    const all = Object.fromEntries(Object.keys(SCHEMAS).map((n) => [n, jsonSchemaOf(n as SchemaName)]));
    io.out(`${JSON.stringify(all, null, 2)}\n`);
    return;
  }
  if (!(name in SCHEMAS))
    throw new UsageError(`unknown schema "${name}"`, `choose one of: ${Object.keys(SCHEMAS).join(', ')}`);
  io.out(`${JSON.stringify(jsonSchemaOf(name as SchemaName), null, 2)}\n`);
}
