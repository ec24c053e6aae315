import { describe, expect, it } from 'vitest';
import { sessionCopy } from './session-copy.ts';

describe('sessionCopy', () => {
  it('gives what Chromium 156 gave back from storage.session for the same value', () => {
    // Stored with chrome.storage.session.set and read back with get (and seen the same on onChanged).
    const stored = {
      b: 1,
      a: 2,
      u: undefined,
      d: new Date(0),
      n: NaN,
      f: () => 1,
      arr: [3, undefined, { z: 1, y: 2 }],
      t: new Uint8Array([1, 2]),
    };
    const copy = sessionCopy(stored);
    expect(JSON.stringify(copy)).toBe('{"a":2,"arr":[3,null,{"y":2,"z":1}],"b":1,"d":{},"t":{}}');
    expect(Object.keys(copy as object)).toEqual(['a', 'arr', 'b', 'd', 't']);
  });

  it('is a deep copy: changing it or the original leaves the other as it was', () => {
    const original = { list: [{ id: 'a', shown: false }], at: 5 };
    const copy = sessionCopy(original) as typeof original;
    copy.list[0]!.shown = true;
    original.list.push({ id: 'b', shown: false });
    expect(copy).toEqual({ at: 5, list: [{ id: 'a', shown: true }] });
    expect(original.list[0]!.shown).toBe(false);
  });

  it('keeps plain values and null, and gives undefined for what is not stored at all', () => {
    expect(sessionCopy('secret')).toBe('secret');
    expect(sessionCopy(0)).toBe(0);
    expect(sessionCopy(false)).toBe(false);
    expect(sessionCopy(null)).toBe(null);
    expect(sessionCopy(undefined)).toBe(undefined);
    expect(sessionCopy(Infinity)).toBe(undefined);
    expect(sessionCopy([null, NaN])).toEqual([null, null]);
  });
});
