import type { ReceiptProof } from '../../protocol/receipt-proof.ts';
import type { GrantRecord } from '../grants/grant-record.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { AnchoringStore } from './anchoring-store.ts';

/**
 * The receipt proof of a data grant (DESIGN.md §6) against the last mined anchor:
 * the `grant.given` entry whose payload is the receipt, its salt, its inclusion path
 * in the anchored tree, the root, the anchor's signed checkpoint and transaction.
 * Null while no anchor covers the entry, or once the user deleted the entry's
 * payload (without the salt the digest cannot be opened).
 */
export async function receiptProofFor(wallet: { ledger: Ledger; anchoring: AnchoringStore }, grant: GrantRecord): Promise<ReceiptProof | null> {
  if (!grant.receipt) return null;
  const anchor = (await wallet.anchoring.state()).lastAnchor;
  if (!anchor) return null;
  const indexed = await wallet.anchoring.receiptEntry(grant.id);
  if (!indexed || indexed.seq >= anchor.treeSize) return null;
  const proof = await wallet.ledger.entryProof(indexed.seq, anchor.treeSize);
  if (!proof.salt || proof.entry.kind !== 'grant.given' || proof.entry.subject !== grant.id || proof.root !== anchor.root) return null;
  return {
    v: 1,
    receipt: grant.receipt,
    entry: proof.entry,
    salt: proof.salt,
    leafIndex: proof.leafIndex,
    treeSize: proof.treeSize,
    inclusion: proof.inclusion,
    root: proof.root,
    checkpoint: anchor.checkpoint,
    anchor: { chainId: anchor.chainId, contract: anchor.contract, account: anchor.account, logId: anchor.logId, txHash: anchor.txHash, blockNumber: anchor.blockNumber },
  };
}
