import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CredentialsApprovalView } from '../../protocol/internal.ts';
import type { CredentialsResult } from '../../protocol/rpc.ts';
import { createTestIssuer, issueJwtVc, peekJwt, type TestKey } from '../../../test/support/issuers.ts';
import { createDidKey, type TestDidKey } from '../../../test/support/presentation/keys.ts';
import { createSignedDcApiRequest } from '../../../test/support/presentation/verifier.ts';
import { accreditationStatusList, HEALTH_VCT, INSTITUTION, isoDay, issueAccreditation, issueChildHealthSummary, STUDY_ID } from '../../../test/support/research.ts';
import { rejection } from '../../../test/support/rejection.ts';
import type { TestPorts } from '../../../test/support/test-ports.ts';
import { TEST_PASSWORD, WalletDriver } from '../../../test/support/wallet-driver.ts';
import type { CredentialServices } from './credential-services.ts';
import type { Wallet } from './wallet.ts';

/**
 * One-time OpenID4VP requests and research access (DESIGN.md §5, §8): a signed request
 * whose client_id DID attached a ResearchAccreditation in `verifier_info` has it checked
 * before the window opens; health data goes to no verifier the wallet could not verify.
 */

/** Every DID the credential services resolve (the request object and the accreditation check resolve through them). */
const resolved = vi.hoisted(() => [] as string[]);
vi.mock('../identity/did-resolvers.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../identity/did-resolvers.ts')>();
  return {
    ...actual,
    createDidResolver: () => {
      const inner = actual.createDidResolver();
      return { resolve: (url: string) => (resolved.push(url), inner.resolve(url)) };
    },
  };
});

const CLINIC = 'http://127.0.0.1:7201';
const PORTAL = 'http://127.0.0.1:7301';
const LIST_URL = 'http://127.0.0.1:7401/status/accreditations';
const BOARD = 'Aldmere Research Ethics Board';
const DAY = 86_400_000;
const BLOCKED = /^This is health data, which Tessera never shares with a requester it could not verify\. /;

let driver: WalletDriver;
let ports: TestPorts;
let wallet: Wallet;
let services: CredentialServices;
let body: TestKey;
/** The portal as an OpenID4VP verifier: its did:key signs the request objects. */
let verifier: TestDidKey;
let healthId: string;
let residentId: string;
let nonces = 0;

beforeEach(async () => {
  driver = await WalletDriver.created();
  ({ ports, wallet } = driver);
  services = await wallet.credentials();
  body = await createTestIssuer();
  verifier = createDidKey();
  const holderDid = (await driver.login(CLINIC)).did;
  const holderJwk = await driver.siteHolderJwk(CLINIC);
  const clinic = await createTestIssuer();
  healthId = await driver.keepOffer(CLINIC, await issueChildHealthSummary(clinic, holderJwk, isoDay(ports.clock.now + 3000 * DAY)));
  residentId = await driver.keepOffer(CLINIC, await issueJwtVc(clinic, { subjectDid: holderDid, types: ['ResidentCredential'], claims: { region: 'Aldmere North' } }));
  await services.research.addAccreditor(body.did, BOARD);
  ports.fetcher.bodies.set(LIST_URL, await accreditationStatusList(body, LIST_URL, []));
  resolved.length = 0;
});

/** The body's accreditation of `subject` (the verifier's DID unless told) for the portal. */
const accreditationOf = (subject = verifier.did, by: TestKey = body, listUrl = LIST_URL) =>
  issueAccreditation(by, subject, { origins: [PORTAL], jti: 'urn:uuid:accreditation-0001', status: { listUrl, index: 3 } });

/** The health summary or the resident card, either answers. */
const dcqlQuery = {
  credentials: [
    { id: 'child_health', format: 'dc+sd-jwt', meta: { vct_values: [HEALTH_VCT] }, claims: [{ path: ['age_band'] }, { path: ['diagnosis_codes'] }] },
    { id: 'resident', format: 'jwt_vc_json', meta: { type_values: [['ResidentCredential']] } },
  ],
  credential_sets: [{ options: [['child_health'], ['resident']] }],
};

function requestParams(nonce: string) {
  return { response_type: 'vp_token', response_mode: 'dc_api', nonce, dcql_query: dcqlQuery };
}

/** A request object signed by the verifier (client_id `decentralized_identifier:<did>`), with the accreditation attached. */
async function signedRequest(accreditation: string | null) {
  const nonce = `portal-nonce-${String(++nonces).padStart(4, '0')}`;
  const verifierInfo = accreditation === null ? {} : { verifier_info: [{ format: 'jwt_vc_json', data: accreditation }] };
  const data = await createSignedDcApiRequest({ verifier, payload: { ...requestParams(nonce), expected_origins: [PORTAL], ...verifierInfo } });
  return { protocol: 'openid4vp-v1-signed' as const, data, nonce };
}

