/**
 * What an OpenID4VCI issuance approval carries until the user decides, and what its
 * window shows. What may be fetched before the decision (DESIGN.md §3.2, §5):
 * - a dashboard paste or a link the user clicked: the offer (if by reference), the
 *   issuer's metadata and its logo — the user asked for this issuer, and the window
 *   must say who is issuing;
 * - a site's `wallet_offerCredential`: nothing for a site the user is not connected
 *   to (the window shows the issuer URL from the offer, or the offer's URL when it is
 *   by reference); for a connected site (an active grant), as for a paste.
 */
import type { IssuanceApprovalView } from '../../protocol/internal.ts';
import type { IssuerDisplay } from '../credentials/display.ts';
import type { CredentialOffer, OfferSource } from '../issuance/credential-offer.ts';
import { configurationName, issuerDisplayOf } from '../issuance/issuer-display.ts';
import { loadIssuer } from '../issuance/issuance-client.ts';
import type { HttpFetcher } from '../ports.ts';
import type { ApprovalOf } from './approval-kinds.ts';
import { approvalHeader } from './approval-kinds.ts';

export type IssuanceVia = IssuanceApprovalView['via'];

/** Shown before the decision when the issuer's metadata could be fetched. */
export interface IssuancePreview {
  issuerDisplay: IssuerDisplay[];
  configurations: { id: string; name: string }[];
}

export interface IssuanceRequest {
  via: IssuanceVia;
  source: OfferSource;
  /** Known before the decision: by value, or fetched (paste, link, connected site). */
  offer: CredentialOffer | null;
  preview: IssuancePreview | null;
}

/** The issuer's metadata for the window: its display (logo fetched once, kept for the record) and the offered names. */
export async function previewOf(fetcher: HttpFetcher, offer: CredentialOffer): Promise<IssuancePreview> {
  const metadata = await loadIssuer(fetcher, offer);
  return {
    issuerDisplay: await issuerDisplayOf(fetcher, metadata.display),
    configurations: offer.configurationIds.map((id) => ({ id, name: configurationName(metadata.configurations[id], id) })),
  };
}

export function issuanceRequestOf(approval: ApprovalOf<'issuance'>): IssuanceRequest {
  return approval.issuance as IssuanceRequest;
}

export function issuanceView(approval: ApprovalOf<'issuance'>): IssuanceApprovalView {
  const { via, source, offer, preview } = issuanceRequestOf(approval);
  const display = preview?.issuerDisplay[0];
  return {
    ...approvalHeader(approval),
    via,
    issuer: offer?.credentialIssuer ?? null,
    offerUri: 'byReference' in source && !offer ? source.byReference : null,
    issuerName: display?.name ?? null,
    issuerLogo: display?.logo ?? null,
    configurations: preview?.configurations ?? offer?.configurationIds.map((id) => ({ id, name: id })) ?? [],
    txCode: offer?.preAuthorized?.txCode ?? null,
    txCodeMayBeAsked: offer === null,
    flow: offer ? (offer.preAuthorized ? 'pre-authorized' : 'authorization-code') : null,
  };
}
