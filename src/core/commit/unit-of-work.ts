import type { KeyValueStore, WriteOp } from '../ports.ts';
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

/** More writes for the unit's transaction, and what to do once it committed. */
export interface Enrichment {
  ops: WriteOp[];
  committed?: () => void;
}

/**
 * Turns a unit's events into more writes of the same transaction (the ledger entries
 * the change causes): runs before the commit, inside the unit's locks and the
 * enrichers' own lock, so appends are serialised from head read to write.
 */
export type CommitEnricher = (unit: UnitOfWork) => Promise<Enrichment>;

/** Held from the first enricher to the end of the write; never named by a use case. */
const ENRICH_LOCK = '\u0000commit:enrich';

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

  /**
   * Runs `section` while no commit is between its ledger append and its write: a
   * restore, which replaces every record, must not interleave with one.
   */
  exclusive<T>(section: () => Promise<T>): Promise<T> {
    return this.locks.hold([ENRICH_LOCK], section);
  }

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
      if (unit.events.length === 0 || this.enrichers.length === 0) {
        if (unit.ops.length > 0) await this.store.write(unit.ops);
        return value;
      }
      await this.locks.hold([ENRICH_LOCK], async () => {
        const enrichments: Enrichment[] = [];
        for (const enricher of this.enrichers) enrichments.push(await enricher(unit));
        const ops = [...unit.ops, ...enrichments.flatMap((e) => e.ops)];
        if (ops.length > 0) await this.store.write(ops);
        for (const enrichment of enrichments) enrichment.committed?.();
      });
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
