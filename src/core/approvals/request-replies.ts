import { DomainError } from '../errors.ts';
import { Mutex } from '../mutex.ts';
import type { SessionStore } from '../ports.ts';
import { APPROVAL_TTL_MS, MAX_PENDING_APPROVALS } from './approval-queue.ts';

/** A reply nobody collected is kept this long for a page that re-attaches. */
export const UNCLAIMED_REPLY_TTL_MS = 10 * 60_000;
/**
 * A request still without a reply this long is forgotten (its approval was lost, e.g.
 * a worker died between removing it and rejecting it). Longer than an approval may
 * live, so an approval `reconcile` rejects can still be answered.
 */
export const AWAITED_REPLY_TTL_MS = 2 * APPROVAL_TTL_MS;
/** Requests awaiting a reply at once; every one beyond the approval queue's cap is refused there anyway. */
export const MAX_AWAITED_REPLIES = 4 * MAX_PENDING_APPROVALS;
const SESSION_KEY = 'replies';

interface StoredReply<R> {
  origin: string;
  reply: R | null;
  at: number;
}
type ReplyMap<R> = Record<string, StoredReply<R>>;

/**
 * The answers to page requests that wait on the user (opaque JSON of type R). The reply is persisted before
 * anyone is told, so a page whose message channel broke (the service worker was
 * restarted) re-attaches with `wait` and still gets it. Waiters are in memory: they
 * belong to the live worker's open message channels. Both replies and requests still
 * awaiting one expire, so session storage stays bounded.
 */
export class RequestReplies<R> {
  private readonly mutex = new Mutex();
  private readonly waiters = new Map<string, Set<(reply: R) => void>>();

  constructor(
    private readonly session: SessionStore,
    private readonly now: () => number,
  ) {}

  /** Marks a request as awaiting a reply, tied to the origin that made it; `pending` if too many await one. */
  expect(requestId: string, origin: string): Promise<void> {
    return this.mutex.run(async () => {
      const all = await this.read();
      const awaiting = Object.values(all).filter((entry) => entry.reply === null).length;
      if (!(requestId in all) && awaiting >= MAX_AWAITED_REPLIES) {
        throw new DomainError('pending', 'Too many requests are waiting for the user; try again later.');
      }
      all[requestId] = { origin, reply: null, at: this.now() };
      await this.write(all);
    });
  }

  /** Drops an expectation whose request never reached the user. */
  forget(requestId: string): Promise<void> {
    return this.mutex.run(async () => {
      const all = await this.read();
      if (!(requestId in all)) return;
      delete all[requestId];
      await this.write(all);
    });
  }

  /** Stores the reply, then hands it to whoever waits (and forgets it once delivered). */
  complete(requestId: string, reply: R): Promise<void> {
    return this.mutex.run(async () => {
      const all = await this.read();
      const entry = all[requestId];
      if (entry?.reply) return;
      const waiters = this.waiters.get(requestId);
      if (waiters && waiters.size > 0) {
        // Delivered even if the expectation expired from storage: the page is still listening.
        delete all[requestId];
        this.waiters.delete(requestId);
        await this.write(all);
        for (const deliver of waiters) deliver(reply);
      } else if (entry) {
        all[requestId] = { ...entry, reply, at: this.now() };
        await this.write(all);
      }
    });
  }

  /** Resolves with the request's reply, now if it is stored, else when it comes; `not_found` if unknown or expired. */
  async wait(requestId: string, origin: string): Promise<R> {
    // The section only registers the waiter; waiting itself happens outside the lock.
    const outcome = await this.mutex.run(async () => {
      const all = await this.read();
      const entry = all[requestId];
      if (!entry || entry.origin !== origin) {
        throw new DomainError('not_found', 'Unknown or expired request.');
      }
      if (entry.reply) {
        delete all[requestId];
        await this.write(all);
        return { now: true as const, reply: entry.reply };
      }
      return {
        now: false as const,
        pending: new Promise<R>((resolve) => {
          const set = this.waiters.get(requestId) ?? new Set();
          set.add(resolve);
          this.waiters.set(requestId, set);
        }),
      };
    });
    return outcome.now ? outcome.reply : outcome.pending;
  }

  /** The stored entries, without those expired (one a live waiter listens for is kept). */
  private async read(): Promise<ReplyMap<R>> {
    const all = (await this.session.get<ReplyMap<R>>(SESSION_KEY)) ?? {};
    const now = this.now();
    for (const [id, entry] of Object.entries(all)) {
      const ttl = entry.reply ? UNCLAIMED_REPLY_TTL_MS : AWAITED_REPLY_TTL_MS;
      if (now - entry.at >= ttl && !this.waiters.has(id)) delete all[id];
    }
    return all;
  }

  private write(all: ReplyMap<R>): Promise<void> {
    return this.session.set({ [SESSION_KEY]: all });
  }
}
