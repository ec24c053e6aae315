import { receiptHash } from './receipt-hash.ts';
import type { AnchorTransaction, AnchoringSettings } from './anchoring-records.ts';

/**
 * One revocation per grant, one anchor per size, per chain and contract: the ids say
 * so, so neither is ever queued twice for the same target. A record left from another
 * target (the user pointed anchoring elsewhere) is replaced by the new one.
 */
export const revocationId = (grantId: string) => `rv-${grantId}`;
export const anchorId = (treeSize: number) => `an-${treeSize}`;


function queued(settings: AnchoringSettings, at: number): Omit<AnchorTransaction, 'id' | 'kind' | 'treeSize' | 'root' | 'checkpoint' | 'grantId' | 'receiptHash'> | null {
  if (!settings.rpcUrl || !settings.contract || settings.chainId === null) return null;
  const time = new Date(at).toISOString();
  return {
    v: 1,
    state: 'queued',
    rpcUrl: settings.rpcUrl,
    contract: settings.contract,
    chainId: settings.chainId,
    signed: null,
    blockNumber: null,
    attempts: 0,
    nextAttemptAt: null,
    lastError: null,
    createdAt: time,
    updatedAt: time,
  };
}

export function newRevocation(settings: AnchoringSettings, grantId: string, receipt: string, at: number): AnchorTransaction | null {
  const base = queued(settings, at);
  if (!base) return null;
  return { ...base, id: revocationId(grantId), kind: 'revoke', treeSize: null, root: null, checkpoint: null, grantId, receiptHash: receiptHash(receipt) };
}

export function newAnchor(settings: AnchoringSettings, head: { size: number; root: string; note: string }, at: number): AnchorTransaction | null {
  const base = queued(settings, at);
  if (!base) return null;
  return { ...base, id: anchorId(head.size), kind: 'anchor', treeSize: head.size, root: head.root, checkpoint: head.note, grantId: null, receiptHash: null };
}

/** Whether `tx` went (or goes) to the chain and contract `settings` name now. */
export const sameTarget = (tx: AnchorTransaction | undefined, settings: AnchoringSettings): tx is AnchorTransaction =>
  tx !== undefined && tx.chainId === settings.chainId && tx.contract === settings.contract;
