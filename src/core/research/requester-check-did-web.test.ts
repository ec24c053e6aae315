import { describe, expect, it } from 'vitest';
import { createTestIssuer, createTestKey } from '../../../test/support/issuers.ts';
import { issueAccreditation, signRequesterVp } from '../../../test/support/research.ts';
import type { CredentialStatus } from '../credentials/types.ts';
import { createDidResolver } from '../identity/did-resolvers.ts';
import type { HttpFetcher, HttpResponse } from '../ports.ts';
import { checkRequester } from './requester-check.ts';

const PORTAL = 'https://portal.example';
const NONCE = 'research-nonce-web-01';
const BODY_DID = 'did:web:ethics-board.example';
const BODY_URL = 'https://ethics-board.example/.well-known/did.json';

/** An accreditation body that is a did:web: its document served by an in-memory fetcher that records requests. */
async function setting(onList: boolean) {
  const key = await createTestKey({ keyType: 'P-256' });
  const body = { ...key, did: BODY_DID, kid: `${BODY_DID}#board-2026` };
  const requested: string[] = [];
  const fetcher: HttpFetcher = {
    get: async (url): Promise<HttpResponse> => {
      requested.push(url);
      const document = { id: BODY_DID, verificationMethod: [{ id: body.kid, type: 'JsonWebKey2020', controller: BODY_DID, publicKeyJwk: key.publicJwk }], assertionMethod: [body.kid] };
      return { status: 200, contentType: 'application/did+json', body: JSON.stringify(document), headers: {} };
    },
    post: async () => {
      throw new Error('no POST');
    },
  };
  const requester = await createTestIssuer();
  const accreditation = await issueAccreditation(body, requester.did, { origins: [PORTAL] });
  const vp = await signRequesterVp(requester, { origin: PORTAL, nonce: NONCE, credentials: [accreditation] });
  const valid: CredentialStatus = { state: 'valid', checkedAt: null, reason: null, nextCheckAt: null };
  const result = await checkRequester(
    vp,
    { origin: PORTAL, nonce: NONCE, purposes: ['dpv:ScientificResearch', 'duo:0000006'], claimPaths: [['age_band']] },
    {
      resolver: createDidResolver({ fetcher, now: () => Date.now() }),
      now: Date.now(),
      accreditorLabel: async (did) => (onList && did === BODY_DID ? 'Ethics Board' : null),
      statusOf: async () => valid,
    },
  );
  return { result, requested };
}

describe('an accreditation body that is a did:web', () => {
  it('on the holder’s list: its document is fetched and the requester verified', async () => {
    const { result, requested } = await setting(true);
    expect(result).toMatchObject({ verified: true, accreditorDid: BODY_DID, accreditorLabel: 'Ethics Board' });
    expect(requested).toEqual([BODY_URL]);
  });

  it('not on the list: unverified, and nothing is fetched', async () => {
    const { result, requested } = await setting(false);
    expect(result.verified).toBe(false);
    expect(requested).toEqual([]);
  });
});
