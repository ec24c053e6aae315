/**
 * TEST ONLY. The wallet's own verdict on a receipt proof (core's verifyReceiptProof
 * over the viem chain reader), in the terms of the independent verifier
 * (test/independent/design-verifier.ts), so a test can hold the two to agree.
 */
import { verifyReceiptProof, type ReceiptCheckName } from '../../../src/core/anchoring/receipt-verification.ts';
import { createViemAnchorChain } from '../../../src/core/anchoring/viem-chain.ts';

export type WalletVerdict =
  | { verdict: 'valid'; revokedAtBlock: null }
  | { verdict: 'revoked'; revokedAtBlock: number }
  | { verdict: 'invalid'; failedStep: ReceiptCheckName; reason: string };

export async function walletVerdict(proof: unknown, rpcUrl: string): Promise<WalletVerdict> {
  const result = await verifyReceiptProof(proof, createViemAnchorChain(), rpcUrl);
  if (!result.ok) {
    const failed = result.checks.find((c) => c.ok === false)!;
    return { verdict: 'invalid', failedStep: failed.check, reason: failed.detail };
  }
  return result.revokedAtBlock === null ? { verdict: 'valid', revokedAtBlock: null } : { verdict: 'revoked', revokedAtBlock: result.revokedAtBlock };
}