/** Starts the request and waits for its window; what the check resolved before any lookup. */
async function open(request: { protocol: 'openid4vp-v1-signed' | 'openid4vp-v1-unsigned'; data: Record<string, unknown> }) {
  const shown = ports.presenter.nextApproval();
  const pending = services.presentation.request(PORTAL, driver.requestId(), request.protocol, request.data);
  pending.catch(() => undefined);
  const approvalId = await shown;
  const resolvedBeforeView = [...resolved];
  const lookup = await wallet.desk.lookup(approvalId);
  if (lookup.state !== 'pending') throw new Error(`the approval is ${lookup.state}`);
  const view = lookup.approval as CredentialsApprovalView;
  const candidate = (queryId: string) => view.queries.find((q) => q.queryId === queryId)!.candidates[0]!;
  return { approvalId, pending, view, candidate, resolvedBeforeView };
}

const shareHealth = (approvalId: string) =>
  wallet.desk.resolve(approvalId, 'approve', { queries: { child_health: { credentialId: healthId, claims: [['age_band'], ['diagnosis_codes']] } } });

/** The requester checks the log holds, oldest first (their payloads). */
async function checkedInLog() {
  const { entries } = await wallet.activity.list({ offset: 0, limit: 100, kind: 'requester.checked' });
  return entries.map((e) => e.payload as Record<string, unknown>).reverse();
}

/** What the log says went to the portal: the credential ids presented and the claim paths released, entry by entry. */
async function presentedToPortal() {
  const { entries } = await wallet.activity.list({ offset: 0, limit: 100, kind: 'credential.presented' });
  return entries
    .filter((e) => e.origin === PORTAL)
    .map((e) => ({ ids: e.subject, claimPaths: (e.payload as { credentials: { claimPaths: unknown[] }[] }).credentials.map((c) => c.claimPaths) }));
}

/** Approving the health summary is refused with the blocked reason; nothing leaves and the window stays open. */
async function expectHealthRefused(opened: Awaited<ReturnType<typeof open>>) {
  const blocked = opened.candidate('child_health').blocked;
  expect(blocked).toMatch(BLOCKED);
  expect(await rejection(shareHealth(opened.approvalId))).toEqual({ code: 'invalid_input', message: blocked });
  expect(await presentedToPortal()).toEqual([]);
  expect((await wallet.desk.lookup(opened.approvalId)).state).toBe('pending');
}

describe('a signed request whose verifier attached its accreditation', () => {
  it('checks it before the window opens, shows the verified requester, and shares the health summary', async () => {
    const request = await signedRequest(await accreditationOf());
    const opened = await open(request);
    // Checked before the window opened: the body's key resolved and its status list read, before any lookup.
    expect(opened.resolvedBeforeView.some((url) => url.startsWith(body.did))).toBe(true);
    expect(ports.fetcher.requested).toContain(LIST_URL);
    const { view } = opened;
    expect(view.clientId).toBe(`decentralized_identifier:${verifier.did}`);
    expect(view.requester).toMatchObject({
      verified: true,
      origin: PORTAL,
      name: INSTITUTION,
      did: verifier.did,
      accreditor: BOARD,
      accreditorDid: body.did,
      studyId: STUDY_ID,
      ethicsApproval: 'AERB-2026-117',
      dataCategories: ['health'],
    });
    expect(opened.candidate('child_health')).toMatchObject({ credential: { id: healthId, categories: ['health'] }, blocked: null });

    await shareHealth(opened.approvalId);
    const { vp_token } = (await opened.pending) as Extract<CredentialsResult, { vp_token: unknown }>;
    const [presentation] = vp_token.child_health!;
    const parts = presentation!.split('~');
    const disclosed = parts.slice(1, -1).map((d) => JSON.parse(Buffer.from(d, 'base64url').toString())[1]);
    expect(disclosed.sort()).toEqual(['age_band', 'diagnosis_codes']);
    expect(peekJwt(parts.at(-1)!).payload).toMatchObject({ aud: `origin:${PORTAL}`, nonce: request.nonce });
    const [logged] = await presentedToPortal();
    expect(logged!.ids).toBe(healthId);
    // The log names what left and no more: the chosen claims, none of the child's identifiers.
    expect(logged!.claimPaths[0]!.map((path) => JSON.stringify(path)).sort()).toEqual(['["age_band"]', '["diagnosis_codes",0]']);
    // The check itself is in the log, with the study and the body.
    expect(await checkedInLog()).toEqual([{ origin: PORTAL, verified: true, did: verifier.did, reason: null, accreditor: body.did, study: expect.any(String) }]);
  });

  it('checks it once the wallet is unlocked when the request arrived while locked', async () => {
    await wallet.locking.lock();
    const shown = ports.presenter.nextApproval();
    const pending = services.presentation.request(PORTAL, driver.requestId(), 'openid4vp-v1-signed', (await signedRequest(await accreditationOf())).data);
    pending.catch(() => undefined);
    const approvalId = await shown;
    expect(await wallet.desk.lookup(approvalId)).toMatchObject({ state: 'locked' });
    expect(resolved.some((url) => url.startsWith(body.did))).toBe(false);
    await wallet.locking.unlock(TEST_PASSWORD);
    const lookup = await wallet.desk.lookup(approvalId);
    expect(lookup.state === 'pending' && (lookup.approval as CredentialsApprovalView).requester).toMatchObject({ verified: true, did: verifier.did });
    await shareHealth(approvalId);
    expect(Object.keys(((await pending) as { vp_token: Record<string, string[]> }).vp_token)).toEqual(['child_health']);
  });

  it('refuses a second request from the origin while one is pending, before checking its accreditation', async () => {
    const first = await open(await signedRequest(await accreditationOf()));
    const [resolvedBefore, fetchedBefore, openedBefore] = [resolved.length, ports.fetcher.requested.length, ports.presenter.opened.length];
    const second = await signedRequest(await accreditationOf());
    expect(await rejection(services.presentation.request(PORTAL, driver.requestId(), second.protocol, second.data))).toEqual({
      code: 'pending',
      message: 'A credentials request from this origin is already pending; wait for it to finish.',
    });
    // The request object's signature was verified (its DID resolved); the accreditation was not looked at.
    expect(resolved.slice(resolvedBefore).some((url) => url.startsWith(body.did))).toBe(false);
    expect([ports.fetcher.requested.length, ports.presenter.opened.length]).toEqual([fetchedBefore, openedBefore]);
    await wallet.desk.resolve(first.approvalId, 'reject');
  });
});

