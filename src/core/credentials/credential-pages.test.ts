import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { IndexedDbKeyValueStore } from '../../background/adapters/indexeddb-store.ts';
import { randomBytes, randomId } from '../encoding.ts';
import { EncryptedCollection } from '../storage/encrypted-collection.ts';
import { MemoryKeyValueStore } from '../storage/memory-store.ts';
import type { Collection, KeyValueStore, WriteOp } from '../ports.ts';
import { deriveVaultKeys } from '../vault/vault-keys.ts';
import { PAGE_CAPACITY } from './credential-index.ts';
import { encodePageV1 } from './credential-page-codec-v1.ts';
import { type CredentialEntry, DIRECTORY_ID, pageId } from './credential-pages.ts';
import { CredentialRepository } from './credential-repository.ts';
import type { CredentialRecord } from './types.ts';

/** A store that records its transactions and can be told to refuse some. */
class WatchedStore implements KeyValueStore {
  writes: WriteOp[][] = [];
  refuse: ((ops: readonly WriteOp[]) => boolean) | null = null;
  constructor(private readonly inner: KeyValueStore) {}
  get(collection: Collection, key: string) {
    return this.inner.get(collection, key);
  }
  getAll(collection: Collection) {
    return this.inner.getAll(collection);
  }
  snapshot() {
    return this.inner.snapshot();
  }
  async write(ops: readonly WriteOp[]) {
    if (this.refuse?.(ops)) throw new Error('store refused the write');
    this.writes.push([...ops]);
    await this.inner.write(ops);
  }
}

function record(i: number): CredentialRecord {
  return {
    id: randomId(),
    format: i % 2 === 0 ? 'jwt_vc_json' : 'dc+sd-jwt',
    raw: `eyJ.${'x'.repeat(i % 7)}${i}.sig${i % 2 === 0 ? '' : '~d~'}`,
    issuer: `did:example:issuer${i % 3}`,
    types: ['VerifiableCredential', 'TestCredential'],
    vct: null,
    document: { credentialSubject: { n: i, name: `Ada ${i}` } },
    claims: [
      { path: ['credentialSubject', 'n'], value: i, disclosable: false },
      { path: ['credentialSubject', 'name'], value: `Ada ${i}`, disclosable: i % 2 === 1 },
    ],
    issuedAt: null,
    validFrom: null,
    validUntil: null,
    status: [],
    holder: { did: 'did:example:holder', kid: 'did:example:holder#0', keyRef: 'ab' },
    receivedAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    receivedFrom: 'import',
    statusResult: { state: 'valid', checkedAt: null, reason: null, nextCheckAt: null },
  };
}

const adapters: [string, () => KeyValueStore][] = [
  ['memory store', () => new MemoryKeyValueStore()],
  ['IndexedDB adapter (fake-indexeddb)', () => new IndexedDbKeyValueStore(new IDBFactory(), `pages-${Math.random()}`)],
];

const ids = (list: CredentialRecord[]) => list.map((r) => r.id).sort();
const byId = (list: CredentialRecord[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));

