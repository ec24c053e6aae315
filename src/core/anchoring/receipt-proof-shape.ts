/**
 * The shape and encodings of a receipt proof (DESIGN.md §6), checked before anything
 * is computed from it: every member present, hashes 43 characters of canonical
 * unpadded base64url, the salt 22, addresses and hashes 0x-hex, counts integers.
 */
import { decodeBase64Url, isObject } from '../credentials/formats/jws.ts';
import { toBase64Url } from '../encoding.ts';

const HASH_TEXT = /^[A-Za-z0-9_-]{43}$/;
const SALT_TEXT = /^[A-Za-z0-9_-]{22}$/;
const JWS_PART = /^[A-Za-z0-9_-]+$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const BYTES32 = /^0x[0-9a-fA-F]{64}$/;
const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ENTRY_MEMBERS = ['v', 'seq', 'at', 'kind', 'subject', 'digest', 'prev'] as const;
/** A path longer than this cannot belong to a tree of at most 2^53 leaves. */
const MAX_PATH = 64;

/** Whether `text` is canonical unpadded base64url of exactly `bytes` bytes (re-encoding gives it back). */
function isBase64UrlOfLength(text: string, bytes: number): boolean {
  const decoded = decodeBase64Url(text);
  return decoded !== null && decoded.length === bytes && toBase64Url(decoded) === text;
}

/** A short description of a JSON value for an error message (never its String()). */
export function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length > 60 ? `a string of ${value.length} characters` : `the string ${JSON.stringify(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `the ${typeof value} ${JSON.stringify(value)}`;
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

const isCount = (value: unknown, min: number): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= min;

/**
 * Why `input` is not a receipt proof of the §6 shape and encodings, naming the
 * member (e.g. `anchor.account`), or null when it is one.
 */
export function receiptProofShapeError(input: unknown): string | null {
  if (!isObject(input)) return `the receipt proof is not a JSON object (it is ${describe(input)})`;
  const p = input;
  if (p.v !== 1) return `v must be the number 1 (it is ${describe(p.v)})`;
  if (typeof p.receipt !== 'string') return `receipt must be the receipt JWT as a string (it is ${describe(p.receipt)})`;
  const parts = p.receipt.split('.');
  if (parts.length !== 3 || !parts.every((part) => JWS_PART.test(part))) {
    return `receipt must be a compact JWT: three non-empty base64url parts separated by '.' (it has ${parts.length} part${parts.length === 1 ? '' : 's'}${parts.length === 3 ? ', not all base64url' : ''})`;
  }
  const entryError = entryShapeError(p.entry);
  if (entryError) return entryError;
  if (typeof p.salt !== 'string' || !SALT_TEXT.test(p.salt) || !isBase64UrlOfLength(p.salt, 16)) {
    return `salt must be 16 bytes as 22 characters of unpadded base64url (it is ${describe(p.salt)})`;
  }
  if (!isCount(p.leafIndex, 0)) return `leafIndex must be a non-negative integer (it is ${describe(p.leafIndex)})`;
  if (!isCount(p.treeSize, 1)) return `treeSize must be a positive integer (it is ${describe(p.treeSize)})`;
  if (!Array.isArray(p.inclusion)) return `inclusion must be an array of base64url hashes (it is ${describe(p.inclusion)})`;
  if (p.inclusion.length > MAX_PATH) return `inclusion has ${p.inclusion.length} hashes; a path has at most ${MAX_PATH}`;
  const badStep = p.inclusion.findIndex((step) => !isHash(step));
  if (badStep >= 0) return `inclusion[${badStep}] must be a 32-byte hash as 43 characters of unpadded base64url (it is ${describe(p.inclusion[badStep])})`;
  if (!isHash(p.root)) return `root must be a 32-byte hash as 43 characters of unpadded base64url (it is ${describe(p.root)})`;
  if (typeof p.checkpoint !== 'string' || p.checkpoint === '') return `checkpoint must be the signed note as a string (it is ${describe(p.checkpoint)})`;
  return anchorShapeError(p.anchor);
}

const isHash = (value: unknown): value is string => typeof value === 'string' && HASH_TEXT.test(value) && isBase64UrlOfLength(value, 32);

function entryShapeError(entry: unknown): string | null {
  if (!isObject(entry)) return `entry must be the grant.given ledger entry as a JSON object (it is ${describe(entry)})`;
  const extra = Object.keys(entry).find((key) => !(ENTRY_MEMBERS as readonly string[]).includes(key));
  if (extra !== undefined) return `entry has the member ${JSON.stringify(extra)}, which a ledger entry (DESIGN §4) does not have`;
  if (entry.v !== 1) return `entry.v must be the number 1 (it is ${describe(entry.v)})`;
  if (!isCount(entry.seq, 0)) return `entry.seq must be a non-negative integer (it is ${describe(entry.seq)})`;
  if (typeof entry.at !== 'string' || !ISO_MS.test(entry.at)) {
    return `entry.at must be ISO 8601 UTC with milliseconds, e.g. 2026-12-01T21:12:00.806Z (it is ${describe(entry.at)})`;
  }
  if (typeof entry.kind !== 'string' || entry.kind === '') return `entry.kind must be a ledger kind (it is ${describe(entry.kind)})`;
  if (typeof entry.subject !== 'string') return `entry.subject must be a string (it is ${describe(entry.subject)})`;
  if (!isHash(entry.digest)) return `entry.digest must be a 32-byte hash as 43 characters of unpadded base64url (it is ${describe(entry.digest)})`;
  if (!isHash(entry.prev)) return `entry.prev must be a 32-byte hash as 43 characters of unpadded base64url (it is ${describe(entry.prev)})`;
  return null;
}

function anchorShapeError(anchor: unknown): string | null {
  if (!isObject(anchor)) return `anchor must be a JSON object naming the anchor transaction (it is ${describe(anchor)})`;
  if (!isCount(anchor.chainId, 1)) return `anchor.chainId must be a positive integer (it is ${describe(anchor.chainId)})`;
  for (const member of ['contract', 'account'] as const) {
    const value = anchor[member];
    if (typeof value !== 'string' || !ADDRESS.test(value)) return `anchor.${member} must be a 0x-hex address of 20 bytes (it is ${describe(value)})`;
  }
  for (const member of ['logId', 'txHash'] as const) {
    const value = anchor[member];
    if (typeof value !== 'string' || !BYTES32.test(value)) return `anchor.${member} must be 32 bytes as 0x-hex (it is ${describe(value)})`;
  }
  if (!isCount(anchor.blockNumber, 0)) return `anchor.blockNumber must be a non-negative integer (it is ${describe(anchor.blockNumber)})`;
  return null;
}
