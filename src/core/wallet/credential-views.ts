import type { CredentialView } from '../../protocol/internal.ts';
import type { CredentialRecord } from '../credentials/types.ts';
import { categoriesOf, type ResearchPolicy } from '../research/data-categories.ts';
import type { UnlockedWallet } from './wallet-session.ts';

/**
 * How the wallet's pages show a credential: its claims, issuer (and whether trusted),
 * status and data categories. Callers showing many pass the policy, read once.
 */
export async function toCredentialView(wallet: UnlockedWallet, record: CredentialRecord, policy?: ResearchPolicy): Promise<CredentialView> {
  const label = await wallet.trust.labelOf(record.issuer);
  const categoryPolicy = policy ?? (await wallet.research.policy());
  return {
    id: record.id,
    format: record.format,
    issuer: record.issuer,
    issuerTrusted: label !== null,
    issuerLabel: label,
    types: record.types,
    vct: record.vct,
    claims: record.claims.map(({ path, value, disclosable }) => ({ path, value, disclosable })),
    issuedAt: record.issuedAt,
    validFrom: record.validFrom,
    validUntil: record.validUntil,
    receivedAt: record.receivedAt || null,
    receivedFrom: record.receivedFrom,
    holderDid: record.holder.did,
    status: { state: record.statusResult.state, checkedAt: record.statusResult.checkedAt, reason: record.statusResult.reason },
    categories: categoriesOf(categoryPolicy, record),
    categoriesSetByUser: record.id in categoryPolicy.overrides,
    ...(record.display ? { display: { source: record.display.source, cards: record.display.cards, claims: record.display.claims.map(({ path, labels }) => ({ path, labels })) } } : {}),
    ...(record.displayNotes?.length ? { displayNotes: record.displayNotes } : {}),
    ...(record.issuerCheck ? { issuerCheck: record.issuerCheck } : {}),
  };
}
