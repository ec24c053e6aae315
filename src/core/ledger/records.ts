import type { LedgerKind } from './entry.ts';

/** The stored records beside the entries (all sealed by EncryptedCollection). */

/** `ledgerPayloads/<seq>`: what the entry's digest commits to; deleting it leaves the entry. */
export interface PayloadRecord {
  v: 1;
  seq: number;
  /** base64url 16-byte salt. */
  salt: string;
  payload: string;
}

/** `ledgerMeta/head`: written in the same transaction as every append. */
export interface HeadRecord {
  v: 1;
  size: number;
  /** base64url leaf hash of entry size-1; 43 'A's when empty. */
  last: string;
}

/** `ledgerMeta/checkpoint`: the latest signed checkpoint (for the export). */
export interface CheckpointRecord {
  v: 1;
  size: number;
  note: string;
}

/** One event to record: `payload` is what the event says (never claim values). */
export interface LedgerItem {
  kind: LedgerKind;
  subject: string;
  payload: string;
}

export const HEAD_ID = 'head';
export const KEY_ID = 'key';
export const CHECKPOINT_ID = 'checkpoint';
