import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { DataAccessApprovalView } from '../../protocol/internal.ts';
import type { RequestDataAccessParams } from '../../protocol/rpc.ts';
import { createTestIssuer, peekJwt, withTamperedSignature, type TestKey } from '../../../test/support/issuers.ts';
import {
  accreditationStatusList,
  INSTITUTION,
  isoDay,
  issueAccreditation,
  issueChildHealthSummary,
  researchRequest,
  signRequesterVp,
  STUDY_ID,
  studyClaims,
} from '../../../test/support/research.ts';
import { rejection } from '../../../test/support/rejection.ts';
import type { TestPorts } from '../../../test/support/test-ports.ts';
import { TEST_PASSWORD, WalletDriver } from '../../../test/support/wallet-driver.ts';
import type { CredentialServices } from './credential-services.ts';
import type { Wallet } from './wallet.ts';

/** Every DID the credential services resolve (the requester check resolves through them). */
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
const GENERALISED = [['age_band'], ['region'], ['diagnosis_codes']];

let driver: WalletDriver;
let ports: TestPorts;
let wallet: Wallet;
let services: CredentialServices;
let body: TestKey;
let requester: TestKey;
let accreditation: string;
let credentialId: string;
let holderJwk: JsonWebKey;
/** The child's 18th birthday, 200 days from now: sooner than the request's 365-day term. */
let comesOfAge: string;
let nonces = 0;

beforeEach(async () => {
  driver = await WalletDriver.created();
  ({ ports, wallet } = driver);
  services = await wallet.credentials();
  [body, requester] = await Promise.all([createTestIssuer(), createTestIssuer()]);
  // The clinic learns the parent's pairwise DID and binds the child's credential to its key.
  await driver.login(CLINIC);
  holderJwk = await driver.siteHolderJwk(CLINIC);
  comesOfAge = isoDay(ports.clock.now + 200 * DAY);
  credentialId = await driver.keepOffer(CLINIC, await issueChildHealthSummary(await createTestIssuer(), holderJwk, comesOfAge));
  await services.research.addAccreditor(body.did, BOARD);
  await publishStatus([]);
  accreditation = await issueAccreditation(body, requester.did, { origins: [PORTAL], jti: 'urn:uuid:accreditation-0001', status: { listUrl: LIST_URL, index: 3 } });
  resolved.length = 0;
});

async function publishStatus(revoked: number[]) {
  ports.fetcher.bodies.set(LIST_URL, await accreditationStatusList(body, LIST_URL, revoked));
}

/** A portal request for a fresh nonce; `requester: true` signs the VP for it. */
async function portalRequest(options: { requester?: boolean | ((nonce: string) => Promise<string>); aiTraining?: boolean } = {}) {
  const nonce = `research-nonce-${String(++nonces).padStart(4, '0')}`;
  const { requester: vp = true, aiTraining } = options;
  const signed = vp === true ? await signRequesterVp(requester, { origin: PORTAL, nonce, credentials: [accreditation] }) : vp ? await vp(nonce) : undefined;
  return researchRequest({ nonce, aiTraining, ...(signed ? { requester: signed } : {}) });
}

/** Starts the request and waits for its window: the approval, what it shows, and the site's pending answer. */
async function open(params: RequestDataAccessParams) {
  const shown = ports.presenter.nextApproval();
  const pending = services.dataAccess.request(PORTAL, driver.requestId(), params);
  pending.catch(() => undefined);
  const approvalId = await shown;
  const lookup = await wallet.desk.lookup(approvalId);
  if (lookup.state !== 'pending') throw new Error(`the approval is ${lookup.state}`);
  return { approvalId, pending, view: lookup.approval as DataAccessApprovalView };
}

const approveGeneralised = (approvalId: string, separatePurposes: string[] = []) =>
  wallet.desk.resolve(approvalId, 'approve', { queries: { child_health: { credentialId, claims: GENERALISED } }, separatePurposes });

async function ledger(kind: string) {
  return (await wallet.activity.list({ offset: 0, limit: 100, kind })).entries.map((e) => e.payload);
}

