// Repository paths are bytes; artifacts, contexts and lookups hold strings. A path whose
// bytes are valid UTF-8 and hold no `\x` is its own text, as before. Any other path is
// escaped: each byte outside a valid UTF-8 sequence becomes `\xHH` and each backslash `\\`.
// Escaped text always contains `\x` and plain text never does, so the mapping is one to one
// and `repoPathBytes` gives back exactly the bytes git reported (for fs access and git input).
import { isUtf8 } from 'node:buffer';

const BACKSLASH = 0x5c;
const HEX = '0123456789abcdef';

/** True when `text` is the escaped form of a path (see the module comment). */
export function isEscapedPath(text: string): boolean {
  return text.includes('\\x');
}

/** The text of a path as git reports it (raw bytes, no quoting). */
export function repoPathText(bytes: Uint8Array): string {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isUtf8(buf)) {
    const text = buf.toString('utf8');
    if (!isEscapedPath(text)) return text;
  }
  return escapeBytes(buf);
}

function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

function escapeBytes(buf: Buffer): string {
  let out = '';
  for (let i = 0; i < buf.length;) {
    const lead = buf[i]!;
    const n = sequenceLength(lead);
    // isUtf8 on the one sequence rejects overlongs, surrogates and short tails for us.
    if (n > 0 && i + n <= buf.length && isUtf8(buf.subarray(i, i + n))) {
      out += lead === BACKSLASH ? '\\\\' : buf.toString('utf8', i, i + n);
      i += n;
    } else {
      out += `\\x${HEX[lead >> 4]}${HEX[lead & 15]}`;
      i += 1;
    }
  }
  return out;
}

/** The bytes a path text stands for: the inverse of `repoPathText` (lenient on text it never produces). */
export function repoPathBytes(text: string): Buffer {
  if (!isEscapedPath(text)) return Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  let plain = '';
  const flush = (): void => {
    if (plain !== '') parts.push(Buffer.from(plain, 'utf8'));
    plain = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && text[i + 1] === '\\') {
      plain += '\\';
      i += 1;
    } else if (ch === '\\' && text[i + 1] === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
      flush();
      parts.push(Buffer.from([parseInt(text.slice(i + 2, i + 4), 16)]));
      i += 3;
    } else {
      plain += ch;
    }
  }
  flush();
  return Buffer.concat(parts);
}
