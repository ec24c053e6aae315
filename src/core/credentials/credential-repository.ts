import type { EncryptedCollection } from '../storage/encrypted-collection.ts';
import type { CredentialIndex } from './credential-index.ts';
import { type CredentialEntry, CredentialPages } from './credential-pages.ts';
import type { CredentialRecord, CredentialStatus } from './types.ts';
import type { WriteOp } from '../ports.ts';

/** Stores a change's writes: the caller's unit of work (with its ledger entries), or the store directly. */
export type CommitWrites = (ops: WriteOp[]) => Promise<void>;

/**
 * The credentials the wallet holds, stored in encrypted pages (credential-pages.ts),
 * with a decrypted in-memory index for the unlocked session so listing and DCQL
 * matching over thousands of credentials cost no decryption after the first read.
 * Changes are applied one at a time, each read from the index inside its turn, and the
 * index changes only after the store took the write, so it never shows what did not land.
 */
export class CredentialRepository {
  private readonly pages: CredentialPages;
  private index: Promise<CredentialIndex> | null = null;
  private sorted: CredentialRecord[] | null = null;
  private turn: Promise<unknown> = Promise.resolve();

  constructor(records: EncryptedCollection<CredentialRecord>) {
    // The collection holds pages and their directory (and, from older wallets, single records).
    this.pages = new CredentialPages(records as unknown as EncryptedCollection<CredentialEntry>);
  }

  /** Newest first (by receivedAt). */
  async list(): Promise<CredentialRecord[]> {
    const index = await this.load();
    this.sorted ??= [...index.records.values()].sort((a, b) =>
      a.receivedAt < b.receivedAt ? 1 : a.receivedAt > b.receivedAt ? -1 : 0,
    );
    return [...this.sorted];
  }

  async get(id: string): Promise<CredentialRecord | undefined> {
    return (await this.load()).records.get(id);
  }

  /**
   * Each change below computes its writes inside the repository's turn and hands them
   * to `commit` — the caller's unit of work, which stores them with the ledger entries
   * they cause in one transaction — and only then updates the index. Without `commit`
   * the writes are stored on their own.
   */
  async save(record: CredentialRecord, commit: CommitWrites = this.direct): Promise<void> {
    await this.exclusive(async (index) => {
      const page = index.pageOf.get(record.id) ?? index.pageWithRoom();
      await commit(await this.pages.writeOps(index, page, index.pageWith(page, { put: record })));
      index.place(record, page);
    });
  }

  async delete(id: string, commit: CommitWrites = this.direct): Promise<boolean> {
    return this.exclusive(async (index) => {
      const page = index.pageOf.get(id);
      if (page === undefined) return false;
      await commit(await this.pages.writeOps(index, page, index.pageWith(page, { drop: id })));
      index.remove(id);
      return true;
    });
  }

  /**
   * Records a status check. A check that changes nothing that is stored for a reason
   * (see `sameStatus`) writes nothing (and does not call `commit`): the new `checkedAt`
   * is kept for this session only.
   */
  async setStatus(
    id: string,
    statusResult: CredentialStatus,
    commit: (ops: WriteOp[], previous: CredentialRecord) => Promise<void> = this.direct,
  ): Promise<CredentialRecord | undefined> {
    return this.exclusive(async (index) => {
      const record = index.records.get(id);
      if (!record) return undefined;
      const updated = { ...record, statusResult };
      const page = index.pageOf.get(id) as number;
      if (!sameStatus(record.statusResult, statusResult)) await commit(await this.pages.writeOps(index, page, index.pageWith(page, { put: updated })), record);
      index.place(updated, page);
      return updated;
    });
  }

  private readonly direct: CommitWrites = (ops) => this.pages.commitDirectly(ops);

  /** Runs one change at a time against the loaded index; a failed change leaves the index as it was. */
  private exclusive<T>(change: (index: CredentialIndex) => Promise<T>): Promise<T> {
    const run = this.turn.then(async () => {
      const index = await this.load();
      try {
        return await change(index);
      } finally {
        this.sorted = null;
      }
    });
    this.turn = run.catch(() => undefined);
    return run;
  }

  private load(): Promise<CredentialIndex> {
    this.index ??= this.pages.load();
    this.index.catch(() => (this.index = null));
    return this.index;
  }
}

/**
 * Unchanged means: the same state, reason and next check, and still checked (or still
 * never checked, which decides whether a check is due). Only `checkedAt` then differs.
 */
function sameStatus(a: CredentialStatus, b: CredentialStatus): boolean {
  return a.state === b.state && a.reason === b.reason && a.nextCheckAt === b.nextCheckAt && (a.checkedAt === null) === (b.checkedAt === null);
}
