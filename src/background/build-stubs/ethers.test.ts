import * as real from 'ethers';
import { describe, expect, it } from 'vitest';
import * as stub from './ethers.ts';

// The stub replaces ethers only in the extension bundle; here both are importable,
// so every helper Veramo uses is checked against the real one.
describe('ethers build stub', () => {
  const privateKey = '0x' + 'ab'.repeat(32);

  it('derives the same secp256k1 public keys and address as ethers', () => {
    for (const compressed of [true, false]) {
      expect(stub.SigningKey.computePublicKey(privateKey, compressed)).toBe(real.SigningKey.computePublicKey(privateKey, compressed));
    }
    const uncompressed = real.SigningKey.computePublicKey(privateKey, false);
    const compressed = real.SigningKey.computePublicKey(privateKey, true);
    expect(stub.SigningKey.computePublicKey(compressed, false)).toBe(uncompressed);
    expect(stub.computeAddress(uncompressed)).toBe(real.computeAddress(uncompressed).toLowerCase());
    expect(stub.computeAddress(compressed)).toBe(real.computeAddress(compressed).toLowerCase());
  });

  it('converts bytes like ethers', () => {
    const bytes = new Uint8Array([0, 1, 254, 255]);
    expect(stub.hexlify(bytes)).toBe(real.hexlify(bytes));
    expect(Array.from(stub.getBytes('0x0001feff'))).toEqual(Array.from(real.getBytes('0x0001feff')));
    expect(stub.concat(['0x01', new Uint8Array([2, 3])])).toBe(real.concat(['0x01', new Uint8Array([2, 3])]));
    expect(stub.toUtf8String(stub.toUtf8Bytes('héllo ✓'))).toBe(real.toUtf8String(real.toUtf8Bytes('héllo ✓')));
    expect(stub.randomBytes(16)).toHaveLength(16);
    expect(() => stub.getBytes('not hex')).toThrow(TypeError);
  });

  it('refuses Ethereum-only features clearly', () => {
    expect(() => new stub.Wallet()).toThrow(/not supported/);
    expect(() => stub.Transaction.from()).toThrow(/not supported/);
  });
});
