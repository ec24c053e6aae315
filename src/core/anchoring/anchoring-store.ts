import { ANCHOR_EVERY_ENTRIES_DEFAULT, ANCHOR_EVERY_MINUTES_DEFAULT } from '../../protocol/anchoring-views.ts';
import type { KeyValueStore, WriteOp } from '../ports.ts';
import { EncryptedCollection } from '../storage/encrypted-collection.ts';
import type { VaultKeys } from '../vault/vault-keys.ts';
import { STATE_ID, type AnchorTransaction, type AnchoringState, type ReceiptEntryRecord } from './anchoring-records.ts';

export const initialAnchoringState = (): AnchoringState => ({
  v: 1,
  settings: {
    enabled: false,
    rpcUrl: null,
    contract: null,
    chainId: null,
    everyEntries: ANCHOR_EVERY_ENTRIES_DEFAULT,
    everyMinutes: ANCHOR_EVERY_MINUTES_DEFAULT,
  },
  account: null,
  lastAnchor: null,
  ownEntries: 0,
  lastQueuedAt: null,
});

/** The anchoring records in the vault (see anchoring-records.ts); writes as ops for the caller's unit of work. */
export class AnchoringStore {
  private readonly states: EncryptedCollection<AnchoringState>;
  private readonly queue: EncryptedCollection<AnchorTransaction>;
  private readonly receipts: EncryptedCollection<ReceiptEntryRecord>;

  constructor(store: KeyValueStore, keys: VaultKeys) {
    this.states = new EncryptedCollection(store, 'anchoring', keys);
    this.queue = new EncryptedCollection(store, 'anchorQueue', keys);
    this.receipts = new EncryptedCollection(store, 'receiptEntries', keys);
  }

  async state(): Promise<AnchoringState> {
    return (await this.states.get(STATE_ID)) ?? initialAnchoringState();
  }

  stateOp(state: AnchoringState): Promise<WriteOp> {
    return this.states.putOp(STATE_ID, state);
  }

  /** Every queued, sent, failed and confirmed transaction, oldest first. */
  async transactions(): Promise<AnchorTransaction[]> {
    return (await this.queue.list()).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  transaction(id: string): Promise<AnchorTransaction | undefined> {
    return this.queue.get(id);
  }

  transactionOp(tx: AnchorTransaction): Promise<WriteOp> {
    return this.queue.putOp(tx.id, tx);
  }

  transactionDeleteOp(id: string): Promise<WriteOp> {
    return this.queue.deleteOp(id);
  }

  receiptEntry(grantId: string): Promise<ReceiptEntryRecord | undefined> {
    return this.receipts.get(grantId);
  }

  receiptEntryOp(grantId: string, seq: number): Promise<WriteOp> {
    return this.receipts.putOp(grantId, { v: 1, grantId, seq });
  }
}
