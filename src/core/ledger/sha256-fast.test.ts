import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Fast } from './sha256-fast.ts';

const native = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('sha256Fast', () => {
  it('gives the FIPS 180-4 digests of the standard messages', () => {
    expect(hex(sha256Fast(new Uint8Array(0)))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(sha256Fast(Buffer.from('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hex(sha256Fast(Buffer.from('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('matches node:crypto at every length around the block and padding edges', () => {
    for (let length = 0; length <= 300; length++) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 31 + length) & 0xff);
      expect(hex(sha256Fast(bytes))).toBe(native(bytes));
    }
  });

  it('matches node:crypto on random inputs and on a prefix of a longer buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.nat(), (bytes, cut) => {
        expect(hex(sha256Fast(bytes))).toBe(native(bytes));
        const length = bytes.length === 0 ? 0 : cut % bytes.length;
        expect(hex(sha256Fast(bytes, length))).toBe(native(bytes.subarray(0, length)));
      }),
      { numRuns: 500 },
    );
  });
});
