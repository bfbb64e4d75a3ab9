// `handoff state`: the team's state (contexts, decisions, interfaces, …) as text, or one
// JSON document that follows `handoff schema state`.
import type { Command } from 'commander';
import { teamState } from '../api.js';
import { renderTeamState } from '../render/state.js';
import { colorEnabled, createStyle } from '../render/style.js';
import type { Io } from './io.js';
import { printJson, requestOf, withCommon, type CommonFlags } from './options.js';

export function addStateCommand(program: Command, io: Io): void {
  withCommon(program.command('state'), { as: true })
    .description('team state: active contexts (with roles), recent decisions and interfaces of this clone')
    .action(async (flags: CommonFlags) => {
      const req = requestOf(flags, io);
      const state = await teamState(req);
      if (flags.json) printJson(io, state);
      else io.out(renderTeamState(state, req.now, createStyle(!flags.json && colorEnabled(io.stdoutIsTTY, io.env))));
    });
}
