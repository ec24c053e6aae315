import type { CredentialDisplay, IssuerDisplay } from './display.ts';
/**
 * The credential model shared by receiving, holding, status checking and presenting.
 * A record is what the wallet stores (encrypted) for each credential it holds.
 */

/** `vc+jwt` is VC Data Model 2.0 secured as a JWT (VC-JOSE-COSE); DCQL queries it as `jwt_vc_json`. */
export type CredentialFormat = 'jwt_vc_json' | 'vc+jwt' | 'dc+sd-jwt';

export type CredentialStatusState = 'valid' | 'revoked' | 'suspended' | 'expired' | 'unknown';

/** Where a credential's status is published. */
export type StatusReference =
  /** W3C Bitstring Status List v1.0 (`credentialStatus` of a W3C VC). */
  | { kind: 'bitstring'; purpose: 'revocation' | 'suspension' | 'message'; index: number; listUrl: string }
  /** IETF Token Status List (`status.status_list` of an SD-JWT VC). */
  | { kind: 'token-status-list'; index: number; listUrl: string };

export interface CredentialStatus {
  state: CredentialStatusState;
  /** ISO time of the last check (null: never checked, e.g. no status published). */
  checkedAt: string | null;
  /** Human-readable reason, e.g. "revoked by the issuer" or "issuer unreachable". */
  reason: string | null;
  /** When the next scheduled check is due (from the list's `ttl`), ISO, or null. */
  nextCheckAt: string | null;
}

/** The wallet key a credential is bound to (holder binding). */
export interface HolderBinding {
  /** The wallet DID that holds the key (the VC subject, or the DID whose key `cnf` names). */
  did: string;
  /** Verification method (DID URL) that signs presentations. */
  kid: string;
  /** The key's id in the wallet's key stores (kms-local: public key hex). */
  keyRef: string;
}

/** One claim as shown and selected: `path` as in DCQL (e.g. ["credentialSubject","given_name"]). */
export interface ClaimEntry {
  path: (string | number)[];
  value: unknown;
  /** SD-JWT: the claim is selectively disclosable (the holder may withhold it). */
  disclosable: boolean;
}

/** A credential that verified: what parsing and verification produce, before it is stored. */
export interface VerifiedCredential {
  format: CredentialFormat;
  /** As received: compact JWT, or `<issuer-jwt>~<disclosure>~…~` for SD-JWT. */
  raw: string;
  issuer: string;
  /** W3C `type` values, or `[vct]` for SD-JWT VC. */
  types: string[];
  /** SD-JWT VC `vct`. */
  vct: string | null;
  /**
   * The credential as DCQL matches it: for W3C formats the VC object (with
   * `credentialSubject`), for SD-JWT VC the payload with every disclosure applied.
   */
  document: Record<string, unknown>;
  /** Every claim, flattened to leaf paths, for display and selection. */
  claims: ClaimEntry[];
  issuedAt: string | null;
  validFrom: string | null;
  validUntil: string | null;
  status: StatusReference[];
  holder: HolderBinding;
  /** Set when the issuer's signature was deferred (`CredentialDeps.deferIssuer`): not yet verified, never kept. */
  issuerCheck?: 'when-accepted';
}

export interface CredentialRecord extends VerifiedCredential {
  id: string;
  receivedAt: string;
  /** The origin that offered it, or "import" for a paste/file import. */
  receivedFrom: string;
  statusResult: CredentialStatus;
  /** Names, colours, logo and claim labels from the issuer's metadata, when it publishes them. */
  display?: CredentialDisplay;
  /** The issuer's name and logo (OpenID4VCI issuer metadata), for a credential received over OpenID4VCI. */
  issuerDisplay?: IssuerDisplay[];
  /** Why the type metadata is not used, or claims that arrived against its sd rules: shown to the holder with the credential. */
  displayNotes?: string[];
}

/** Resolves a DID (URL) to its DID document, as did-resolver does. */
export interface DidResolver {
  resolve(didUrl: string): Promise<{ didDocument: DidDocument | null; didResolutionMetadata: { error?: string } }>;
}

export interface DidDocument {
  id: string;
  verificationMethod?: VerificationMethod[];
  assertionMethod?: (string | VerificationMethod)[];
  authentication?: (string | VerificationMethod)[];
  [key: string]: unknown;
}

export interface VerificationMethod {
  id: string;
  type: string;
  controller: string;
  publicKeyJwk?: JsonWebKey;
  publicKeyMultibase?: string;
  publicKeyHex?: string;
  publicKeyBase58?: string;
}

/** The wallet keys a credential may be bound to, looked up by DID or by public JWK. */
export interface HolderKeys {
  /** The binding for a wallet DID (a subject DID), or null if the wallet does not hold it. */
  byDid(did: string): Promise<HolderBinding | null>;
  /** The binding for a public key given as a JWK (`cnf.jwk`), or null. */
  byJwk(jwk: JsonWebKey): Promise<HolderBinding | null>;
}


/** Largest credential the wallet accepts, in characters. */
export const MAX_CREDENTIAL_LENGTH = 64 * 1024;
