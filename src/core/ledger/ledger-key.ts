import { ed25519 } from '@noble/curves/ed25519';
import { fromBase64Url } from './base64url.ts';
import { randomBytes, toBase64Url } from '../encoding.ts';
import type { CheckpointSigner } from './checkpoint.ts';

/**
 * The ledger key (DESIGN.md §4): an Ed25519 key used for nothing but signing
 * checkpoints, generated once and kept encrypted in the vault's store (the
 * `ledgerMeta` collection, record `key`).
 */
export interface LedgerKeyRecord {
  v: 1;
  /** The signed-note key name on every checkpoint signature line. */
  name: string;
  /** base64url 32-byte Ed25519 secret key. */
  secretKey: string;
  /** base64url 32-byte Ed25519 public key. */
  publicKey: string;
  createdAt: string;
}

export function generateLedgerKey(name: string, now: Date = new Date()): LedgerKeyRecord {
  const secret = randomBytes(32);
  return {
    v: 1,
    name,
    secretKey: toBase64Url(secret),
    publicKey: toBase64Url(ed25519.getPublicKey(secret)),
    createdAt: now.toISOString(),
  };
}

export function ledgerSigner(record: LedgerKeyRecord): CheckpointSigner {
  const secret = fromBase64Url(record.secretKey);
  return {
    name: record.name,
    publicKey: fromBase64Url(record.publicKey),
    sign: (message) => ed25519.sign(message, secret),
  };
}
