// Addresses (src/core/address.ts): the four forms, strict parsing (an unknown `word:` prefix
// is refused, never taken for a handle) and matching against a reader.
import { describe, expect, it } from 'vitest';
import { formatAddress, isAddress, parseAddress, reaches } from '../../src/core/address.js';

describe('parseAddress', () => {
  it('reads the four forms and formats them back', () => {
    for (const text of ['alice@example.com', 'alice', 'branch:feature/x', 'session:abc-123', 'all']) {
      const a = parseAddress(text);
      expect(isAddress(a)).toBe(true);
      if (isAddress(a)) expect(formatAddress(a)).toBe(text);
    }
    expect(parseAddress(' branch:main ')).toEqual({ kind: 'branch', branch: 'main' });
  });

  it('refuses an unknown prefix, an empty name, whitespace and control characters', () => {
    for (const bad of ['', '  ', 'team:x', 'mailto:a@b', 'branch:', 'session:', 'a b', 'a\u0007b', 'x'.repeat(300)]) {
      expect(isAddress(parseAddress(bad)), bad).toBe(false);
    }
    expect(parseAddress('team:x')).toEqual({ error: 'unknown address form "team:"' });
  });
});

describe('reaches', () => {
  const bob = { handle: 'bob', branch: 'feature', session: 's1' };
  it('matches the handle, the current branch, the session and all', () => {
    expect(reaches('bob', bob)).toBe(true);
    expect(reaches('alice', bob)).toBe(false);
    expect(reaches('branch:feature', bob)).toBe(true);
    expect(reaches('branch:main', bob)).toBe(false);
    expect(reaches('session:s1', bob)).toBe(true);
    expect(reaches('session:s2', bob)).toBe(false);
    expect(reaches('all', bob)).toBe(true);
  });
  it('a detached reader without a session is reached by neither a branch nor a session address', () => {
    const detached = { handle: 'bob' };
    expect(reaches('branch:feature', detached)).toBe(false);
    expect(reaches('session:s1', detached)).toBe(false);
  });
});
