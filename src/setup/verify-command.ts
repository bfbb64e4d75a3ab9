// Decides whether doctor may start a hook command it found in a settings file. A cloned
// repository is untrusted and can commit a settings file naming any program, so doctor
// starts only a command it has verified is this tool: `'<node>' '<bin>' …` where <bin> is
// the `handoff` bin of an installed codemap-handoff package and <node> is the node
// running doctor. Anything else is reported as foreign and never run.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';

const PACKAGE_NAME = 'codemap-handoff';
const QUOTED = `'((?:[^']|'\\\\'')*)'`;
/** The two shell words our commands start with (see commandOf in targets.ts). */
const INSTALLED = new RegExp(`^${QUOTED} ${QUOTED}(?: |$)`);

export type CommandVerdict =
  | { kind: 'verified'; node: string; bin: string }
  | { kind: 'missing'; path: string }
  | { kind: 'foreign'; why: string };

export interface TrustedInstall {
  /** The node running doctor (process.execPath). */
  node: string;
  /** This handoff's own bin/handoff.js. */
  bin: string;
  /** Checkouts of the repository under examination: a package inside them is the repository's, not an install. */
  untrustedRoots: readonly string[];
}

const unquote = (s: string): string => s.replace(/'\\''/g, "'");

const real = (path: string): string | undefined => {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
};

const inside = (path: string, dir: string): boolean => {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/** The nearest package.json above `file`, if it declares codemap-handoff with `file` as its handoff bin. */
function owningPackage(file: string): string | undefined {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown; bin?: unknown };
        const bin = typeof pkg.bin === 'string' ? pkg.bin : (pkg.bin as Record<string, unknown> | undefined)?.handoff;
        if (pkg.name !== PACKAGE_NAME || typeof bin !== 'string') return undefined;
        return real(resolve(dir, bin)) === file ? dir : undefined;
      } catch {
        return undefined;
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}

export function verifyCommand(command: string, trusted: TrustedInstall): CommandVerdict {
  const match = INSTALLED.exec(command.trim());
  if (!match) return { kind: 'foreign', why: 'does not start with the quoted node and handoff paths setup writes' };
  const [node, bin] = [unquote(match[1]!), unquote(match[2]!)];
  if (!isAbsolute(node) || !isAbsolute(bin)) return { kind: 'foreign', why: 'names a program by a relative path' };
  const realBin = real(bin);
  if (!realBin) return { kind: 'missing', path: bin };
  const realNode = real(node);
  if (!realNode) return { kind: 'missing', path: node };
  if (realNode !== real(trusted.node)) {
    return { kind: 'foreign', why: `runs ${node}, not the node running doctor (${trusted.node})` };
  }
  if (realBin !== real(trusted.bin)) {
    const pkg = owningPackage(realBin);
    if (!pkg) {
      return { kind: 'foreign', why: `runs ${bin}, which is not the handoff bin of an installed ${PACKAGE_NAME}` };
    }
    const roots = trusted.untrustedRoots.map((r) => real(r) ?? r);
    if (roots.some((r) => inside(pkg, r))) {
      return { kind: 'foreign', why: `runs ${bin}, a ${PACKAGE_NAME} package inside the repository itself` };
    }
  }
  return { kind: 'verified', node, bin };
}
