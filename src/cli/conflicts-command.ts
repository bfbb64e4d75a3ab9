// `handoff conflicts [--with <ref>]... [--exit-code]`: flags → api/conflicts.ts → the report
// as text or JSON on stdout; with --exit-code a definite conflict then exits 4.
import type { Command } from 'commander';
import { findConflicts } from '../api.js';
import { ConflictError } from '../errors.js';
import { renderConflicts } from '../render/conflicts.js';
import { colorEnabled, createStyle } from '../render/style.js';
import type { Io } from './io.js';
import { printJson, requestOf, withCommon, type CommonFlags } from './options.js';

interface ConflictsFlags extends CommonFlags {
  with?: string[];
  exitCode?: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function addConflictsCommand(program: Command, io: Io): void {
  withCommon(program.command('conflicts'), { as: true })
    .description('compare your work (uncommitted included) with other active branches via git merge-tree, no checkout')
    .option('--with <ref>', 'also compare with this ref (repeatable)', collect)
    .option('--exit-code', 'exit 4 when a definite conflict exists')
    .action(async (flags: ConflictsFlags) => {
      const report = await findConflicts({ ...requestOf(flags, io), with: flags.with ?? [] });
      if (flags.json) printJson(io, report);
      else io.out(renderConflicts(report, createStyle(colorEnabled(io.stdoutIsTTY, io.env))));
      if (flags.exitCode && report.definite) {
        const n = report.others.filter((o) => o.status === 'conflict').length;
        throw new ConflictError(`definite conflicts with ${n} branch(es)`, 'see the report above');
      }
    });
}
