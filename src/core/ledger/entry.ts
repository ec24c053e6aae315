import canonicalize from 'canonicalize';
import { sha256 } from '@noble/hashes/sha2';
import { toBase64Url, utf8 } from '../encoding.ts';
import { leafHash } from './merkle-hash.ts';

/** DESIGN.md §4: the kinds of event the activity ledger records. */
export const LEDGER_KINDS = [
  'wallet.created',
  'identity.login',
  'credential.received',
  'credential.deleted',
  'credential.status',
  'credential.presented',
  'grant.given',
  'grant.accessed',
  'grant.revoked',
  'grant.expired',
  'trust.changed',
  'deletion.requested',
  'anchor.sent',
] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/**
 * One ledger entry, exactly the §4 shape. `digest` commits to the payload without
 * revealing it; `prev` is the previous entry's leaf hash (base64url), 43 'A's (32
 * zero bytes) for seq 0.
 */
export interface LedgerEntry {
  v: 1;
  seq: number;
  at: string;
  kind: LedgerKind;
  subject: string;
  digest: string;
  prev: string;
}

export const SALT_BYTES = 16;
export const GENESIS_PREV = 'A'.repeat(43);

const KIND_SET: ReadonlySet<string> = new Set(LEDGER_KINDS);
const BASE64URL_HASH = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ENTRY_KEYS = 'at,digest,kind,prev,seq,subject,v';

export const isLedgerKind = (value: unknown): value is LedgerKind => typeof value === 'string' && KIND_SET.has(value);

/** Whether `value` is an entry of exactly the §4 shape (no extra members). */
export function isLedgerEntry(value: unknown): value is LedgerEntry {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const e = value as Record<string, unknown>;
  return (
    Object.keys(e).sort().join(',') === ENTRY_KEYS &&
    e.v === 1 &&
    Number.isSafeInteger(e.seq) &&
    (e.seq as number) >= 0 &&
    typeof e.at === 'string' &&
    ISO_MS.test(e.at) &&
    isLedgerKind(e.kind) &&
    typeof e.subject === 'string' &&
    typeof e.digest === 'string' &&
    BASE64URL_HASH.test(e.digest) &&
    typeof e.prev === 'string' &&
    BASE64URL_HASH.test(e.prev)
  );
}

/** UTF-8 of the entry's RFC 8785 canonical JSON: what its leaf hash commits to. */
export function entryBytes(entry: LedgerEntry): Uint8Array {
  const json = canonicalize(entry);
  if (json === undefined) throw new TypeError('A ledger entry must serialise');
  return utf8(json);
}

/** SHA-256(0x00 ‖ JCS(entry)): the entry's RFC 9162 leaf hash. */
export const entryLeafHash = (entry: LedgerEntry): Uint8Array => leafHash(entryBytes(entry));

/** base64url SHA-256(salt ‖ UTF-8 payload). */
export function payloadDigest(salt: Uint8Array, payload: string): string {
  const text = utf8(payload);
  const input = new Uint8Array(salt.length + text.length);
  input.set(salt);
  input.set(text, salt.length);
  return toBase64Url(sha256(input));
}

/** ISO 8601 UTC with milliseconds, as §6 requires (`Date#toISOString` for years 0-9999). */
export function ledgerTime(date: Date): string {
  const at = date.toISOString();
  if (!ISO_MS.test(at)) throw new RangeError('A ledger time must fall within years 0000-9999');
  return at;
}
