import type { FetchLimits, HttpFetcher, HttpRequestOptions } from '../../src/core/ports.ts';
import type { ApprovalPresenter } from '../../src/core/ports.ts';
import { MemoryKeyValueStore, MemorySessionStore } from '../../src/core/storage/memory-store.ts';
import { KDF_MIN_ITERATIONS } from '../../src/core/vault/kdf.ts';
import type { ScheduledJob, Scheduler, WalletEvents, WalletPorts } from '../../src/core/ports.ts';
import type { ProviderEventName } from '../../src/protocol/rpc.ts';

/** A presenter that records what it showed; tests play the user (and close windows). */
export class RecordingPresenter implements ApprovalPresenter {
  readonly opened: string[] = [];
  /** Open windows and the approval each shows. */
  readonly windows = new Map<number, string>();
  private nextWindow = 1;
  private waiters: ((id: string) => void)[] = [];

  async open(approvalId: string): Promise<{ windowId: number }> {
    const windowId = this.nextWindow++;
    this.opened.push(approvalId);
    this.windows.set(windowId, approvalId);
    for (const w of this.waiters.splice(0)) w(approvalId);
    return { windowId };
  }

  async isOpen(windowId: number): Promise<boolean> {
    return this.windows.has(windowId);
  }

  /** The window is gone (the user closed it, or it vanished while the worker was stopped). */
  close(windowId: number): void {
    this.windows.delete(windowId);
  }

  /** Resolves with the next approval shown (or the last one if already shown). */
  nextApproval(): Promise<string> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

export class RecordingEvents implements WalletEvents {
  readonly sent: { origin: string; event: ProviderEventName; data: unknown }[] = [];
  async toOrigin(origin: string, event: ProviderEventName, data: unknown) {
    this.sent.push({ origin, event, data });
  }
}

/** Records what is scheduled; tests fire jobs themselves (Wallet.runJob). */
export class RecordingScheduler implements Scheduler {
  /** One-off jobs and their delay in minutes. */
  readonly timers = new Map<ScheduledJob, number>();
  readonly periodic = new Map<ScheduledJob, number>();
  async once(job: ScheduledJob, delayMinutes: number) {
    this.timers.set(job, delayMinutes);
  }
  async every(job: ScheduledJob, periodMinutes: number) {
    if (!this.periodic.has(job)) this.periodic.set(job, periodMinutes);
  }
  async cancel(job: ScheduledJob) {
    this.timers.delete(job);
  }
}

/** Serves fixed bodies by URL; anything else is unreachable. */
export class MapFetcher implements HttpFetcher {
  readonly bodies = new Map<string, string>();
  readonly requested: string[] = [];
  async get(url: string, _limits?: FetchLimits, options?: HttpRequestOptions) {
    this.requested.push(url);
    const body = this.bodies.get(url);
    if (body === undefined) throw new Error(`unreachable: ${url}`);
    return { status: 200, contentType: null, body: options?.bodyEncoding === 'base64' ? Buffer.from(body).toString('base64') : body };
  }
  async post(url: string): Promise<never> {
    this.requested.push(url);
    throw new Error(`unreachable: POST ${url}`);
  }
}

export interface TestPorts extends WalletPorts {
  fetcher: MapFetcher;
  store: MemoryKeyValueStore;
  session: MemorySessionStore;
  presenter: RecordingPresenter;
  events: RecordingEvents;
  scheduler: RecordingScheduler;
  clock: { now: number };
}

/** In-memory ports for core tests; the KDF runs at its real minimum cost. */
export function makeTestPorts(): TestPorts {
  // Real time, so presentations verify with libraries that read the system clock.
  const clock = { now: Date.now() };
  return {
    store: new MemoryKeyValueStore(),
    session: new MemorySessionStore(),
    presenter: new RecordingPresenter(),
    events: new RecordingEvents(),
    scheduler: new RecordingScheduler(),
    fetcher: new MapFetcher(),
    clock,
    now: () => clock.now,
    kdfIterations: KDF_MIN_ITERATIONS,
  };
}
