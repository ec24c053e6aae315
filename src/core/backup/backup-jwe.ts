import { DomainError } from '../errors.ts';
import { fromUtf8, randomBytes, toBase64Url, utf8 } from '../encoding.ts';
import { fromBase64Url } from '../ledger/base64url.ts';

/**
 * The backup file's envelope: a JWE in compact form (RFC 7516) with
 * `alg: PBES2-HS512+A256KW` and `enc: A256GCM` (RFC 7518 §4.8, §5.3), built on
 * WebCrypto alone so the worker needs no library for it (jose opens and makes the
 * same files; the tests check both ways). Opening it ourselves tells a wrong
 * passphrase (AES-KW's own integrity check fails on the key) from a damaged file (the
 * key unwraps but the content's GCM tag fails), which a single library call cannot.
 */
export const BACKUP_ALG = 'PBES2-HS512+A256KW';
export const BACKUP_ENC = 'A256GCM';
export const BACKUP_CTY = 'application/vnd.tessera.backup+json';
/** OWASP's floor for PBKDF2; below it a stolen file is too cheap to guess at. */
export const BACKUP_MIN_P2C = 600_000;
/** Above this a file would keep the worker busy for minutes: refused as a denial of service. */
export const BACKUP_MAX_P2C = 10_000_000;
export const BACKUP_DEFAULT_P2C = 600_000;
const P2S_BYTES = 16;
const MAX_HEADER_CHARS = 1024;

/** Seals `plaintext` under `passphrase`. `p2c` only above the default (tests never lower it). */
export async function sealBackup(plaintext: Uint8Array<ArrayBuffer>, passphrase: string, p2c = BACKUP_DEFAULT_P2C): Promise<string> {
  if (!Number.isInteger(p2c) || p2c < BACKUP_MIN_P2C || p2c > BACKUP_MAX_P2C) throw new RangeError(`p2c ${p2c} is out of range`);
  const p2s = randomBytes(P2S_BYTES);
  const header = { alg: BACKUP_ALG, enc: BACKUP_ENC, cty: BACKUP_CTY, p2c, p2s: toBase64Url(p2s) };
  const protectedB64 = toBase64Url(utf8(JSON.stringify(header)));
  const kek = await keyEncryptionKey(passphrase, p2s, p2c);
  const cek = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt']);
  const encryptedKey = new Uint8Array(await crypto.subtle.wrapKey('raw', cek, kek, 'AES-KW'));
  const iv = randomBytes(12);
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: utf8(protectedB64), tagLength: 128 }, cek, plaintext),
  );
  const ciphertext = sealed.subarray(0, sealed.length - 16);
  const tag = sealed.subarray(sealed.length - 16);
  return [protectedB64, toBase64Url(encryptedKey), toBase64Url(iv), toBase64Url(ciphertext), toBase64Url(tag)].join('.');
}

/** The checked parts of a compact JWE, before any key derivation. */
interface BackupJweParts {
  protectedB64: string;
  p2c: number;
  p2s: Uint8Array<ArrayBuffer>;
  encryptedKey: Uint8Array<ArrayBuffer>;
  iv: Uint8Array<ArrayBuffer>;
  ciphertextAndTag: Uint8Array<ArrayBuffer>;
}

const notABackup = (why: string) => new DomainError('invalid_input', `This file is not a Tessera backup: ${why}.`);

/**
 * Reads the envelope and refuses anything but our algorithms and a work factor in
 * range, so a crafted file costs no key derivation (p2c 1000: too weak; 2^31: a DoS).
 */
