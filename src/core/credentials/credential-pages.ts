import type { EncryptedCollection } from '../storage/encrypted-collection.ts';
import { type CredentialPage, decodePage, encodePage, isCredentialPage } from './credential-page-codec.ts';
import type { CredentialRecord } from './types.ts';

/**
 * How held credentials rest in the 'credentials' collection: in pages of up to
 * PAGE_CAPACITY records, each page one EncryptedCollection entry (AES-256-GCM under the
 * record key, its opaque slot HMAC(index key, "credentials" ‖ page id) bound as
 * associated data; the plaintext form is credential-page-codec.ts). Loading 10,000 credentials is then ~160 decryptions instead of
 * 10,000, while a save re-seals only the one page its record lives in — a single put,
 * so every change is atomic and a killed worker leaves the page as it was before.
 *
 * Records never move between pages, so an id is in exactly one page. Wallets written
 * before pages hold one entry per record (keyed by the record id); `load` moves them
 * into pages and then deletes them (see `load` for why that order is crash-safe).
 */
export const PAGE_CAPACITY = 64;

/** One decrypted entry of the collection: a page, or a record stored before pages. */
export type CredentialEntry = CredentialPage | CredentialRecord;

/** Page ids cannot collide with record ids (base64url): NUL never occurs in those. */
export const pageId = (page: number): string => `\u0000page:${page}`;

/** The decrypted holdings of an unlocked session, with where each record is stored. */
export class CredentialIndex {
  readonly records = new Map<string, CredentialRecord>();
  readonly pageOf = new Map<string, number>();
  readonly members = new Map<number, Set<string>>();

  place(record: CredentialRecord, page: number): void {
    const previous = this.pageOf.get(record.id);
    if (previous !== undefined && previous !== page) this.members.get(previous)?.delete(record.id);
    this.records.set(record.id, record);
    this.pageOf.set(record.id, page);
    let members = this.members.get(page);
    if (!members) this.members.set(page, (members = new Set()));
    members.add(record.id);
  }

  remove(id: string): void {
    const page = this.pageOf.get(id);
    this.records.delete(id);
    this.pageOf.delete(id);
    if (page === undefined) return;
    const members = this.members.get(page);
    members?.delete(id);
    if (members?.size === 0) this.members.delete(page);
  }

  /** The page a new record goes to: the lowest one with room, else a new one. */
  pageWithRoom(): number {
    let highest = -1;
    for (const [page, members] of [...this.members].sort(([a], [b]) => a - b)) {
      if (members.size < PAGE_CAPACITY) return page;
      highest = page;
    }
    return highest + 1;
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

export class CredentialPages {
  /** Record ids whose pre-page entry still exists (deleted in the background after migration). */
  private readonly legacy = new Set<string>();
  private legacyCleanup: Promise<void> = Promise.resolve();

  constructor(private readonly entries: EncryptedCollection<CredentialEntry>) {}

  /**
   * Reads every page (and any pre-page entries) into an index. Pre-page records not yet
   * in a page are written into pages first; only then are the old entries deleted, and
   * a record found both in a page and as an old entry is taken from the page. So a
   * worker killed at any point leaves each record readable exactly once, and an
   * interrupted migration simply resumes on the next load.
   */
  async load(): Promise<CredentialIndex> {
    const index = new CredentialIndex();
    const old: CredentialRecord[] = [];
    for (const entry of await this.entries.list()) {
      if (!isCredentialPage(entry)) old.push(entry);
      else for (const record of decodePage(entry)) index.place(record, entry.page);
    }
    if (old.length === 0) return index;
    const touched = new Set<number>();
    for (const record of old) {
      if (index.pageOf.has(record.id)) continue;
      const page = index.pageWithRoom();
      index.place(record, page);
      touched.add(page);
    }
    for (const page of touched) await this.write(page, index.pageWith(page));
    for (const record of old) this.legacy.add(record.id);
    this.legacyCleanup = this.deleteLegacy([...this.legacy]);
    return index;
  }

  /** Stores `records` as the whole content of `page` (an empty page is deleted). */
  async write(page: number, records: CredentialRecord[]): Promise<void> {
    if (records.length === 0) await this.entries.delete(pageId(page));
    else await this.entries.put(pageId(page), encodePage(page, records));
  }

  /**
   * Before a record leaves its page, its pre-page entry must be gone, or a reload
   * would migrate it back.
   */
  async forgetLegacy(id: string): Promise<void> {
    if (!this.legacy.has(id)) return;
    await this.entries.delete(id);
    this.legacy.delete(id);
  }

  /** Resolves once the background deletion of pre-page entries has finished (for tests). */
  settled(): Promise<void> {
    return this.legacyCleanup;
  }

  private async deleteLegacy(ids: string[]): Promise<void> {
    for (const id of ids) {
      try {
        await this.forgetLegacy(id);
      } catch {
        return; // Left for the next load, which finds the record in its page and retries.
      }
    }
  }
}
