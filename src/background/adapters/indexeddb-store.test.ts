import { IDBFactory } from 'fake-indexeddb';
import { describeKeyValueStoreContract } from '../../core/storage/store-contract.ts';
import { IndexedDbKeyValueStore } from './indexeddb-store.ts';

// The same adapter runs on Chromium's IndexedDB in the end-to-end tests.
describeKeyValueStoreContract('IndexedDB', () => new IndexedDbKeyValueStore(new IDBFactory(), `test-${Math.random()}`));
