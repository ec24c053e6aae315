import { describe, expect, it } from 'vitest';
import { fromUtf8, toBase64Url, utf8 } from '../encoding.ts';
import type { StoreSnapshot } from '../ports.ts';
import { COLLECTIONS } from '../storage/collections.ts';
import { decodeBackup, encodeBackup } from './backup-file.ts';
import { ByteSink, decodeStoredValue, encodeStoredValue } from './backup-values.ts';

const emptyRecords = () => Object.fromEntries(COLLECTIONS.map((c) => [c, []])) as unknown as StoreSnapshot;

describe('stored values as JSON with a blob', () => {
  it('round-trips bytes, undefined members, $-keys and nesting exactly', () => {
    const value = { v: 2, iv: new Uint8Array([0, 255, 7]), nested: [{ $b: 'not bytes', $o: 1 }, undefined, null, 'x', new Uint8Array(0)], gone: undefined, ['__proto__']: 1 };
    const sink = new ByteSink();
    const json = JSON.parse(JSON.stringify(encodeStoredValue(value, sink)));
    const blob = sink.bytes();
    expect(blob.length).toBe(3);
    const back = decodeStoredValue(json, blob) as typeof value;
    expect(back).toEqual(value);
    expect(back.iv).toBeInstanceOf(Uint8Array);
    expect(Object.hasOwn(back, 'gone')).toBe(true);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
  });

  it('refuses what it cannot keep exactly, by name, and bytes outside the blob', () => {
    const sink = new ByteSink();
    expect(() => encodeStoredValue({ at: new Date() }, sink, 'meta/x')).toThrow(/meta\/x\.at: a Date/);
    expect(() => encodeStoredValue(new Map(), sink)).toThrow(/Map/);
    expect(() => encodeStoredValue(Number.NaN, sink)).toThrow(/NaN/);
    expect(() => encodeStoredValue(1n, sink)).toThrow(/bigint/);
    expect(() => decodeStoredValue({ $x: 1 }, new Uint8Array())).toThrow(/unknown tag/);
    for (const range of [[0, 4], [-1, 1], [1.5, 1], 'AA', [2, 2]]) expect(() => decodeStoredValue({ $b: range }, new Uint8Array(3))).toThrow(/outside the file/);
  });
});

describe('backup document', () => {
  const secret = new Uint8Array(32).fill(9);
  const createdAt = '2026-12-02T10:00:00.000Z';

  it('round-trips the secret and the records; bytes travel once, not as base64', async () => {
    const records = emptyRecords();
    const ct = new Uint8Array(3000).fill(0xab);
    records.grants = [['slot-1', { v: 1, slot: 'slot-1', iv: new Uint8Array(12), ct }]];
    const bytes = await encodeBackup({ createdAt, secret, records });
    expect(bytes.length).toBeLessThan(3000 + 1000);
    expect(await decodeBackup(bytes)).toEqual({ createdAt, secret, records });
  });

  /** The file with its header changed, or its rest replaced (digest and lengths recomputed when asked). */
  async function variant(patch: Record<string, unknown>, rest?: { body: unknown; blob?: Uint8Array }) {
    const bytes = await encodeBackup({ createdAt, secret, records: emptyRecords() });
    const end = bytes.indexOf(0x0a);
    const header = JSON.parse(fromUtf8(bytes.subarray(0, end))) as Record<string, unknown>;
    let tail = bytes.subarray(end + 1);
    if (rest) {
      const body = utf8(JSON.stringify(rest.body));
      const blob = rest.blob ?? new Uint8Array();
      tail = new Uint8Array([...body, ...blob]);
      const digest = toBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', tail)));
      Object.assign(header, { digest, bodyBytes: body.length, blobBytes: blob.length });
    }
    return decodeBackup(new Uint8Array([...utf8(`${JSON.stringify({ ...header, ...patch })}\n`), ...tail]));
  }

  it('refuses a changed body (digest), a cut one, a newer version, another format, an unknown collection and a short key', async () => {
    const good = { secret: toBase64Url(secret) };
    await expect(variant({ digest: 'A'.repeat(43) })).rejects.toThrow(/digest does not match/);
    await expect(variant({ bodyBytes: 1 })).rejects.toThrow(/truncated/);
    await expect(variant({ version: 2 })).rejects.toThrow(/version 2/);
    await expect(variant({ format: 'other' })).rejects.toThrow(/not a Tessera backup/);
    await expect(variant({}, { body: { secret: 'CQkJ', records: {} } })).rejects.toThrow(/vault key has the wrong length/);
    await expect(variant({}, { body: { secret: good.secret, records: { nope: [] } } })).rejects.toThrow(/unknown collection 'nope'/);
    await expect(variant({}, { body: { secret: good.secret, records: { grants: [['a', 1], ['a', 2]] } } })).rejects.toThrow(/twice/);
    await expect(variant({}, { body: { secret: good.secret, records: { grants: [['a', { $b: [0, 9] }]] } }, blob: new Uint8Array(4) })).rejects.toThrow(/outside the file/);
    await expect(decodeBackup(utf8('not json'))).rejects.toThrow(/not a Tessera backup/);
  });
});