describe.each(adapters)('credential pages on the %s', (_name, makeStore) => {
  /** A wallet as the format-1 code left it: a directory and full pages of format 1. */
  async function format1Wallet(count: number) {
    const store = new WatchedStore(makeStore());
    const keys = await deriveVaultKeys(randomBytes(32));
    const entries = new EncryptedCollection<CredentialEntry>(store, 'credentials', keys);
    const records = Array.from({ length: count }, (_, i) => record(i));
    const pageCount = Math.ceil(count / PAGE_CAPACITY);
    const ops = [await entries.putOp(DIRECTORY_ID, { pageCount })];
    for (let page = 0; page < pageCount; page++) {
      ops.push(await entries.putOp(pageId(page), encodePageV1(page, records.slice(page * PAGE_CAPACITY, (page + 1) * PAGE_CAPACITY))));
    }
    await store.write(ops);
    store.writes = [];
    const open = () => new CredentialRepository(new EncryptedCollection<CredentialRecord>(store, 'credentials', keys));
    /** Whether each page is in format 1 (a JSON value) rather than the current one (bytes). */
    const pages = async () => Promise.all(Array.from({ length: pageCount }, async (_, page) => (await entries.read(pageId(page)))?.bytes === undefined));
    return { store, keys, records, pageCount, open, pages };
  }
  const sealed = (store: KeyValueStore) => store.getAll('credentials');

  it('reads format-1 pages, then writes them all in format 2 in one transaction', async () => {
    const { store, records, pageCount, open, pages } = await format1Wallet(PAGE_CAPACITY * 2 + 3);
    expect(byId(await open().list())).toEqual(byId(records));
    expect(store.writes).toHaveLength(1);
    expect(store.writes[0]).toHaveLength(pageCount);
    expect(await pages()).toEqual(Array(pageCount).fill(false));
    store.writes = [];
    const fresh = open();
    expect(byId(await fresh.list())).toEqual(byId(records));
    expect(await fresh.get(records[5]?.id as string)).toEqual(records[5]);
    expect(store.writes).toHaveLength(0);
  });

  it('leaves every format-1 page as it was when that write fails, still lists everything, and upgrades at the next load', async () => {
    const { store, records, open, pages } = await format1Wallet(PAGE_CAPACITY + 9);
    const before = await sealed(store);
    store.refuse = () => true;
    expect(byId(await open().list())).toEqual(byId(records));
    expect(await sealed(store)).toEqual(before);
    store.refuse = null;
    expect(ids(await open().list())).toEqual(ids(records));
    expect((await pages()).some(Boolean)).toBe(false);
  });

  it('a change to a wallet whose upgrade failed writes its page in format 2; the others follow at the next load', async () => {
    const { store, records, open, pages } = await format1Wallet(PAGE_CAPACITY + 9);
    store.refuse = (ops) => ops.length > 1;
    const repository = open();
    const added = record(1000);
    await repository.save(added); // into page 1, the one with room
    expect(await pages()).toEqual([true, false]);
    store.refuse = null;
    const expected = [...records, added];
    expect(byId(await open().list())).toEqual(byId(expected));
    expect(await pages()).toEqual([false, false]);
  });

  it('a wallet stored before pages with a format-1 page left by a cut-short migration ends with format-2 pages, each record once', async () => {
    const { store, keys, records, open, pages } = await format1Wallet(PAGE_CAPACITY);
    // The directory is written last by a migration: without it, the load migrates again.
    const entries = new EncryptedCollection<CredentialRecord>(store, 'credentials', keys);
    await store.write([await entries.deleteOp(DIRECTORY_ID)]);
    const loose = [record(2000), record(2001)];
    for (const r of [...loose, records[0] as CredentialRecord]) await entries.put(r.id, r);
    expect(byId(await open().list())).toEqual(byId([...records, ...loose]));
    expect(await pages()).toEqual([false]);
    expect(await sealed(store)).toHaveLength(3);
  });

  it('a failing save leaves the stored page (raw bodies and the rest) and the session as before', async () => {
    const { store, records, open } = await format1Wallet(PAGE_CAPACITY - 4);
    const repository = open();
    await repository.list();
    const before = await sealed(store);
    store.refuse = () => true;
    const changed = { ...(records[3] as CredentialRecord), raw: 'eyJ.changed.sig' };
    await expect(repository.save(changed)).rejects.toThrow('refused');
    await expect(repository.delete(records[4]?.id as string)).rejects.toThrow('refused');
    await expect(repository.setStatus(records[5]?.id as string, { state: 'revoked', checkedAt: null, reason: 'x', nextCheckAt: null })).rejects.toThrow('refused');
    expect(await sealed(store)).toEqual(before);
    expect(await repository.get(changed.id)).toEqual(records[3]);
    expect(byId(await repository.list())).toEqual(byId(records));
    store.refuse = null;
    expect(byId(await open().list())).toEqual(byId(records));
  });
});
