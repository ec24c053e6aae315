import type { ReceiptProof } from './receipt-proof.ts';
import * as v from 'valibot';
import { plainObject } from './validate.ts';
import { DC_API_PROTOCOLS } from './dc-api.ts';
import { MAX_REQUEST_BYTES } from './limits.ts';

/** Every website-facing method (DESIGN.md §3.2). Methods not yet built answer 4200. */
export const RpcMethod = {
  requestIdentity: 'wallet_requestIdentity',
  requestCredentials: 'wallet_requestCredentials',
  offerCredential: 'wallet_offerCredential',
  requestDataAccess: 'wallet_requestDataAccess',
  accessData: 'wallet_accessData',
  getGrants: 'wallet_getGrants',
  revokeGrant: 'wallet_revokeGrant',
  /** Internal: the inpage Digital Credentials API hook (navigator.credentials.get). */
  digitalCredentialsGet: 'tessera_digitalCredentialsGet',
} as const;

export type RpcMethodName = (typeof RpcMethod)[keyof typeof RpcMethod];

/** Printable ASCII without spaces: nonces are echoed into signed JWTs, so keep them plain. */
const NONCE_PATTERN = /^[\x21-\x7e]+$/;

export const NonceSchema = v.pipe(
  v.string('must be a string'),
  v.minLength(8, 'must be at least 8 characters'),
  v.maxLength(512, 'must be at most 512 characters'),
  v.regex(NONCE_PATTERN, 'must be printable ASCII without spaces'),
);

export const RequestIdentityParams = plainObject(v.strictObject({ nonce: NonceSchema }));
export type RequestIdentityParams = v.InferOutput<typeof RequestIdentityParams>;

export const GrantIdSchema = v.pipe(
  v.string('must be a string'),
  v.regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be a grant id (8 to 64 characters of A-Z a-z 0-9 _ -)'),
);

export const RevokeGrantParams = plainObject(v.strictObject({ grantId: GrantIdSchema }));
export type RevokeGrantParams = v.InferOutput<typeof RevokeGrantParams>;

const CompactCredential = v.pipe(
  v.string('must be a string'),
  v.minLength(1, 'must not be empty'),
  v.maxLength(MAX_REQUEST_BYTES, `is too large (over ${MAX_REQUEST_BYTES / 1024} KiB)`),
);

/**
 * wallet_offerCredential: exactly one of `credential` (one compact credential: JWT VC,
 * VC-JOSE 2.0 JWT or SD-JWT VC) or `credential_offer` (an OpenID4VCI credential offer:
 * its URI, or the offer object; the wallet then receives over OpenID4VCI).
 * Answers `{ id }`, and for an OpenID4VCI offer `{ id, ids }` (every stored credential).
 */
const CompactOffer = v.strictObject({ credential: CompactCredential });
const OpenId4VciOffer = v.strictObject({ credential_offer: v.union([CompactCredential, v.looseObject({})], 'must be an offer URI or an offer object') });
export const OfferCredentialParams = plainObject(
  // Either shape, each with its own field-naming errors (a union would only say "neither").
  v.lazy((input) => (typeof input === 'object' && input !== null && 'credential_offer' in input ? OpenId4VciOffer : CompactOffer)),
);
export type OfferCredentialParams = v.InferOutput<typeof OfferCredentialParams>;
export type CompactOfferParams = Extract<OfferCredentialParams, { credential: string }>;

/**
 * wallet_requestCredentials: the OpenID4VP `data` object of DESIGN.md §3.1 (unsigned,
 * or `{ request: <JWS> }` when signed). Its contents are checked as an OpenID4VP
 * request: problems there answer `invalid_request`, not -32602.
 */
export const RequestCredentialsParams = plainObject(v.looseObject({}));

/** The Digital Credentials API path: the inpage hook forwards one request's protocol and data. */
export const DigitalCredentialsGetParams = plainObject(
  v.strictObject({
    protocol: v.picklist(DC_API_PROTOCOLS, `must be one of ${DC_API_PROTOCOLS.join(', ')}`),
    data: plainObject(v.looseObject({})),
  }),
);
export type DigitalCredentialsGetParams = v.InferOutput<typeof DigitalCredentialsGetParams>;

