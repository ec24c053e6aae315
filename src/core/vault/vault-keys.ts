import { utf8 } from '../encoding.ts';

/**
 * The keys an unlocked vault provides, all derived (HKDF-SHA-256) from one random
 * 32-byte vault secret: an AES-256-GCM key for record contents and an HMAC key that
 * turns record ids into opaque storage keys (so ids such as origins never rest in the clear).
 */
export interface VaultKeys {
  readonly secret: Uint8Array<ArrayBuffer>;
  readonly recordKey: CryptoKey;
  readonly indexKey: CryptoKey;
}

export const VAULT_SECRET_BYTES = 32;

export async function deriveVaultKeys(secret: Uint8Array<ArrayBuffer>): Promise<VaultKeys> {
  if (secret.length !== VAULT_SECRET_BYTES) throw new Error('Vault secret must be 32 bytes');
  const master = await crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveKey']);
  const hkdf = (info: string) => ({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(32), info: utf8(info) });
  const recordKey = await crypto.subtle.deriveKey(
    hkdf('tessera/records/v1'),
    master,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
  const indexKey = await crypto.subtle.deriveKey(
    hkdf('tessera/index/v1'),
    master,
    { name: 'HMAC', hash: 'SHA-256', length: 256 },
    false,
    ['sign'],
  );
  return { secret, recordKey, indexKey };
}
