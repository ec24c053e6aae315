import { nodeHashInto, sha256Fast as sha256 } from './sha256-fast.ts';

/**
 * RFC 9162 §2.1.1 hashing: leaves are SHA-256(0x00 ‖ data), interior nodes
 * SHA-256(0x01 ‖ left ‖ right). Synchronous (sha256-fast.ts): a tree of 100,000
 * leaves makes 100,000 node hashes, and one awaited WebCrypto call per node
 * would cost more than the hashing itself.
 */
export const HASH_BYTES = 32;

/** MTH({}) = SHA-256 of the empty string. */
export const EMPTY_ROOT: Uint8Array = sha256(new Uint8Array(0));

export function leafHash(data: Uint8Array): Uint8Array {
  const input = new Uint8Array(data.length + 1);
  input.set(data, 1);
  return sha256(input);
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length !== HASH_BYTES || right.length !== HASH_BYTES) throw new RangeError('A node child is a 32-byte hash');
  const out = new Uint8Array(HASH_BYTES);
  nodeHashInto(left, 0, right, 0, out, 0);
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** The largest power of two strictly smaller than n (n ≥ 2), as RFC 9162's `k`. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
