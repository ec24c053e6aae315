/**
 * Everything core needs from the platform, in one place. The background passes
 * browser adapters (src/background/adapters/); unit tests pass in-memory ones.
 */
import type { ProviderEventName } from '../protocol/rpc.ts';
import type { Collection } from './storage/collections.ts';

export type { Collection } from './storage/collections.ts';

/**
 * The persistence port core writes through. The browser adapter is IndexedDB
 * (background/adapters/indexeddb-store.ts); the in-memory one serves unit tests.
 * Values are structured-cloneable; `write` applies all operations atomically or none.
 */
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

/**
 * Shows an approval to the user; the browser adapter opens a popup window. The window
 * closes itself once decided; a window the user closes settles the approval as rejected.
 */
export interface ApprovalPresenter {
  open(approvalId: string): Promise<{ windowId: number | null }>;
  /** Whether a window `open` returned still exists (asked on worker start, to settle approvals whose window went away unseen). */
  isOpen(windowId: number): Promise<boolean>;
}

/** What a fetch may cost: the body cap in bytes and the deadline, body included. */
export interface FetchLimits {
  maxBytes: number;
  timeoutMs: number;
}

export interface HttpResponse {
  status: number;
  contentType: string | null;
  body: string;
}

/**
 * Fetches a status list (or any small public resource) over HTTP(S). Core calls it
 * only through `fetchPublic` (src/core/net/), which applies the URL policy first. An
 * implementation must not follow redirects (the policy checked only the first URL)
 * and must stop reading a body at `limits.maxBytes`.
 */
export interface HttpFetcher {
  get(url: string, limits?: FetchLimits): Promise<HttpResponse>;
}


/** Provider events to the open pages of one origin (through the content scripts). */
export interface WalletEvents {
  toOrigin(origin: string, event: ProviderEventName, data: unknown): Promise<void>;
}

/** The wallet's timed jobs; the browser adapter runs them on `alarms`, which survive worker restarts. */
export type ScheduledJob = 'auto-lock' | 'status-check' | 'grant-expiry';

export interface Scheduler {
  /** Runs `job` once, `delayMinutes` from now, replacing an earlier timing of it. */
  once(job: ScheduledJob, delayMinutes: number): Promise<void>;
  /** Runs `job` every `periodMinutes` (idempotent: an existing period is kept). */
  every(job: ScheduledJob, periodMinutes: number): Promise<void>;
  cancel(job: ScheduledJob): Promise<void>;
}

export interface WalletPorts {
  store: KeyValueStore;
  session: SessionStore;
  presenter: ApprovalPresenter;
  events: WalletEvents;
  scheduler: Scheduler;
  /** Status lists and other public resources over HTTP(S). */
  fetcher: HttpFetcher;
  now: () => number;
  /** PBKDF2 iterations for new vaults; only tests lower it (never below the unlock minimum). */
  kdfIterations?: number;
}
