import { encodeSignedJwt, type JwtSigner } from '../identity/jwt.ts';

/** How long a presentation is valid: long enough to post it to the verifier's server. */
export const PRESENTATION_TTL_SECONDS = 300;

/**
 * A VP JWT (VC Data Model 1.1 JWT encoding) by the holder DID, carrying credentials
 * as compact JWTs, bound to the verifier (`aud`, one string) and transaction (`nonce`).
 */
export function createVpJwt(
  signer: JwtSigner,
  args: { holder: string; credentials: string[]; audience: string; nonce: string; now: number },
): Promise<string> {
  if (!signer.kid.startsWith(`${args.holder}#`)) throw new Error(`The key ${signer.kid} does not belong to ${args.holder}`);
  const iat = Math.floor(args.now / 1000);
  return encodeSignedJwt(signer, {
    iss: args.holder,
    aud: args.audience,
    nonce: args.nonce,
    iat,
    nbf: iat,
    exp: iat + PRESENTATION_TTL_SECONDS,
    jti: `urn:uuid:${crypto.randomUUID()}`,
    vp: {
      '@context': ['https://www.w3.org/2018/credentials/v1'],
      type: ['VerifiablePresentation'],
      holder: args.holder,
      verifiableCredential: args.credentials,
    },
  });
}
