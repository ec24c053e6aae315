import canonicalize from 'canonicalize';
import { toBase64Url, utf8 } from '../encoding.ts';
import { MALFORMED, NEEDS_GENERAL_PATH, maxEntryBytes, writeEntryJcs } from './entry-writer.ts';
import { sha256Fast, sha256Into } from './sha256-fast.ts';

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
  'accreditor.changed',
  'requester.checked',
  'wallet.backedUp',
  'wallet.restored',
  'offer.refused',
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
const ENTRY_MEMBERS = 7;
const SURROGATE = /[\uD800-\uDFFF]/;

/** Whether `text` is not well-formed UTF-16 (JCS, and so the ledger, refuses it). */
export const hasLoneSurrogate = (text: string): boolean => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

export const isLedgerKind = (value: unknown): value is LedgerKind => typeof value === 'string' && KIND_SET.has(value);

/** Whether `value` is an entry of exactly the §4 shape (no extra members). */
export function isLedgerEntry(value: unknown): value is LedgerEntry {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const e = value as Record<string, unknown>;
  // Seven own keys, all seven required members present: exactly the §4 members.
  return (
    Object.keys(e).length === ENTRY_MEMBERS &&
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

/**
 * The entry's RFC 8785 canonical JSON. A well-formed entry has seven members of known
 * types, so its JCS form is fixed: members in code-unit order, strings as
 * JSON.stringify writes them (which is JCS's string form), integers in decimal. That
 * direct form is several times faster than a general canonicaliser, which matters
 * when verifying 100,000 entries; anything else (and any subject with a surrogate,
 * where JCS must refuse lone ones) goes through `canonicalize`. Tests hold the two
 * equal.
 */
export function entryJson(entry: LedgerEntry): string {
  if (isLedgerEntry(entry) && !SURROGATE.test(entry.subject)) {
    return `{"at":"${entry.at}","digest":"${entry.digest}","kind":"${entry.kind}","prev":"${entry.prev}","seq":${entry.seq},"subject":${JSON.stringify(entry.subject)},"v":1}`;
  }
  const json = canonicalize(entry);
  if (json === undefined) throw new TypeError('A ledger entry must serialise');
  return json;
}

/** UTF-8 of the entry's JCS form: what its leaf hash commits to. */
export const entryBytes = (entry: LedgerEntry): Uint8Array => utf8(entryJson(entry));

const encoder = new TextEncoder();
const KIND_BYTES: ReadonlyMap<string, Uint8Array> = new Map(LEDGER_KINDS.map((kind) => [kind, utf8(kind)]));
let leafInput = new Uint8Array(1024);

/** SHA-256(0x00 ‖ JCS(entry)): the entry's RFC 9162 leaf hash, for any entry. */
export function entryLeafHash(entry: LedgerEntry): Uint8Array {
  return leafHashIfWellFormed(entry) ?? generalLeafHash(entry);
}

/**
 * The leaf hash of `value` if it is a well-formed entry (isLedgerEntry), else null:
 * the verifier's single pass, checking formats while writing the JCS bytes.
 */
export function leafHashIfWellFormed(value: unknown): Uint8Array | null {
  const out = new Uint8Array(32);
  return writeLeafHashIfWellFormed(value, out, 0) ? out : null;
}

/** leafHashIfWellFormed writing the hash at `out[offset]`; false (nothing written) when malformed. */
export function writeLeafHashIfWellFormed(value: unknown, out: Uint8Array, offset: number): boolean {
  if (!hasMemberTypes(value)) return false;
  if (leafInput.length < 1 + maxEntryBytes(value)) leafInput = new Uint8Array(1 + maxEntryBytes(value));
  leafInput[0] = 0x00;
  const end = writeEntryJcs(value, KIND_BYTES, leafInput, 1);
  if (end === MALFORMED) return false;
  if (end !== NEEDS_GENERAL_PATH) {
    sha256Into(leafInput, end, out, offset);
    return true;
  }
  if (!isLedgerEntry(value)) return false;
  out.set(generalLeafHash(value), offset);
  return true;
}

/** Seven own members, each of its type (formats not checked). */
function hasMemberTypes(value: unknown): value is LedgerEntry {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const e = value as Record<string, unknown>;
  // Counted without Object.keys: the verifier runs this 100,000 times.
  let members = 0;
  for (const key in e) if (Object.hasOwn(e, key)) members++;
  return (
    members === ENTRY_MEMBERS &&
    e.v === 1 &&
    typeof e.seq === 'number' &&
    typeof e.at === 'string' &&
    typeof e.kind === 'string' &&
    typeof e.subject === 'string' &&
    typeof e.digest === 'string' &&
    typeof e.prev === 'string'
  );
}

function generalLeafHash(entry: LedgerEntry): Uint8Array {
  const json = entryJson(entry);
  if (leafInput.length < 1 + json.length * 3) leafInput = new Uint8Array(1 + json.length * 3);
  leafInput[0] = 0x00;
  return sha256Fast(leafInput, 1 + encoder.encodeInto(json, leafInput.subarray(1)).written);
}

/** base64url SHA-256(salt ‖ UTF-8 payload). */
export function payloadDigest(salt: Uint8Array, payload: string): string {
  const text = utf8(payload);
  const input = new Uint8Array(salt.length + text.length);
  input.set(salt);
  input.set(text, salt.length);
  return toBase64Url(sha256Fast(input));
}

/** ISO 8601 UTC with milliseconds, as §6 requires (`Date#toISOString` for years 0-9999). */
export function ledgerTime(date: Date): string {
  const at = date.toISOString();
  if (!ISO_MS.test(at)) throw new RangeError('A ledger time must fall within years 0000-9999');
  return at;
}
