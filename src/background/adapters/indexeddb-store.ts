import { COLLECTIONS } from '../../core/storage/collections.ts';
import { type Collection, type KeyValueStore, type StoreSnapshot, type WriteOp } from '../../core/ports.ts';

export const DATABASE_NAME = 'tessera';
/**
 * Bumped whenever COLLECTIONS grows: the upgrade creates the missing stores and
 * keeps the existing ones with their data (3: the activity ledger's three stores; 4: chain anchoring's three).
 */
const DATABASE_VERSION = 5;

/**
 * IndexedDB adapter of core's KeyValueStore: one object store per collection,
 * out-of-line keys. `write` runs in one readwrite transaction, so a worker killed
 * mid-write leaves the previous state (IndexedDB aborts unfinished transactions).
 * A committed transaction belongs to the browser's storage process, so stopping the
 * worker right after a write loses nothing.
 */
export class IndexedDbKeyValueStore implements KeyValueStore {
  private connection: Promise<IDBDatabase> | null = null;

  constructor(
    private readonly factory: IDBFactory = indexedDB,
    private readonly name = DATABASE_NAME,
  ) {}

  async get(collection: Collection, key: string): Promise<unknown> {
    const db = await this.db();
    return request(db.transaction(collection, 'readonly').objectStore(collection).get(key));
  }

  async getAll(collection: Collection): Promise<unknown[]> {
    const db = await this.db();
    return request(db.transaction(collection, 'readonly').objectStore(collection).getAll());
  }

  async write(ops: readonly WriteOp[]): Promise<void> {
    if (ops.length === 0) return;
    const db = await this.db();
    const names = [...new Set(ops.map((op) => op.collection))];
    // Default durability: atomic either way; 'strict' would add a disk flush to every login.
    const tx = db.transaction(names, 'readwrite');
    const done = transactionDone(tx);
    try {
      for (const op of ops) {
        const store = tx.objectStore(op.collection);
        if (op.type === 'put') store.put(op.value, op.key);
        else store.delete(op.key);
      }
    } catch (error) {
      tx.abort();
      await done.catch(() => undefined);
      throw error;
    }
    await done;
  }

  async snapshot(): Promise<StoreSnapshot> {
    const db = await this.db();
    // One readonly transaction over every store: a write cannot land between two reads.
    const tx = db.transaction([...COLLECTIONS], 'readonly');
    const read = COLLECTIONS.map(async (name) => {
      const store = tx.objectStore(name);
      const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
      return [name, keys.map((key, i) => [String(key), values[i]])] as const;
    });
    return Object.fromEntries(await Promise.all(read)) as StoreSnapshot;
  }

  close(): void {
    void this.connection?.then((db) => db.close());
    this.connection = null;
  }

  private db(): Promise<IDBDatabase> {
    this.connection ??= new Promise((resolve, reject) => {
      const open = this.factory.open(this.name, DATABASE_VERSION);
      open.onupgradeneeded = () => {
        for (const name of COLLECTIONS) {
          if (!open.result.objectStoreNames.contains(name)) open.result.createObjectStore(name);
        }
      };
      open.onsuccess = () => {
        // Another context upgrading the schema: let it, and reopen on next use.
        open.result.onversionchange = () => this.close();
        resolve(open.result);
      };
      open.onerror = () => reject(open.error ?? new Error('IndexedDB open failed'));
      open.onblocked = () => reject(new Error('IndexedDB open blocked by another connection'));
    });
    this.connection.catch(() => (this.connection = null));
    return this.connection;
  }
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function transactionDone(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}
