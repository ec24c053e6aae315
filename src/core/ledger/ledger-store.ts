import { DomainError } from '../errors.ts';
import { EncryptedCollection } from '../storage/encrypted-collection.ts';
import type { KeyValueStore } from '../ports.ts';
import type { VaultKeys } from '../vault/vault-keys.ts';
import type { ChainHead } from './chain.ts';
import { GENESIS_PREV, type LedgerEntry } from './entry.ts';
import type { LedgerKeyRecord } from './ledger-key.ts';
import { HEAD_ID, type CheckpointRecord, type HeadRecord, type PayloadRecord } from './records.ts';

/**
 * The ledger's three encrypted collections, and loading them so that one unreadable
 * record is pinned to its seq instead of failing the whole load.
 */
export class LedgerStore {
  readonly entries: EncryptedCollection<LedgerEntry>;
  readonly payloads: EncryptedCollection<PayloadRecord>;
  readonly meta: EncryptedCollection<HeadRecord | LedgerKeyRecord | CheckpointRecord>;

  constructor(
    private readonly store: KeyValueStore,
    keys: VaultKeys,
  ) {
    this.entries = new EncryptedCollection(store, 'ledger', keys);
    this.payloads = new EncryptedCollection(store, 'ledgerPayloads', keys);
    this.meta = new EncryptedCollection(store, 'ledgerMeta', keys);
  }

  /** The stored head; the empty head when the ledger has never been written. */
  async head(): Promise<ChainHead> {
    const record = (await this.meta.get(HEAD_ID)) as HeadRecord | undefined;
    if (record === undefined) return { size: 0, last: GENESIS_PREV };
    if (record.v !== 1 || !Number.isSafeInteger(record.size) || record.size < 0 || typeof record.last !== 'string') {
      throw new DomainError('internal', 'The activity ledger head is damaged.');
    }
    return { size: record.size, last: record.last };
  }

  /** Entries by seq; `undefined` where one is missing or unreadable. */
  loadEntries(bound: number): Promise<Array<LedgerEntry | undefined>> {
    return this.loadBySeq(this.entries, 'ledger', bound, (entry) => entry.seq);
  }

  /** Payloads by seq; `undefined` where deleted; `null` where present but unreadable. */
  async loadPayloads(bound: number): Promise<Array<PayloadRecord | undefined | null>> {
    const stored = await this.store.getAll('ledgerPayloads');
    let list: PayloadRecord[];
    try {
      list = await this.payloads.list();
    } catch {
      return Promise.all(
        Array.from({ length: Math.max(bound, stored.length) }, (_, seq) => this.payloads.get(String(seq)).catch(() => null)),
      );
    }
    const bySeq: Array<PayloadRecord | undefined | null> = [];
    for (const record of list) bySeq[record.seq] = record;
    return bySeq;
  }

  /**
   * Fast path: one getAll and a decrypt per record. If any record fails to decrypt,
   * repeats the load key by key (slow, only for a damaged store) to name it.
   */
  private async loadBySeq<T>(
    collection: EncryptedCollection<T>,
    name: 'ledger',
    bound: number,
    seqOf: (value: T) => number,
  ): Promise<Array<T | undefined>> {
    const stored = await this.store.getAll(name);
    const upper = Math.max(bound, stored.length);
    try {
      const list = await collection.list();
      const bySeq: Array<T | undefined> = Array.from({ length: upper }, () => undefined);
      let clean = true;
      for (const value of list) {
        const seq = seqOf(value);
        if (!Number.isSafeInteger(seq) || seq < 0 || seq >= upper || bySeq[seq] !== undefined) clean = false;
        else bySeq[seq] = value;
      }
      if (clean) return bySeq;
    } catch {
      // fall through to the precise load
    }
    return Promise.all(Array.from({ length: upper }, (_, seq) => collection.get(String(seq)).catch(() => undefined)));
  }
}
