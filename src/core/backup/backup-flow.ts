import type { BackupExportView, BackupRestoreView, BackupStatusView } from '../../protocol/backup-views.ts';
import { PASSWORD_MIN_LENGTH } from '../../protocol/internal.ts';
import type { CommitPoint } from '../commit/unit-of-work.ts';
import { DomainError } from '../errors.ts';
import { Ledger } from '../ledger/ledger.ts';
import type { StoreSnapshot, WalletPorts, WriteOp } from '../ports.ts';
import { COLLECTIONS } from '../storage/collections.ts';
import { MemoryKeyValueStore } from '../storage/memory-store.ts';
import { VAULT_HEADER_KEY, type Vault } from '../vault/vault.ts';
import { deriveVaultKeys } from '../vault/vault-keys.ts';
import type { WalletSession } from '../wallet/wallet-session.ts';
import { decodeBackup, encodeBackup } from './backup-file.ts';
import { BACKUP_DEFAULT_P2C, openBackup, sealBackup } from './backup-jwe.ts';
import { anchoringAccountOf, backupStatusOp, keySlots, readBackupStatus } from './backup-status.ts';

export interface BackupContext {
  ports: WalletPorts;
  session: WalletSession;
  commit: CommitPoint;
  vault: Vault;
  /** After a restore: what keeps its own copy of stored state catches up (anchoring's alarm and cache). */
  restored?: () => Promise<void>;
}

export interface RestoreRequest {
  /** The file's text (a compact JWE). */
  file: string;
  passphrase: string;
  /** The wallet password on this profile from now on (the backup does not carry the old one). */
  newPassword: string;
  /** The user confirmed replacing the wallet that is here. */
  overwrite: boolean;
}

export interface ExportRequest {
  /** The wallet password, asked again: an unlocked, unattended browser must not hand out every key. */
  password: string;
  /** What the file is encrypted under (it may differ from the wallet password). */
  passphrase: string;
}

export const WRONG_WALLET_PASSWORD = 'Wrong wallet password; nothing was exported.';

export const backupFileName = (createdAt: string) => `tessera-backup-${createdAt.slice(0, 10)}.jwe`;

/**
 * Encrypted backup and restore of the whole wallet. The file holds the vault secret and
 * every stored record as it rests (still sealed), so HMAC slot names, pairwise DIDs,
 * grants and the ledger's hashes come back byte for byte; only the vault header is
 * left out, and a restore wraps the secret under the password the user sets there.
 */
export class BackupFlow {
  constructor(
    private readonly ctx: BackupContext,
    /** PBKDF2 iterations of new files (never below the minimum a restore accepts). */
    private readonly p2c = BACKUP_DEFAULT_P2C,
  ) {}

  async status(): Promise<BackupStatusView> {
    const wallet = await this.ctx.session.require();
    return readBackupStatus(this.ctx.ports.store, wallet.keys);
  }

  async exportBackup({ password, passphrase }: ExportRequest): Promise<BackupExportView> {
    assertPassphrase(passphrase);
    await this.ctx.session.require();
    // Checked as an unlock is (one lock, one counter, one delay), so this is no faster way to guess.
    await this.ctx.vault.verifyPassword(password, WRONG_WALLET_PASSWORD);
    // Read again: the wallet may have locked during the slow key derivation.
    const wallet = await this.ctx.session.require();
    const { store, now } = this.ctx.ports;
    // One read transaction: a login landing meanwhile is either wholly in the file or not at all.
    const records = await store.snapshot();
    records.meta = records.meta.filter(([key]) => key !== VAULT_HEADER_KEY);
    const createdAt = new Date(now()).toISOString();
    const jwe = await sealBackup(await encodeBackup({ createdAt, secret: wallet.keys.secret, records }), passphrase, this.p2c);
    // Recorded once the file exists: the reminder goes, the activity log says so.
    const slots = slotsOf(records);
    const anchoringAccount = await anchoringAccountOf(store, wallet.keys);
    await this.ctx.commit.run(async (unit) => {
      unit.write(await backupStatusOp(store, wallet.keys, { v: 1, lastBackupAt: createdAt, keySlots: slots, anchoringAccount }));
      unit.emit({ type: 'wallet.backedUp', keyCount: slots.length + (anchoringAccount === null ? 0 : 1) });
    });
    return { fileName: backupFileName(createdAt), jwe, createdAt };
  }

