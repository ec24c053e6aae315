import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { randomBytes } from '../../core/encoding.ts';
import { Ledger } from '../../core/ledger/ledger.ts';
import { describeKeyValueStoreContract } from '../../../test/support/store-contract.ts';
import { deriveVaultKeys } from '../../core/vault/vault-keys.ts';
import { IndexedDbKeyValueStore } from './indexeddb-store.ts';

// The same adapter runs on Chromium's IndexedDB in the end-to-end tests.
describeKeyValueStoreContract('IndexedDB', () => new IndexedDbKeyValueStore(new IDBFactory(), `test-${Math.random()}`));

/** A database as version 2 of the schema left it, with one record. */
function openVersion2(factory: IDBFactory, name: string): Promise<void> {
  const v2 = ['meta', 'keys', 'privateKeys', 'dids', 'pairwise', 'grants', 'credentials', 'trust'];
  return new Promise((resolve, reject) => {
    const open = factory.open(name, 2);
    open.onupgradeneeded = () => {
      for (const store of v2) open.result.createObjectStore(store);
      open.transaction!.objectStore('grants').put({ kept: true }, 'g1');
    };
    open.onsuccess = () => {
      open.result.close();
      resolve();
    };
    open.onerror = () => reject(open.error);
  });
}

describe('IndexedDB schema upgrade to the ledger stores', () => {
  it('adds the ledger stores to a version-2 database and keeps its data', async () => {
    const factory = new IDBFactory();
    await openVersion2(factory, 'upgrade');
    const store = new IndexedDbKeyValueStore(factory, 'upgrade');
    expect(await store.get('grants', 'g1')).toEqual({ kept: true });
    for (const collection of ['ledger', 'ledgerPayloads', 'ledgerMeta'] as const) {
      expect(await store.getAll(collection)).toEqual([]);
    }
    store.close();
  });

  it('runs the ledger: appends, reopens and verifies', async () => {
    const factory = new IDBFactory();
    const keys = await deriveVaultKeys(randomBytes(32));
    const store = new IndexedDbKeyValueStore(factory, 'ledger');
    const ledger = new Ledger(store, keys);
    for (let i = 0; i < 3; i++) {
      const { ops, entries } = await ledger.appendOps([{ kind: 'grant.accessed', subject: `g${i}`, payload: `access ${i}` }]);
      await store.write(ops);
      ledger.committed(entries);
    }
    await store.write(await ledger.deletePayloadOps(1));
    const root = await ledger.root();
    store.close();
    const reopened = new Ledger(new IndexedDbKeyValueStore(factory, 'ledger'), keys);
    expect(await reopened.verify()).toEqual({ ok: true, size: 3, root });
    expect((await reopened.page(0, 3)).map((p) => p.payload)).toEqual(['access 0', null, 'access 2']);
  });
});
