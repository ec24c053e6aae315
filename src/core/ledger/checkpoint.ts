import { ed25519 } from '@noble/curves/ed25519';
import { sha256 } from '@noble/hashes/sha2';
import { fromBase64, toBase64, utf8 } from '../encoding.ts';
import { HASH_BYTES } from './merkle-hash.ts';

/**
 * Checkpoints in the C2SP forms: the body is a tlog-checkpoint
 * (`<origin>\n<size>\n<base64 root>\n`, standard base64), wrapped in a signed note
 * (body, a blank line, then `— <key name> <base64(key hash ‖ signature)>` lines).
 * Ed25519 only: key hash = SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[0:4].
 */
export interface CheckpointSigner {
  readonly name: string;
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

export interface Checkpoint {
  origin: string;
  size: number;
  root: Uint8Array;
  /** The name on the signature line that verified. */
  keyName: string;
}

const ED25519_ALGORITHM = 0x01;
const SIGNATURE_PREFIX = '\u2014 ';
const DECIMAL = /^(0|[1-9][0-9]*)$/;

/** Whether `text` has an ASCII control character other than those `allowed`. */
function hasControl(text: string, allowed = ''): boolean {
  for (const char of text) {
    const code = char.charCodeAt(0);
    if ((code < 0x20 || code === 0x7f) && !allowed.includes(char)) return true;
  }
  return false;
}

/** signed-note: a key name is non-empty, without Unicode spaces or '+'. */
const isKeyName = (name: string): boolean => name.length > 0 && !/[\s+]/u.test(name) && !hasControl(name);
/** tlog-checkpoint: the origin is one non-empty line. */
const isOrigin = (origin: string): boolean => origin.length > 0 && !hasControl(origin);
export function keyHash(name: string, publicKey: Uint8Array): Uint8Array {
  const nameBytes = utf8(name);
  const input = new Uint8Array(nameBytes.length + 2 + publicKey.length);
  input.set(nameBytes);
  input[nameBytes.length] = 0x0a;
  input[nameBytes.length + 1] = ED25519_ALGORITHM;
  input.set(publicKey, nameBytes.length + 2);
  return sha256(input).subarray(0, 4);
}

export function checkpointBody(origin: string, size: number, root: Uint8Array): string {
  if (!isOrigin(origin)) throw new RangeError('A checkpoint origin is one non-empty line');
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError('A checkpoint size is a non-negative integer');
  if (root.length !== HASH_BYTES) throw new RangeError('A checkpoint root is 32 bytes');
  return `${origin}\n${size}\n${toBase64(root)}\n`;
}

export function signCheckpoint(origin: string, size: number, root: Uint8Array, signer: CheckpointSigner): string {
  return signNote(checkpointBody(origin, size, root), signer);
}

/** A C2SP signed note: `text` (ending in a newline), a blank line, one signature line. */
export function signNote(text: string, signer: CheckpointSigner): string {
  if (!isKeyName(signer.name)) throw new RangeError('A key name has no spaces and no "+"');
  if (!text.endsWith('\n') || hasControl(text, '\n')) throw new RangeError('A note text ends with a newline and has no control characters');
  const signature = signer.sign(utf8(text));
  const blob = new Uint8Array(4 + signature.length);
  blob.set(keyHash(signer.name, signer.publicKey));
  blob.set(signature, 4);
  return `${text}\n${SIGNATURE_PREFIX}${signer.name} ${toBase64(blob)}\n`;
}

/**
 * The checkpoint in `note` if a signature line by `publicKey` verifies over its
 * body, else null. A malformed note or body is refused as a whole.
 */
export function verifyCheckpoint(note: string, publicKey: Uint8Array): Checkpoint | null {
  const opened = verifyNote(note, publicKey);
  const parsed = opened && parseBody(opened.text);
  return parsed ? { ...parsed, keyName: opened.keyName } : null;
}

/**
 * The text of a signed note and the name on the line that `publicKey` signed, or
 * null. Other signers' lines are ignored (a witness may cosign).
 */
export function verifyNote(note: string, publicKey: Uint8Array): { text: string; keyName: string } | null {
  if (publicKey.length !== 32) return null;
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) return null;
  const text = note.slice(0, split + 1);
  if (hasControl(text, '\n')) return null;
  let keyName: string | null = null;
  for (const line of note.slice(split + 2, -1).split('\n')) {
    const signature = parseSignatureLine(line);
    if (!signature) return null;
    if (keyName !== null) continue;
    const expected = keyHash(signature.name, publicKey);
    if (!signature.hash.every((byte, i) => byte === expected[i])) continue;
    if (signature.bytes.length === 64 && safeVerify(signature.bytes, utf8(text), publicKey)) keyName = signature.name;
  }
  return keyName === null ? null : { text, keyName };
}

function parseBody(body: string): Omit<Checkpoint, 'keyName'> | null {
  const [origin, size, root] = body.split('\n');
  if (!origin || !isOrigin(origin) || size === undefined || !DECIMAL.test(size) || root === undefined) return null;
  const sizeNumber = Number(size);
  const rootBytes = decodeBase64(root);
  if (!Number.isSafeInteger(sizeNumber) || rootBytes?.length !== HASH_BYTES) return null;
  return { origin, size: sizeNumber, root: rootBytes };
}

function parseSignatureLine(line: string): { name: string; hash: Uint8Array; bytes: Uint8Array } | null {
  if (!line.startsWith(SIGNATURE_PREFIX)) return null;
  const [name, encoded, ...rest] = line.slice(SIGNATURE_PREFIX.length).split(' ');
  if (!name || !isKeyName(name) || encoded === undefined || rest.length > 0) return null;
  const blob = decodeBase64(encoded);
  if (!blob || blob.length < 5) return null;
  return { name, hash: blob.subarray(0, 4), bytes: blob.subarray(4) };
}

function decodeBase64(text: string): Uint8Array | null {
  // Canonical standard base64 only: re-encoding must give the same text.
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  try {
    const bytes = fromBase64(text);
    return toBase64(bytes) === text ? bytes : null;
  } catch {
    return null;
  }
}

function safeVerify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    return ed25519.verify(signature, message, publicKey);
  } catch {
    return false;
  }
}