describe('health data and a verifier the wallet could not verify', () => {
  it('an accreditation of another DID: unverified with the reason, health blocked, approve refused', async () => {
    const opened = await open(await signedRequest(await accreditationOf((await createTestIssuer()).did)));
    expect(opened.view.requester).toEqual({
      verified: false,
      origin: PORTAL,
      did: verifier.did,
      reason: `The accreditation is not for the requester that signed the request (${verifier.did}).`,
    });
    await expectHealthRefused(opened);
    await wallet.desk.resolve(opened.approvalId, 'reject');
    expect((await rejection(opened.pending)).code).toBe('user_rejected');
    expect(await presentedToPortal()).toEqual([]);
    // A refusal is logged with the reason the window gave.
    expect((await checkedInLog()).map((p) => [p.verified, p.reason])).toEqual([[false, `The accreditation is not for the requester that signed the request (${verifier.did}).`]]);
  });

  it('an unsigned request: no requester shown, health blocked, the resident card still shared', async () => {
    const opened = await open({ protocol: 'openid4vp-v1-unsigned', data: requestParams('portal-unsigned-0001') });
    expect(opened.view).toMatchObject({ clientId: null, requester: null });
    expect(opened.candidate('child_health').blocked).toBe(
      'This is health data, which Tessera never shares with a requester it could not verify. The site did not prove who it is (no accreditation).',
    );
    expect(opened.candidate('resident')).toMatchObject({ credential: { id: residentId }, blocked: null });
    await expectHealthRefused(opened);
    await wallet.desk.resolve(opened.approvalId, 'approve', { queries: { resident: { credentialId: residentId, claims: [] } } });
    expect(Object.keys(((await opened.pending) as { vp_token: Record<string, string[]> }).vp_token)).toEqual(['resident']);
    expect((await presentedToPortal()).map((p) => p.ids)).toEqual([residentId]);
  });

  it('a signed request without verifier_info: no requester shown, health blocked', async () => {
    const opened = await open(await signedRequest(null));
    expect(opened.view).toMatchObject({ clientId: `decentralized_identifier:${verifier.did}`, requester: null });
    await expectHealthRefused(opened);
    await wallet.desk.resolve(opened.approvalId, 'reject');
  });

  it('an accreditation by a body not on the list: unverified, and nothing of that body resolved or fetched', async () => {
    const stranger = await createTestIssuer();
    const strangerList = 'http://127.0.0.1:7402/status/accreditations';
    ports.fetcher.bodies.set(strangerList, await accreditationStatusList(stranger, strangerList, []));
    const opened = await open(await signedRequest(await accreditationOf(verifier.did, stranger, strangerList)));
    expect(opened.view.requester).toEqual({
      verified: false,
      origin: PORTAL,
      did: verifier.did,
      reason: `The accreditation is issued by ${stranger.did}, which is not on your list of accreditation bodies.`,
    });
    await expectHealthRefused(opened);
    expect(resolved.some((url) => url.startsWith(stranger.did))).toBe(false);
    expect(resolved.some((url) => url.startsWith(verifier.did))).toBe(true);
    expect(ports.fetcher.requested).not.toContain(strangerList);
    await wallet.desk.resolve(opened.approvalId, 'reject');
  });
});
