import type { CredentialView } from './holder-views.ts';
import type { GuardianView, RequesterView } from './research-views.ts';

/** What the approval window shows of a pending request, per kind (answers to `getApproval`). */

export type ApprovalKind = 'identity' | 'offer' | 'credentials' | 'data-access' | 'issuance';

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

/** An OpenID4VCI credential offer: who issues what; the user decides whether to receive it. */
export interface IssuanceApprovalView {
  id: string;
  kind: 'issuance';
  /** Who handed the offer over: the site, the page whose link was clicked, or the issuer's origin for a dashboard paste. */
  origin: string;
  createdAt: string;
  via: 'site' | 'link' | 'dashboard';
  /** The credential issuer (its URL), or null for a site's offer by reference, fetched only once approved. */
  issuer: string | null;
  /** The offer's URL when it is given by reference and not fetched yet. */
  offerUri: string | null;
  /** The issuer's display name and logo (a data: URI) from its metadata, when fetched before the decision. */
  issuerName: string | null;
  issuerLogo: { dataUri: string; alt?: string } | null;
  /** Each offered credential configuration, by its display name (its id where the metadata was not fetched). */
  configurations: { id: string; name: string }[];
  /** The transaction code the issuer sent the user out of band; null when none is asked (or not known yet). */
  txCode: { inputMode: 'numeric' | 'text'; length?: number; description?: string } | null;
  /** The offer is not fetched yet: a code field is shown in case the issuer asks for one. */
  txCodeMayBeAsked: boolean;
  /** The authorization code flow: approving opens the issuer's login in a tab. */
  flow: 'pre-authorized' | 'authorization-code' | null;
}

/** A claim as the consent screen shows it. */
export interface ConsentClaimView {
  path: (string | number)[];
  value: unknown;
  /** The request asked for it (SD-JWT: disclosed by default). */
  requested: boolean;
  /** SD-JWT: the user may withhold or add it. jwt_vc_json: false — the whole credential leaves. */
  disclosable: boolean;
  /** Research purposes: why this claim is a direct identifier (HIPAA Safe Harbor), e.g. "a full date"; else absent. */
  directIdentifier?: string | null;
  /** A verified requester's study does not list this claim among those it may ask for. */
  beyondAccreditation?: boolean;
}

export interface ConsentCandidateView {
  credential: CredentialView;
  claims: ConsentClaimView[];
  /** Why this credential cannot be shared with this requester (a sensitive category, unverified requester); else absent. */
  blocked?: string | null;
  /** Data access: the user holds this credential for a child, as parent or guardian; else absent. */
  guardian?: GuardianView | null;
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
  /** Research purposes: the site accepts alternatives and the wallet preselected the least identifying one it can answer. */
  minimised?: boolean;
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
  /**
   * A signed request whose client_id DID attached an accreditation (`verifier_info`):
   * the requester as checked (§8); else null (the window names the client_id only).
   */
  requester?: RequesterView | null;
}

/** A stated purpose, in the holder's words. */
export interface PurposeView {
  term: string;
  label: string;
  description: string;
  /** Consented to separately (AI model training): its own checkbox, unticked by default. */
  separate: boolean;
  /** A verified requester's study does not list this purpose among its approved data uses. */
  beyondAccreditation?: boolean;
}

export type { RequesterView } from './research-views.ts';

/** A site asks for ongoing access to data for stated purposes and a term. */
export interface DataAccessApprovalView {
  id: string;
  kind: 'data-access';
  origin: string;
  createdAt: string;
  requester: RequesterView;
  purposes: PurposeView[];
  durationDays: number;
  /** When the grant would end if approved now with the preselected credentials (a guardian's ends at the coming of age). */
  expiresAt: string;
  /** When the asked term ends, whatever credentials are chosen. */
  termEndsAt: string;
  /** Accesses allowed (null: no limit). */
  usageLimit: number | null;
  /** How long the requester says it keeps what it receives (null: not stated). */
  retentionDays: number | null;
  queries: ConsentQueryView[];
  /** Where the request goes beyond the requester's accreditation, in plain words (one per finding). */
  warnings: string[];
  /** A preselected credential is a child's held by the user as parent or guardian (each candidate says its own); else null. */
  guardian: GuardianView | null;
}

export type ApprovalView = IdentityApprovalView | OfferApprovalView | CredentialsApprovalView | DataAccessApprovalView | IssuanceApprovalView;

/** `getApproval` answer: the request, or that it is already settled (the window should close). */
export type ApprovalLookup =
  | { state: 'pending'; approval: ApprovalView }
  | { state: 'settled' }
  | { state: 'locked'; origin: string; kind: ApprovalKind };
