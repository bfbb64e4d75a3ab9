// Binary form of the import graph cache: a 100k-file graph as typed arrays over one
// buffer, read back without parsing JSON, and with paths decoded only on demand.
// Layout (u32 little-endian): "HGR2" | files | edges | offsets[files + 1] |
// targets[edges] | pathEnds[files + 1] | UTF-8 path bytes.
import type { ImportGraph, PathTable } from '../core/graph.js';

const MAGIC = 'HGR2';

export function encodeGraph(graph: ImportGraph): Buffer {
  const n = graph.files.length;
  const m = graph.targets.length;
  const encoded = graph.files.toArray().map((p) => Buffer.from(p, 'utf8'));
  const pathEnds = new Uint32Array(n + 1);
  let total = 0;
  encoded.forEach((b, i) => {
    pathEnds[i] = total;
    total += b.length;
  });
  pathEnds[n] = total;
  const head = 12 + 4 * (n + 1) * 2 + 4 * m;
  const out = Buffer.alloc(head + total);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(n, 4);
  out.writeUInt32LE(m, 8);
  let at = 12;
  for (const arr of [graph.offsets, graph.targets, pathEnds]) {
    Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength).copy(out, at);
    at += arr.byteLength;
  }
  for (const b of encoded) {
    b.copy(out, at);
    at += b.length;
  }
  return out;
}

class PackedPaths implements PathTable {
  constructor(
    private readonly buf: Buffer,
    private readonly base: number,
    private readonly ends: Uint32Array,
    readonly length: number,
  ) {}

  get(i: number): string {
    return this.buf.toString('utf8', this.base + this.ends[i]!, this.base + this.ends[i + 1]!);
  }

  toArray(): string[] {
    return Array.from({ length: this.length }, (_, i) => this.get(i));
  }
}

/** The graph, or undefined when the bytes are not a well-formed graph of `expectedFiles` files. */
export function decodeGraph(buf: Buffer, expectedFiles: number): ImportGraph | undefined {
  if (buf.length < 12 || buf.toString('latin1', 0, 4) !== MAGIC) return undefined;
  const n = buf.readUInt32LE(4);
  const m = buf.readUInt32LE(8);
  const head = 12 + 4 * (n + 1) * 2 + 4 * m;
  if (n !== expectedFiles || buf.length < head) return undefined;
  // Typed arrays need 4-byte alignment; copy into a fresh buffer when the read one is not.
  const aligned = buf.byteOffset % 4 === 0 ? buf : Buffer.from(buf);
  const view = (at: number, len: number): Uint32Array => new Uint32Array(aligned.buffer, aligned.byteOffset + at, len);
  const offsets = view(12, n + 1);
  const targets = view(12 + 4 * (n + 1), m);
  const pathEnds = view(12 + 4 * (n + 1) + 4 * m, n + 1);
  if (offsets[0] !== 0 || offsets[n] !== m || pathEnds[0] !== 0 || head + pathEnds[n]! !== aligned.length)
    return undefined;
  for (let i = 0; i < n; i++) if (offsets[i]! > offsets[i + 1]! || pathEnds[i]! > pathEnds[i + 1]!) return undefined;
  for (let e = 0; e < m; e++) if (targets[e]! >= n) return undefined;
  return { files: new PackedPaths(aligned, head, pathEnds, n), offsets, targets };
}
