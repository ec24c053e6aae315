import type { CommitEnricher, Enrichment } from '../commit/unit-of-work.ts';
import type { WriteOp } from '../ports.ts';
import type { WalletSession } from '../wallet/wallet-session.ts';
import { newRevocation, revocationId } from './anchor-queue-items.ts';

/**
 * Revocations go to the chain at once (DESIGN.md §6): a data grant's revocation
 * queues its chain transaction in the same transaction as the revocation itself, so
 * a worker stopped right after cannot lose it. The sender (a subscriber) sends it.
 */
export function anchoringEnricher(session: WalletSession, now: () => number): CommitEnricher {
  return async (unit): Promise<Enrichment> => {
    const revoked = unit.events.flatMap((e) => (e.type === 'grant.revoked' && e.receipt ? [{ grantId: e.grantId, receipt: e.receipt }] : []));
    if (revoked.length === 0) return { ops: [] };
    const wallet = await session.current();
    if (!wallet) return { ops: [] };
    const state = await wallet.anchoring.state();
    if (!state.settings.enabled || !state.account) return { ops: [] };
    const ops: WriteOp[] = [];
    for (const { grantId, receipt } of revoked) {
      if (await wallet.anchoring.transaction(revocationId(grantId))) continue;
      const tx = await newRevocation(state.settings, grantId, receipt, now());
      if (tx) ops.push(await wallet.anchoring.transactionOp(tx));
    }
    return { ops };
  };
}
