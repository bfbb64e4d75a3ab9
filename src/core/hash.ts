// xxhash64 through xxhash-wasm. The wasm module is instantiated once per process;
// callers `await loadHasher()` at their edge and pass the hasher into pure code.
import xxhash from 'xxhash-wasm';

export interface Hasher {
  /** xxhash64 of UTF-8 text, 16 lowercase hex digits. */
  text(input: string): string;
  bytes(input: Uint8Array): string;
  /** Incremental hashing for large files read in chunks. */
  stream(): { update(chunk: Uint8Array): void; digest(): string };
}

let loading: Promise<Hasher> | undefined;

const hex = (n: bigint): string => n.toString(16).padStart(16, '0');

export function loadHasher(): Promise<Hasher> {
  loading ??= xxhash().then((api) => ({
    text: (input) => hex(api.h64(input)),
    bytes: (input) => hex(api.h64Raw(input)),
    stream: () => {
      const state = api.create64();
      return {
        update: (chunk) => void state.update(chunk),
        digest: () => hex(state.digest()),
      };
    },
  }));
  return loading;
}
