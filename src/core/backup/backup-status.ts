import type { BackupStatusView } from '../../protocol/backup-views.ts';
import type { KeyValueStore, WriteOp } from '../ports.ts';
import { AnchoringStore } from '../anchoring/anchoring-store.ts';
import { EncryptedCollection } from '../storage/encrypted-collection.ts';
import type { VaultKeys } from '../vault/vault-keys.ts';

/**
 * When the last backup was made and how many keys it held, sealed in 'meta' (the time
 * says when the user was at the computer). A key made later — a pairwise DID for a new
 * site, a holder key — is one a lost profile would lose: the dashboard reminds then.
 */
export interface BackupStatusRecord {
  v: 1;
  lastBackupAt: string;
  /** The storage slots (opaque HMACs) of the keys the backup holds. */
  keySlots: string[];
  /** The anchoring account's address the backup holds (its key pays for anchors), null if none. */
  anchoringAccount?: string | null;
}

const STATUS_ID = 'backup';
/** Every key the wallet makes (Veramo's managed private keys: pairwise DIDs, holder keys) rests here. */
const KEY_COLLECTION = 'privateKeys';

const statusRecords = (store: KeyValueStore, keys: VaultKeys) => new EncryptedCollection<BackupStatusRecord>(store, 'meta', keys);

/** The slot of every stored key (each sealed record names its own slot). */
export async function keySlots(store: KeyValueStore): Promise<string[]> {
  return (await store.getAll(KEY_COLLECTION)).map((sealed) => String((sealed as { slot?: unknown } | null)?.slot));
}

/** The anchoring account's address, null while anchoring never made one. */
export async function anchoringAccountOf(store: KeyValueStore, keys: VaultKeys): Promise<string | null> {
  return (await new AnchoringStore(store, keys).state()).account?.address ?? null;
}

export function backupStatusOp(store: KeyValueStore, keys: VaultKeys, record: BackupStatusRecord): Promise<WriteOp> {
  return statusRecords(store, keys).putOp(STATUS_ID, record);
}

export async function readBackupStatus(store: KeyValueStore, keys: VaultKeys): Promise<BackupStatusView> {
  const [record, slots, account] = await Promise.all([statusRecords(store, keys).get(STATUS_ID), keySlots(store), anchoringAccountOf(store, keys)]);
  const backedUp = new Set(record?.keySlots ?? []);
  // A set, not a count: a key deleted and another made since is still a new key.
  const newAccount = account !== null && account !== (record?.anchoringAccount ?? null) ? 1 : 0;
  const keysSinceBackup = slots.filter((slot) => !backedUp.has(slot)).length + newAccount;
  const keyCount = slots.length + (account === null ? 0 : 1);
  return { lastBackupAt: record?.lastBackupAt ?? null, keyCount, keysSinceBackup, reminder: keysSinceBackup > 0 };
}
