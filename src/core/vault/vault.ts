import { DomainError } from '../errors.ts';
import { Mutex } from '../mutex.ts';
import { randomBytes, utf8 } from '../encoding.ts';
import type { KeyValueStore, WriteOp } from '../ports.ts';
import {
  KDF_DEFAULT_ITERATIONS,
  KDF_NAME,
  KDF_SALT_BYTES,
  deriveWrappingKey,
  kdfParamsProblem,
  type KdfParams,
} from './kdf.ts';
import { reserveAttempt, retryAfterMs, throttledError, type FailedUnlocks } from './unlock-throttle.ts';
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

/** Where the header rests (collection 'meta'); a backup leaves it out. */
export const VAULT_HEADER_KEY = 'vault';
const HEADER_KEY = VAULT_HEADER_KEY;
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
  /** Every change of the header (create, unlock attempt, password change) runs under this. */
  private readonly headerLock: Mutex;

  constructor(options: VaultOptions) {
    this.store = options.store;
    this.now = options.now ?? Date.now;
    this.iterations = options.iterations ?? KDF_DEFAULT_ITERATIONS;
    this.headerLock = headerLockOf(options.store);
  }

  async isInitialized(): Promise<boolean> {
    return (await this.readHeader()) !== undefined;
  }

  async retryAfterMs(): Promise<number> {
    return retryAfterMs((await this.readHeader())?.failedUnlocks, this.now());
  }

  /**
   * Creates the vault with a fresh random secret; refuses if one exists. The check and
   * the write are one locked section, so a second concurrent create cannot replace the
   * header (and with it the secret) of the first.
   */
  create(password: string): Promise<VaultKeys> {
    return this.headerLock.run(async () => {
      if (await this.readHeader()) throw new DomainError('already_initialized', 'A wallet already exists.');
      const secret = randomBytes(VAULT_SECRET_BYTES);
      await this.writeHeader(await this.wrap(secret, password, this.now()));
      return deriveVaultKeys(secret);
    });
  }

  /** Unwraps the vault secret. Wrong passwords are counted and throttled. */
  unlock(password: string): Promise<VaultKeys> {
    return this.headerLock.run(async () => {
      const { header, secret } = await this.attempt(password, 'Wrong password.');
      await this.writeHeader(withoutFailures(header));
      return deriveVaultKeys(secret);
    });
  }

  /**
   * Asks for the password again while unlocked, before an act an unattended unlocked
   * browser must not allow (exporting every key). Checked exactly like an unlock: the
   * same header lock, counter and delay, so it is no side door for guessing.
   */
  verifyPassword(password: string, wrongMessage: string): Promise<void> {
    return this.headerLock.run(async () => {
      const { header } = await this.attempt(password, wrongMessage);
      await this.writeHeader(withoutFailures(header));
    });
  }

  /**
   * Re-wraps the same secret under a new password; stored records stay as they are.
   * The current password is checked exactly like an unlock: counted and throttled.
   */
  changePassword(currentPassword: string, newPassword: string): Promise<void> {
    return this.headerLock.run(async () => {
      const { header, secret } = await this.attempt(currentPassword, 'The current password is wrong.');
      await this.writeHeader(await this.wrap(secret, newPassword, header.createdAt));
    });
  }

  /**
   * A restore from a backup: one transaction writes `opsFor()`'s writes (computed under
   * the header lock, after the check) and a header wrapping `secret` under `password`,
   * so a worker stopped midway leaves the previous wallet. Refuses when a wallet exists
   * unless `overwrite`.
   */
  restore(secret: Uint8Array<ArrayBuffer>, password: string, opsFor: () => Promise<WriteOp[]>, options: { overwrite: boolean }): Promise<VaultKeys> {
    return this.headerLock.run(async () => {
      const existing = await this.readHeader();
      if (existing && !options.overwrite) throw new DomainError('already_initialized', 'A wallet already exists here; confirm to replace it with the backup.');
      const header = await this.wrap(secret, password, this.now());
      const ops = await opsFor();
      await this.store.write([...ops, { type: 'put', collection: 'meta', key: HEADER_KEY, value: header }]);
      return deriveVaultKeys(secret);
    });
  }

  /**
   * One password attempt, run under the header lock: refused while a delay runs, booked
   * in the header before the key derivation, and left booked when the password is wrong. Returns the header as written (attempt still booked).
   */
  private async attempt(password: string, wrongMessage: string): Promise<{ header: VaultHeader; secret: Uint8Array<ArrayBuffer> }> {
    const stored = await this.requireHeader();
    assertAcceptable(stored);
    const wait = retryAfterMs(stored.failedUnlocks, this.now());
    if (wait > 0) throw throttledError(wait);
    const header: VaultHeader = { ...stored, failedUnlocks: reserveAttempt(stored.failedUnlocks, this.now()) };
    await this.writeHeader(header);
    const secret = await this.unwrap(header, password);
    if (secret) return { header, secret };
    // The delay runs from the failure, as before: re-stamp the booked attempt.
    const failedUnlocks = { count: header.failedUnlocks?.count ?? 1, lastAt: this.now() };
    await this.writeHeader({ ...header, failedUnlocks });
    throw new DomainError('wrong_password', wrongMessage, retryAfterMs(failedUnlocks, this.now()));
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

  /** The secret, or null when the password is wrong. The header was checked by `assertAcceptable`. */
  private async unwrap(header: VaultHeader, password: string): Promise<Uint8Array<ArrayBuffer> | null> {
    const { iv, ct } = header.wrapped;
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
    if (!header) throw new DomainError('not_initialized', 'No wallet has been created yet.');
    return header;
  }

  private async writeHeader(header: VaultHeader): Promise<void> {
    await this.store.write([{ type: 'put', collection: 'meta', key: HEADER_KEY, value: header }]);
  }
}

/** The header once a password proved right: the failed attempts forgotten. */
function withoutFailures(header: VaultHeader): VaultHeader {
  const cleared: VaultHeader = { ...header };
  delete cleared.failedUnlocks;
  return cleared;
}

/** Refuses a malformed or weakened header outright, before any attempt is booked. */
function assertAcceptable(header: VaultHeader): void {
  const problem = kdfParamsProblem(header.kdf ?? {});
  if (problem) throw new DomainError('internal', `The vault header is not acceptable: ${problem}.`);
  const { iv, ct } = header.wrapped ?? {};
  if (!(iv instanceof Uint8Array) || iv.length !== 12 || !(ct instanceof Uint8Array) || ct.length !== VAULT_SECRET_BYTES + 16) {
    throw new DomainError('internal', 'The vault header is not acceptable: malformed wrapped key.');
  }
}

/** One lock per store, so every Vault over the same storage shares it. */
const headerLocks = new WeakMap<KeyValueStore, Mutex>();
function headerLockOf(store: KeyValueStore): Mutex {
  let lock = headerLocks.get(store);
  if (!lock) headerLocks.set(store, (lock = new Mutex()));
  return lock;
}
