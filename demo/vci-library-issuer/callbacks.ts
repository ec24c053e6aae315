/**
 * The callbacks @openid4vc/openid4vci and @openid4vc/oauth2 need (they do no
 * cryptography themselves): hashing and randomness with node:crypto, JWT signing and
 * verification with jose. Keys are named by a JWK or by an Ed25519 did:key DID URL.
 */
import { createHash, randomBytes } from 'node:crypto';
import { CompactSign, compactVerify, importJWK, type JWK } from 'jose';
import { HashAlgorithm, clientAuthenticationNone, type CallbackContext, type Jwk, type JwtSigner } from '@openid4vc/oauth2';
import { jwkFromDidKey } from '../registry/did-key.ts';

const NODE_HASH: Record<HashAlgorithm, string> = {
  [HashAlgorithm.Sha256]: 'sha256',
  [HashAlgorithm.Sha384]: 'sha384',
  [HashAlgorithm.Sha512]: 'sha512',
};

/** The public JWK a signer names, or undefined for kinds this demo does not resolve (x5c, federation). */
function publicJwkOf(signer: JwtSigner): JWK | undefined {
  if (signer.method === 'jwk') return signer.publicJwk as JWK;
  if (signer.method === 'did') {
    try {
      return { ...jwkFromDidKey(signer.didUrl) };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

const publicPart = (jwk: JWK): JWK =>
  jwk.kty === 'EC' ? { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y } : { kty: jwk.kty, crv: jwk.crv, x: jwk.x };

/** Callbacks that sign with `signingKey` (the issuer's private JWK, Ed25519). */
export function libraryCallbacks(signingKey: JWK): Omit<CallbackContext, 'decryptJwe' | 'encryptJwe'> {
  return {
    hash: (data, alg) => new Uint8Array(createHash(NODE_HASH[alg]).update(data).digest()),
    generateRandom: (byteLength) => new Uint8Array(randomBytes(byteLength)),
    clientAuthentication: clientAuthenticationNone({ clientId: 'library-issuer' }),
    signJwt: async (signer, { header, payload }) => {
      const jwt = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
        .setProtectedHeader({ ...header, alg: signer.alg })
        .sign(await importJWK(signingKey, signer.alg));
      return { jwt, signerJwk: publicPart(signingKey) as Jwk };
    },
    verifyJwt: async (signer, { compact }) => {
      const jwk = publicJwkOf(signer);
      if (!jwk || 'd' in jwk) return { verified: false };
      try {
        await compactVerify(compact, await importJWK(publicPart(jwk), signer.alg), { algorithms: [signer.alg] });
        return { verified: true, signerJwk: publicPart(jwk) as Jwk };
      } catch {
        return { verified: false };
      }
    },
  };
}
