import type { LedgerEntry } from './entry.ts';

/**
 * Writes the JCS bytes of a ledger entry straight into a byte buffer, checking each
 * member's format as it copies: the verifier's hot path (100,000 entries, where a
 * string per entry, its UTF-8 encoding and separate format checks cost about as much
 * as hashing it). For a well-formed entry whose subject is printable ASCII without
 * '"' or '\' (nearly all), JCS is the members in code-unit order with the strings
 * copied as they are; any other subject is left to the general path (entry.ts,
 * `canonicalize`). Tests hold both equal.
 */
export const NEEDS_GENERAL_PATH = -1;
export const MALFORMED = -2;

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const AT = ascii('{"at":"');
const DIGEST = ascii('","digest":"');
const KIND = ascii('","kind":"');
const PREV = ascii('","prev":"');
const SEQ = ascii('","seq":');
const SUBJECT = ascii(',"subject":"');
const END = ascii('","v":1}');
const ISO_TEMPLATE = 'dddd-dd-ddTdd:dd:dd.dddZ';
const HASH_CHARS = 43;

/** base64url alphabet index of each ASCII code, -1 if not in it. */
const BASE64URL_INDEX = new Int8Array(128).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('').forEach((c, i) => (BASE64URL_INDEX[c.charCodeAt(0)] = i));

/** Bytes the writer may need for `entry`. */
export const maxEntryBytes = (entry: LedgerEntry): number => 128 + entry.subject.length;

/**
 * Writes JCS(entry) at `offset` and returns the end offset; MALFORMED when a member
 * is not of the §4 form, NEEDS_GENERAL_PATH when only the subject needs escaping or
 * non-ASCII. `kinds` maps each allowed kind to its bytes. The caller has checked the
 * member count, `v`, and that every member has its type.
 */
export function writeEntryJcs(entry: LedgerEntry, kinds: ReadonlyMap<string, Uint8Array>, out: Uint8Array, offset: number): number {
  const kind = kinds.get(entry.kind);
  if (kind === undefined || !Number.isSafeInteger(entry.seq) || entry.seq < 0) return MALFORMED;
  let at = copy(AT, out, offset);
  if (!isIsoMs(entry.at, out, at)) return MALFORMED;
  at = copy(DIGEST, out, at + ISO_TEMPLATE.length);
  if (!isHash(entry.digest, out, at)) return MALFORMED;
  at = copy(KIND, out, at + HASH_CHARS);
  at = copy(kind, out, at);
  at = copy(PREV, out, at);
  if (!isHash(entry.prev, out, at)) return MALFORMED;
  at = copy(SEQ, out, at + HASH_CHARS);
  at = writeDecimal(entry.seq, out, at);
  at = copy(SUBJECT, out, at);
  at = copySubject(entry.subject, out, at);
  return at < 0 ? NEEDS_GENERAL_PATH : copy(END, out, at);
}

function copy(bytes: Uint8Array, out: Uint8Array, at: number): number {
  for (let i = 0; i < bytes.length; i++) out[at + i] = bytes[i]!;
  return at + bytes.length;
}

/** Copies `text` if it is YYYY-MM-DDTHH:MM:SS.sssZ. */
function isIsoMs(text: string, out: Uint8Array, at: number): boolean {
  if (text.length !== ISO_TEMPLATE.length) return false;
  for (let i = 0; i < ISO_TEMPLATE.length; i++) {
    const code = text.charCodeAt(i);
    const want = ISO_TEMPLATE.charCodeAt(i);
    if (want === 0x64 /* d */ ? code < 0x30 || code > 0x39 : code !== want) return false;
    out[at + i] = code;
  }
  return true;
}

/** Copies `text` if it is the unpadded base64url of 32 bytes (43 characters, the last one's low bits zero). */
function isHash(text: string, out: Uint8Array, at: number): boolean {
  if (text.length !== HASH_CHARS) return false;
  for (let i = 0; i < HASH_CHARS; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f || BASE64URL_INDEX[code]! < 0) return false;
    out[at + i] = code;
  }
  return (BASE64URL_INDEX[text.charCodeAt(HASH_CHARS - 1)]! & 3) === 0;
}

function writeDecimal(value: number, out: Uint8Array, at: number): number {
  let digits = 1;
  for (let power = 10; power <= value; power *= 10) digits++;
  let rest = value;
  for (let i = digits - 1; i >= 0; i--) {
    out[at + i] = 0x30 + (rest % 10);
    rest = Math.floor(rest / 10);
  }
  return at + digits;
}

/** Copies printable ASCII other than '"' and '\'; -1 on anything JSON would escape or UTF-8 would widen. */
function copySubject(text: string, out: Uint8Array, at: number): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) return -1;
    out[at + i] = code;
  }
  return at + text.length;
}
