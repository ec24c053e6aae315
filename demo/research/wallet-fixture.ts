/**
 * TEST ONLY. What the demo sites' unit tests need of a wallet, made with the same
 * independent libraries the sites verify with (did-jwt-vc, @sd-jwt/sd-jwt-vc): a login
 * presentation, an SD-JWT VC presentation disclosing chosen claims with its key-binding
 * JWT, and a consent receipt signed by a pairwise DID.
 */
import { randomUUID } from 'node:crypto';
import { EdDSASigner } from 'did-jwt';
import { createVerifiableCredentialJwt, createVerifiablePresentationJwt } from 'did-jwt-vc';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { digest } from '@sd-jwt/crypto-nodejs';
import { createEd25519Did, type Ed25519Did } from '../registry/did-key.ts';
import { audienceFor } from '../verify.ts';

const signerOf = (key: Ed25519Did) => ({ did: key.did, signer: EdDSASigner(key.secretKey), alg: 'EdDSA' });

/** A wallet_requestIdentity answer's presentation: a VP JWT by `key` for `origin` and `nonce`. */
export function loginPresentation(key: Ed25519Did, origin: string, nonce: string): Promise<string> {
  return createVerifiablePresentationJwt(
    { vp: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiablePresentation'], holder: key.did }, nonce, aud: audienceFor(origin) },
    signerOf(key),
    { header: { alg: 'EdDSA', typ: 'JWT', kid: key.kid } },
  );
}

/** `credential` (an SD-JWT VC bound to `holder`'s key) with only `claims` disclosed, key-bound to `origin` and `nonce`. */
export function presentSdJwt(holder: Ed25519Did, credential: string, claims: string[], origin: string, nonce: string): Promise<string> {
  const sdjwt = new SDJwtVcInstance({ hasher: digest, kbSigner: (input: string) => holder.sign(input), kbSignAlg: 'EdDSA' });
  const frame = Object.fromEntries(claims.map((name) => [name, true]));
  return sdjwt.present(credential, frame, { kb: { payload: { iat: Math.floor(Date.now() / 1000), aud: audienceFor(origin), nonce } } });
}

export interface ReceiptInput {
  origin: string;
  grantId: string;
  purposes: string[];
  claimPaths: (string | number)[][];
  types?: string[];
  /** Guardian facts, as the wallet writes them in `grant.holder`. */
  role?: string;
  comesOfAgeAt?: string;
}

/** A ConsentReceipt JWT VC by the pairwise DID `key`, shaped as the wallet's (src/core/grants/consent-receipt.ts). */
export function consentReceipt(key: Ed25519Did, input: ReceiptInput): Promise<string> {
  const now = new Date();
  const expiresAt = new Date(now.getTime() + 365 * 86_400_000).toISOString();
  const audience = audienceFor(input.origin);
  return createVerifiableCredentialJwt(
    {
      sub: audience,
      aud: audience,
      nbf: Math.floor(now.getTime() / 1000),
      exp: Math.floor(Date.parse(expiresAt) / 1000),
      jti: `urn:uuid:${randomUUID()}`,
      vc: {
        '@context': ['https://www.w3.org/2018/credentials/v1'],
        type: ['VerifiableCredential', 'ConsentReceipt'],
        issuer: key.did,
        credentialSubject: {
          id: audience,
          grant: {
            id: input.grantId,
            version: 1,
            createdAt: now.toISOString(),
            requester: { origin: input.origin },
            holder: { id: key.did, ...(input.role ? { role: input.role } : {}), ...(input.comesOfAgeAt ? { dataSubjectComesOfAgeAt: input.comesOfAgeAt } : {}) },
            purposes: input.purposes,
            credentials: [{ format: 'dc+sd-jwt', types: input.types ?? [], claimPaths: input.claimPaths }],
            expiresAt,
            usageLimit: null,
            retentionDays: 730,
            requestHash: 'sha-256:test-request-hash',
          },
        },
      },
    },
    signerOf(key),
    { header: { alg: 'EdDSA', typ: 'JWT', kid: key.kid } },
  );
}

/** A parent's wallet: its key (bound into the clinic's credential) and a pairwise DID per site. */
export function testWallet() {
  return { holder: createEd25519Did(), pairwise: createEd25519Did() };
}

/** POSTs JSON to a demo site as its own page would (an Origin header of that site). */
export async function postAs(origin: string, url: string, body: unknown): Promise<{ status: number; data: Record<string, unknown> }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify(body) });
  return { status: response.status, data: (await response.json().catch(() => ({}))) as Record<string, unknown> };
}
