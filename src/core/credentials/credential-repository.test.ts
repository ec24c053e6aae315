import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { IndexedDbKeyValueStore } from '../../background/adapters/indexeddb-store.ts';
import { randomBytes, randomId } from '../encoding.ts';
import { EncryptedCollection } from '../storage/encrypted-collection.ts';
import { MemoryKeyValueStore } from '../storage/memory-store.ts';
import type { Collection, KeyValueStore, WriteOp } from '../ports.ts';
import { deriveVaultKeys } from '../vault/vault-keys.ts';
import { PAGE_CAPACITY } from './credential-index.ts';
import { pageId } from './credential-pages.ts';
import { CredentialRepository } from './credential-repository.ts';
import type { CredentialRecord, CredentialStatus } from './types.ts';

/** A store that counts transactions and can be told to fail some of them. */
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

const STATUS_VALID: CredentialStatus = {
  state: 'valid',
  checkedAt: '2026-06-01T00:00:00.000Z',
  reason: null,
  nextCheckAt: '2026-06-02T00:00:00.000Z',
};

function record(i: number, overrides: Partial<CredentialRecord> = {}): CredentialRecord {
  return {
    id: randomId(),
    format: 'jwt_vc_json',
    raw: `eyJ.${i}.sig`,
    issuer: 'did:example:issuer',
    types: ['VerifiableCredential', 'TestCredential'],
    vct: null,
    document: { credentialSubject: { n: i } },
    claims: [{ path: ['credentialSubject', 'n'], value: i, disclosable: false }],
    issuedAt: null,
    validFrom: null,
    validUntil: null,
    status: [],
    holder: { did: 'did:example:holder', kid: 'did:example:holder#0', keyRef: 'ab' },
    receivedAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    receivedFrom: 'import',
    statusResult: STATUS_VALID,
    ...overrides,
  };
}

const adapters: [string, () => KeyValueStore][] = [
  ['memory store', () => new MemoryKeyValueStore()],
  ['IndexedDB adapter (fake-indexeddb)', () => new IndexedDbKeyValueStore(new IDBFactory(), `test-${Math.random()}`)],
];

