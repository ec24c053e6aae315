import type { CredentialView } from './holder-views.ts';

/** What the approval window shows of a pending request, per kind (answers to `getApproval`). */

export type ApprovalKind = 'identity' | 'offer' | 'credentials' | 'data-access';

export interface IdentityApprovalView {
  id: string;
  kind: 'identity';
  origin: string;
  createdAt: string;
  /** The site's pairwise DID if it already has one; otherwise a new one is made on approval. */
  pairwiseDid: string | null;
}

/** A site offers a credential: it verified; the user decides whether to keep it. */
export interface OfferApprovalView {
  id: string;
  kind: 'offer';
  origin: string;
  createdAt: string;
  credential: CredentialView;
}

/** A claim as the consent screen shows it. */
export interface ConsentClaimView {
  path: (string | number)[];
  value: unknown;
  /** The request asked for it (SD-JWT: disclosed by default). */
  requested: boolean;
  /** SD-JWT: the user may withhold or add it. jwt_vc_json: false — the whole credential leaves. */
  disclosable: boolean;
}

export interface ConsentCandidateView {
  credential: CredentialView;
  claims: ConsentClaimView[];
}

export interface ConsentQueryView {
  /** What the site asked for, shown even when nothing the wallet holds matches. */
  asked: { format: string; types: string[]; claims: (string | number | null)[][] };
  /** The DCQL credential query id (the key in vp_token). */
  queryId: string;
  /** Candidates in preference order; the first is preselected. */
  candidates: ConsentCandidateView[];
  /** False when the query sets require_cryptographic_holder_binding: false. */
  holderBinding: boolean;
}

/** A site asks for credentials (OpenID4VP + DCQL, via the Digital Credentials API or wallet_requestCredentials). */
export interface CredentialsApprovalView {
  id: string;
  kind: 'credentials';
  origin: string;
  createdAt: string;
  /** The verified client_id of a signed request, else null. */
  clientId: string | null;
  queries: ConsentQueryView[];
}

/** A stated purpose, in the holder's words. */
export interface PurposeView {
  term: string;
  label: string;
  description: string;
  /** Consented to separately (AI model training): its own checkbox, unticked by default. */
  separate: boolean;
}

/** Who asks, as far as the wallet could verify it (accreditation: issue of research access). */
export type RequesterView =
  | { verified: false; origin: string; reason: string }
  | { verified: true; origin: string; name: string; did: string; accreditor: string; study: string | null; ethicsApproval: string | null };

/** A site asks for ongoing access to data for stated purposes and a term. */
export interface DataAccessApprovalView {
  id: string;
  kind: 'data-access';
  origin: string;
  createdAt: string;
  requester: RequesterView;
  purposes: PurposeView[];
  durationDays: number;
  /** When the grant would end if approved now. */
  expiresAt: string;
  /** Accesses allowed (null: no limit). */
  usageLimit: number | null;
  /** How long the requester says it keeps what it receives (null: not stated). */
  retentionDays: number | null;
  queries: ConsentQueryView[];
}

export type ApprovalView = IdentityApprovalView | OfferApprovalView | CredentialsApprovalView | DataAccessApprovalView;

/** `getApproval` answer: the request, or that it is already settled (the window should close). */
export type ApprovalLookup =
  | { state: 'pending'; approval: ApprovalView }
  | { state: 'settled' }
  | { state: 'locked'; origin: string; kind: ApprovalKind };
