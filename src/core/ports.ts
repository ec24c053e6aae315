/**
 * Everything core needs from the platform, in one place. The background passes
 * browser adapters (src/background/adapters/); unit tests pass in-memory ones.
 */
import type { ProviderEventName } from '../protocol/rpc.ts';
import type { ApprovalPresenter } from './approvals/ports.ts';
import type { HttpFetcher } from './credentials/types.ts';
import type { KeyValueStore, SessionStore } from './storage/ports.ts';

export type { ApprovalPresenter } from './approvals/ports.ts';
export type { HttpFetcher } from './credentials/types.ts';
export type { Collection, KeyValueStore, SessionStore, WriteOp } from './storage/ports.ts';

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
