import { RpcErrorCode, UNKNOWN_REQUEST, WalletError } from '../../protocol/errors.ts';
import type { BackgroundReply } from '../../protocol/envelope.ts';
import type { SessionStore } from '../storage/ports.ts';
import { Mutex } from '../mutex.ts';

/** A reply nobody collected is kept this long for a page that re-attaches. */
export const UNCLAIMED_REPLY_TTL_MS = 10 * 60_000;
const SESSION_KEY = 'replies';

interface StoredReply {
  origin: string;
  reply: BackgroundReply | null;
  at: number;
}
type ReplyMap = Record<string, StoredReply>;

/**
 * The answers to page requests that wait on the user. The reply is persisted before
 * anyone is told, so a page whose message channel broke (the service worker was
 * restarted) re-attaches with `wait` and still gets it. Waiters are in memory: they
 * belong to the live worker's open message channels.
 */
export class RequestReplies {
  private readonly mutex = new Mutex();
  private readonly waiters = new Map<string, Set<(reply: BackgroundReply) => void>>();

  constructor(
    private readonly session: SessionStore,
    private readonly now: () => number,
  ) {}

  /** Marks a request as awaiting a reply, tied to the origin that made it. */
  expect(requestId: string, origin: string): Promise<void> {
    return this.mutex.run(async () => {
      const all = this.prune(await this.read());
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
  complete(requestId: string, reply: BackgroundReply): Promise<void> {
    return this.mutex.run(async () => {
      const all = await this.read();
      const entry = all[requestId];
      if (!entry || entry.reply) return;
      const waiters = this.waiters.get(requestId);
      if (waiters && waiters.size > 0) {
        delete all[requestId];
        this.waiters.delete(requestId);
        await this.write(all);
        for (const deliver of waiters) deliver(reply);
      } else {
        all[requestId] = { ...entry, reply, at: this.now() };
        await this.write(all);
      }
    });
  }

  /** Resolves with the request's reply, now if it is stored, else when it comes. */
  async wait(requestId: string, origin: string): Promise<BackgroundReply> {
    // The section only registers the waiter; waiting itself happens outside the lock.
    const outcome = await this.mutex.run(async () => {
      const all = await this.read();
      const entry = all[requestId];
      if (!entry || entry.origin !== origin) {
        throw new WalletError(RpcErrorCode.internal, UNKNOWN_REQUEST);
      }
      if (entry.reply) {
        delete all[requestId];
        await this.write(all);
        return { now: true as const, reply: entry.reply };
      }
      return {
        now: false as const,
        pending: new Promise<BackgroundReply>((resolve) => {
          const set = this.waiters.get(requestId) ?? new Set();
          set.add(resolve);
          this.waiters.set(requestId, set);
        }),
      };
    });
    return outcome.now ? outcome.reply : outcome.pending;
  }

  private prune(all: ReplyMap): ReplyMap {
    const cutoff = this.now() - UNCLAIMED_REPLY_TTL_MS;
    for (const [id, entry] of Object.entries(all)) if (entry.reply && entry.at < cutoff) delete all[id];
    return all;
  }

  private async read(): Promise<ReplyMap> {
    return (await this.session.get<ReplyMap>(SESSION_KEY)) ?? {};
  }

  private write(all: ReplyMap): Promise<void> {
    return this.session.set({ [SESSION_KEY]: all });
  }
}
