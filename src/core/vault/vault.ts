import { CoreError } from '../errors.ts';
import { randomBytes, utf8 } from '../encoding.ts';
import type { KeyValueStore } from '../storage/ports.ts';
import {
  KDF_DEFAULT_ITERATIONS,
  KDF_NAME,
  KDF_SALT_BYTES,
  deriveWrappingKey,
  kdfParamsProblem,
  type KdfParams,
} from './kdf.ts';
import { retryAfterMs, type FailedUnlocks } from './unlock-throttle.ts';
import { VAULT_SECRET_BYTES, deriveVaultKeys, type VaultKeys } from './vault-keys.ts';

/**
 * The vault header: the only record that rests unencrypted, because unlocking needs
 * it. It holds KDF parameters, the wrapped vault secret and the failed-unlock counter;
 * no secret and nothing personal.
 */
export interface VaultHeader {
  version: 1;
  kdf: KdfParams;
  wrapped: { iv: Uint8Array<ArrayBuffer>; ct: Uint8Array<ArrayBuffer> };
  createdAt: number;
  failedUnlocks?: FailedUnlocks;
}

const HEADER_KEY = 'vault';
const WRAP_AAD = utf8('tessera/vault-secret/v1');

export interface VaultOptions {
  store: KeyValueStore;
  now?: () => number;
  /** Only tests lower this, and never below what unlock accepts. */
  iterations?: number;
}

export class Vault {
  private readonly store: KeyValueStore;
  private readonly now: () => number;
  private readonly iterations: number;

  constructor(options: VaultOptions) {
    this.store = options.store;
    this.now = options.now ?? Date.now;
    this.iterations = options.iterations ?? KDF_DEFAULT_ITERATIONS;
  }

  async isInitialized(): Promise<boolean> {
    return (await this.readHeader()) !== undefined;
  }

  async retryAfterMs(): Promise<number> {
    return retryAfterMs((await this.readHeader())?.failedUnlocks, this.now());
  }

  /** Creates the vault with a fresh random secret; refuses if one exists. */
  async create(password: string): Promise<VaultKeys> {
    if (await this.isInitialized()) throw new CoreError('already_initialized', 'A wallet already exists.');
    const secret = randomBytes(VAULT_SECRET_BYTES);
    const header = await this.wrap(secret, password, this.now());
    await this.store.write([{ type: 'put', collection: 'meta', key: HEADER_KEY, value: header }]);
    return deriveVaultKeys(secret);
  }

  /** Unwraps the vault secret. Wrong passwords are counted and throttled. */
  async unlock(password: string): Promise<VaultKeys> {
    const header = await this.requireHeader();
    const wait = retryAfterMs(header.failedUnlocks, this.now());
    if (wait > 0) {
      throw new CoreError('throttled', `Too many wrong passwords. Try again in ${Math.ceil(wait / 1000)} s.`, wait);
    }
    const secret = await this.unwrap(header, password);
    if (!secret) {
      const failedUnlocks = { count: (header.failedUnlocks?.count ?? 0) + 1, lastAt: this.now() };
      await this.writeHeader({ ...header, failedUnlocks });
      throw new CoreError('wrong_password', 'Wrong password.', retryAfterMs(failedUnlocks, this.now()));
    }
    if (header.failedUnlocks) await this.writeHeader({ ...header, failedUnlocks: undefined });
    return deriveVaultKeys(secret);
  }

  /** Re-wraps the same secret under a new password; stored records stay as they are. */
  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    const header = await this.requireHeader();
    const secret = await this.unwrap(header, currentPassword);
    if (!secret) throw new CoreError('wrong_password', 'The current password is wrong.');
    await this.writeHeader(await this.wrap(secret, newPassword, header.createdAt));
  }

  private async wrap(secret: Uint8Array<ArrayBuffer>, password: string, createdAt: number): Promise<VaultHeader> {
    const kdf: KdfParams = { name: KDF_NAME, iterations: this.iterations, salt: randomBytes(KDF_SALT_BYTES) };
    const wrappingKey = await deriveWrappingKey(password, kdf);
    const iv = randomBytes(12);
    const ct = new Uint8Array(
      await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: WRAP_AAD }, wrappingKey, secret),
    );
    return { version: 1, kdf, wrapped: { iv, ct }, createdAt };
  }

  /** The secret, or null when the password is wrong. Refuses a malformed header outright. */
  private async unwrap(header: VaultHeader, password: string): Promise<Uint8Array<ArrayBuffer> | null> {
    const problem = kdfParamsProblem(header.kdf ?? {});
    if (problem) throw new CoreError('internal', `The vault header is not acceptable: ${problem}.`);
    const { iv, ct } = header.wrapped ?? {};
    if (!(iv instanceof Uint8Array) || iv.length !== 12 || !(ct instanceof Uint8Array) || ct.length !== VAULT_SECRET_BYTES + 16) {
      throw new CoreError('internal', 'The vault header is not acceptable: malformed wrapped key.');
    }
    const wrappingKey = await deriveWrappingKey(password, header.kdf);
    try {
      const secret = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: new Uint8Array(iv), additionalData: WRAP_AAD },
        wrappingKey,
        new Uint8Array(ct),
      );
      return new Uint8Array(secret);
    } catch {
      return null;
    }
  }

  private async readHeader(): Promise<VaultHeader | undefined> {
    return (await this.store.get('meta', HEADER_KEY)) as VaultHeader | undefined;
  }

  private async requireHeader(): Promise<VaultHeader> {
    const header = await this.readHeader();
    if (!header) throw new CoreError('not_initialized', 'No wallet has been created yet.');
    return header;
  }

  private async writeHeader(header: VaultHeader): Promise<void> {
    await this.store.write([{ type: 'put', collection: 'meta', key: HEADER_KEY, value: header }]);
  }
}
