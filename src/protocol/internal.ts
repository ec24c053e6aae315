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

export type ApprovalKind = 'identity' | 'offer' | 'credentials';

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

export type ApprovalView = IdentityApprovalView | OfferApprovalView | CredentialsApprovalView;

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

export interface GrantView {
  id: string;
  kind: 'identity' | 'data';
  origin: string;
  did: string;
  purposes: string[];
  createdAt: string;
  expiresAt: string | null;
  status: 'active' | 'revoked' | 'expired';
  events: GrantEventView[];
}

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
}

/** The runtime message that carries a UI command. */
export interface UiMessage {
  channel: 'ui';
  body: UiCommand;
}
