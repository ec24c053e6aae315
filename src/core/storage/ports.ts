/**
 * The persistence port core writes through. The browser adapter is IndexedDB
 * (background/adapters/indexeddb-store.ts); the in-memory one serves unit tests.
 * Values are structured-cloneable; `write` applies all operations atomically or none.
 */
export const COLLECTIONS = [
  'meta',
  'keys',
  'privateKeys',
  'dids',
  'pairwise',
  'grants',
  'credentials',
  'trust',
  // The activity ledger (core/ledger): entries, their payloads and salts (deletable
  // alone), and the head, ledger key and latest checkpoint.
  'ledger',
  'ledgerPayloads',
  'ledgerMeta',
] as const;
export type Collection = (typeof COLLECTIONS)[number];

export type WriteOp =
  | { type: 'put'; collection: Collection; key: string; value: unknown }
  | { type: 'delete'; collection: Collection; key: string };

export interface KeyValueStore {
  get(collection: Collection, key: string): Promise<unknown>;
  getAll(collection: Collection): Promise<unknown[]>;
  write(ops: readonly WriteOp[]): Promise<void>;
}

/**
 * Short-lived state that must survive a service-worker restart but not a browser
 * restart (pending approvals, the unlocked vault key): `storage.session` in the browser.
 */
export interface SessionStore {
  get<T>(key: string): Promise<T | undefined>;
  set(entries: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}
