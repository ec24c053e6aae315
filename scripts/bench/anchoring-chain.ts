/**
 * An anchoring account on the development chain for the Node measurements: a fresh
 * secp256k1 key funded by the chain's deployer, sending TesseraAnchor calls through
 * the wallet's own chain client (createViemAnchorChain: gas estimated by the node,
 * pending nonce, EIP-1559 fees), and reading each receipt's gasUsed and events.
 */
import { generatePrivateKey } from 'viem/accounts';
import { createViemAnchorChain } from '../../src/core/anchoring/viem-chain.ts';
import { fromHex } from '../../src/core/encoding.ts';
import type { AnchorCall, AnchorChain, MinedChainTransaction } from '../../src/core/ports.ts';
import type { Hex } from '../../src/protocol/receipt-proof.ts';
import type { DevChain } from '../lib/dev-chain.ts';

const FUNDING_WEI = 100n * 10n ** 18n;
const RECEIPT_POLL_MS = 20;
const RECEIPT_TIMEOUT_MS = 30_000;

export interface BenchAccount {
  address: Hex;
  /** The chain client it sends through (also a reader for verification). */
  chain: AnchorChain;
  /** Signs, broadcasts and waits for the receipt; fails unless the transaction succeeded. */
  send(call: AnchorCall): Promise<MinedChainTransaction>;
}

export async function benchAccount(devChain: DevChain): Promise<BenchAccount> {
  const chain = createViemAnchorChain();
  const privateKey = fromHex(generatePrivateKey().slice(2));
  const address = await chain.address(privateKey);
  await devChain.fund(address, FUNDING_WEI);
  const target = { rpcUrl: devChain.rpcUrl, contract: devChain.contract };
  return {
    address,
    chain,
    async send(call) {
      const signed = await chain.prepare(target, devChain.chainId, privateKey, call);
      await chain.broadcast(devChain.rpcUrl, signed.raw);
      const deadline = Date.now() + RECEIPT_TIMEOUT_MS;
      for (;;) {
        const mined = await chain.minedTransaction(devChain.rpcUrl, signed.txHash);
        if (mined) {
          if (mined.status !== 'success') throw new Error(`${call.fn} transaction ${signed.txHash} ${mined.status}`);
          return mined;
        }
        if (Date.now() > deadline) throw new Error(`${call.fn} transaction ${signed.txHash} not mined within ${RECEIPT_TIMEOUT_MS} ms`);
        await new Promise((resolveWait) => setTimeout(resolveWait, RECEIPT_POLL_MS));
      }
    },
  };
}
