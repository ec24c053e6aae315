import { describe, expect, it } from 'vitest';
import { MemoryKeyValueStore } from '../storage/memory-store.ts';
import type { DomainEvent } from './domain-events.ts';
import { CommitPoint } from './unit-of-work.ts';

const put = (key: string, value: unknown) => ({ type: 'put' as const, collection: 'meta' as const, key, value });

describe('the commit point', () => {
  it("stores a unit's writes and the writes its events cause in one transaction, then publishes", async () => {
    const store = new MemoryKeyValueStore();
    const writes: number[] = [];
    const original = store.write.bind(store);
    store.write = async (ops) => {
      writes.push(ops.length);
      return original(ops);
    };
    const commit = new CommitPoint(store);
    commit.enrich(async (unit) => ({ ops: unit.events.map((e, i) => put(`ledger-${i}`, e.type)) }));
    const seen: DomainEvent[][] = [];
    commit.subscribe(async (events) => {
      // Subscribers run after the commit: what the unit wrote is readable.
      expect(await store.get('meta', 'a')).toBe(1);
      seen.push([...events]);
    });
    await commit.run(async (unit) => {
      unit.write(put('a', 1), put('b', 2));
      unit.emit({ type: 'trust.changed', did: 'did:example:1', trusted: true });
    });
    expect(writes).toEqual([3]);
    expect(await store.get('meta', 'ledger-0')).toBe('trust.changed');
    expect(seen).toEqual([[{ type: 'trust.changed', did: 'did:example:1', trusted: true }]]);
  });

  it('writes and publishes nothing when the use case throws', async () => {
    const store = new MemoryKeyValueStore();
    const commit = new CommitPoint(store);
    let published = false;
    commit.subscribe(async () => void (published = true));
    await expect(
      commit.run(async (unit) => {
        unit.write(put('a', 1));
        unit.emit({ type: 'wallet.created' });
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await store.get('meta', 'a')).toBeUndefined();
    expect(published).toBe(false);
  });

  it('keeps a failing subscriber from undoing the commit or silencing the others', async () => {
    const store = new MemoryKeyValueStore();
    const errors: unknown[] = [];
    const commit = new CommitPoint(store, (error) => errors.push(error));
    let second = false;
    commit.subscribe(async () => {
      throw new Error('tab gone');
    });
    commit.subscribe(async () => void (second = true));
    await commit.run(async (unit) => {
      unit.write(put('a', 1));
      unit.emit({ type: 'wallet.created' });
    });
    expect(await store.get('meta', 'a')).toBe(1);
    expect(second).toBe(true);
    expect(errors).toHaveLength(1);
  });

  it('serialises read-modify-writes of one record: each run re-reads inside the lock and no update is lost', async () => {
    const store = new MemoryKeyValueStore();
    await store.write([put('counter', 0)]);
    const commit = new CommitPoint(store);
    const increment = () =>
      commit.run(
        async (unit) => {
          const current = (await store.get('meta', 'counter')) as number;
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
          unit.write(put('counter', current + 1));
        },
        { lock: ['counter'] },
      );
    await Promise.all(Array.from({ length: 50 }, increment));
    expect(await store.get('meta', 'counter')).toBe(50);
    expect(commit.locks.busy).toBe(0);
  });

  it('takes several locks without deadlock whatever order callers name them in', async () => {
    const commit = new CommitPoint(new MemoryKeyValueStore());
    const order: string[] = [];
    await Promise.all([
      commit.run(async () => void order.push('ab'), { lock: ['a', 'b'] }),
      commit.run(async () => void order.push('ba'), { lock: ['b', 'a'] }),
      commit.run(async () => void order.push('b'), { lock: ['b'] }),
    ]);
    expect(order.sort()).toEqual(['ab', 'b', 'ba']);
    expect(commit.locks.busy).toBe(0);
  });
});
