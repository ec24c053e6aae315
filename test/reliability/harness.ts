/**
 * The reliability fuzzers' one link to the wallet: builds a wallet on the in-memory
 * adapters, clones it per run (so every generated message meets the same state and a
 * failing run replays exactly), sends page and UI messages through the real routers,
 * and snapshots everything a message could change. When the wallet API moves, adapt
 * this file only.
 */
import type { ApprovalPresenter, WriteOp } from '../../src/core/ports.ts';
import { COLLECTIONS } from '../../src/core/storage/collections.ts';
import fc from 'fast-check';
import { routePageMessage } from '../../src/background/routers/page-router.ts';
import { routeUiMessage } from '../../src/background/routers/ui-router.ts';
import type { BackgroundReply } from '../../src/protocol/envelope.ts';
import type { UiReply } from '../../src/protocol/internal.ts';
import { makeTestPorts, type TestPorts } from '../support/test-ports.ts';
import { MemoryKeyValueStore, MemorySessionStore } from '../../src/core/storage/memory-store.ts';
import { Wallet } from '../../src/core/wallet/wallet.ts';

export { routePageMessage, routeUiMessage };
export type { BackgroundReply, UiReply };

/** A message that has not settled after this long counts as a hang. */
export const SETTLE_TIMEOUT_MS = 15_000;

/** Session storage that can list what it holds (MemorySessionStore cannot). */
export class SnapshotSessionStore extends MemorySessionStore {
  private readonly keys = new Set<string>();
  override async set(entries: Record<string, unknown>): Promise<void> {
    for (const key of Object.keys(entries)) this.keys.add(key);
    await super.set(entries);
  }
  override async remove(keys: string | string[]): Promise<void> {
    for (const key of Array.isArray(keys) ? keys : [keys]) this.keys.delete(key);
    await super.remove(keys);
  }
  async entries(): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const key of [...this.keys].sort()) out[key] = await this.get(key);
    return out;
  }
}

/**
 * Plays the user for every approval window a fuzzed message opens: it reads the
 * approval as the window would (getApproval) and rejects it, so no request waits
 * forever. `approveNext` is for building fixtures only.
 */
export class FuzzPresenter implements ApprovalPresenter {
  wallet: Wallet | null = null;
  /** `hold`: leave windows undecided (fixtures of pending approvals). */
  mode: 'reject' | 'approve' | 'hold' = 'reject';
  readonly opened: string[] = [];
  /** Replies the approval window got; the fuzzers check none is `internal`. */
  readonly windowReplies: UiReply<unknown>[] = [];
  /** Windows opened and not yet decided. */
  deciding = 0;
  private nextWindow = 1;

  async open(approvalId: string): Promise<{ windowId: number }> {
    this.opened.push(approvalId);
    if (this.mode === 'hold') return { windowId: this.nextWindow++ };
    this.deciding++;
    setTimeout(() => void this.decide(approvalId).finally(() => this.deciding--), 0);
    return { windowId: this.nextWindow++ };
  }

  /** Windows stay open until decided; the wallet asks only on worker start. */
  async isOpen(): Promise<boolean> {
    return true;
  }

  private async decide(approvalId: string): Promise<void> {
    const wallet = this.wallet;
    if (!wallet) return;
    const view = await routeUiMessage(wallet, { command: 'getApproval', approvalId });
    this.windowReplies.push(view);
    if (view.ok && (view.value as { state: string }).state === 'settled') return;
    const decision = this.mode === 'approve' && view.ok && (view.value as { state: string }).state === 'pending' ? 'approve' : 'reject';
    this.windowReplies.push(await routeUiMessage(wallet, { command: 'resolveApproval', approvalId, decision }));
  }
}

export interface World {
  wallet: Wallet;
  ports: TestPorts;
  store: MemoryKeyValueStore;
  session: SnapshotSessionStore;
  presenter: FuzzPresenter;
  /** How often the auto-lock countdown was restarted outside the approval window's commands (only user actions may). */
  autoLockRestarts: number;
}

/** Everything persistent: both stores, with empty maps normalised to absent. */
export interface WorldState {
  store: Record<string, unknown>;
  session: Record<string, unknown>;
}

/** A frozen copy of a world's stores, to start fresh worlds from. */
export interface Seed {
  store: Record<string, [string, unknown][]>;
  session: Record<string, unknown>;
}

