/**
 * Per-record serialisation inside one service-worker instance (MV3 runs at most one
 * per extension, so in-memory locks cover every writer). A use case that reads a
 * record, decides and writes it back holds the record's lock from the read through
 * the commit; a concurrent change of the same record waits and then re-reads, so a
 * revocation can never be overwritten by a stale copy.
 */
export class RecordLocks {
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `section` holding every lock in `keys` (taken in sorted order, so two sections never deadlock). */
  async hold<T>(keys: readonly string[], section: () => Promise<T>): Promise<T> {
    const sorted = [...new Set(keys)].sort();
    const releases: (() => void)[] = [];
    try {
      for (const key of sorted) releases.push(await this.acquire(key));
      return await section();
    } finally {
      for (const release of releases.reverse()) release();
    }
  }

  /** Number of records with a holder or waiters (for tests: locks must not leak). */
  get busy(): number {
    return this.tails.size;
  }

  private async acquire(key: string): Promise<() => void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => held);
    this.tails.set(key, tail);
    await previous;
    return () => {
      release();
      // The last holder cleans up, so the map stays as small as the contention.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }
}
