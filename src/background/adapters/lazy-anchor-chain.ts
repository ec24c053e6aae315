import type { createViemAnchorChain } from '../../core/anchoring/viem-chain.ts';
import type { AnchorCall, AnchorChain, ChainTarget } from '../../core/ports.ts';
import type { Hex } from '../../protocol/receipt-proof.ts';

/** The worker's second script (vite.config.ts, `chain` pass): viem and the chain client. */
export const CHAIN_SCRIPT = 'chain.js';

/** What chain.js puts on the worker's global object (src/background/chain-entry.ts). */
export interface ChainScript {
  createViemAnchorChain: typeof createViemAnchorChain;
}

declare global {
  var __tesseraChain: ChainScript | undefined;
}

/**
 * The chain client port for the service worker, loading chain.js on first use. The
 * worker is one classic script, so the chain code cannot be a dynamic import (Vite
 * would inline it into background.js, parsed on every start); `importScripts` of a
 * script the worker imported during its `install` event works at any later time
 * (src/background/index.ts). Most worker starts never touch the chain, so they pay
 * nothing for viem.
 */
export class LazyAnchorChain implements AnchorChain {
  private chain: AnchorChain | null = null;

  /** `load` returns chain.js's exports (the default imports the script once). */
  constructor(private readonly load: () => ChainScript = importChainScript) {}

  chainId(rpcUrl: string): Promise<number> {
    return this.use((chain) => chain.chainId(rpcUrl));
  }

  hasCode(rpcUrl: string, address: Hex): Promise<boolean> {
    return this.use((chain) => chain.hasCode(rpcUrl, address));
  }

  minedTransaction(rpcUrl: string, txHash: Hex) {
    return this.use((chain) => chain.minedTransaction(rpcUrl, txHash));
  }

  revokedAt(target: ChainTarget, by: Hex, receiptHash: Hex): Promise<number> {
    return this.use((chain) => chain.revokedAt(target, by, receiptHash));
  }

  address(privateKey: Uint8Array): Promise<Hex> {
    return this.use((chain) => chain.address(privateKey));
  }

  balance(rpcUrl: string, address: Hex): Promise<bigint> {
    return this.use((chain) => chain.balance(rpcUrl, address));
  }

  known(rpcUrl: string, txHash: Hex): Promise<boolean> {
    return this.use((chain) => chain.known(rpcUrl, txHash));
  }

  prepare(target: ChainTarget, chainId: number, privateKey: Uint8Array, call: AnchorCall) {
    return this.use((chain) => chain.prepare(target, chainId, privateKey, call));
  }

  broadcast(rpcUrl: string, raw: Hex): Promise<Hex> {
    return this.use((chain) => chain.broadcast(rpcUrl, raw));
  }

  /** Loads on first use; a failed load is a rejected call (and the next call tries again). */
  private async use<T>(call: (chain: AnchorChain) => Promise<T>): Promise<T> {
    this.chain ??= this.load().createViemAnchorChain();
    return call(this.chain);
  }
}

function importChainScript(): ChainScript {
  if (!globalThis.__tesseraChain) {
    try {
      importScripts(CHAIN_SCRIPT);
    } catch (error) {
      throw new Error(`The chain client (${CHAIN_SCRIPT}) could not be loaded: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
  const loaded = globalThis.__tesseraChain;
  if (!loaded) throw new Error(`${CHAIN_SCRIPT} ran but did not provide the chain client.`);
  return loaded;
}