export async function newWorld(seed?: Seed): Promise<World> {
  const ports = makeTestPorts();
  const store = new MemoryKeyValueStore();
  const session = new SnapshotSessionStore();
  const presenter = new FuzzPresenter();
  const world = { ports, store, session, presenter, autoLockRestarts: 0 } as World;
  // While the window decides, the page request only waits: a restart then is the user's (approve/reject).
  countAutoLockRestarts(ports, () => {
    if (presenter.deciding === 0) world.autoLockRestarts++;
  });
  Object.assign(ports, { store, session, presenter });
  if (seed) {
    const ops: WriteOp[] = Object.entries(seed.store).flatMap(([collection, rows]) =>
      rows.map(([key, value]) => ({ type: 'put' as const, collection: collection as WriteOp['collection'], key, value })),
    );
    await store.write(ops);
    await session.set(structuredClone(seed.session));
  }
  world.wallet = new Wallet(ports);
  presenter.wallet = world.wallet;
  return world;
}

/**
 * Counts restarts of the auto-lock countdown: `scheduler.once('auto-lock')`, or
 * `autoLock.restart` on wallets from before the scheduler port.
 */
function countAutoLockRestarts(ports: TestPorts, count: () => void): void {
  const loose = ports as unknown as Record<string, Record<string, (...args: unknown[]) => Promise<void>> | undefined>;
  const scheduler = loose.scheduler;
  const autoLock = loose.autoLock;
  if (scheduler?.once) {
    const once = scheduler.once.bind(scheduler);
    scheduler.once = async (job, ...rest) => {
      if (job === 'auto-lock') count();
      await once(job, ...rest);
    };
  } else if (autoLock?.restart) {
    const restart = autoLock.restart.bind(autoLock);
    autoLock.restart = async (...args) => {
      count();
      await restart(...args);
    };
  }
}

export async function seedOf(world: World): Promise<Seed> {
  return { store: structuredClone(world.store.dump()) as Seed['store'], session: await world.session.entries() };
}

export async function stateOf(world: World): Promise<WorldState> {
  const dump = world.store.dump();
  const store: Record<string, unknown> = {};
  for (const name of COLLECTIONS) if ((dump[name] ?? []).length > 0) store[name] = dump[name];
  const session: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(await world.session.entries())) if (!isEmpty(value)) session[key] = value;
  return structuredClone({ store, session });
}

const isEmpty = (value: unknown) =>
  value === undefined || (typeof value === 'object' && value !== null && Object.keys(value).length === 0);

/** Resolves with the promise's value, or rejects when it has not settled in time (a hang). */
export async function withinTimeout<T>(promise: Promise<T>, what: string, ms = SETTLE_TIMEOUT_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Lets timers scheduled by the message (the presenter's decisions, replies) run. */
export const drain = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Unhandled rejections seen since the last `takeUnhandled`, so a property can fail on them. */
const unhandled: unknown[] = [];
let listening = false;
export function watchUnhandledRejections(): void {
  if (listening) return;
  listening = true;
  process.on('unhandledRejection', (reason) => unhandled.push(reason));
}
export function takeUnhandled(): unknown[] {
  return unhandled.splice(0);
}

export async function sendPage(world: World, origin: string, message: unknown): Promise<BackgroundReply> {
  return withinTimeout(routePageMessage(world.wallet, origin, message), 'page message');
}

export async function sendUi(world: World, body: unknown): Promise<UiReply<unknown>> {
  return withinTimeout(routeUiMessage(world.wallet, body), 'UI command');
}

/** Runs per property: FUZZ_RUNS overrides every suite's default (the bench passes 100,000). */
export function fuzzRuns(defaultRuns: number): number {
  const fromEnv = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : defaultRuns;
}

/** One boundary under fuzzing: what it is fed, and the check of one input (throws what went wrong). */
export interface Boundary<T> {
  name: string;
  input: fc.Arbitrary<T>;
  /** Resolves with a label of the outcome (e.g. the reply's code) for the figures. */
  check: (input: T) => Promise<unknown>;
}

/** Asserts the boundary's property (fast-check prints the seed and shrunk counterexample on failure). */
export async function assertBoundary<T>(boundary: Boundary<T>, defaultRuns: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(boundary.input, async (input) => {
      await boundary.check(input);
    }),
    fuzzParameters(defaultRuns),
  );
}

/** fast-check parameters: FUZZ_RUNS, and FUZZ_SEED (+ FUZZ_PATH) to replay a printed failure. */
export function fuzzParameters(defaultRuns: number): { numRuns: number; seed?: number; path?: string; endOnFailure: boolean } {
  const seed = Number(process.env.FUZZ_SEED);
  return {
    numRuns: fuzzRuns(defaultRuns),
    ...(Number.isInteger(seed) ? { seed } : {}),
    ...(process.env.FUZZ_PATH ? { path: process.env.FUZZ_PATH } : {}),
    endOnFailure: false,
  };
}
