import type { KeyValueStore, WriteOp } from '../storage/ports.ts';
import type { DomainEvent, EventSubscriber } from './domain-events.ts';
import { RecordLocks } from './record-locks.ts';

/** What one use case collects while it runs: its writes and the events they mean. */
export class UnitOfWork {
  readonly ops: WriteOp[] = [];
  readonly events: DomainEvent[] = [];

  write(...ops: WriteOp[]): void {
    this.ops.push(...ops);
  }

  emit(...events: DomainEvent[]): void {
    this.events.push(...events);
  }
}

/**
 * Turns a unit's events into more writes of the same transaction (the ledger entries
 * the change causes): runs before the commit, inside the unit's locks.
 */
export type CommitEnricher = (unit: UnitOfWork) => Promise<WriteOp[]>;

export interface CommitOptions {
  /** Records this use case reads and writes back (e.g. `grant:<id>`); held through the commit. */
  lock?: readonly string[];
}

/**
 * The wallet's one commit point (DESIGN.md §2): every change of wallet state runs
 * through `run`, which gives the use case a unit of work, stores all of its writes
 * (and the writes its events cause) in one transaction, and then tells subscribers.
 */
export class CommitPoint {
  readonly locks = new RecordLocks();
  private readonly enrichers: CommitEnricher[] = [];
  private readonly subscribers: EventSubscriber[] = [];

  constructor(
    private readonly store: KeyValueStore,
    private readonly onSubscriberError: (error: unknown) => void = (error) => console.error('Tessera: event subscriber failed', error),
  ) {}

  enrich(enricher: CommitEnricher): void {
    this.enrichers.push(enricher);
  }

  subscribe(subscriber: EventSubscriber): void {
    this.subscribers.push(subscriber);
  }

  /**
   * Runs `work` with a fresh unit of work, then commits it. If `work` throws, nothing
   * is written and nothing is published. Reads that decide a write must happen inside
   * `work` (after the locks are taken), never before.
   */
  async run<T>(work: (unit: UnitOfWork) => Promise<T>, options: CommitOptions = {}): Promise<T> {
    const unit = new UnitOfWork();
    const result = await this.locks.hold(options.lock ?? [], async () => {
      const value = await work(unit);
      const extra: WriteOp[] = [];
      for (const enricher of this.enrichers) extra.push(...(await enricher(unit)));
      const ops = [...unit.ops, ...extra];
      if (ops.length > 0) await this.store.write(ops);
      return value;
    });
    if (unit.events.length > 0) await this.publish(unit.events);
    return result;
  }

  private async publish(events: readonly DomainEvent[]): Promise<void> {
    for (const subscriber of this.subscribers) {
      try {
        await subscriber(events);
      } catch (error) {
        this.onSubscriberError(error);
      }
    }
  }
}