describe.each(adapters)('CredentialRepository on the %s', (_name, makeStore) => {
  async function setup() {
    const store = new WatchedStore(makeStore());
    const keys = await deriveVaultKeys(randomBytes(32));
    const collection = () => new EncryptedCollection<CredentialRecord>(store, 'credentials', keys);
    return { store, collection, open: () => new CredentialRepository(collection()) };
  }

  async function filled(count: number) {
    const env = await setup();
    const repository = env.open();
    const records = Array.from({ length: count }, (_, i) => record(i));
    for (const r of records) await repository.save(r);
    return { ...env, repository, records };
  }

  it('lists what was saved, newest first, from a fresh session too', async () => {
    const { repository, records, open } = await filled(PAGE_CAPACITY * 2 + 5);
    const newestFirst = [...records].reverse().map((r) => r.id);
    expect((await repository.list()).map((r) => r.id)).toEqual(newestFirst);
    const fresh = open();
    expect((await fresh.list()).map((r) => r.id)).toEqual(newestFirst);
    expect(await fresh.get(records[7]?.id as string)).toEqual(records[7]);
    expect(await fresh.get('missing')).toBeUndefined();
  });

  it('stores credentials in pages (plus their directory), so a first list decrypts a page per PAGE_CAPACITY records', async () => {
    const count = PAGE_CAPACITY * 3 + 1;
    const { store } = await filled(count);
    expect(await store.getAll('credentials')).toHaveLength(Math.ceil(count / PAGE_CAPACITY) + 1);
  });

  it('writes one entry per save and per delete, each in its own transaction', async () => {
    const { store, repository, records, open } = await filled(PAGE_CAPACITY + 3);
    store.writes = [];
    const updated = { ...(records[1] as CredentialRecord), receivedFrom: 'https://issuer.example' };
    await repository.save(updated);
    expect(await repository.delete(records[2]?.id as string)).toBe(true);
    expect(await repository.delete(records[2]?.id as string)).toBe(false);
    expect(store.writes.map((ops) => ops.length)).toEqual([1, 1]);
    const fresh = open();
    expect(await fresh.get(updated.id)).toEqual(updated);
    expect(await fresh.get(records[2]?.id as string)).toBeUndefined();
    expect(await fresh.list()).toHaveLength(PAGE_CAPACITY + 2);
  });

  it('keeps an emptied page and fills it again before opening a new one', async () => {
    const { store, repository, records, open } = await filled(PAGE_CAPACITY + 1);
    await repository.delete(records.at(-1)?.id as string);
    await repository.delete(records[0]?.id as string);
    expect(await store.getAll('credentials')).toHaveLength(3);
    await repository.save(record(998));
    await repository.save(record(999));
    expect(await store.getAll('credentials')).toHaveLength(3);
    expect(await open().list()).toHaveLength(PAGE_CAPACITY + 1);
  });

  it('treats a page the directory counts but the store lacks as empty', async () => {
    const { store, records, collection, open } = await filled(PAGE_CAPACITY + 1);
    await store.write([await collection().deleteOp(pageId(1))]);
    const fresh = open();
    expect((await fresh.list()).map((r) => r.id)).not.toContain(records.at(-1)?.id);
    await fresh.save(record(500));
    expect(await open().list()).toHaveLength(PAGE_CAPACITY + 1);
  });

  it('loses nothing when many changes to one page run at once', async () => {
    const { repository, records, open } = await filled(10);
    const added = Array.from({ length: 40 }, (_, i) => record(100 + i));
    await Promise.all([
      ...added.map((r) => repository.save(r)),
      ...records.slice(0, 5).map((r) => repository.delete(r.id)),
      ...records.slice(5).map((r) => repository.setStatus(r.id, { ...STATUS_VALID, state: 'suspended', reason: 'x' })),
    ]);
    const fresh = await open().list();
    expect(fresh).toHaveLength(45);
    expect(fresh.filter((r) => r.statusResult.state === 'suspended')).toHaveLength(5);
  });

  it('keeps the session as stored when a write fails', async () => {
    const { store, repository, records, open } = await filled(3);
    store.refuse = () => true;
    await expect(repository.save(record(50))).rejects.toThrow('refused');
    await expect(repository.delete(records[0]?.id as string)).rejects.toThrow('refused');
    expect((await repository.list()).map((r) => r.id)).toEqual((await open().list()).map((r) => r.id));
    store.refuse = null;
    await repository.save(record(51));
    expect(await open().list()).toHaveLength(4);
  });

  it('setStatus writes nothing when the status is unchanged, and keeps the new checkedAt in the session', async () => {
    const { store, repository, records, open } = await filled(2);
    const id = records[0]?.id as string;
    store.writes = [];
    const later = { ...STATUS_VALID, checkedAt: '2026-06-01T12:00:00.000Z' };
    expect((await repository.setStatus(id, later))?.statusResult).toEqual(later);
    expect(store.writes).toHaveLength(0);
    expect((await repository.get(id))?.statusResult.checkedAt).toBe(later.checkedAt);
    expect((await open().get(id))?.statusResult.checkedAt).toBe(STATUS_VALID.checkedAt);

    for (const change of [
      { state: 'revoked', reason: 'revoked by the issuer' },
      { reason: 'issuer unreachable' },
      { nextCheckAt: '2026-06-03T00:00:00.000Z' },
    ] as Partial<CredentialStatus>[]) {
      store.writes = [];
      const status = { ...STATUS_VALID, ...change };
      await repository.setStatus(id, status);
      expect(store.writes).toHaveLength(1);
      expect((await open().get(id))?.statusResult).toEqual(status);
      await repository.setStatus(id, STATUS_VALID);
    }
    expect(await repository.setStatus('missing', STATUS_VALID)).toBeUndefined();
  });

  it('setStatus stores the first check of a never-checked credential (it decides whether a check is due)', async () => {
    const { store, open } = await setup();
    const repository = open();
    const unchecked = record(1, { statusResult: { state: 'valid', checkedAt: null, reason: null, nextCheckAt: null } });
    await repository.save(unchecked);
    store.writes = [];
    await repository.setStatus(unchecked.id, { state: 'valid', checkedAt: '2026-06-01T00:00:00.000Z', reason: null, nextCheckAt: null });
    expect(store.writes).toHaveLength(1);
  });

  it('detects a tampered page', async () => {
    const { store, open } = await filled(PAGE_CAPACITY + 1);
    const [sealed] = (await store.getAll('credentials')) as { slot: string; ct: Uint8Array }[];
    if (!sealed) throw new Error('nothing stored');
    const tampered = { ...sealed, ct: Uint8Array.from(sealed.ct, (b, i) => (i === 0 ? b ^ 1 : b)) };
    await store.write([{ type: 'put', collection: 'credentials', key: sealed.slot, value: tampered }]);
    await expect(open().list()).rejects.toThrow(/integrity check/);
  });

  describe('a wallet stored before pages (one entry per credential)', () => {
    async function legacy(count: number) {
      const env = await setup();
      const records = Array.from({ length: count }, (_, i) => record(i));
      const collection = env.collection();
      for (const r of records) await collection.put(r.id, r);
      return { ...env, records };
    }
    const ids = (list: CredentialRecord[]) => list.map((r) => r.id).sort();

    it('moves them into pages, deletes the old entries, and then reads pages only', async () => {
      const { store: kv, records, open } = await legacy(PAGE_CAPACITY + 10);
      expect(ids(await open().list())).toEqual(ids(records));
      expect(await kv.getAll('credentials')).toHaveLength(3);
      kv.writes = [];
      expect(ids(await open().list())).toEqual(ids(records));
      expect(kv.writes).toHaveLength(0);
    });

    it('resumes a migration cut short at any write and holds each record once', async () => {
      const count = PAGE_CAPACITY * 2 + 1;
      for (const allowed of [0, 1, 2, 3, 40, 130]) {
        const { store: kv, records, open } = await legacy(count);
        let left = allowed;
        kv.refuse = () => left-- <= 0;
        await expect(open().list()).rejects.toThrow('refused');
        kv.refuse = null;
        expect(ids(await open().list())).toEqual(ids(records));
        expect(await kv.getAll('credentials')).toHaveLength(4);
      }
    });

    it('starts an empty wallet with a directory and no pages', async () => {
      const { store: kv, open } = await setup();
      expect(await open().list()).toEqual([]);
      expect(await kv.getAll('credentials')).toHaveLength(1);
    });
  });
});
