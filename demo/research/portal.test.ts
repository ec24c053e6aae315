import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPresentation } from 'did-jwt-vc';
import { didKeyResolver, decodeJwtPayload } from '../verify.ts';
import { startAccreditor, type AccreditorServer } from '../accreditor/server.ts';
import { startClinic, type ClinicServer } from '../clinic/server.ts';
import { ClinicIssuer } from '../clinic/health-credential.ts';
import { consentReceipt, postAs, presentSdJwt, testWallet } from './wallet-fixture.ts';
import { startResearch, type ResearchServer } from './server.ts';
import { AI_TRAINING_PURPOSE, RESEARCH_PURPOSES, childHealthQuery } from './study.ts';

const GENERALISED = ['age_band', 'region', 'diagnosis_codes'];
const GUARDIAN = { role: 'dpv:ParentOfDataSubject', comesOfAgeAt: '2037-04-12' };

let accreditor: AccreditorServer;
let clinic: ClinicServer;
let research: ResearchServer;
const wallet = testWallet();
let credential: string;

beforeAll(async () => {
  accreditor = await startAccreditor();
  clinic = await startClinic();
  research = await startResearch({ accreditor, trustedIssuers: [clinic.did] });
  credential = (await clinic.issue(wallet.holder.did)).credential;
});
afterAll(async () => {
  await Promise.all([research.close(), clinic.close(), accreditor.close()]);
});

const post = (path: string, body: unknown, origin = research.origin()) => postAs(origin, research.url('127.0.0.1', path), body);

interface Asked {
  requestId: string;
  params: { purpose: string[]; nonce: string; requester?: string } & Record<string, unknown>;
}

async function ask(body: Record<string, unknown> = {}): Promise<Asked> {
  const { status, data } = await post('/api/ask', body);
  expect(status).toBe(200);
  return data as unknown as Asked;
}

/** The wallet's answer: `claims` disclosed for the request's nonce, a receipt recording `purposes`. */
async function answer(nonce: string, { claims = GENERALISED, purposes = [...RESEARCH_PURPOSES] as string[], presented = credential, grantId = randomUUID() } = {}) {
  const vp = await presentSdJwt(wallet.holder, presented, claims, research.origin(), nonce);
  const receipt = await consentReceipt(wallet.pairwise, { origin: research.origin(), grantId, purposes, claimPaths: claims.map((c) => [c]), ...GUARDIAN });
  return { grant: { id: grantId, did: wallet.pairwise.did }, receipt, vp_token: { child_health: [vp] } };
}

describe('POST /api/ask', () => {
  it('answers the contract\u2019s wallet_requestDataAccess params with a requester VP for this origin and nonce, carrying the accreditation', async () => {
    const { params } = await ask();
    expect(params).toMatchObject({ purpose: ['dpv:ScientificResearch', 'duo:0000006'], dcql_query: childHealthQuery(), duration_days: 365, retention_days: 730 });
    expect(params.nonce).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const vp = await verifyPresentation(params.requester!, didKeyResolver, { challenge: params.nonce, domain: `origin:${research.origin()}` });
    expect(vp.issuer).toBe(research.did);
    expect((vp.payload.vp as { verifiableCredential: string[] }).verifiableCredential).toEqual([research.accreditation!.credential]);
    expect(decodeJwtPayload(research.accreditation!.credential)).toMatchObject({ iss: accreditor.did, sub: research.did });
    expect(accreditor.body.find(research.accreditation!.id)?.subject.origins).toEqual([research.origin()]);
  });

  it('adds AI model training only when asked, sends no requester in mode none, and names a bad mode', async () => {
    expect((await ask({ ai: true })).params.purpose).toEqual(['dpv:ScientificResearch', 'duo:0000006', AI_TRAINING_PURPOSE]);
    const none = await ask({ mode: 'none' });
    expect(none.params).not.toHaveProperty('requester');
    const forged = await ask({ mode: 'other-origin' });
    const carried = (decodeJwtPayload(forged.params.requester!).vp as { verifiableCredential: string[] }).verifiableCredential[0]!;
    expect(carried).not.toBe(research.accreditation!.credential);
    expect(await post('/api/ask', { mode: 'trusted' })).toEqual({ status: 400, data: { error: expect.stringContaining('mode must be one of accredited, none,') } });
    expect((await post('/api/ask', {}, 'http://127.0.0.1:1')).status).toBe(403);
  });
});

