import { fromBase64 } from '../encoding.ts';

/** Decodes unpadded base64url (the §6 JSON encoding); throws on anything else. */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) throw new TypeError('Not unpadded base64url');
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  return fromBase64(padded);
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));

/** Whether `text` is the unpadded base64url of `bytes`, compared without building a string. */
export function isBase64UrlOf(text: string, bytes: Uint8Array): boolean {
  const n = bytes.length;
  if (text.length !== Math.ceil((n * 4) / 3)) return false;
  let t = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const group = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    if (
      text.charCodeAt(t) !== CODES[group >> 18] ||
      text.charCodeAt(t + 1) !== CODES[(group >> 12) & 63] ||
      text.charCodeAt(t + 2) !== CODES[(group >> 6) & 63] ||
      text.charCodeAt(t + 3) !== CODES[group & 63]
    ) {
      return false;
    }
    t += 4;
  }
  if (n - i === 2) {
    const group = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    return text.charCodeAt(t) === CODES[group >> 18] && text.charCodeAt(t + 1) === CODES[(group >> 12) & 63] && text.charCodeAt(t + 2) === CODES[(group >> 6) & 63];
  }
  if (n - i === 1) {
    const group = bytes[i]! << 16;
    return text.charCodeAt(t) === CODES[group >> 18] && text.charCodeAt(t + 1) === CODES[(group >> 12) & 63];
  }
  return true;
}