export function readBackupJwe(text: string): BackupJweParts {
  const parts = text.trim().split('.');
  if (parts.length !== 5) throw notABackup('it is not an encrypted JWE in compact form (five parts)');
  const [protectedB64, keyB64, ivB64, ctB64, tagB64] = parts as [string, string, string, string, string];
  if (protectedB64.length > MAX_HEADER_CHARS) throw notABackup('its header is too large');
  let header: Record<string, unknown>;
  let encryptedKey: Uint8Array<ArrayBuffer>, iv: Uint8Array<ArrayBuffer>, ciphertext: Uint8Array<ArrayBuffer>, tag: Uint8Array<ArrayBuffer>;
  try {
    header = JSON.parse(fromUtf8(fromBase64Url(protectedB64))) as Record<string, unknown>;
    [encryptedKey, iv, ciphertext, tag] = [keyB64, ivB64, ctB64, tagB64].map(fromBase64Url) as [typeof iv, typeof iv, typeof iv, typeof iv];
  } catch {
    throw notABackup('it is damaged (a part is not base64url, or the header is not JSON)');
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw notABackup('its header is not an object');
  if (header.alg !== BACKUP_ALG) throw notABackup(`its key algorithm is ${JSON.stringify(header.alg)}, not ${BACKUP_ALG}`);
  if (header.enc !== BACKUP_ENC) throw notABackup(`its content encryption is ${JSON.stringify(header.enc)}, not ${BACKUP_ENC}`);
  if (header.zip !== undefined || header.crit !== undefined) throw notABackup('its header asks for features the wallet does not use (zip, crit)');
  const { p2c, p2s } = header;
  if (typeof p2c !== 'number' || !Number.isInteger(p2c) || p2c < BACKUP_MIN_P2C || p2c > BACKUP_MAX_P2C) {
    throw new DomainError(
      'invalid_input',
      `The backup's key derivation (p2c ${JSON.stringify(p2c)}) is outside ${BACKUP_MIN_P2C}..${BACKUP_MAX_P2C} iterations; the file is refused.`,
    );
  }
  let salt: Uint8Array<ArrayBuffer>;
  try {
    salt = fromBase64Url(typeof p2s === 'string' ? p2s : '!');
  } catch {
    throw notABackup('its header has no valid salt (p2s)');
  }
  if (salt.length < 8 || salt.length > 64) throw notABackup('its salt (p2s) has the wrong length');
  if (encryptedKey.length !== 40) throw notABackup('its wrapped key has the wrong length (damaged or truncated)');
  if (iv.length !== 12) throw notABackup('its IV has the wrong length (damaged or truncated)');
  if (tag.length !== 16) throw notABackup('its authentication tag has the wrong length (damaged or truncated)');
  const ciphertextAndTag = new Uint8Array(ciphertext.length + 16);
  ciphertextAndTag.set(ciphertext);
  ciphertextAndTag.set(tag, ciphertext.length);
  return { protectedB64, p2c, p2s: salt, encryptedKey, iv, ciphertextAndTag };
}

/** The plaintext of a backup file; `wrong_password` for a wrong passphrase, `invalid_input` for damage. */
export async function openBackup(text: string, passphrase: string): Promise<Uint8Array<ArrayBuffer>> {
  const parts = readBackupJwe(text);
  const kek = await keyEncryptionKey(passphrase, parts.p2s, parts.p2c);
  let cek: CryptoKey;
  try {
    cek = await crypto.subtle.unwrapKey('raw', parts.encryptedKey, kek, 'AES-KW', { name: 'AES-GCM', length: 256 }, false, ['decrypt']);
  } catch {
    throw new DomainError('wrong_password', 'Wrong backup passphrase.');
  }
  try {
    const plaintext = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: parts.iv, additionalData: utf8(parts.protectedB64), tagLength: 128 },
      cek,
      parts.ciphertextAndTag,
    );
    return new Uint8Array(plaintext);
  } catch {
    throw notABackup('it is damaged (its content failed the integrity check)');
  }
}

/** RFC 7518 §4.8.1.1: PBKDF2-HMAC-SHA-512 over the passphrase, salt = alg ‖ 0x00 ‖ p2s. */
async function keyEncryptionKey(passphrase: string, p2s: Uint8Array<ArrayBuffer>, p2c: number): Promise<CryptoKey> {
  const alg = utf8(BACKUP_ALG);
  const salt = new Uint8Array(alg.length + 1 + p2s.length);
  salt.set(alg);
  salt.set(p2s, alg.length + 1);
  const material = await crypto.subtle.importKey('raw', utf8(passphrase.normalize('NFC')), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-512', salt, iterations: p2c },
    material,
    { name: 'AES-KW', length: 256 },
    false,
    ['wrapKey', 'unwrapKey'],
  );
}
