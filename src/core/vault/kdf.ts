import { utf8 } from '../encoding.ts';

/**
 * Password key derivation: PBKDF2-SHA-256 (OWASP 2023: ≥ 600,000 iterations).
 * Parameters read back from storage are range-checked before use, so a tampered
 * vault header cannot downgrade the work factor or blow up memory/time.
 */
export const KDF_NAME = 'PBKDF2-SHA-256';
export const KDF_DEFAULT_ITERATIONS = 600_000;
export const KDF_MIN_ITERATIONS = 600_000;
export const KDF_MAX_ITERATIONS = 10_000_000;
export const KDF_SALT_BYTES = 16;
export const KDF_MIN_SALT_BYTES = 16;
export const KDF_MAX_SALT_BYTES = 64;

export interface KdfParams {
  name: typeof KDF_NAME;
  iterations: number;
  salt: Uint8Array<ArrayBuffer>;
}

/** Why a stored KDF header is unacceptable, or null when it is fine. */
export function kdfParamsProblem(params: { name: unknown; iterations: unknown; salt: unknown }): string | null {
  if (params.name !== KDF_NAME) return `unsupported KDF '${String(params.name)}'`;
  const { iterations, salt } = params;
  if (typeof iterations !== 'number' || !Number.isInteger(iterations)) return 'KDF iterations are not an integer';
  if (iterations < KDF_MIN_ITERATIONS) return `KDF iterations ${iterations} are below the minimum ${KDF_MIN_ITERATIONS}`;
  if (iterations > KDF_MAX_ITERATIONS) return `KDF iterations ${iterations} are above the maximum ${KDF_MAX_ITERATIONS}`;
  if (!(salt instanceof Uint8Array)) return 'KDF salt is missing';
  if (salt.length < KDF_MIN_SALT_BYTES || salt.length > KDF_MAX_SALT_BYTES) {
    return `KDF salt length ${salt.length} is outside ${KDF_MIN_SALT_BYTES}..${KDF_MAX_SALT_BYTES} bytes`;
  }
  return null;
}

/** Derives the AES-256-GCM key that wraps the vault secret. */
export async function deriveWrappingKey(password: string, params: KdfParams): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', utf8(password.normalize('NFC')), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: params.salt, iterations: params.iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}
