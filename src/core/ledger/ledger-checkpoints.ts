import { Mutex } from '../mutex.ts';
import { fromBase64Url } from './base64url.ts';
import { signCheckpoint, verifyCheckpoint } from './checkpoint.ts';
import { generateLedgerKey, ledgerSigner, type LedgerKeyRecord } from './ledger-key.ts';
import type { LedgerStore } from './ledger-store.ts';
import { equalBytes } from './merkle-hash.ts';
import type { MerkleTree } from './merkle-tree.ts';
import { CHECKPOINT_ID, KEY_ID, type CheckpointRecord } from './records.ts';

/**
 * The ledger key (generated once, kept encrypted in `ledgerMeta/key`) and the
 * latest signed checkpoint (`ledgerMeta/checkpoint`, for the export and for
 * `verify()`, which holds the entries to it).
 */
export class LedgerCheckpoints {
  private readonly keyLock = new Mutex();

  constructor(
    private readonly records: LedgerStore,
    private readonly keyName: string,
    private readonly now: () => Date,
  ) {}

  /** The ledger key's public half (base64url), generating the key on first use. */
  async publicKey(): Promise<{ name: string; publicKey: string }> {
    const key = await this.key();
    return { name: key.name, publicKey: key.publicKey };
  }

  /** Signs `tree`'s current size and root for `origin` and keeps the note as the latest. */
  async sign(origin: string, tree: MerkleTree): Promise<string> {
    return this.signHead(origin, tree.size, tree.root());
  }

  /** Signs `size` and `root` for `origin` and keeps the note as the latest. */
  async signHead(origin: string, size: number, root: Uint8Array): Promise<string> {
    const note = signCheckpoint(origin, size, root, ledgerSigner(await this.key()));
    const record: CheckpointRecord = { v: 1, size, note };
    await this.records.meta.put(CHECKPOINT_ID, record);
    return note;
  }

  async latest(): Promise<string | undefined> {
    return ((await this.records.meta.get(CHECKPOINT_ID)) as CheckpointRecord | undefined)?.note;
  }

  /** Why the latest checkpoint disagrees with `tree`, or null when it agrees (or there is none). */
  async mismatch(tree: MerkleTree): Promise<{ size: number; reason: string } | null> {
    const record = (await this.records.meta.get(CHECKPOINT_ID).catch(() => null)) as CheckpointRecord | undefined | null;
    if (record === undefined) return null;
    const key = (await this.records.meta.get(KEY_ID).catch(() => undefined)) as LedgerKeyRecord | undefined;
    const checkpoint = record && key ? verifyCheckpoint(record.note, fromBase64Url(key.publicKey)) : null;
    if (!checkpoint) return { size: 0, reason: 'the latest checkpoint is unreadable or not signed by the ledger key' };
    if (checkpoint.size > tree.size) {
      return { size: tree.size, reason: `the latest checkpoint covers ${checkpoint.size} entries, the ledger has ${tree.size}` };
    }
    if (!equalBytes(tree.root(checkpoint.size), checkpoint.root)) {
      return { size: checkpoint.size, reason: `the entries before ${checkpoint.size} do not match the latest checkpoint` };
    }
    return null;
  }

  private key(): Promise<LedgerKeyRecord> {
    return this.keyLock.run(async () => {
      const stored = (await this.records.meta.get(KEY_ID)) as LedgerKeyRecord | undefined;
      if (stored) return stored;
      const key = generateLedgerKey(this.keyName, this.now());
      await this.records.meta.put(KEY_ID, key);
      return key;
    });
  }
}
