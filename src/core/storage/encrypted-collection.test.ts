import { describe, expect, it } from 'vitest';
import { randomBytes } from '../encoding.ts';
import { deriveVaultKeys } from '../vault/vault-keys.ts';
import { EncryptedCollection } from './encrypted-collection.ts';
import { MemoryKeyValueStore } from './memory-store.ts';

interface Note {
  origin: string;
  text: string;
}

async function setup() {
  const store = new MemoryKeyValueStore();
  const keys = await deriveVaultKeys(randomBytes(32));
  return { store, keys, notes: new EncryptedCollection<Note>(store, 'pairwise', keys) };
}

describe('EncryptedCollection', () => {
  it('round-trips records and lists them', async () => {
    const { notes } = await setup();
    await notes.put('https://a.example', { origin: 'https://a.example', text: 'alpha' });
    await notes.put('https://b.example', { origin: 'https://b.example', text: 'beta' });
    expect(await notes.get('https://a.example')).toEqual({ origin: 'https://a.example', text: 'alpha' });
    expect((await notes.list()).map((n) => n.text).sort()).toEqual(['alpha', 'beta']);
    expect(await notes.get('https://c.example')).toBeUndefined();
    expect(await notes.delete('https://a.example')).toBe(true);
    expect(await notes.delete('https://a.example')).toBe(false);
  });

  it('stores neither ids nor values in the clear', async () => {
    const { store, notes } = await setup();
    await notes.put('https://private.example', { origin: 'https://private.example', text: 'secret words' });
    const raw = JSON.stringify(store.dump(), (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v));
    expect(raw).not.toContain('private.example');
    expect(raw).not.toContain('secret words');
  });

  it('detects a tampered ciphertext', async () => {
    const { store, notes } = await setup();
    await notes.put('id', { origin: 'o', text: 't' });
    const [[slot, sealed]] = store.dump().pairwise as [[string, { ct: Uint8Array }]];
    sealed.ct[0] = (sealed.ct[0] ?? 0) ^ 1;
    await store.write([{ type: 'put', collection: 'pairwise', key: slot, value: sealed }]);
    await expect(notes.get('id')).rejects.toThrow(/failed its integrity check/);
    await expect(notes.list()).rejects.toThrow(/failed its integrity check/);
  });

  it('detects a record moved to another id', async () => {
    const { store, notes } = await setup();
    await notes.put('first', { origin: 'o1', text: 'one' });
    await notes.put('second', { origin: 'o2', text: 'two' });
    const entries = store.dump().pairwise as [string, unknown][];
    const [[slotA, sealedA], [slotB]] = entries as [[string, unknown], [string, unknown]];
    void slotA;
    await store.write([{ type: 'put', collection: 'pairwise', key: slotB, value: sealedA }]);
    await expect(notes.get('second')).rejects.toThrow(/failed its integrity check/);
  });

  it('cannot be read with another vault key', async () => {
    const { store, notes } = await setup();
    await notes.put('id', { origin: 'o', text: 't' });
    const other = new EncryptedCollection<Note>(store, 'pairwise', await deriveVaultKeys(randomBytes(32)));
    expect(await other.get('id')).toBeUndefined();
    await expect(other.list()).rejects.toThrow(/failed its integrity check/);
  });

  it('stores bytes as they are beside values, each read back as what it is', async () => {
    const { store, notes } = await setup();
    const bytes = Uint8Array.from([0, 10, 255, 1, 2]);
    await notes.write([await notes.putBytesOp('blob', bytes), await notes.putOp('note', { origin: 'o', text: 't' })]);
    expect(await notes.read('blob')).toEqual({ bytes });
    expect(await notes.read('note')).toEqual({ value: { origin: 'o', text: 't' } });
    expect(await notes.read('missing')).toBeUndefined();
    expect((await notes.readAll()).map((content) => (content.bytes ? 'bytes' : 'value')).sort()).toEqual(['bytes', 'value']);
    await expect(notes.get('blob')).rejects.toThrow(/holds bytes where a value was expected/);
    await expect(notes.list()).rejects.toThrow(/holds bytes where a value was expected/);
    expect(JSON.stringify(store.dump(), (_k, v) => (v instanceof Uint8Array ? [...v] : v))).not.toContain('[0,10,255,1,2]');
  });

  it('does not take sealed bytes for a sealed value or the other way round', async () => {
    const { store, notes } = await setup();
    await notes.write([await notes.putBytesOp('blob', Uint8Array.from([1, 2, 3])), await notes.putOp('note', { origin: 'o', text: 't' })]);
    for (const [slot, sealed] of store.dump().pairwise as [string, { v: number }][]) {
      await store.write([{ type: 'put', collection: 'pairwise', key: slot, value: { ...sealed, v: sealed.v === 1 ? 2 : 1 } }]);
    }
    await expect(notes.read('blob')).rejects.toThrow(/failed its integrity check/);
    await expect(notes.read('note')).rejects.toThrow(/failed its integrity check/);
  });
});
