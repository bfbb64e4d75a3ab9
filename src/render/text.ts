// Small text helpers shared by the renderers: control characters in paths are shown
// escaped (a path may hold a newline), sizes are human-readable, hashes are short.

export function displayPath(path: string): string {
  // eslint-disable-next-line no-control-regex
  return /[\x00-\x1f\x7f]/.test(path) ? JSON.stringify(path).slice(1, -1) : path;
}

export function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export const short = (hash: string): string => (hash ? hash.slice(0, 12) : '—');
