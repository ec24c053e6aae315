import { COLLECTIONS } from './collections.ts';
import { type Collection, type KeyValueStore, type SessionStore, type StoreSnapshot, type WriteOp } from '../ports.ts';

/** In-memory KeyValueStore for unit tests; clones values as IndexedDB would. */
export class MemoryKeyValueStore implements KeyValueStore {
  private readonly data = new Map<Collection, Map<string, unknown>>(
    COLLECTIONS.map((name) => [name, new Map()]),
  );

  async get(collection: Collection, key: string): Promise<unknown> {
    const value = this.table(collection).get(key);
    return value === undefined ? undefined : structuredClone(value);
  }

  async getAll(collection: Collection): Promise<unknown[]> {
    return [...this.table(collection).values()].map((v) => structuredClone(v));
  }

  async write(ops: readonly WriteOp[]): Promise<void> {
    // Validate and clone everything first so a bad op leaves nothing half-applied.
    const prepared = ops.map((op) => ({
      op,
      table: this.table(op.collection),
      value: op.type === 'put' ? structuredClone(op.value) : undefined,
    }));
    for (const { op, table, value } of prepared) {
      if (op.type === 'put') table.set(op.key, value);
      else table.delete(op.key);
    }
  }

  async snapshot(): Promise<StoreSnapshot> {
    const entries = COLLECTIONS.map((name) => [name, [...this.table(name)].map(([key, value]) => [key, structuredClone(value)])]);
    return Object.fromEntries(entries) as StoreSnapshot;
  }

  /** Every stored value, for tests that look for plaintext leaks. */
  dump(): Record<string, unknown[]> {
    return Object.fromEntries([...this.data].map(([name, table]) => [name, [...table.entries()]]));
  }

  private table(collection: Collection): Map<string, unknown> {
    const table = this.data.get(collection);
    if (!table) throw new Error(`Unknown collection: ${collection}`);
    return table;
  }
}

export class MemorySessionStore implements SessionStore {
  private readonly data = new Map<string, unknown>();

  async get<T>(key: string): Promise<T | undefined> {
    const value = this.data.get(key);
    return value === undefined ? undefined : (structuredClone(value) as T);
  }

  async set(entries: Record<string, unknown>): Promise<void> {
    for (const [key, value] of Object.entries(entries)) this.data.set(key, structuredClone(value));
  }

  async remove(keys: string | string[]): Promise<void> {
    for (const key of Array.isArray(keys) ? keys : [keys]) this.data.delete(key);
  }

  /** Everything stored (for tests). */
  dump(): Record<string, unknown> {
    return Object.fromEntries([...this.data].map(([key, value]) => [key, structuredClone(value)]));
  }
}
