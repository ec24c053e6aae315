import { describe, expect, it } from 'vitest';
import { COLLECTIONS } from '../../src/core/storage/collections.ts';
import type { Collection, KeyValueStore, WriteOp } from '../../src/core/ports.ts';

/**
 * The contract every KeyValueStore adapter meets: run against the in-memory store
 * and the IndexedDB adapter (Veramo's __tests__/shared pattern).
 */
export function describeKeyValueStoreContract(name: string, makeStore: () => Promise<KeyValueStore> | KeyValueStore): void {
  describe(`KeyValueStore contract: ${name}`, () => {
    it('answers undefined for a missing key and an empty list for an empty collection', async () => {
      const store = await makeStore();
      expect(await store.get('grants', 'missing')).toBeUndefined();
      expect(await store.getAll('grants')).toEqual([]);
    });

    it('stores structured values including bytes, and returns copies', async () => {
      const store = await makeStore();
      const value = { v: 1, iv: new Uint8Array([1, 2, 3]), nested: { list: ['a', 'b'] } };
      await store.write([{ type: 'put', collection: 'keys', key: 'k1', value }]);
      value.nested.list.push('mutated');
      const read = (await store.get('keys', 'k1')) as typeof value;
      expect(read.nested.list).toEqual(['a', 'b']);
      expect(read.iv).toBeInstanceOf(Uint8Array);
      expect(Array.from(read.iv)).toEqual([1, 2, 3]);
    });

    it('keeps collections apart and lists a collection', async () => {
      const store = await makeStore();
      await store.write([
        { type: 'put', collection: 'keys', key: 'same', value: 'in keys' },
        { type: 'put', collection: 'dids', key: 'same', value: 'in dids' },
        { type: 'put', collection: 'dids', key: 'other', value: 'other did' },
      ]);
      expect(await store.get('keys', 'same')).toBe('in keys');
      expect((await store.getAll('dids')).sort()).toEqual(['in dids', 'other did']);
    });

    it('overwrites and deletes', async () => {
      const store = await makeStore();
      await store.write([{ type: 'put', collection: 'meta', key: 'x', value: 1 }]);
      await store.write([{ type: 'put', collection: 'meta', key: 'x', value: 2 }]);
      expect(await store.get('meta', 'x')).toBe(2);
      await store.write([{ type: 'delete', collection: 'meta', key: 'x' }]);
      expect(await store.get('meta', 'x')).toBeUndefined();
    });

    it('applies a batch atomically: a failing batch changes nothing', async () => {
      const store = await makeStore();
      await store.write([{ type: 'put', collection: 'grants', key: 'g', value: 'before' }]);
      const bad: WriteOp[] = [
        { type: 'put', collection: 'grants', key: 'g', value: 'after' },
        { type: 'put', collection: 'pairwise', key: 'p', value: 'new' },
        { type: 'put', collection: 'nope' as Collection, key: 'x', value: 'bad collection' },
      ];
      await expect(store.write(bad)).rejects.toThrow();
      expect(await store.get('grants', 'g')).toBe('before');
      expect(await store.get('pairwise', 'p')).toBeUndefined();
    });

    it('refuses a value that cannot be stored, changing nothing', async () => {
      const store = await makeStore();
      await expect(
        store.write([
          { type: 'put', collection: 'meta', key: 'ok', value: 'fine' },
          { type: 'put', collection: 'meta', key: 'fn', value: () => 1 },
        ]),
      ).rejects.toThrow();
      expect(await store.get('meta', 'ok')).toBeUndefined();
    });

    it('snapshots every collection with its keys and values', async () => {
      const store = await makeStore();
      await store.write([
        { type: 'put', collection: 'grants', key: 'g1', value: { iv: new Uint8Array([7]) } },
        { type: 'put', collection: 'grants', key: 'g2', value: 'two' },
        { type: 'put', collection: 'ledger', key: 'e0', value: 0 },
      ]);
      const snapshot = await store.snapshot();
      expect(Object.keys(snapshot).sort()).toEqual([...COLLECTIONS].sort());
      const grants = [...snapshot.grants].sort(([a], [b]) => a.localeCompare(b));
      expect(grants.map(([key]) => key)).toEqual(['g1', 'g2']);
      expect(Array.from((grants[0]![1] as { iv: Uint8Array }).iv)).toEqual([7]);
      expect(snapshot.ledger).toEqual([['e0', 0]]);
      expect(snapshot.pairwise).toEqual([]);
    });
  });
}