  /**
   * Checks everything before changing anything: the passphrase, the file's integrity,
   * that its ledger verifies under its key. Then one transaction replaces every stored
   * record (and the vault header) with the backup's, a `wallet.restored` entry appended.
   */
  async restore(request: RestoreRequest): Promise<BackupRestoreView> {
    const { vault, session, ports } = this.ctx;
    assertPassphrase(request.newPassword, 'The new wallet password');
    const existed = await vault.isInitialized();
    if (existed && !request.overwrite) {
      throw new DomainError('already_initialized', 'A wallet already exists here; confirm to replace it with the backup.');
    }
    const backup = await decodeBackup(await openBackup(request.file, request.passphrase));
    const staged = await this.stage(backup.records, await deriveVaultKeys(backup.secret), backup.createdAt);
    const keys = await this.ctx.commit.exclusive(async () => {
      // The old wallet's keys must not serve a request against the new records.
      await session.close();
      return vault.restore(backup.secret, request.newPassword, async () => replaceAllOps(await ports.store.snapshot(), staged), {
        overwrite: request.overwrite,
      });
    });
    session.forgetSettings();
    await session.open(keys);
    // The records are in: a failure here must not report the restore as failed.
    await this.ctx.restored?.().catch((error: unknown) => console.error('Tessera: catching up after a restore failed', error));
    return { backupCreatedAt: backup.createdAt, replaced: existed };
  }

  /** The backup's records with the restore's ledger entry and backup status added, in memory. */
  private async stage(records: StoreSnapshot, keys: Awaited<ReturnType<typeof deriveVaultKeys>>, backupCreatedAt: string): Promise<StoreSnapshot> {
    const staging = await staged(records);
    const { now } = this.ctx.ports;
    const ledger = new Ledger(staging, keys, { now: () => new Date(now()) });
    let verified;
    try {
      verified = await ledger.verify();
    } catch {
      verified = { ok: false as const, firstBadIndex: -1, reason: 'its records do not open under its key' };
    }
    if (!verified.ok) {
      throw new DomainError('invalid_input', `The backup's activity log does not verify (${verified.reason}); nothing was restored.`);
    }
    const { ops } = await ledger.appendOps([{ kind: 'wallet.restored', subject: 'wallet', payload: JSON.stringify({ backupCreatedAt }) }]);
    const status = { v: 1 as const, lastBackupAt: backupCreatedAt, keySlots: await keySlots(staging), anchoringAccount: await anchoringAccountOf(staging, keys) };
    ops.push(await backupStatusOp(staging, keys, status));
    await staging.write(ops);
    return staging.snapshot();
  }
}

/** Deletes of every record here, then puts of every staged one (the header is the vault's). */
export function replaceAllOps(current: StoreSnapshot, staged: StoreSnapshot): WriteOp[] {
  const deletes: WriteOp[] = COLLECTIONS.flatMap((collection) => current[collection].map(([key]): WriteOp => ({ type: 'delete', collection, key })));
  return [...deletes, ...putOps(staged)];
}

function putOps(records: StoreSnapshot): WriteOp[] {
  return COLLECTIONS.flatMap((collection) =>
    records[collection]
      .filter(([key]) => !(collection === 'meta' && key === VAULT_HEADER_KEY))
      .map(([key, value]): WriteOp => ({ type: 'put', collection, key, value })),
  );
}

/** The records in a store of their own, in memory (to read or extend them before anything is written). */
async function staged(records: StoreSnapshot): Promise<MemoryKeyValueStore> {
  const store = new MemoryKeyValueStore();
  await store.write(putOps(records));
  return store;
}

function slotsOf(records: StoreSnapshot): string[] {
  return records.privateKeys.map(([key]) => key);
}

function assertPassphrase(passphrase: string, what = 'The backup passphrase'): void {
  if (passphrase.length < PASSWORD_MIN_LENGTH) throw new DomainError('invalid_input', `${what} must be at least ${PASSWORD_MIN_LENGTH} characters.`);
}
