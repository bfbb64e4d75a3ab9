// `handoff interface add|list|revoke`: flags → a request for api/interface.ts → text or
// JSON on stdout. `add` prints the new id (the whole record with --json).
import type { Command } from 'commander';
import { addInterface, listInterfaces, revokeInterface } from '../api.js';
import { renderInterfaces } from '../render/interface.js';
import { colorEnabled, createStyle } from '../render/style.js';
import type { Io } from './io.js';
import { printJson, requestOf, withCommon, type CommonFlags } from './options.js';

interface AddFlags extends CommonFlags {
  file: string;
  description?: string;
  notify?: string;
}

export function addInterfaceCommands(program: Command, io: Io): void {
  const iface = program
    .command('interface')
    .description('interfaces declared ready for others; stale when their file changed, gone when deleted');

  withCommon(iface.command('add'), { as: true })
    .description('declare that <name> in a file is ready to use')
    .argument('<name>', 'what is ready, e.g. AuthContext')
    .requiredOption('--file <path>', 'the file it lives in, repository-relative')
    .option('--description <text>', 'what it offers and how to use it')
    .option(
      '--notify <address>',
      'also send an interface_ready message to a handle, branch:<name>, session:<id> or all',
    )
    .action(async (name: string, flags: AddFlags) => {
      const input = {
        name,
        file: flags.file,
        ...(flags.description !== undefined ? { description: flags.description } : {}),
        ...(flags.notify !== undefined ? { notify: flags.notify } : {}),
      };
      const added = await addInterface(requestOf(flags, io), input);
      if (flags.json) printJson(io, added);
      else io.out(`${added.id}\n`);
    });

  withCommon(iface.command('list'), { as: true })
    .description('interfaces you can see, newest first, with their status')
    .option('--file <path>', 'only those in this file or directory')
    .action(async (flags: CommonFlags & { file?: string }) => {
      const req = requestOf(flags, io);
      const interfaces = await listInterfaces(req, flags.file !== undefined ? { file: flags.file } : {});
      if (flags.json) printJson(io, interfaces);
      else io.out(renderInterfaces(interfaces, req.now, createStyle(colorEnabled(io.stdoutIsTTY, io.env))));
    });

  withCommon(iface.command('revoke'), { as: true })
    .description('revoke one of your interfaces')
    .argument('<id>')
    .action(async (id: string, flags: CommonFlags) => {
      const revoked = await revokeInterface(requestOf(flags, io), id);
      if (flags.json) printJson(io, revoked);
      else io.out(`revoked ${revoked.id}\n`);
    });
}
