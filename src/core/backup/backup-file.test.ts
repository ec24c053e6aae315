import { describe, expect, it } from 'vitest';
import { fromUtf8, utf8 } from '../encoding.ts';
import type { StoreSnapshot } from '../ports.ts';
import { COLLECTIONS } from '../storage/collections.ts';
import { decodeBackup, encodeBackup } from './backup-file.ts';
import { decodeStoredValue, encodeStoredValue } from './backup-values.ts';

const emptyRecords = () => Object.fromEntries(COLLECTIONS.map((c) => [c, []])) as unknown as StoreSnapshot;

describe('stored values as JSON', () => {
  it('round-trips bytes, undefined members, $-keys and nesting exactly', () => {
    const value = { v: 2, iv: new Uint8Array([0, 255, 7]), nested: [{ $b: 'not bytes', $o: 1 }, undefined, null, 'x'], gone: undefined, ['__proto__']: 1 };
    const json = JSON.parse(JSON.stringify(encodeStoredValue(value)));
    const back = decodeStoredValue(json) as typeof value;
    expect(back).toEqual(value);
    expect(back.iv).toBeInstanceOf(Uint8Array);
    expect(Object.hasOwn(back, 'gone')).toBe(true);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
  });

  it('refuses what it cannot keep exactly, by name', () => {
    expect(() => encodeStoredValue({ at: new Date() }, 'meta/x')).toThrow(/meta\/x\.at: a Date/);
    expect(() => encodeStoredValue(new Map())).toThrow(/Map/);
    expect(() => encodeStoredValue(Number.NaN)).toThrow(/NaN/);
    expect(() => encodeStoredValue(1n)).toThrow(/bigint/);
    expect(() => decodeStoredValue({ $x: 1 })).toThrow(/unknown tag/);
  });
});

describe('backup document', () => {
  const secret = new Uint8Array(32).fill(9);
  it('round-trips the secret and the records', async () => {
    const records = emptyRecords();
    records.grants = [['slot-1', { v: 1, slot: 'slot-1', iv: new Uint8Array(12), ct: new Uint8Array([1, 2]) }]];
    const decoded = await decodeBackup(await encodeBackup({ createdAt: '2026-12-02T10:00:00.000Z', secret, records }));
    expect(decoded).toEqual({ createdAt: '2026-12-02T10:00:00.000Z', secret, records });
  });

  it('refuses a changed body (digest), a newer version, an unknown collection and a short key', async () => {
    const bytes = await encodeBackup({ createdAt: '2026-12-02T10:00:00.000Z', secret, records: emptyRecords() });
    const doc = JSON.parse(fromUtf8(bytes)) as Record<string, unknown>;
    const variant = (patch: Record<string, unknown>) => decodeBackup(utf8(JSON.stringify({ ...doc, ...patch })));
    await expect(variant({ body: (doc.body as string).replace('"grants":[]', '"grants":[["k",1]]') })).rejects.toThrow(/digest/);
    await expect(variant({ version: 2 })).rejects.toThrow(/version 2/);
    await expect(variant({ format: 'other' })).rejects.toThrow(/not a Tessera backup/);
    const withBody = async (body: unknown) => {
      const text = JSON.stringify(body);
      const digest = Buffer.from(await crypto.subtle.digest('SHA-256', utf8(text))).toString('base64url');
      return variant({ body: text, digest });
    };
    await expect(withBody({ secret: 'CQkJ', records: {} })).rejects.toThrow(/vault key has the wrong length/);
    const good = JSON.parse(doc.body as string) as { secret: string };
    await expect(withBody({ secret: good.secret, records: { nope: [] } })).rejects.toThrow(/unknown collection 'nope'/);
    await expect(withBody({ secret: good.secret, records: { grants: [['a', 1], ['a', 2]] } })).rejects.toThrow(/twice/);
    await expect(decodeBackup(utf8('not json'))).rejects.toThrow(/not JSON/);
  });
});