describe('research access: a verified requester', () => {
  it('shows the accreditation, preselects the least identifying claims, marks identifiers and what goes beyond, and shares as guardian', async () => {
    const { approvalId, pending, view } = await open(await portalRequest({ aiTraining: true }));
    expect(view.requester).toMatchObject({ verified: true, name: INSTITUTION, did: requester.did, accreditor: BOARD, studyId: STUDY_ID, ethicsApproval: 'AERB-2026-117' });
    const [query] = view.queries;
    expect(query!.minimised).toBe(true);
    const [candidate] = query!.candidates;
    expect(candidate!.blocked).toBeNull();
    const claim = (path: string) => candidate!.claims.find((c) => c.path.join('.') === path)!;
    expect(['age_band', 'region', 'diagnosis_codes.0'].map((p) => claim(p).requested)).toEqual([true, true, true]);
    expect(['birthdate', 'address.street_address', 'given_name'].map((p) => claim(p).requested)).toEqual([false, false, false]);
    expect(claim('birthdate')).toMatchObject({ directIdentifier: 'a full date', beyondAccreditation: true });
    expect(claim('address.postal_code').directIdentifier).toBe('an address below state level');
    expect(claim('medical_record_number').directIdentifier).toBe('a record or identification number');
    expect(claim('age_band').directIdentifier).toBeNull();
    expect(claim('age_band').beyondAccreditation).toBeUndefined();
    expect(view.purposes.map((p) => [p.term, p.separate, p.beyondAccreditation ?? false])).toEqual([
      ['dpv:ScientificResearch', false, false],
      ['duo:0000006', false, false],
      ['tessera:AIModelTraining', true, true],
    ]);
    expect(view.warnings).toEqual([`“Training AI models” is not among the data uses approved for study ${STUDY_ID}.`]);
    expect(view.guardian).toEqual({ role: 'dpv:ParentOfDataSubject', comesOfAgeAt: comesOfAge });
    expect(view.expiresAt).toBe(`${comesOfAge}T00:00:00.000Z`);
    // Each candidate says its own role, so the window follows the credential the user picks.
    expect(view.queries[0]!.candidates[0]!.guardian).toEqual({ role: 'dpv:ParentOfDataSubject', comesOfAgeAt: comesOfAge });
    expect(Date.parse(view.termEndsAt)).toBeGreaterThan(Date.parse(view.expiresAt));

    await approveGeneralised(approvalId);
    const { grant, receipt, vp_token } = await pending;
    expect(grant.purposes).toEqual(['dpv:ScientificResearch', 'duo:0000006']);
    expect(grant.expiresAt).toBe(`${comesOfAge}T00:00:00.000Z`);
    const body_ = (peekJwt(receipt).payload.vc as { credentialSubject: { grant: Record<string, unknown> } }).credentialSubject.grant;
    expect(body_).toMatchObject({
      purposes: ['dpv:ScientificResearch', 'duo:0000006'],
      expiresAt: `${comesOfAge}T00:00:00.000Z`,
      requester: { origin: PORTAL, id: requester.did, verification: 'accredited', name: INSTITUTION },
      holder: { role: 'dpv:ParentOfDataSubject', dataSubjectComesOfAgeAt: comesOfAge },
    });
    expect((body_.requester as Record<string, unknown>).accreditation).toEqual({ id: 'urn:uuid:accreditation-0001', issuer: body.did, study: STUDY_ID, ethicsApproval: 'AERB-2026-117' });
    // Only the chosen disclosures leave.
    const disclosed = vp_token.child_health![0]!.split('~').slice(1, -1).map((d) => JSON.parse(Buffer.from(d, 'base64url').toString())[1]);
    expect(disclosed.sort()).toEqual(['age_band', 'diagnosis_codes', 'region']);
  });

  it('warns claim by claim where the request asks for more than the study declares', async () => {
    accreditation = await issueAccreditation(body, requester.did, {
      origins: [PORTAL],
      status: { listUrl: LIST_URL, index: 3 },
      studies: [studyClaims({ claims: [['age_band'], ['diagnosis_codes']] })],
    });
    const { view } = await open(await portalRequest());
    expect(view.requester.verified).toBe(true);
    expect(view.warnings).toEqual([`It asks for region, which the accreditation does not list for study ${STUDY_ID}.`]);
    expect(view.queries[0]!.candidates[0]!.claims.find((c) => c.path[0] === 'region')!.beyondAccreditation).toBe(true);
  });

  it('ends a guardian grant when the child comes of age: grant.expired, grantExpired, and access refused', async () => {
    const { approvalId, pending } = await open(await portalRequest());
    await approveGeneralised(approvalId);
    const { grant } = await pending;
    ports.clock.now = Date.parse(`${comesOfAge}T00:00:00Z`) - DAY;
    await services.dataAccess.access(PORTAL, { grantId: grant.id, nonce: 'access-nonce-0001' });
    await wallet.runJob('grant-expiry');
    const expiredHere = () => ports.events.sent.filter((e) => e.event === 'grantExpired' && e.origin === PORTAL);
    expect(expiredHere()).toEqual([]);
    ports.clock.now = Date.parse(`${comesOfAge}T00:00:00Z`) + 60_000;
    await wallet.runJob('grant-expiry');
    expect(expiredHere()).toEqual([{ origin: PORTAL, event: 'grantExpired', data: { grantId: grant.id } }]);
    expect((await ledger('grant.expired')).filter((p) => p?.origin === PORTAL)).toEqual([{ origin: PORTAL }]);
    expect(await rejection(services.dataAccess.access(PORTAL, { grantId: grant.id, nonce: 'access-nonce-0002' }))).toEqual({ code: 'unauthorized', message: 'No active grant for this request.' });
  });
  it('refuses to share as guardian once the child has come of age, writing no grant', async () => {
    await services.holdings.delete(credentialId);
    const cameOfAge = isoDay(ports.clock.now - 30 * DAY);
    credentialId = await driver.keepOffer(CLINIC, await issueChildHealthSummary(await createTestIssuer(), holderJwk, cameOfAge));
    const { approvalId, pending } = await open(await portalRequest());
    expect(await rejection(approveGeneralised(approvalId))).toEqual({
      code: 'invalid_input',
      message: `The child came of age on ${cameOfAge}: as their parent or guardian you can no longer share this credential for them.`,
    });
    expect(await wallet.grants.listForSite(PORTAL)).toEqual([]);
    await wallet.desk.resolve(approvalId, 'reject');
    await rejection(pending);
  });
});