/** The OpenID4VP answer: presentations per DCQL query id, or a protocol error. */
export type CredentialsResult =
  | { vp_token: Record<string, string[]> }
  | { response: string }
  | { error: 'invalid_request'; error_description: string };

const PurposeTermSchema = v.pipe(
  v.string('must be a string'),
  v.minLength(3, 'must be a compact IRI such as dpv:ServiceProvision'),
  v.maxLength(128, 'must be at most 128 characters'),
  v.regex(/^[a-z][a-z0-9]*:[A-Za-z0-9_.-]+$/, 'must be a compact IRI such as dpv:ServiceProvision'),
);

/** wallet_requestDataAccess (DESIGN.md §3.2): ongoing access for stated purposes and a term. */
export const RequestDataAccessParams = plainObject(
  v.strictObject({
    purpose: v.union(
      [PurposeTermSchema, v.pipe(v.array(PurposeTermSchema), v.minLength(1, 'must name at least one purpose'), v.maxLength(16, 'must name at most 16 purposes'))],
      'must be a purpose term or an array of them',
    ),
    /** Checked as DCQL by core (a problem there names `params.dcql_query`). */
    dcql_query: plainObject(v.looseObject({})),
    nonce: NonceSchema,
    duration_days: v.pipe(v.number('must be a number'), v.integer('must be a whole number of days'), v.minValue(1, 'must be at least 1'), v.maxValue(3650, 'must be at most 3650')),
    usage_limit: v.optional(v.pipe(v.number('must be a number'), v.integer('must be a whole number'), v.minValue(1, 'must be at least 1'), v.maxValue(1_000_000, 'must be at most 1000000'))),
    retention_days: v.optional(v.pipe(v.number('must be a number'), v.integer('must be a whole number of days'), v.minValue(0, 'must not be negative'), v.maxValue(36500, 'must be at most 36500'))),
    /** The requester's VP JWT holding its accreditation (research access). */
    requester: v.optional(v.pipe(v.string('must be a string'), v.minLength(1, 'must not be empty'), v.maxLength(MAX_REQUEST_BYTES, 'is too large'))),
  }),
);
export type RequestDataAccessParams = v.InferOutput<typeof RequestDataAccessParams>;

/** wallet_accessData: fresh presentations under an active grant. */
export const AccessDataParams = plainObject(v.strictObject({ grantId: GrantIdSchema, nonce: NonceSchema }));
export type AccessDataParams = v.InferOutput<typeof AccessDataParams>;

export interface DataAccessResult {
  grant: SiteGrantView;
  /** The consent receipt (JWT VC by the site's pairwise DID). */
  receipt: string;
  vp_token: Record<string, string[]>;
}

/** wallet_getGrants takes no params: absent, null, an empty array or an empty object. */
export const NoParams = v.union(
  [v.undefined(), v.null(), v.strictTuple([]), v.strictObject({})],
  'must be absent',
);

/** What a page may send through the provider. */
export const RpcRequestSchema = plainObject(v.strictObject({
  method: v.pipe(
    v.string('must be a string'),
    v.minLength(1, 'must not be empty'),
    v.maxLength(128, 'must be at most 128 characters'),
  ),
  params: v.optional(v.unknown()),
}));
export type RpcRequest = v.InferOutput<typeof RpcRequestSchema>;

/** The identity answer: a VP JWT by the site's pairwise DID. */
export interface IdentityResult {
  did: string;
  presentation: string;
}

/** A grant as a site sees it (its own only). Never carries claim values. */
export interface SiteGrantView {
  id: string;
  kind: 'identity' | 'data';
  did: string;
  purposes: string[];
  createdAt: string;
  expiresAt: string | null;
  status: 'active' | 'revoked' | 'expired';
  /** Data grants: the credential types and claim paths it covers. */
  credentials: { format: string; types: string[]; claimPaths: (string | number)[][] }[];
  usageLimit: number | null;
  usageCount: number;
  retentionDays: number | null;
  /** The consent receipt (data grants), else null. */
  receipt: string | null;
  /** DESIGN.md §6 receipt proof once anchored, else null. */
  receiptProof: ReceiptProof | null;
}

export const ProviderEvent = {
  grantRevoked: 'grantRevoked',
  grantExpired: 'grantExpired',
  locked: 'locked',
  unlocked: 'unlocked',
} as const;
export type ProviderEventName = (typeof ProviderEvent)[keyof typeof ProviderEvent];
