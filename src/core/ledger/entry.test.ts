import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LEDGER_KINDS, entryBytes, entryJson, entryLeafHash, leafHashIfWellFormed, isLedgerEntry, ledgerTime, payloadDigest, type LedgerEntry } from './entry.ts';

const entry: LedgerEntry = {
  v: 1,
  seq: 41,
  at: '2026-12-01T21:12:00.806Z',
  kind: 'grant.given',
  subject: 'grant-é',
  digest: 'x'.repeat(42) + 'A',
  prev: 'A'.repeat(43),
};

describe('ledger entry encoding', () => {
  it('serialises as RFC 8785 JCS (sorted members, no spaces, UTF-8 unescaped)', () => {
    const expected = `{"at":"2026-12-01T21:12:00.806Z","digest":"${'x'.repeat(42)}A","kind":"grant.given","prev":"${'A'.repeat(43)}","seq":41,"subject":"grant-é","v":1}`;
    expect(Buffer.from(entryBytes(entry)).toString('utf8')).toBe(expected);
    // Member order in the object does not matter.
    const shuffled = { prev: entry.prev, v: 1, subject: entry.subject, seq: 41, kind: entry.kind, digest: entry.digest, at: entry.at } as LedgerEntry;
    expect(entryBytes(shuffled)).toEqual(entryBytes(entry));
  });

  it('writes exactly what the canonicalize library writes, for any entry', () => {
    const hash = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('base64url'));
    const arbitraryEntry = fc.record({
      v: fc.constant(1 as const),
      seq: fc.nat(),
      at: fc.date({ min: new Date(0), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }).map((d) => d.toISOString()),
      kind: fc.constantFrom(...LEDGER_KINDS),
      subject: fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.constantFrom('grant-1', 'a"b', 'a\\\\b', '~', '\u007f')),
      digest: hash,
      prev: hash,
    });
    fc.assert(
      fc.property(arbitraryEntry, (e) => {
        let expected: string | undefined;
        try {
          expected = canonicalize(e);
        } catch {
          expected = undefined; // a lone surrogate: JCS refuses it
        }
        if (expected === undefined) {
          expect(() => entryJson(e)).toThrow();
          expect(() => entryLeafHash(e)).toThrow();
        } else {
          expect(entryJson(e)).toBe(expected);
          const leaf = createHash('sha256').update(Buffer.concat([Buffer.from([0]), Buffer.from(expected, 'utf8')])).digest();
          expect(Buffer.from(leafHashIfWellFormed(e)!)).toEqual(leaf);
          expect(Buffer.from(entryLeafHash(e))).toEqual(leaf);
        }
      }),
      { numRuns: 2000 },
    );
    expect(entryJson({ ...entry, subject: 'quote " backslash \\ control \u0001 emoji 😀' })).toBe(canonicalize({ ...entry, subject: 'quote " backslash \\ control \u0001 emoji 😀' }));
    expect(() => entryJson({ ...entry, subject: 'lone \ud800' })).toThrow();
  });

  it.each(['grant-é', 'grant-ascii', '😀 and \\ "'])('hashes the leaf as SHA-256(0x00 ‖ JCS), subject %s', (subject) => {
    const e = { ...entry, subject };
    const expected = createHash('sha256').update(Buffer.concat([Buffer.from([0]), Buffer.from(canonicalize(e)!, 'utf8')])).digest();
    expect(Buffer.from(entryLeafHash(e))).toEqual(expected);
    expect(Buffer.from(leafHashIfWellFormed(e)!)).toEqual(expected);
  });

  it('digests salt ‖ UTF-8 payload as unpadded base64url', () => {
    const salt = Uint8Array.from({ length: 16 }, (_, i) => i);
    const expected = createHash('sha256').update(Buffer.concat([Buffer.from(salt), Buffer.from('ünïcode payload', 'utf8')])).digest('base64url');
    expect(payloadDigest(salt, 'ünïcode payload')).toBe(expected);
    expect(expected).toHaveLength(43);
  });

  it('accepts exactly the §4 shape', () => {
    expect(isLedgerEntry(entry)).toBe(true);
    expect(isLedgerEntry({ ...entry, extra: 1 })).toBe(false);
    expect(isLedgerEntry({ ...entry, kind: 'grant.stolen' })).toBe(false);
    expect(isLedgerEntry({ ...entry, at: '2026-12-01T21:12:00Z' })).toBe(false);
    expect(isLedgerEntry({ ...entry, seq: -1 })).toBe(false);
    expect(isLedgerEntry({ ...entry, prev: 'A'.repeat(44) })).toBe(false);
    expect(isLedgerEntry({ ...entry, v: 2 })).toBe(false);
  });

  it('the verifier hashes exactly the entries isLedgerEntry accepts', () => {
    const member = fc.constantFrom('v', 'seq', 'at', 'kind', 'subject', 'digest', 'prev', 'extra');
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.constant(undefined),
      fc.constantFrom('2026-12-01T21:12:00.806Z', '2026-12-01T21:12:00.80Z', '2026-12-01 21:12:00.806Z', 'A'.repeat(43), 'A'.repeat(42) + 'B', 'A'.repeat(42) + '=', 'grant.given', 'grant.stolen', 1, 2, -1, 1.5, 2 ** 53),
    );
    fc.assert(
      // Both paths: an ASCII subject goes through the byte writer, 'grant-é' through canonicalize.
      fc.property(fc.constantFrom(entry, { ...entry, subject: 'grant-ascii' }), member, value, (base, key, replacement) => {
        const mutated: Record<string, unknown> = { ...base, [key]: replacement };
        if (replacement === undefined) delete mutated[key];
        expect(leafHashIfWellFormed(mutated) !== null).toBe(isLedgerEntry(mutated));
        if (isLedgerEntry(mutated)) {
          const expected = createHash('sha256').update(Buffer.concat([Buffer.from([0]), Buffer.from(canonicalize(mutated)!, 'utf8')])).digest();
          expect(Buffer.from(leafHashIfWellFormed(mutated)!)).toEqual(expected);
        }
      }),
      { numRuns: 3000 },
    );
    for (const seq of [0, 9, 10, 99, 100, 999_999, 1_000_000, 2 ** 53 - 1]) {
      const e = { ...entry, seq };
      expect(Buffer.from(entryBytes(e)).toString()).toBe(canonicalize(e));
      const expected = createHash('sha256').update(Buffer.concat([Buffer.from([0]), Buffer.from(canonicalize(e)!, 'utf8')])).digest();
      expect(Buffer.from(leafHashIfWellFormed(e)!)).toEqual(expected);
    }
  });

  it('writes times as ISO 8601 UTC with milliseconds', () => {
    expect(ledgerTime(new Date(Date.UTC(2026, 11, 1, 21, 12, 0, 0)))).toBe('2026-12-01T21:12:00.000Z');
  });
});
