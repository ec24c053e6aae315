/**
 * Stand-in for `ethers` in the extension build. Veramo's key manager, kms-local and
 * DID utilities import a handful of ethers helpers; ethers itself is the largest
 * package in the worker bundle and its parse time is paid on every worker start.
 * Tessera's identities are Ed25519 and P-256 keys, and the one Ethereum account it
 * has, the anchoring account, signs its chain transactions with viem in chain.js
 * (src/core/anchoring/viem-chain.ts, loaded when anchoring first needs it), never
 * through Veramo or ethers. So this module gives the byte helpers and the secp256k1
 * key helpers Veramo calls (noble, already in the bundle) and refuses ethers' wallet
 * and transaction classes with a clear error.
 */
import { secp256k1 } from '@noble/curves/secp256k1';
import { keccak_256 } from '@noble/hashes/sha3';

type BytesLike = string | Uint8Array;

export function getBytes(value: BytesLike): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string' && /^0x([0-9a-f]{2})*$/i.test(value)) {
    return Uint8Array.from(value.slice(2).match(/../g) ?? [], (h) => parseInt(h, 16));
  }
  throw new TypeError('invalid BytesLike value');
}

export const hexlify = (value: BytesLike): string =>
  `0x${Array.from(getBytes(value), (b) => b.toString(16).padStart(2, '0')).join('')}`;

export function concat(values: BytesLike[]): string {
  const parts = values.map(getBytes);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return hexlify(out);
}

export const toUtf8Bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
export const toUtf8String = (bytes: BytesLike): string => new TextDecoder().decode(getBytes(bytes));
export const randomBytes = (length: number): Uint8Array => crypto.getRandomValues(new Uint8Array(length));

export class SigningKey {
  /** A secp256k1 public key (from a private or public key), compressed or not, as 0x-hex. */
  static computePublicKey(key: BytesLike, compressed = false): string {
    const bytes = getBytes(key);
    const point =
      bytes.length === 32
        ? secp256k1.ProjectivePoint.fromPrivateKey(bytes)
        : secp256k1.ProjectivePoint.fromHex(bytes);
    return hexlify(point.toRawBytes(compressed));
  }

  constructor() {
    throw ethereumUnsupported();
  }
}

/** The Ethereum address of a secp256k1 public key: keccak-256 of the uncompressed point, last 20 bytes. */
export function computeAddress(publicKey: BytesLike): string {
  const uncompressed = getBytes(SigningKey.computePublicKey(publicKey, false));
  const hash = keccak_256(uncompressed.subarray(1));
  return hexlify(hash.subarray(12));
}

export class Wallet {
  constructor() {
    throw ethereumUnsupported();
  }
}

export class Transaction {
  static from(): never {
    throw ethereumUnsupported();
  }
}

function ethereumUnsupported(): Error {
  return new Error("ethers' Wallet and Transaction are not supported in Tessera's worker: chain transactions are signed with viem in chain.js.");
}
