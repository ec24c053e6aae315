import { afterEach, describe, expect, it } from 'vitest';
import { createViemAnchorChain } from '../../core/anchoring/viem-chain.ts';
import { LazyAnchorChain, type ChainScript } from './lazy-anchor-chain.ts';

// Hardhat's published account 0.
const KEY = Uint8Array.from(Buffer.from('ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80', 'hex'));
const ADDRESS = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';

describe('LazyAnchorChain', () => {
  afterEach(() => {
    delete globalThis.__tesseraChain;
  });

  it('loads the chain script on first use only, once, and delegates to it', async () => {
    let loads = 0;
    const chain = new LazyAnchorChain((): ChainScript => {
      loads++;
      return { createViemAnchorChain };
    });
    expect(loads).toBe(0);
    expect(await chain.address(KEY)).toBe(ADDRESS);
    expect(await chain.address(KEY)).toBe(ADDRESS);
    expect(loads).toBe(1);
  });

  it('a failed load rejects the call, and the next call tries again', async () => {
    let attempts = 0;
    const chain = new LazyAnchorChain((): ChainScript => {
      if (++attempts === 1) throw new Error('NetworkError: chain.js not cached');
      return { createViemAnchorChain };
    });
    await expect(chain.address(KEY)).rejects.toThrow('NetworkError: chain.js not cached');
    expect(await chain.address(KEY)).toBe(ADDRESS);
    expect(attempts).toBe(2);
  });

  it('by default uses the global chain.js defined, and says so when it cannot import the script', async () => {
    await expect(new LazyAnchorChain().address(KEY)).rejects.toThrow(/^The chain client \(chain\.js\) could not be loaded: importScripts is not defined/);
    globalThis.__tesseraChain = { createViemAnchorChain };
    expect(await new LazyAnchorChain().address(KEY)).toBe(ADDRESS);
  });
});
