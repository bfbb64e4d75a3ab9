// Terminal styling. Colour only on a TTY, never under NO_COLOR or TERM=dumb; chalk is
// confined to this module so every other renderer stays plain text.
import { Chalk, type ChalkInstance } from 'chalk';

export interface Style {
  heading(text: string): string;
  dim(text: string): string;
  warn(text: string): string;
  code(text: string): string;
}

export function colorEnabled(isTTY: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(isTTY) && env.TERM !== 'dumb';
}

export function createStyle(enabled: boolean): Style {
  const c: ChalkInstance = new Chalk({ level: enabled ? 1 : 0 });
  return {
    heading: (t) => c.bold.cyan(t),
    dim: (t) => c.dim(t),
    warn: (t) => c.yellow(t),
    code: (t) => c.green(t),
  };
}

export const plainStyle: Style = createStyle(false);
