import type { LedgerEntry } from './entry.ts';

/**
 * Writes the JCS bytes of a well-formed entry straight into a byte buffer, with no
 * intermediate string: the verifier's hot path (100,000 entries, where building and
 * encoding a string per entry costs as much as hashing it). Only for entries that
 * passed isLedgerEntry (so `at`, `kind`, `digest` and `prev` are plain ASCII that
 * JSON leaves as is) and whose subject is printable ASCII without '"' or '\' — then
 * JCS is the members in order with the strings copied as they are. Any other subject
 * returns -1 and the caller takes the general path (entry.ts, `canonicalize`); tests
 * hold both equal.
 */
const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const AT = ascii('{"at":"');
const DIGEST = ascii('","digest":"');
const KIND = ascii('","kind":"');
const PREV = ascii('","prev":"');
const SEQ = ascii('","seq":');
const SUBJECT = ascii(',"subject":"');
const END = ascii('","v":1}');

/** Bytes the writer may need for `entry` (its strings plus the fixed parts, generously). */
export const maxEntryBytes = (entry: LedgerEntry): number =>
  96 + entry.at.length + entry.digest.length + entry.kind.length + entry.prev.length + entry.subject.length + 16;

/**
 * Writes JCS(entry) at `offset` for an entry that passed isLedgerEntry; returns the
 * end offset, or -1 if its subject needs the general path.
 */
export function writeEntryJcs(entry: LedgerEntry, out: Uint8Array, offset: number): number {
  let at = copy(AT, out, offset);
  at = copyAscii(entry.at, out, at);
  at = copy(DIGEST, out, at);
  at = copyAscii(entry.digest, out, at);
  at = copy(KIND, out, at);
  at = copyAscii(entry.kind, out, at);
  at = copy(PREV, out, at);
  at = copyAscii(entry.prev, out, at);
  at = copy(SEQ, out, at);
  at = copyAscii(String(entry.seq), out, at);
  at = copy(SUBJECT, out, at);
  at = copySubject(entry.subject, out, at);
  return at < 0 ? -1 : copy(END, out, at);
}

function copy(bytes: Uint8Array, out: Uint8Array, at: number): number {
  for (let i = 0; i < bytes.length; i++) out[at + i] = bytes[i]!;
  return at + bytes.length;
}

/** Copies text already known to be ASCII that JSON does not escape. */
function copyAscii(text: string, out: Uint8Array, at: number): number {
  for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
  return at + text.length;
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
