import type { ReceiptProof } from './receipt-proof.ts';
import type { PurposeView, RequesterView } from './approval-views.ts';
import type { GuardianView } from './research-views.ts';

/** What the dashboard and popup show: credentials, issuers, grants, receipts and the activity log. */

export type CredentialFormatView = 'jwt_vc_json' | 'vc+jwt' | 'dc+sd-jwt';

export interface CredentialStatusView {
  state: 'valid' | 'revoked' | 'suspended' | 'expired' | 'unknown';
  checkedAt: string | null;
  reason: string | null;
}

/** A held (or offered) credential as pages show it. */
export interface CredentialView {
  /** Empty for an offer not yet stored. */
  id: string;
  format: CredentialFormatView;
  issuer: string;
  issuerTrusted: boolean;
  /** The trust list's label for the issuer, if trusted. */
  issuerLabel: string | null;
  types: string[];
  vct: string | null;
  claims: { path: (string | number)[]; value: unknown; disclosable: boolean }[];
  issuedAt: string | null;
  validFrom: string | null;
  validUntil: string | null;
  receivedAt: string | null;
  receivedFrom: string | null;
  /** The wallet DID the credential is bound to. */
  holderDid: string;
  status: CredentialStatusView;
  /** Data categories (§8), e.g. ["health"]: by the policy's type patterns, or as the user set them. */
  categories?: string[];
  /** The user set the categories by hand (else they follow the policy). */
  categoriesSetByUser?: boolean;
  /** How the issuer asks the credential to be shown (names, colours, logo, claim labels); absent when it publishes nothing. */
  display?: CredentialDisplayView;
  /** Why the type metadata is not used, or claims that arrived against its sd rules. */
  displayNotes?: string[];
  /** An offer whose did:web issuer is resolved and its signature checked only when the holder accepts. */
  issuerCheck?: 'when-accepted';
}

/** A credential's cards per locale and its claim labels per path (null: every array element). */
export interface CredentialDisplayView {
  source: 'type-metadata' | 'issuer-metadata';
  cards: { locale?: string; name: string; description?: string; backgroundColor?: string; textColor?: string; logo?: { dataUri: string; alt?: string } }[];
  claims: { path: (string | number | null)[]; labels: { locale?: string; label: string; description?: string }[] }[];
}

export interface CredentialDetailView extends CredentialView {
  /** As received (compact JWT or SD-JWT with every disclosure). */
  raw: string;
}

export interface TrustedIssuerView {
  did: string;
  label: string;
  addedAt: string;
}

export interface GrantEventView {
  type: 'requested' | 'given' | 'accessed' | 'withdrawn' | 'expired';
  at: string;
  actor: 'holder' | 'requester' | 'wallet';
}

export interface GrantedCredentialView {
  credentialId: string;
  format: string;
  types: string[];
  claimPaths: (string | number)[][];
  /** The issuer's labels of those claims, as shown when the grant was given. */
  claimLabels?: CredentialDisplayView['claims'];
}

export interface GrantView {
  id: string;
  kind: 'identity' | 'data';
  origin: string;
  did: string;
  purposes: string[];
  /** The purposes in plain words (unknown terms of older records keep their term as label). */
  purposeViews: PurposeView[];
  createdAt: string;
  expiresAt: string | null;
  status: 'active' | 'revoked' | 'expired';
  /** Data grants: what the requester can read; empty for identity grants. */
  credentials: GrantedCredentialView[];
  usageLimit: number | null;
  usageCount: number;
  retentionDays: number | null;
  lastAccessAt: string | null;
  requester: RequesterView;
  /** Shared as parent or guardian of the data subject; the grant ends when the child comes of age. */
  guardian?: GuardianView | null;
  /** A receipt exists (data grants): `getReceipt` downloads it. */
  hasReceipt: boolean;
  events: GrantEventView[];
}

export interface ReceiptView {
  grantId: string;
  receipt: string;
  /** The DESIGN §6 receipt proof once anchored, else null. */
  receiptProof: ReceiptProof | null;
}

export interface DeletionRequestView {
  grantId: string;
  /** A JWT signed by the grant's pairwise DID, citing the grant and the receipt. */
  request: string;
  /** Where the requester said deletion requests go, if it did (else: download it). */
  endpoint: string | null;
}

export type ActivityKind =
  | 'wallet.created'
  | 'identity.login'
  | 'credential.received'
  | 'credential.deleted'
  | 'credential.status'
  | 'credential.presented'
  | 'grant.given'
  | 'grant.accessed'
  | 'grant.revoked'
  | 'grant.expired'
  | 'trust.changed'
  | 'deletion.requested'
  | 'anchor.sent'
  | 'accreditor.changed'
  | 'requester.checked'
  | 'wallet.backedUp'
  | 'wallet.restored'
  | 'offer.refused';

export interface ActivityEntryView {
  seq: number;
  at: string;
  kind: ActivityKind;
  subject: string;
  /** What the event says (origin, credential types, claim paths, purposes — never values), or null once deleted. */
  payload: Record<string, unknown> | null;
  /** The user deleted the payload ("deleted by you"). */
  deleted: boolean;
  /** The origin the entry concerns, for filtering, when the payload names one. */
  origin: string | null;
}

export interface ActivityPageView {
  total: number;
  entries: ActivityEntryView[];
}

export type LedgerIntegrityView =
  | { ok: true; size: number; root: string; checkpoint: string | null }
  | { ok: false; size: number; firstBadIndex: number; reason: string };
