import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkRequestBounds, describeBoundsFailure, jsonStringBytes, MAX_REQUEST_BYTES } from './limits.ts';

const utf8Json = (value: unknown) => Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');

/** An array nested `depth` levels deep, built without recursion. */
function nested(depth: number): unknown[] {
  const top: unknown[] = [];
  let at = top;
  for (let i = 1; i < depth; i++) {
    const next: unknown[] = [];
    at.push(next);
    at = next;
  }
  return top;
}

describe('checkRequestBounds', () => {
  it('measures exactly the UTF-8 size JSON.stringify gives', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.string({ unit: 'binary' }), (value, text) => {
        const input = { value, text, lone: `\ud800${text}\udfff`, controls: '\u0000\u0008\t\n\u001f"\\' };
        expect(checkRequestBounds(input)).toEqual({ ok: true, bytes: utf8Json(input) });
      }),
      { numRuns: 500 },
    );
    const withUndefined = { a: undefined, b: [undefined, 1, -0, Number.NaN, 1e21], c: 'é€😀' };
    expect(checkRequestBounds(withUndefined)).toEqual({ ok: true, bytes: utf8Json(withUndefined) });
    expect(checkRequestBounds(undefined)).toEqual({ ok: true, bytes: 0 });
    expect(jsonStringBytes('😀')).toBe(6);
  });

  it('accepts a request of exactly 64 KiB and refuses one byte more, naming the root', () => {
    const padding = MAX_REQUEST_BYTES - utf8Json({ credential: '' });
    expect(checkRequestBounds({ credential: 'x'.repeat(padding) })).toEqual({ ok: true, bytes: MAX_REQUEST_BYTES });
    expect(checkRequestBounds({ credential: 'x'.repeat(padding + 1) })).toEqual({
      ok: false,
      field: 'params',
      message: 'is too large (over 64 KiB as JSON)',
    });
    // Escapes and multi-byte characters count as written: 30,000 é is 60,000 bytes.
    expect(checkRequestBounds({ a: 'é'.repeat(30_000), b: 'é'.repeat(3_000) }).ok).toBe(false);
  });

  it('refuses 100,000-deep nesting without overflowing the stack, naming where', () => {
    const deep = { data: nested(100_000) };
    const result = checkRequestBounds(deep, { root: 'request' });
    expect(result).toEqual({
      ok: false,
      field: `request.data${'[0]'.repeat(31)}`,
      message: 'is nested deeper than 32 levels',
    });
    expect(checkRequestBounds({ data: nested(31) }).ok).toBe(true);
    expect(checkRequestBounds({ data: nested(32) }).ok).toBe(false);
  });

  it('refuses a 100,000-member array or object before walking it', () => {
    expect(checkRequestBounds({ list: Array.from({ length: 100_000 }, () => 0) })).toEqual({
      ok: false,
      field: 'params.list',
      message: 'has more than 1024 members',
    });
    const wide = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, 1]));
    expect(checkRequestBounds({ 'a key with spaces': wide })).toEqual({
      ok: false,
      field: 'params["a key with spaces"]',
      message: 'has more than 1024 members',
    });
    // A sparse array is as long as it says.
    const sparse: unknown[] = [];
    sparse.length = 1e9;
    expect(checkRequestBounds(sparse).ok).toBe(false);
  });

  it('refuses cycles (as too deep) and shared references by their expanded size', () => {
    const cycle: unknown[] = [];
    cycle.push(cycle);
    expect(checkRequestBounds(cycle)).toMatchObject({ ok: false, message: 'is nested deeper than 32 levels' });
    // Structured clone keeps shared references: small in memory, huge as JSON.
    const chunk = 'x'.repeat(1000);
    let shared: unknown = [chunk, chunk];
    for (let i = 0; i < 30; i++) shared = [shared, shared];
    expect(checkRequestBounds(shared)).toEqual({ ok: false, field: 'params', message: 'is too large (over 64 KiB as JSON)' });
  });

  it('refuses what is not JSON data', () => {
    const cases: [unknown, string][] = [
      [{ when: new Date(0) }, 'a Date'],
      [{ bytes: new ArrayBuffer(8) }, 'an ArrayBuffer'],
      [{ map: new Map() }, 'a Map'],
      [{ big: 1n }, 'bigint'],
      [{ boxed: new String('x') }, 'a String'],
      [{ instance: new (class Thing {})() }, 'an object that is not a plain object'],
    ];
    for (const [value, found] of cases) {
      const result = checkRequestBounds(value);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toBe(`must be JSON data (found ${found})`);
    }
    expect(checkRequestBounds(Object.assign(Object.create(null), { a: 1 })).ok).toBe(true);
  });

  it('applies a string length bound when asked, and formats failures for -32602', () => {
    const result = checkRequestBounds({ id: 'x'.repeat(65) }, { maxStringLength: 64, root: 'dcql_query' });
    expect(result).toEqual({ ok: false, field: 'dcql_query.id', message: 'is longer than 64 characters' });
    if (!result.ok) expect(describeBoundsFailure(result)).toBe('dcql_query.id: is longer than 64 characters');
    expect(checkRequestBounds({ a: [1, { b: [] }] }, { root: '', maxDepth: 2 })).toEqual({
      ok: false,
      field: 'a[1]',
      message: 'is nested deeper than 2 levels',
    });
  });
});
