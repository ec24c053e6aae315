/**
 * The research portal's own check of a consent receipt on the chain (DESIGN.md §6,
 * "Anyone verifies"): the repository's `verify-receipt` logic as it is —
 * `verifyReceiptProof` from core with the viem chain client, its verdict read by the
 * command's exit code and its lines as the command prints them — on the proof the
 * wallet gave the portal for a grant whose receipt the portal holds.
 */
import { verifyReceiptProof, type ReceiptVerification } from '../../src/core/anchoring/receipt-verification.ts';
import { EXIT_REVOKED, EXIT_VERIFIED, exitCodeOf, formatVerification } from '../../cli/verify-receipt-command.ts';
import type { AnchorChainReader } from '../../src/core/ports.ts';

export interface ReceiptVerdict {
  /** valid: every check holds, not revoked; revoked: every check holds, revoked on chain; failed: a check failed. */
  verdict: 'valid' | 'revoked' | 'failed';
  revokedAtBlock: number | null;
  /** The first check that failed, named as verify-receipt names it. */
  failedCheck: string | null;
  /** What `npm run verify-receipt` prints for this proof. */
  lines: string[];
  checks: ReceiptVerification['checks'];
  rpcUrl: string;
  checkedAt: string;
}

let defaultChain: Promise<AnchorChainReader> | undefined;
/** viem is loaded only when a portal first checks a receipt (as the CLI does). */
function viemChain(): Promise<AnchorChainReader> {
  defaultChain ??= import('../../src/core/anchoring/viem-chain.ts').then((m) => m.createViemAnchorChain());
  return defaultChain;
}

/**
 * Checks `proof` (a receipt proof as wallet_getGrants hands it) against the node at
 * `rpcUrl`; `heldReceipt` is the receipt the portal kept for the grant: a proof of any
 * other receipt is refused before the chain is asked.
 */
export async function checkReceiptOnChain(proof: unknown, heldReceipt: string, rpcUrl: string, chain?: AnchorChainReader): Promise<ReceiptVerdict> {
  const proved = typeof proof === 'object' && proof !== null ? (proof as { receipt?: unknown }).receipt : undefined;
  if (proved !== heldReceipt) throw new Error('the proof is not of the consent receipt the portal holds for this grant');
  const result = await verifyReceiptProof(proof, chain ?? (await viemChain()), rpcUrl);
  const code = exitCodeOf(result);
  return {
    verdict: code === EXIT_VERIFIED ? 'valid' : code === EXIT_REVOKED ? 'revoked' : 'failed',
    revokedAtBlock: result.revokedAtBlock,
    failedCheck: result.firstFailure,
    lines: formatVerification(result),
    checks: result.checks,
    rpcUrl,
    checkedAt: new Date().toISOString(),
  };
}
