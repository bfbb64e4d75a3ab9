// The text form of repository paths: plain UTF-8 names are unchanged, any other name is
// escaped so that the mapping is one to one and gives back the exact bytes.
import { describe, expect, it } from 'vitest';
import { isEscapedPath, repoPathBytes, repoPathText } from '../../src/core/path-bytes.js';

const bytes = (...parts: (string | number[])[]): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

describe('repository path text', () => {
  it('keeps valid UTF-8 names as they are, backslashes included', () => {
    for (const name of [
      'src/a.ts',
      'naïve café.ts',
      '日本語/ß.md',
      'emoji 🎉.txt',
      'line\nbreak',
      'back\\slash.txt',
      'tab\there',
    ]) {
      expect(repoPathText(Buffer.from(name, 'utf8'))).toBe(name);
      expect(repoPathBytes(name)).toEqual(Buffer.from(name, 'utf8'));
    }
  });

  it('escapes bytes outside valid UTF-8 as \\xHH and backslashes as \\\\', () => {
    expect(repoPathText(bytes('f', [0xff], '.txt'))).toBe('f\\xff.txt');
    expect(repoPathText(bytes('a\\b', [0xfe]))).toBe('a\\\\b\\xfe');
    // Overlong, surrogate and truncated sequences are invalid byte by byte.
    expect(repoPathText(bytes([0xc0, 0xaf]))).toBe('\\xc0\\xaf');
    expect(repoPathText(bytes([0xed, 0xa0, 0x80]))).toBe('\\xed\\xa0\\x80');
    expect(repoPathText(bytes('é', [0xe2, 0x82]))).toBe('é\\xe2\\x82');
  });

  it('tells a literal "\\xff" name from the byte 0xff', () => {
    const literal = repoPathText(Buffer.from('f\\xff.txt', 'utf8'));
    const byte = repoPathText(bytes('f', [0xff], '.txt'));
    expect(literal).toBe('f\\\\xff.txt');
    expect(literal).not.toBe(byte);
    expect(isEscapedPath(literal)).toBe(true);
    expect(repoPathBytes(literal)).toEqual(Buffer.from('f\\xff.txt', 'utf8'));
  });

  it('round-trips every byte string, and distinct bytes give distinct text', () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const alphabet = [0x61, 0x5c, 0x78, 0x66, 0xff, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0x80, 0x2f, 0x0a];
    const seen = new Map<string, string>();
    for (let i = 0; i < 5000; i++) {
      const b = Buffer.from(Array.from({ length: 1 + rand(8) }, () => alphabet[rand(alphabet.length)]!));
      const text = repoPathText(b);
      expect(repoPathBytes(text)).toEqual(b);
      const hex = b.toString('hex');
      const other = seen.get(text);
      if (other !== undefined) expect(other).toBe(hex);
      seen.set(text, hex);
    }
  });
});
