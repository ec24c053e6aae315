import type { CommitEnricher, Enrichment } from '../commit/unit-of-work.ts';
import type { WriteOp } from '../ports.ts';
import type { WalletSession } from '../wallet/wallet-session.ts';
import type { AnchoringSettings } from './anchoring-records.ts';
import { newRevocation, revocationId, sameTarget } from './anchor-queue-items.ts';

/**
 * Revocations go to the chain at once (DESIGN.md §6): a data grant's revocation
 * queues its chain transaction in the same transaction as the revocation itself, so
 * a worker stopped right after cannot lose it; turning anchoring on (or pointing it
 * at another chain) queues every earlier revocation in the settings' transaction.
 * Both run under the commit point's enricher lock, so a revocation committing while
 * the settings change is seen by one of the two. The sender (a subscriber) sends them.
 */
export function anchoringEnricher(session: WalletSession, now: () => number): CommitEnricher {
  return async (unit): Promise<Enrichment> => {
    const revoked = unit.events.flatMap((e) => (e.type === 'grant.revoked' && e.receipt ? [{ grantId: e.grantId, receipt: e.receipt }] : []));
    const turnedOn = unit.events.flatMap((e) => (e.type === 'anchoring.changed' && e.settings.enabled ? [e.settings] : [])).at(-1);
    if (revoked.length === 0 && !turnedOn) return { ops: [] };
    const wallet = await session.current();
    if (!wallet) return { ops: [] };
    let settings: AnchoringSettings | undefined = turnedOn;
    if (!settings) {
      const state = await wallet.anchoring.state();
      if (!state.settings.enabled || !state.account) return { ops: [] };
      settings = state.settings;
    }
    if (turnedOn) {
      const earlier = (await wallet.grants.list()).filter((g) => g.receipt && g.events.some((e) => e.type === 'withdrawn'));
      revoked.push(...earlier.map((g) => ({ grantId: g.id, receipt: g.receipt! })));
    }
    const ops: WriteOp[] = [];
    const seen = new Set<string>();
    for (const { grantId, receipt } of revoked) {
      if (seen.has(grantId)) continue;
      seen.add(grantId);
      if (sameTarget(await wallet.anchoring.transaction(revocationId(grantId)), settings)) continue;
      const tx = newRevocation(settings, grantId, receipt, now());
      if (tx) ops.push(await wallet.anchoring.transactionOp(tx));
    }
    return { ops };
  };
}
