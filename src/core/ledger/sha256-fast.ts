/**
 * SHA-256 (FIPS 180-4) for the ledger's many small inputs: one reusable state and
 * message schedule, no allocation per call beyond the 32-byte result. A tree of
 * 100,000 leaves makes 200,000 hashes of 65-300 bytes, where a general hasher's
 * per-call set-up costs more than the compression itself. Checked against
 * node:crypto in sha256-fast.test.ts.
 */
const K = Uint32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
  0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
  0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
  0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
  0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const INITIAL = Uint32Array.from([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);

const state = new Uint32Array(8);
const w = new Uint32Array(64);
let tail = new Uint8Array(128);

function compress(block: Uint8Array, offset: number): void {
  for (let i = 0; i < 16; i++) {
    const j = offset + 4 * i;
    w[i] = (block[j]! << 24) | (block[j + 1]! << 16) | (block[j + 2]! << 8) | block[j + 3]!;
  }
  compressWords();
}

/** One compression of the 16 message words already in `w`. */
function compressWords(): void {
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15]!;
    const y = w[i - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
  }
  let a = state[0]!, b = state[1]!, c = state[2]!, d = state[3]!;
  let e = state[4]!, f = state[5]!, g = state[6]!, h = state[7]!;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0]! += a; state[1]! += b; state[2]! += c; state[3]! += d;
  state[4]! += e; state[5]! += f; state[6]! += g; state[7]! += h;
}

function digestInto(out: Uint8Array, offset: number): void {
  for (let i = 0; i < 8; i++) {
    const v = state[i]!;
    out[offset + 4 * i] = v >>> 24;
    out[offset + 4 * i + 1] = v >>> 16;
    out[offset + 4 * i + 2] = v >>> 8;
    out[offset + 4 * i + 3] = v;
  }
}

/** SHA-256 of `data[0:length]` (length defaults to all of it). */
export function sha256Fast(data: Uint8Array, length: number = data.length): Uint8Array {
  const out = new Uint8Array(32);
  sha256Into(data, length, out, 0);
  return out;
}

/** SHA-256 of `data[0:length]`, written at `out[outOffset]` (no allocation). */
export function sha256Into(data: Uint8Array, length: number, out: Uint8Array, outOffset: number): void {
  state.set(INITIAL);
  const full = length - (length % 64);
  for (let offset = 0; offset < full; offset += 64) compress(data, offset);
  // Last partial block, the 0x80 marker and the 64-bit big-endian bit length.
  const rest = length - full;
  const tailLength = rest + 9 <= 64 ? 64 : 128;
  if (tail.length < tailLength) tail = new Uint8Array(tailLength);
  tail.fill(0, 0, tailLength);
  for (let i = 0; i < rest; i++) tail[i] = data[full + i]!;
  tail[rest] = 0x80;
  const bits = length * 8;
  const high = Math.floor(bits / 0x100000000);
  const low = bits >>> 0;
  tail[tailLength - 8] = high >>> 24;
  tail[tailLength - 7] = high >>> 16;
  tail[tailLength - 6] = high >>> 8;
  tail[tailLength - 5] = high;
  tail[tailLength - 4] = low >>> 24;
  tail[tailLength - 3] = low >>> 16;
  tail[tailLength - 2] = low >>> 8;
  tail[tailLength - 1] = low;
  for (let offset = 0; offset < tailLength; offset += 64) compress(tail, offset);
  digestInto(out, outOffset);
}

/**
 * RFC 9162 interior node hash SHA-256(0x01 ‖ left ‖ right), reading the two 32-byte
 * children and writing the result at offsets in caller buffers (the tree's levels).
 * The 65-byte input is two blocks whose padding never changes, so the message words
 * are built straight from the children, one byte off their alignment.
 */
export function nodeHashInto(
  left: Uint8Array,
  leftOffset: number,
  right: Uint8Array,
  rightOffset: number,
  out: Uint8Array,
  outOffset: number,
): void {
  state.set(INITIAL);
  // Block 1: 0x01, left[0..31], right[0..30].
  let carry = 0x01;
  for (let i = 0; i < 8; i++) {
    const j = leftOffset + 4 * i;
    w[i] = (carry << 24) | (left[j]! << 16) | (left[j + 1]! << 8) | left[j + 2]!;
    carry = left[j + 3]!;
  }
  for (let i = 0; i < 8; i++) {
    const j = rightOffset + 4 * i;
    w[8 + i] = (carry << 24) | (right[j]! << 16) | (right[j + 1]! << 8) | right[j + 2]!;
    carry = right[j + 3]!;
  }
  compressWords();
  // Block 2: right[31], the 0x80 marker, zeros, and the bit length 520.
  w[0] = (carry << 24) | (0x80 << 16);
  w.fill(0, 1, 15);
  w[15] = 65 * 8;
  compressWords();
  digestInto(out, outOffset);
}
