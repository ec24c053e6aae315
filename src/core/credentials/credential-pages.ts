import { CoreError } from '../errors.ts';
import type { WriteOp } from '../ports.ts';
import type { EncryptedCollection, EntryContent } from '../storage/encrypted-collection.ts';
import { CredentialIndex } from './credential-index.ts';
import { type CredentialPageV1, decodePageV1, isCredentialPageV1 } from './credential-page-codec-v1.ts';
import { decodePage, encodePage } from './credential-page-codec.ts';
import type { CredentialRecord } from './types.ts';

/**
 * How held credentials rest in the 'credentials' collection: in pages of up to
 * PAGE_CAPACITY records (credential-index.ts), each page one EncryptedCollection entry
 * (AES-256-GCM under the record key, its opaque slot HMAC(index key, "credentials" ‖
 * page id) bound as associated data; the plaintext is credential-page-codec.ts's bytes),
 * plus one directory entry that holds the number of pages. Loading 10,000 credentials
 * is ~160 decryptions instead of 10,000, a few in flight at a time (decrypting every
 * page at once holds all their buffers alive together and costs more in garbage
 * collection than the decryption); a save re-seals only its record's page, raw bodies
 * and all: a single put, so every change is atomic and a killed worker leaves the page
 * as it was before.
 *
 * Records never move between pages and pages are never deleted, so page numbers stay
 * dense. Wallets written before pages hold one entry per record (keyed by the record
 * id) and no directory; see `migrate`. Pages in format 1 (JSON values, before the
 * raw bodies had their own part of a page) are read as they are and then written again,
 * all in one transaction; see `upgrade`.
 */
interface PageDirectory {
  pageCount: number;
}

/** A value entry of the collection: the directory, a format-1 page, or a record stored before pages (pages are bytes). */
export type CredentialEntry = PageDirectory | CredentialPageV1 | CredentialRecord;

/** Entry ids cannot collide with record ids (base64url): NUL never occurs in those. */
export const pageId = (page: number): string => `\u0000page:${page}`;
export const DIRECTORY_ID = '\u0000pages';

/** Pages in flight at once while loading (and old entries deleted at once while migrating). */
const LOAD_BATCH = 8;

const isDirectory = (entry: unknown): entry is PageDirectory =>
  typeof (entry as Partial<PageDirectory> | null)?.pageCount === 'number';

export class CredentialPages {
  constructor(private readonly entries: EncryptedCollection<CredentialEntry>) {}

  async load(): Promise<CredentialIndex> {
    const directory = await this.entries.get(DIRECTORY_ID);
    if (!isDirectory(directory)) return this.migrate();
    const index = new CredentialIndex();
    index.pageCount = directory.pageCount;
    const outdated = new Set<number>();
    // LOAD_BATCH readers take the next page as soon as they are done with one, so pages
    // are being decrypted while another is parsed, without holding all of them at once.
    let next = 0;
    const reader = async () => {
      while (next < directory.pageCount) {
        const page = next++;
        const content = await this.entries.read(pageId(page));
        // A page the directory counts but the store lacks is one whose first write did not land: empty.
        if (content && this.placePage(index, page, content)) outdated.add(page);
      }
    };
    await Promise.all(Array.from({ length: LOAD_BATCH }, reader));
    await this.upgrade(index, outdated);
    return index;
  }

  /**
   * The writes that store `records` as the whole content of `page` (a new page is
   * counted in the directory in the same transaction). The caller commits them, with
   * its ledger entries.
   */
  async writeOps(index: CredentialIndex, page: number, records: CredentialRecord[]): Promise<WriteOp[]> {
    const ops: WriteOp[] = [];
    if (page >= index.pageCount) ops.push(await this.entries.putOp(DIRECTORY_ID, { pageCount: page + 1 }));
    ops.push(await this.pageOp(page, records));
    return ops;
  }

  /** Stores writes directly (for callers outside the commit point, e.g. Veramo's data store). */
  commitDirectly(ops: readonly WriteOp[]): Promise<void> {
    return this.entries.write(ops);
  }

  /**
   * Places the records of a stored page in the index; says whether the page is in
   * format 1. Anything else under a page's id is an entry this wallet cannot read.
   */
  private placePage(index: CredentialIndex, page: number, content: EntryContent<CredentialEntry>): boolean {
    if (content.bytes) {
      index.placePage(page, decodePage(content.bytes).records);
      return false;
    }
    if (!isCredentialPageV1(content.value)) throw new CoreError('internal', `Credential page ${page} is not a page.`);
    index.placePage(page, decodePageV1(content.value));
    return true;
  }

  private pageOp(page: number, records: readonly CredentialRecord[]): Promise<WriteOp> {
    return this.entries.putBytesOp(pageId(page), encodePage(page, records));
  }

  /**
   * Writes `pages` (read in format 1) again in the current format, in one transaction:
   * a worker killed meanwhile leaves them all as they were, still readable, and the
   * next load tries again. A failed write is not the load's failure for the same
   * reason: the records are all there, in pages that stay readable.
   */
  private async upgrade(index: CredentialIndex, pages: ReadonlySet<number>): Promise<void> {
    if (pages.size === 0) return;
    const ops = await Promise.all([...pages].map((page) => this.pageOp(page, index.pageWith(page))));
    await this.entries.write(ops).catch(() => undefined);
  }

  /**
   * No directory: an empty wallet, one stored before pages, or a migration that was
   * cut short. Reads every entry; records not yet in a page are written into pages,
   * then every per-record entry is deleted, and only then is the directory written. A
   * worker killed at any point leaves each record readable exactly once (a page wins
   * over a per-record entry of the same id) and the next load resumes here. Pages
   * found in format 1 are written again with the pages it fills.
   */
  private async migrate(): Promise<CredentialIndex> {
    const index = new CredentialIndex();
    const old: CredentialRecord[] = [];
    const touched = new Set<number>();
    for (const content of await this.entries.readAll()) {
      const { value } = content;
      if (content.bytes) {
        const { page, records } = decodePage(content.bytes);
        index.placePage(page, records);
      } else if (isCredentialPageV1(value)) {
        index.placePage(value.page, decodePageV1(value));
        touched.add(value.page);
      } else if (!isDirectory(value)) old.push(value as CredentialRecord);
    }
    for (const record of old) {
      if (index.pageOf.has(record.id)) continue;
      const page = index.pageWithRoom();
      index.place(record, page);
      touched.add(page);
    }
    for (const page of touched) await this.entries.write([await this.pageOp(page, index.pageWith(page))]);
    for (let i = 0; i < old.length; i += LOAD_BATCH) {
      await Promise.all(old.slice(i, i + LOAD_BATCH).map((record) => this.entries.delete(record.id)));
    }
    await this.entries.put(DIRECTORY_ID, { pageCount: index.pageCount });
    return index;
  }
}
