/**
 * How a relying party checks a "Log in with Tessera" answer: the presentation is a
 * VP JWT signed (EdDSA) by the site's pairwise did:key, with `aud` = `origin:<origin>`
 * and `nonce` = the challenge the site issued.
 *
 * Verification uses did-jwt-vc and a did:key resolver that is not Veramo's
 * (`key-did-resolver` through `did-resolver`), so the wallet is checked by code it
 * does not share.
 */
import { verifyPresentation, type VerifiedPresentation } from 'did-jwt-vc';
import { Resolver } from 'did-resolver';
import { getResolver as getKeyResolver } from 'key-did-resolver';

export const didKeyResolver = new Resolver(getKeyResolver());

export interface VerifiedLogin {
  did: string;
  audience: string;
  nonce: string;
  issuedAt: number | null;
  verified: VerifiedPresentation;
}

/** The audience the wallet binds presentations to for a page origin. */
export function audienceFor(origin: string): string {
  return `origin:${origin}`;
}

/** Decodes a JWT's payload without checking it (to find the nonce to look up). */
export function decodeJwtPayload(jwt: string): Record<string, unknown> {
  const parts = jwt.split('.');
  if (parts.length !== 3 || !parts[1]) throw new Error('not a compact JWT');
  const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new Error('JWT payload is not an object');
  return payload as Record<string, unknown>;
}

export function decodeJwtHeader(jwt: string): Record<string, unknown> {
  const [header] = jwt.split('.');
  if (!header) throw new Error('not a compact JWT');
  return JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/**
 * Verifies a login presentation for `origin` and `challenge`; throws with a reason
 * when the signature, the DID, the audience (domain) or the nonce (challenge) is wrong.
 */
export async function verifyLoginPresentation(
  presentation: string,
  { origin, challenge }: { origin: string; challenge: string },
): Promise<VerifiedLogin> {
  const audience = audienceFor(origin);
  const verified = await verifyPresentation(presentation, didKeyResolver, { challenge, domain: audience });
  const did = verified.issuer;
  if (!did.startsWith('did:key:')) throw new Error(`the presentation is not signed by a did:key (${did})`);
  if (!verified.signer.id.startsWith(`${did}#`) && verified.signer.controller !== did) {
    throw new Error('the signing key does not belong to the presenting DID');
  }
  const holder = verified.verifiablePresentation.holder;
  if (holder && holder !== did) throw new Error('the presentation holder is not its signer');
  const iat = verified.payload.iat;
  return { did, audience, nonce: challenge, issuedAt: typeof iat === 'number' ? iat : null, verified };
}