describe('POST /api/grant and reading again', () => {
  it('verifies the presentation and the receipt, keeps the grant, and returns only the disclosed claims', async () => {
    const { requestId, params } = await ask();
    const given = await answer(params.nonce);
    const { status, data } = await post('/api/grant', { requestId, answer: given });
    expect(status).toBe(200);
    expect(data).toMatchObject({ verified: true, received: { age_band: '5-9', region: 'Aldmere North', diagnosis_codes: ['J45.909'] }, unasked: [], missing: ['birthdate', 'address'] });
    expect(Object.keys(data.received as object).sort()).toEqual([...GENERALISED].sort());
    expect(data.grant).toMatchObject({ grantId: given.grant.id, aiTraining: false, guardian: GUARDIAN, requesterMode: 'accredited', issuer: clinic.did, anchored: false });
    // The request is used up.
    expect((await post('/api/grant', { requestId, answer: given })).status).toBe(401);

    const again = await post('/api/read-request', { grantId: given.grant.id });
    const { requestId: readId, nonce } = again.data as { requestId: string; nonce: string };
    const vp = await presentSdJwt(wallet.holder, credential, GENERALISED, research.origin(), nonce);
    const read = await post('/api/read', { requestId: readId, vp_token: { child_health: [vp] } });
    expect(read.status).toBe(200);
    expect(read.data).toMatchObject({ verified: true, received: { age_band: '5-9' }, grant: { reads: 2 } });
    // A fresh nonce each time: the same presentation does not read again.
    const replay = await post('/api/read', { requestId: (await post('/api/read-request', { grantId: given.grant.id })).data.requestId, vp_token: { child_health: [vp] } });
    expect(replay.status).toBe(401);
    expect(research.portal.grants.get(research.origin(), given.grant.id)!.reads.map((r) => r.ok)).toEqual([true, true, false]);

    const ended = await post('/api/ended', { grantId: given.grant.id, reason: '4100' });
    expect(ended.data).toMatchObject({ ended: true, grant: { ended: '4100' } });
    expect((await post('/api/read-request', { grantId: 'unknown' })).status).toBe(404);
  });

  it('records AI model training only when the parent agreed to it, and refuses it in a receipt when it was not asked', async () => {
    const asked = await ask({ ai: true });
    const agreed = await post('/api/grant', { requestId: asked.requestId, answer: await answer(asked.params.nonce, { purposes: [...RESEARCH_PURPOSES, AI_TRAINING_PURPOSE] }) });
    expect(agreed.data).toMatchObject({ verified: true, grant: { aiTraining: true } });
    const declinedAi = await ask({ ai: true });
    const researchOnly = await post('/api/grant', { requestId: declinedAi.requestId, answer: await answer(declinedAi.params.nonce) });
    expect(researchOnly.data).toMatchObject({ verified: true, grant: { aiTraining: false, purposes: [...RESEARCH_PURPOSES] } });
    const notAsked = await ask();
    const sneaked = await post('/api/grant', { requestId: notAsked.requestId, answer: await answer(notAsked.params.nonce, { purposes: [...RESEARCH_PURPOSES, AI_TRAINING_PURPOSE] }) });
    expect(sneaked).toMatchObject({ status: 401, data: { verified: false, error: expect.stringContaining("the receipt's purposes are") } });
  });

  it('refuses a presentation for another nonce, from an issuer it does not trust, or a receipt of another grant', async () => {
    const first = await ask();
    const wrongNonce = await post('/api/grant', { requestId: first.requestId, answer: await answer('another-nonce') });
    expect(wrongNonce.data).toMatchObject({ verified: false, error: expect.stringMatching(/nonce/i) });

    const stranger = await new ClinicIssuer({ baseUrl: clinic.origin() }).issue(wallet.holder.did);
    const second = await ask();
    const untrusted = await post('/api/grant', { requestId: second.requestId, answer: await answer(second.params.nonce, { presented: stranger.credential }) });
    expect(untrusted.data).toMatchObject({ verified: false, error: expect.stringContaining('is not one the city trusts') });

    const third = await ask();
    const given = await answer(third.params.nonce);
    const otherReceipt = await post('/api/grant', { requestId: third.requestId, answer: { ...given, grant: { ...given.grant, id: 'other-grant' } } });
    expect(otherReceipt.data).toMatchObject({ verified: false, error: expect.stringContaining('the receipt is for grant') });
    expect(research.portal.grants.get(research.origin(), 'other-grant')).toBeNull();
  });

  it('lists what it holds', async () => {
    const listed = (await (await fetch(research.url('127.0.0.1', '/api/grants'))).json()) as { grants: { grantId: string }[] };
    expect(listed.grants.length).toBe(research.portal.grants.all().length);
    expect(JSON.stringify(listed)).not.toContain('receipt"');
  });
});

describe('portals without or with a remote board', () => {
  it('starts unverified without a board, and says it cannot present an accreditation', async () => {
    const bare = await startResearch();
    try {
      expect(bare.accreditation).toBeNull();
      expect((await bare.ask()).params).not.toHaveProperty('requester');
      expect((await bare.ask({ mode: 'untrusted-issuer' })).params.requester).toBeDefined();
      const refused = await postAs(bare.origin(), bare.url('127.0.0.1', '/api/ask'), { mode: 'accredited' });
      expect(refused).toEqual({ status: 400, data: { error: 'this portal has no accreditation body, so it has no accreditation to present in mode accredited' } });
    } finally {
      await bare.close();
    }
  });

  it('gets its accreditation from a board\u2019s URL, and fails to start, saying why, when the board is unreachable', async () => {
    const remote = await startResearch({ accreditor: accreditor.url() });
    try {
      expect(accreditor.body.find(remote.accreditation!.id)?.subjectDid).toBe(remote.did);
    } finally {
      await remote.close();
    }
    await expect(startResearch({ accreditor: 'http://127.0.0.1:1' })).rejects.toThrow('the research portal could not get its accreditation');
  });
});
