import type { ApprovalPresenter } from '../approvals/ports.ts';
import type { HttpFetcher } from '../credentials/types.ts';
import type { KeyValueStore, SessionStore } from '../storage/ports.ts';

/** Events the wallet sends to open pages (through the content scripts). */
export interface WalletEvents {
  /** To every frame of this origin. */
  toOrigin(origin: string, event: string, data: unknown): Promise<void>;
  /** To every page that has talked to the wallet. */
  toAll(event: string, data: unknown): Promise<void>;
}

export interface AutoLockTimer {
  /** (Re)starts the countdown: the wallet locks after `minutes` without activity. */
  restart(minutes: number): Promise<void>;
  cancel(): Promise<void>;
}

/** Everything core needs from the platform. The background passes browser adapters. */
export interface WalletPorts {
  store: KeyValueStore;
  session: SessionStore;
  presenter: ApprovalPresenter;
  events: WalletEvents;
  autoLock: AutoLockTimer;
  /** Status lists and other public resources over HTTP(S). */
  fetcher: HttpFetcher;
  now: () => number;
  /** PBKDF2 iterations for new vaults; only tests lower it (never below the unlock minimum). */
  kdfIterations?: number;
}
