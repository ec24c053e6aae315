import type { CredentialRecord } from './types.ts';

/** Records per page: a save re-seals at most this many, a first list decrypts one page per this many. */
export const PAGE_CAPACITY = 64;

/**
 * The decrypted holdings of an unlocked session, with the page each record is stored
 * in. Pages are numbered densely from 0 (an emptied page stays, to be filled again).
 */
export class CredentialIndex {
  readonly records = new Map<string, CredentialRecord>();
  readonly pageOf = new Map<string, number>();
  readonly members = new Map<number, Set<string>>();
  pageCount = 0;

  place(record: CredentialRecord, page: number): void {
    this.placePage(page, [record]);
  }

  /**
   * The records of a page as read from the store. A record already placed in another
   * page (a page that wins over a per-record entry, see CredentialPages.migrate) moves.
   */
  placePage(page: number, records: readonly CredentialRecord[]): void {
    let members = this.members.get(page);
    if (!members) this.members.set(page, (members = new Set()));
    for (const record of records) {
      const previous = this.pageOf.get(record.id);
      if (previous !== undefined && previous !== page) this.members.get(previous)?.delete(record.id);
      this.records.set(record.id, record);
      this.pageOf.set(record.id, page);
      members.add(record.id);
    }
    this.pageCount = Math.max(this.pageCount, page + 1);
  }

  remove(id: string): void {
    const page = this.pageOf.get(id);
    this.records.delete(id);
    this.pageOf.delete(id);
    if (page !== undefined) this.members.get(page)?.delete(id);
  }

  /** The page a new record goes to: the lowest one with room, else the next new one. */
  pageWithRoom(): number {
    for (let page = 0; page < this.pageCount; page++) {
      if ((this.members.get(page)?.size ?? 0) < PAGE_CAPACITY) return page;
    }
    return this.pageCount;
  }

  /** The records of `page` as they would be stored, with one record put or dropped. */
  pageWith(page: number, change: { put: CredentialRecord } | { drop: string } | null = null): CredentialRecord[] {
    const ids = new Set(this.members.get(page));
    if (change && 'put' in change) ids.add(change.put.id);
    if (change && 'drop' in change) ids.delete(change.drop);
    const put = change && 'put' in change ? change.put : null;
    return [...ids].map((id) => (id === put?.id ? put : (this.records.get(id) as CredentialRecord)));
  }
}
