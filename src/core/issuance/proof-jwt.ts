/**
 * Proof of possession for the credential endpoint (OpenID4VCI 1.0 §8.2.1.1, Appendix
 * F.1): a JWT of type `openid4vci-proof+jwt` signed by the holder key the credential
 * is to be bound to, naming that key by `kid` (a DID URL) or, for issuers that bind
 * JWKs only, carrying it as `jwk`; `aud` is the credential issuer, `nonce` its c_nonce.
 */
import { fromHex, toBase64Url } from '../encoding.ts';
import { encodeSignedJwt, type JwtSigner } from '../identity/jwt.ts';

export const PROOF_JWT_TYPE = 'openid4vci-proof+jwt';

export interface ProofClaims {
  credentialIssuer: string;
  nonce?: string;
  /** Seconds. */
  issuedAt: number;
  /** The client id, for a client that authenticated (the authorization code flow); absent for anonymous pre-authorized access. */
  clientId?: string;
}

/** How the key is named: its DID URL, or (for `jwk` binding) the public key itself. */
export type ProofKey = { kid: string } | { jwk: JsonWebKey };

export function createProofJwt(signer: JwtSigner, key: ProofKey, claims: ProofClaims): Promise<string> {
  const payload: Record<string, unknown> = { aud: claims.credentialIssuer, iat: claims.issuedAt };
  if (claims.nonce !== undefined) payload.nonce = claims.nonce;
  if (claims.clientId !== undefined) payload.iss = claims.clientId;
  const header = 'kid' in key ? { typ: PROOF_JWT_TYPE, kid: key.kid } : { typ: PROOF_JWT_TYPE, kid: undefined, jwk: key.jwk };
  return encodeSignedJwt(signer, payload, header);
}

/** The public JWK of a wallet Ed25519 key (kms-local's key ref is the public key in hex). */
export function ed25519PublicJwk(keyRefHex: string): JsonWebKey {
  return { kty: 'OKP', crv: 'Ed25519', x: toBase64Url(fromHex(keyRefHex)) };
}
