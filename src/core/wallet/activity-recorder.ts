import type { DomainEvent } from '../commit/domain-events.ts';
import type { CommitEnricher, Enrichment } from '../commit/unit-of-work.ts';
import type { LedgerItem } from '../ledger/records.ts';
import type { WalletSession } from './wallet-session.ts';

/**
 * The activity log's side of the commit point: every domain event the ledger records
 * becomes an entry appended in the same transaction as the change it records
 * (DESIGN.md §4). Payloads say what happened — origins, credential types, claim paths,
 * purposes — never a claim value; a data grant's payload is exactly its receipt JWT.
 */
export function activityRecorder(session: WalletSession): CommitEnricher {
  return async (unit): Promise<Enrichment> => {
    const items = unit.events.flatMap(toLedgerItems);
    if (items.length === 0) return { ops: [] };
    const wallet = await session.current();
    // Nothing the ledger records happens while locked (its key is needed to write it).
    if (!wallet) return { ops: [] };
    const { ops, entries } = await wallet.ledger.appendOps(items);
    // A receipt proof starts from the entry that commits to the receipt: index it by grant.
    const withReceipt = new Set(unit.events.flatMap((e) => (e.type === 'grant.given' && e.receipt ? [e.grantId] : [])));
    for (const entry of entries) {
      if (entry.kind === 'grant.given' && withReceipt.has(entry.subject)) ops.push(await wallet.anchoring.receiptEntryOp(entry.subject, entry.seq));
    }
    return { ops, committed: () => wallet.ledger.committed(entries) };
  };
}

const item = (kind: LedgerItem['kind'], subject: string, payload: Record<string, unknown>): LedgerItem => ({
  kind,
  subject,
  payload: JSON.stringify(payload),
});

export function toLedgerItems(event: DomainEvent): LedgerItem[] {
  switch (event.type) {
    case 'wallet.created':
      return [item('wallet.created', 'wallet', {})];
    case 'wallet.backedUp':
      return [item('wallet.backedUp', 'wallet', { keyCount: event.keyCount })];
    case 'identity.login':
      return [item('identity.login', event.grantId, { origin: event.origin, firstTime: event.firstTime })];
    case 'grant.given':
      // A data grant's entry commits to its receipt, so a receipt proof can show it (§6).
      if (event.receipt) return [{ kind: 'grant.given', subject: event.grantId, payload: event.receipt }];
      return [item('grant.given', event.grantId, { origin: event.origin, kind: event.kind, purposes: event.purposes })];
    case 'grant.accessed':
      return [item('grant.accessed', event.grantId, { origin: event.origin })];
    case 'grant.revoked':
      return [item('grant.revoked', event.grantId, { origin: event.origin, actor: event.actor })];
    case 'grant.expired':
      return [item('grant.expired', event.grantId, { origin: event.origin })];
    case 'credential.received':
      return [item('credential.received', event.credentialId, { from: event.from, format: event.format, types: event.types, issuer: event.issuer })];
    case 'credential.deleted':
      return [item('credential.deleted', event.credentialId, {})];
    case 'credential.status':
      return [item('credential.status', event.credentialId, { state: event.state })];
    case 'credential.presented':
      return [
        item('credential.presented', event.credentials.map((c) => c.id).join(',') || 'none', {
          origin: event.origin,
          credentials: event.credentials.map(({ types, claimPaths }) => ({ types, claimPaths })),
        }),
      ];
    case 'trust.changed':
      return [item('trust.changed', event.did, { did: event.did, trusted: event.trusted })];
    case 'accreditor.changed':
      return [item('accreditor.changed', event.did, { did: event.did, trusted: event.trusted })];
    case 'requester.checked': {
      const { origin, verified, did, reason, accreditor, study } = event;
      return [item('requester.checked', origin, { origin, verified, did, reason, accreditor, study })];
    }
    case 'offer.refused':
      return [item('offer.refused', event.origin, { origin: event.origin, reason: event.reason })];
    case 'deletion.requested':
      return [item('deletion.requested', event.grantId, { origin: event.origin })];
    case 'anchor.sent': {
      const { kind, chainId, contract, txHash, blockNumber, treeSize, root, grantId, consistency } = event;
      return [item('anchor.sent', event.transactionId, { kind, chainId, contract, txHash, blockNumber, treeSize, root, grantId, consistency })];
    }
    case 'wallet.locked':
    case 'wallet.unlocked':
    case 'anchoring.changed':
      return [];
  }
}
