/**
 * Who the research portal says it is (DESIGN.md §3.2 `requester`, §8): a VP JWT signed
 * by the institution's DID for one request — `aud` = `origin:<portal origin>`, `nonce`
 * = the request's, a short life — carrying its accreditation credential. Made with
 * did-jwt-vc, like the other demo sites' JWTs.
 */
import { randomUUID } from 'node:crypto';
import { EdDSASigner } from 'did-jwt';
import { createVerifiablePresentationJwt, type JwtPresentationPayload } from 'did-jwt-vc';
import type { Ed25519Did } from '../registry/did-key.ts';
import { audienceFor } from '../verify.ts';
import { STUDY_ID } from './study.ts';

/** How long a requester presentation holds: the wallet accepts at most 600 s. */
export const REQUESTER_VP_LIFETIME_S = 300;

export interface RequesterPresentationInput {
  /** The portal's web origin (the presentation's audience). */
  origin: string;
  /** The nonce of the request it is for. */
  nonce: string;
  /** The accreditation JWT VC(s) it carries. */
  credentials: string[];
  /** Which study of the accreditation the request is for (default the portal's study). */
  study?: string | null;
  lifetimeSeconds?: number;
  now?: Date;
}

export async function requesterPresentation(key: Ed25519Did, input: RequesterPresentationInput): Promise<string> {
  const lifetime = input.lifetimeSeconds ?? REQUESTER_VP_LIFETIME_S;
  if (!Number.isSafeInteger(lifetime) || lifetime <= 0 || lifetime > 600) throw new Error('a requester presentation lives 1 to 600 seconds');
  if (typeof input.nonce !== 'string' || input.nonce === '') throw new Error('a requester presentation needs the request nonce');
  const iat = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const study = input.study === undefined ? STUDY_ID : input.study;
  const payload: JwtPresentationPayload = {
    aud: audienceFor(input.origin),
    nonce: input.nonce,
    iat,
    exp: iat + lifetime,
    jti: `urn:uuid:${randomUUID()}`,
    ...(study !== null ? { study } : {}),
    vp: {
      '@context': ['https://www.w3.org/2018/credentials/v1'],
      type: ['VerifiablePresentation'],
      holder: key.did,
      verifiableCredential: [...input.credentials],
    },
  };
  return await createVerifiablePresentationJwt(
    payload,
    { did: key.did, signer: EdDSASigner(key.secretKey), alg: 'EdDSA' },
    { header: { alg: 'EdDSA', typ: 'JWT', kid: key.kid } },
  );
}
