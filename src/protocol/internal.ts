import * as v from 'valibot';

/**
 * Commands from the extension's own pages (onboarding, approval window, popup,
 * dashboard) to the background. The background accepts them only from pages of
 * this extension (the trusted router); a website can never send them.
 */
export const PASSWORD_MIN_LENGTH = 8;
const Password = v.pipe(v.string('must be a string'), v.minLength(1, 'must not be empty'), v.maxLength(1024));
const NewPassword = v.pipe(
  v.string('must be a string'),
  v.minLength(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`),
  v.maxLength(1024, 'must be at most 1024 characters'),
);
const Id = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be an id'));
const ClaimPath = v.pipe(
  v.array(v.union([v.pipe(v.string(), v.maxLength(256)), v.pipe(v.number(), v.integer(), v.minValue(0))]), 'must be a claim path'),
  v.minLength(1, 'must not be empty'),
  v.maxLength(16, 'is too deep'),
);
/** What the user chose in a credentials consent: per DCQL query, one credential and the claims to disclose. */
const CredentialSelection = v.strictObject({
  queries: v.record(
    v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a DCQL query id')),
    v.strictObject({ credentialId: Id, claims: v.pipe(v.array(ClaimPath), v.maxLength(256)) }),
  ),
  /** The user saw the warning that a credential's status could not be checked, and shares anyway. */
  acceptUnknownStatus: v.optional(v.boolean()),
  /**
   * Data access: the purposes asked to be consented separately (AI model training)
   * that the user ticked. One not listed is left out of the grant.
   */
  separatePurposes: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(128))), v.maxLength(16))),
});
export type CredentialSelection = v.InferOutput<typeof CredentialSelection>;
const DidString = v.pipe(v.string('must be a string'), v.regex(/^did:[a-z0-9]+:\S{1,2000}$/, 'must be a DID'));
const CredentialText = v.pipe(v.string('must be a string'), v.minLength(1, 'must not be empty'), v.maxLength(65536, 'is too large (over 64 KiB)'));

export const AUTO_LOCK_MIN_MINUTES = 1;
export const AUTO_LOCK_MAX_MINUTES = 24 * 60;
export const AUTO_LOCK_DEFAULT_MINUTES = 15;

export const UiCommandSchema = v.variant('command', [
  v.strictObject({ command: v.literal('getState') }),
  v.strictObject({ command: v.literal('createWallet'), password: NewPassword }),
  v.strictObject({ command: v.literal('unlock'), password: Password }),
  v.strictObject({ command: v.literal('lock') }),
  v.strictObject({ command: v.literal('changePassword'), currentPassword: Password, newPassword: NewPassword }),
  v.strictObject({
    command: v.literal('setAutoLock'),
    minutes: v.pipe(
      v.number('must be a number'),
      v.integer('must be a whole number of minutes'),
      v.minValue(AUTO_LOCK_MIN_MINUTES, `must be at least ${AUTO_LOCK_MIN_MINUTES}`),
      v.maxValue(AUTO_LOCK_MAX_MINUTES, `must be at most ${AUTO_LOCK_MAX_MINUTES}`),
    ),
  }),
  v.strictObject({ command: v.literal('getApproval'), approvalId: Id }),
  v.strictObject({
    command: v.literal('resolveApproval'),
    approvalId: Id,
    decision: v.picklist(['approve', 'reject']),
    /** Credentials consent only. */
    selection: v.optional(CredentialSelection),
  }),
  v.strictObject({ command: v.literal('listGrants') }),
  v.strictObject({ command: v.literal('revokeGrant'), grantId: Id }),
  v.strictObject({ command: v.literal('listCredentials') }),
  v.strictObject({ command: v.literal('getCredential'), credentialId: Id }),
  v.strictObject({ command: v.literal('deleteCredential'), credentialId: Id }),
  v.strictObject({ command: v.literal('importCredential'), credential: CredentialText }),
  v.strictObject({ command: v.literal('refreshCredentialStatus'), credentialId: Id }),
  v.strictObject({ command: v.literal('listTrustedIssuers') }),
  v.strictObject({
    command: v.literal('addTrustedIssuer'),
    did: DidString,
    label: v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(80, 'must be at most 80 characters')),
  }),
  v.strictObject({ command: v.literal('removeTrustedIssuer'), did: DidString }),
  /** The receipt of a grant and, once anchored, its proof (download `receipt-<id>`). */
  v.strictObject({ command: v.literal('getReceipt'), grantId: Id }),
  /** A deletion request (GDPR Art. 17) signed by the grant's pairwise DID, citing grant and receipt. */
  v.strictObject({ command: v.literal('createDeletionRequest'), grantId: Id }),
  /** The activity timeline, newest first, paged and filtered. */
  v.strictObject({
    command: v.literal('listActivity'),
    offset: v.pipe(v.number(), v.integer(), v.minValue(0)),
    limit: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(500)),
    origin: v.optional(v.pipe(v.string(), v.maxLength(2048))),
    kind: v.optional(v.pipe(v.string(), v.maxLength(64))),
  }),
  /** Recompute the ledger's chain and root (`ledger-integrity`). */
  v.strictObject({ command: v.literal('verifyLedger') }),
  /** Delete one entry's payload and salt; the entry stays so the chain and proofs stay valid. */
  v.strictObject({ command: v.literal('deleteActivityPayload'), seq: v.pipe(v.number(), v.integer(), v.minValue(0)) }),
  /** Everything the wallet knows about the user, as structured JSON (GDPR Art. 15/20). */
  v.strictObject({ command: v.literal('exportData') }),
]);
export type UiCommand = v.InferOutput<typeof UiCommandSchema>;
export type UiCommandName = UiCommand['command'];

/** Stable codes the UI branches on. */
export type UiErrorCode =
  | 'invalid_input'
  | 'invalid_request'
  | 'user_rejected'
  | 'pending'
  | 'unauthorized'
  | 'not_initialized'
  | 'already_initialized'
  | 'locked'
  | 'wrong_password'
  | 'throttled'
  | 'not_found'
  /** A credential was refused (bad signature, expired, not bound to this wallet, …). */
  | 'invalid_credential'
  | 'internal';

export interface UiError {
  code: UiErrorCode;
  message: string;
  /** For `throttled` and `wrong_password`: when the next attempt is allowed. */
  retryAfterMs?: number;
}

export type UiReply<T> = { ok: true; value: T } | { ok: false; error: UiError };

export interface WalletStateView {
  initialized: boolean;
  unlocked: boolean;
  autoLockMinutes: number;
  /** Milliseconds until another unlock attempt is allowed (0 = now). */
  unlockRetryAfterMs: number;
}

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
  /** A receipt exists (data grants): `getReceipt` downloads it. */
  hasReceipt: boolean;
  events: GrantEventView[];
}

export interface ReceiptView {
  grantId: string;
  receipt: string;
  /** The DESIGN §6 receipt proof once anchored, else null. */
  receiptProof: unknown;
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
  | 'anchor.sent';

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

/** What each command answers. */
export interface UiResults {
  getState: WalletStateView;
  createWallet: WalletStateView;
  unlock: WalletStateView;
  lock: WalletStateView;
  changePassword: { changed: true };
  setAutoLock: WalletStateView;
  getApproval: ApprovalLookup;
  resolveApproval: { resolved: true };
  listGrants: GrantView[];
  revokeGrant: GrantView;
  listCredentials: CredentialView[];
  getCredential: CredentialDetailView;
  deleteCredential: { deleted: true };
  importCredential: CredentialView;
  refreshCredentialStatus: CredentialView;
  listTrustedIssuers: TrustedIssuerView[];
  addTrustedIssuer: TrustedIssuerView[];
  removeTrustedIssuer: TrustedIssuerView[];
  getReceipt: ReceiptView;
  createDeletionRequest: DeletionRequestView;
  listActivity: ActivityPageView;
  verifyLedger: LedgerIntegrityView;
  deleteActivityPayload: { deleted: true };
  /** Structured JSON: credentials, grants with receipts, the activity log with payloads, the latest checkpoint. */
  exportData: Record<string, unknown>;
}

/** The runtime message that carries a UI command. */
export interface UiMessage {
  channel: 'ui';
  body: UiCommand;
}
