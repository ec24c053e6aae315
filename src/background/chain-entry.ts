/**
 * chain.js, the worker's second classic script (vite.config.ts, `chain` pass): viem
 * and the chain client, kept out of background.js so a worker start does not parse
 * them. It defines one global and does nothing else at top level: the worker imports
 * it during `install` (to have it cached) and again when the chain is first needed
 * (adapters/lazy-anchor-chain.ts).
 */
import { createViemAnchorChain } from '../core/anchoring/viem-chain.ts';
import type { ChainScript } from './adapters/lazy-anchor-chain.ts';

const chainScript: ChainScript = { createViemAnchorChain };
globalThis.__tesseraChain = chainScript;
