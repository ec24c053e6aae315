import { encodeSignedJwt, type JwtSigner } from './jwt.ts';

/** How long a login presentation is valid: long enough to post it to a server. */
export const LOGIN_PRESENTATION_TTL_SECONDS = 300;

/** The audience every presentation carries: the requesting page's origin (DESIGN.md §3). */
export const audienceFor = (origin: string) => `origin:${origin}`;

/**
 * DID authentication: a VP JWT (VC Data Model 1.1, no credentials) by the site's
 * pairwise DID, bound to the site's origin (`aud`) and its nonce.
 */
export function createLoginPresentation(
  signer: JwtSigner,
  args: { did: string; origin: string; nonce: string; now: number },
): Promise<string> {
  const iat = Math.floor(args.now / 1000);
  return encodeSignedJwt(signer, {
    iss: args.did,
    sub: args.did,
    aud: audienceFor(args.origin),
    nonce: args.nonce,
    iat,
    nbf: iat,
    exp: iat + LOGIN_PRESENTATION_TTL_SECONDS,
    jti: `urn:uuid:${crypto.randomUUID()}`,
    vp: {
      '@context': ['https://www.w3.org/2018/credentials/v1'],
      type: ['VerifiablePresentation'],
      holder: args.did,
      verifiableCredential: [],
    },
  });
}
