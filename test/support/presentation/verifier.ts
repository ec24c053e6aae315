/**
 * The verifier side, with @openid4vc/openid4vp (dev only): signed DC API requests
 * made by its `createOpenid4vpAuthorizationRequest` (JAR with a `did` signer, header
 * typ oauth-authz-req+jwt), signed here with jose.
 */
import { createOpenid4vpAuthorizationRequest, type Openid4vpAuthorizationRequestDcApi } from '@openid4vc/openid4vp';
import { CompactSign, importJWK } from 'jose';
import type { TestDidKey } from './keys.ts';

export interface SignedRequestOptions {
  verifier: TestDidKey;
  payload: Record<string, unknown>;
  /** Negative: already expired. */
  expiresInSeconds?: number;
  /** Rewrites the JWS header before signing (e.g. a wrong typ). */
  header?: Record<string, unknown>;
}

/** `data` of an `openid4vp-v1-signed` request: `{ client_id, request }`, as the library returns it. */
export async function createSignedDcApiRequest(options: SignedRequestOptions): Promise<{ client_id: string; request: string }> {
  const key = await importJWK(options.verifier.privateJwk, 'EdDSA');
  const result = await createOpenid4vpAuthorizationRequest({
    authorizationRequestPayload: {
      client_id: `decentralized_identifier:${options.verifier.did}`,
      ...options.payload,
    } as Openid4vpAuthorizationRequestDcApi,
    jar: {
      jwtSigner: { method: 'did', didUrl: options.verifier.kid, alg: 'EdDSA' },
      expiresInSeconds: options.expiresInSeconds ?? 300,
    },
    callbacks: {
      signJwt: async (_signer, { header, payload }) => {
        const jwt = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
          .setProtectedHeader({ ...header, ...options.header } as { alg: string })
          .sign(key);
        return { jwt, signerJwk: options.verifier.publicJwk };
      },
      encryptJwe: () => {
        throw new Error('not used');
      },
    },
  });
  return result.authorizationRequestObject as { client_id: string; request: string };
}

/**
 * A request object signed with jose directly, following OpenID4VP 1.0 (for requests
 * the library refuses to create, e.g. without expected_origins).
 */
export async function signRequestObject(verifier: TestDidKey, payload: Record<string, unknown>): Promise<string> {
  const key = await importJWK(verifier.privateJwk, 'EdDSA');
  const iat = Math.floor(Date.now() / 1000);
  return new CompactSign(new TextEncoder().encode(JSON.stringify({ iat, exp: iat + 300, client_id: `decentralized_identifier:${verifier.did}`, ...payload })))
    .setProtectedHeader({ alg: 'EdDSA', typ: 'oauth-authz-req+jwt', kid: verifier.kid })
    .sign(key);
}
