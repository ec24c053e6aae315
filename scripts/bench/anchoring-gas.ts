/**
 * Gas on the development chain (DESIGN.md §6), from the receipts of real transactions:
 *
 * - per anchored ledger entry: a real core Ledger grows by 1, 16, 256 or 4,096 entries,
 *   its signed head (size and root, as the wallet anchors it) goes on the chain in one
 *   `anchor` transaction, and its gasUsed is divided by the growth. The baseline is one
 *   transaction per entry: an anchor after every single entry. Each growth is measured
 *   in several rounds, interleaved, on one ledger that keeps growing.
 * - per revocation: `revoke(SHA-256(receipt))` of real consent receipts, the first call
 *   (records the block, emits Revoked) and its repeat (a no-op by design), against the
 *   gas of an anchor.
 */
import { randomBytes, toHex } from '../../src/core/encoding.ts';
import { base64UrlHashToHex, receiptHash } from '../../src/core/anchoring/receipt-verification.ts';
import type { Hex } from '../../src/protocol/receipt-proof.ts';
import type { DevChain } from '../lib/dev-chain.ts';
import { benchAccount } from './anchoring-chain.ts';
import { benchLedger } from './anchoring-ledger.ts';

export const GROWTHS = [1, 16, 256, 4_096] as const;

export interface AnchorSample {
  growth: number;
  treeSize: number;
  gasUsed: number;
  txHash: Hex;
}

export interface RevocationSample {
  receiptHash: Hex;
  firstGasUsed: number;
  repeatGasUsed: number;
  /** Events the repeat emitted (0 by design). */
  repeatEvents: number;
}

export interface GasFigures {
  anchors: AnchorSample[];
  revocations: RevocationSample[];
}

export async function measureGas(devChain: DevChain, receipts: readonly string[], rounds: number, log: (line: string) => void): Promise<GasFigures> {
  const account = await benchAccount(devChain);
  const { ledger, grow } = await benchLedger();
  const logId: Hex = `0x${toHex(randomBytes(32))}`;
  const anchors: AnchorSample[] = [];
  log(`anchoring gas: ${rounds} rounds of anchors after ${GROWTHS.join(', ')} new entries`);
  for (let round = 0; round < rounds; round++) {
    for (const growth of GROWTHS) {
      await grow(growth);
      const head = await ledger.signedHead();
      const root = base64UrlHashToHex(head.root);
      const mined = await account.send({ fn: 'anchor', logId, treeSize: head.size, root });
      const event = mined.anchored.find((a) => a.contract.toLowerCase() === devChain.contract.toLowerCase());
      if (!event || event.logId !== logId || event.treeSize !== head.size || event.root !== root) {
        throw new Error(`anchor ${mined.txHash} logged ${JSON.stringify(mined.anchored)}, not Anchored(${logId}, ${head.size}, ${root})`);
      }
      anchors.push({ growth, treeSize: head.size, gasUsed: mined.gasUsed, txHash: mined.txHash });
    }
  }

  const revocations: RevocationSample[] = [];
  for (const receipt of receipts) {
    const hash = receiptHash(receipt);
    const first = await account.send({ fn: 'revoke', receiptHash: hash });
    if (first.revoked.length !== 1 || first.revoked[0]!.receiptHash !== hash || first.revoked[0]!.by !== account.address) {
      throw new Error(`revoke ${first.txHash} logged ${JSON.stringify(first.revoked)}, not Revoked(${account.address}, ${hash})`);
    }
    const repeat = await account.send({ fn: 'revoke', receiptHash: hash });
    const at = await account.chain.revokedAt({ rpcUrl: devChain.rpcUrl, contract: devChain.contract }, account.address, hash);
    if (at !== first.blockNumber) throw new Error(`revokedAt is ${at} after the repeat, not the first revocation's block ${first.blockNumber}`);
    revocations.push({ receiptHash: hash, firstGasUsed: first.gasUsed, repeatGasUsed: repeat.gasUsed, repeatEvents: repeat.revoked.length + repeat.anchored.length });
  }
  return { anchors, revocations };
}

export const gasPerEntry = (anchors: readonly AnchorSample[], growth: number): number[] =>
  anchors.filter((a) => a.growth === growth).map((a) => a.gasUsed / growth);
