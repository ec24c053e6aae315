import { fromBase64Url } from '../ledger/base64url.ts';
import type { Ledger } from '../ledger/ledger.ts';
import { verifyConsistency } from '../ledger/merkle-verify.ts';
import type { ConfirmedAnchor } from './anchoring-records.ts';

/**
 * Successive anchors describe one append-only log (RFC 9162 consistency): the new
 * tree must extend the anchored one.
 */
/** The consistency proof from the last anchor to `head`, if it verifies; else null. */
export async function consistencyFrom(ledger: Ledger, last: ConfirmedAnchor, head: { size: number; root: string }) {
  if (head.size <= last.treeSize) return null;
  const proof = await ledger.consistencyProof(last.treeSize, head.size);
  const ok = verifyConsistency(last.treeSize, head.size, fromBase64Url(last.root), fromBase64Url(head.root), proof.map(fromBase64Url));
  return ok ? { fromSize: last.treeSize, fromRoot: last.root, proof } : null;
}