describe('research access: an unverified requester', () => {
  const expectRefused = async (params: RequestDataAccessParams, reason: string | RegExp) => {
    const { approvalId, pending, view } = await open(params);
    expect(view.requester.verified).toBe(false);
    expect(view.requester.verified === false && view.requester.reason).toMatch(reason);
    const blocked = view.queries[0]!.candidates[0]!.blocked;
    expect(blocked).toMatch(/^This is health data, which Tessera never shares with a requester it could not verify\. /);
    expect(await rejection(approveGeneralised(approvalId))).toMatchObject({ code: 'invalid_input', message: blocked });
    // Nothing was shared: no grant, no pairwise DID for the portal, no grant or presentation in the log.
    expect(await wallet.grants.listForSite(PORTAL)).toEqual([]);
    expect(await (await wallet.session.require()).pairwise.find(PORTAL)).toBeFalsy();
    expect(await ledger('grant.given')).toHaveLength(1); // the clinic's login only
    expect((await ledger('credential.presented')).filter((p) => p?.origin === PORTAL)).toEqual([]);
    await wallet.desk.resolve(approvalId, 'reject');
    expect((await rejection(pending)).code).toBe('user_rejected');
  };

  it('without a requester: refused health data, with the reason', async () => {
    await expectRefused(await portalRequest({ requester: false }), 'The site did not prove who it is (no accreditation).');
  });

  it('with a forged requester presentation', async () => {
    const forged = async (nonce: string) => withTamperedSignature(await signRequesterVp(requester, { origin: PORTAL, nonce, credentials: [accreditation] }));
    await expectRefused(await portalRequest({ requester: forged }), /^The requester's presentation is not validly signed by /);
  });

  it('with an accreditation its body revoked (read from the body’s status list)', async () => {
    await publishStatus([3]);
    await expectRefused(await portalRequest(), `The accreditation was revoked by ${BOARD}.`);
    expect(ports.fetcher.requested).toContain(LIST_URL);
  });

  it('with an accreditation for another site', async () => {
    accreditation = await issueAccreditation(body, requester.did, { origins: ['http://127.0.0.1:7399'], status: { listUrl: LIST_URL, index: 3 } });
    await expectRefused(await portalRequest(), /^The accreditation does not cover this site/);
  });
});

describe('research access: outside research, and a request that arrives while locked', () => {
  it('a non-research purpose gets the verifier’s first claim set, no identifier marks, and still no health data unverified', async () => {
    const { approvalId, view } = await open({ ...(await portalRequest({ requester: false })), purpose: 'dpv:ServiceProvision' });
    const [query] = view.queries;
    expect(query!.minimised).toBe(false);
    const claims = query!.candidates[0]!.claims;
    expect(claims.filter((c) => c.requested).map((c) => c.path[0])).toEqual(expect.arrayContaining(['birthdate', 'address', 'diagnosis_codes']));
    expect(claims.find((c) => c.path[0] === 'age_band')!.requested).toBe(false);
    expect(claims.every((c) => c.directIdentifier === null)).toBe(true);
    expect(query!.candidates[0]!.blocked).toMatch(/never shares with a requester it could not verify/);
    await wallet.desk.resolve(approvalId, 'reject');
  });

  it('checks the requester once the wallet is unlocked, and grants as verified', async () => {
    await wallet.locking.lock();
    const shown = ports.presenter.nextApproval();
    const pending = services.dataAccess.request(PORTAL, driver.requestId(), await portalRequest());
    pending.catch(() => undefined);
    const approvalId = await shown;
    expect(await wallet.desk.lookup(approvalId)).toMatchObject({ state: 'locked' });
    expect(resolved).toEqual([]);
    await wallet.locking.unlock(TEST_PASSWORD);
    const lookup = await wallet.desk.lookup(approvalId);
    expect(lookup.state === 'pending' && (lookup.approval as DataAccessApprovalView).requester).toMatchObject({ verified: true, studyId: STUDY_ID });
    await approveGeneralised(approvalId);
    expect((await pending).grant.purposes).toEqual(['dpv:ScientificResearch', 'duo:0000006']);
    expect((await ledger('requester.checked')).map((p) => p?.verified)).toEqual([true]);
  });
});

describe('research access: the activity log and pending requests', () => {
  it('records requester.checked when the user approves, rejects or closes the window, with the reason', async () => {
    const verified = await open(await portalRequest());
    await approveGeneralised(verified.approvalId);
    await verified.pending;
    const forged = await open(await portalRequest({ requester: async (nonce) => signRequesterVp(requester, { origin: PORTAL, nonce: `${nonce}-x`, credentials: [accreditation] }) }));
    await wallet.desk.resolve(forged.approvalId, 'reject');
    await rejection(forged.pending);
    // Closing the window is rejecting it too.
    accreditation = await issueAccreditation(body, requester.did, { origins: ['http://127.0.0.1:7399'], status: { listUrl: LIST_URL, index: 3 } });
    const closed = await open(await portalRequest());
    const [windowId] = [...ports.presenter.windows].find(([, id]) => id === closed.approvalId)!;
    await wallet.desk.windowClosed(windowId);
    expect((await rejection(closed.pending)).code).toBe('user_rejected');
    const entries = await ledger('requester.checked');
    expect(entries.reverse()).toEqual([
      { origin: PORTAL, verified: true, did: requester.did, reason: null, accreditor: body.did, study: STUDY_ID },
      { origin: PORTAL, verified: false, did: requester.did, reason: "The requester's presentation was made for another request (its nonce differs).", accreditor: null, study: null },
      { origin: PORTAL, verified: false, did: requester.did, reason: `The accreditation does not cover this site (${PORTAL}); it lists http://127.0.0.1:7399.`, accreditor: null, study: null },
    ]);
  });

  it('refuses a second request from the origin while one is pending, before checking anything', async () => {
    const first = await open(await portalRequest());
    expect(resolved.some((url) => url.startsWith(requester.did))).toBe(true);
    const [resolvedBefore, fetchedBefore, openedBefore] = [resolved.length, ports.fetcher.requested.length, ports.presenter.opened.length];
    const second = await rejection(services.dataAccess.request(PORTAL, driver.requestId(), await portalRequest()));
    expect(second).toEqual({ code: 'pending', message: 'A data-access request from this origin is already pending; wait for it to finish.' });
    expect(resolved.length).toBe(resolvedBefore);
    expect(ports.fetcher.requested.length).toBe(fetchedBefore);
    expect(ports.presenter.opened.length).toBe(openedBefore);
    await wallet.desk.resolve(first.approvalId, 'reject');
  });
});
