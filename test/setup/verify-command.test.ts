// Which hook commands doctor may start (issue 7, item 2): only '<node>' '<bin>' where node
// is the node running doctor and bin is doctor's own or the handoff bin of an installed
// codemap-handoff package outside the repository. Everything else is foreign, never run.
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../fixtures/git-repo.js';
import { shellQuote } from '../../src/setup/plan.js';
import { verifyCommand, type TrustedInstall } from '../../src/setup/verify-command.js';

const base = makeTempDir('handoff-verify-');
afterAll(() => rmSync(base, { recursive: true, force: true }));

function fakePackage(dir: string, manifest: Record<string, unknown>): string {
  mkdirSync(join(dir, 'bin'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
  writeFileSync(join(dir, 'bin', 'handoff.js'), '');
  return join(dir, 'bin', 'handoff.js');
}

const repo = join(base, 'repo');
const self = fakePackage(join(base, 'self'), { name: 'codemap-handoff', bin: { handoff: 'bin/handoff.js' } });
const other = fakePackage(join(base, 'global', 'codemap-handoff'), {
  name: 'codemap-handoff',
  bin: { handoff: './bin/handoff.js' },
});
const inRepo = fakePackage(join(repo, 'node_modules', 'codemap-handoff'), {
  name: 'codemap-handoff',
  bin: { handoff: 'bin/handoff.js' },
});
const renamed = fakePackage(join(base, 'impostor'), { name: 'not-handoff', bin: { handoff: 'bin/handoff.js' } });
const otherBin = fakePackage(join(base, 'otherbin'), { name: 'codemap-handoff', bin: { handoff: 'bin/other.js' } });
const trusted: TrustedInstall = { node: process.execPath, bin: self, untrustedRoots: [repo] };
const cmd = (node: string, bin: string): string =>
  `${shellQuote(node)} ${shellQuote(bin)} hook session-start --format json`;

describe('verifyCommand', () => {
  it('verifies our own bin, and the bin of another installed codemap-handoff package, under the node running doctor', () => {
    expect(verifyCommand(cmd(process.execPath, self), trusted)).toMatchObject({ kind: 'verified', bin: self });
    expect(verifyCommand(cmd(process.execPath, other), trusted)).toMatchObject({ kind: 'verified', bin: other });
    const link = join(base, 'link.js');
    symlinkSync(other, link);
    expect(verifyCommand(cmd(process.execPath, link), trusted).kind).toBe('verified');
  });

  it('reports as foreign, without running anything, every other command', () => {
    const foreign = (command: string): string => {
      const verdict = verifyCommand(command, trusted);
      expect(verdict.kind, command).toBe('foreign');
      return verdict.kind === 'foreign' ? verdict.why : '';
    };
    expect(foreign(`'tools/x.sh' 'README' handoff.js hook session-start`)).toContain('relative path');
    expect(foreign(`node ${self} hook session-start`)).toContain('quoted');
    expect(foreign(cmd('/bin/sh', self))).toContain('not the node running doctor');
    expect(foreign(cmd(process.execPath, inRepo))).toContain('inside the repository');
    expect(foreign(cmd(process.execPath, renamed))).toContain('not the handoff bin');
    expect(foreign(cmd(process.execPath, otherBin))).toContain('not the handoff bin');
  });

  it('names a path that is gone as missing', () => {
    expect(verifyCommand(cmd(process.execPath, join(base, 'gone', 'handoff.js')), trusted)).toMatchObject({
      kind: 'missing',
    });
    expect(verifyCommand(cmd(join(base, 'no-node'), self), trusted)).toMatchObject({ kind: 'missing' });
  });
});
