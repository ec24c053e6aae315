import { verifyCredential as verifyCredentialJwt, verifyPresentation } from 'did-jwt-vc';
import { Resolver } from 'did-resolver';
import { CompactSign, importJWK } from 'jose';
import { getResolver as getKeyDidResolver } from 'key-did-resolver';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DataAccessApprovalView } from '../../protocol/internal.ts';
import type { DataAccessResult, RequestDataAccessParams } from '../../protocol/rpc.ts';
import { bitstringWith, encodeBitstring, signVcJwt11 } from '../../../test/support/status-lists.ts';
import { createTestIssuer, issueJwtVc, type TestIssuer } from '../../../test/support/issuers.ts';
import { utf8 } from '../encoding.ts';
import { rejection } from '../../../test/support/rejection.ts';
import type { TestPorts } from '../../../test/support/test-ports.ts';
import { WalletDriver } from '../../../test/support/wallet-driver.ts';
import type { Wallet } from './wallet.ts';

const REGISTRY = 'http://127.0.0.1:7001';
const LIBRARY = 'http://127.0.0.1:7003';
const OTHER = 'http://127.0.0.1:7004';
const STATUS_URL = 'http://127.0.0.1:7001/status/residents';
const resolver = new Resolver(getKeyDidResolver());
const DAY = 86_400_000;

let driver: WalletDriver;
let ports: TestPorts;
let wallet: Wallet;
let issuer: TestIssuer;
let credentialId: string;
const requestId = () => driver.requestId();
const withApproval = <T>(start: () => Promise<T>, decide: (approvalId: string) => Promise<void>) => driver.withApproval(start, decide);

/** Serves the registry's status list with `revoked` indexes set. */
async function publishStatus(revoked: number[]) {
  const key = await importJWK(issuer.privateJwk, 'EdDSA');
  const signer = {
    did: issuer.did,
    kid: issuer.kid,
    sign: (payload: Record<string, unknown>, header: Record<string, unknown> = {}) =>
      new CompactSign(utf8(JSON.stringify(payload))).setProtectedHeader({ alg: 'EdDSA', kid: issuer.kid, ...header }).sign(key),
  };
  ports.fetcher.bodies.set(STATUS_URL, await signVcJwt11(signer, STATUS_URL, { encodedList: await encodeBitstring(bitstringWith(revoked)) }));
}

const residencyRequest = (overrides: Partial<RequestDataAccessParams> = {}): RequestDataAccessParams => ({
  purpose: 'dpv:ServiceProvision',
  nonce: 'library-nonce-0001',
  duration_days: 365,
  dcql_query: { credentials: [{ id: 'residency', format: 'jwt_vc_json', meta: { type_values: [['ResidentCredential']] } }] },
  ...overrides,
});

async function grantResidency(overrides: Partial<RequestDataAccessParams> = {}, origin = LIBRARY): Promise<DataAccessResult> {
  const { dataAccess } = await wallet.credentials();
  return withApproval(
    () => dataAccess.request(origin, requestId(), residencyRequest(overrides)),
    (approvalId) => wallet.desk.resolve(approvalId, 'approve', { queries: { residency: { credentialId, claims: [] } } }),
  );
}

beforeEach(async () => {
  driver = await WalletDriver.created();
  ({ ports, wallet } = driver);
  const identity = await driver.login(REGISTRY);
  issuer = await createTestIssuer();
  await publishStatus([]);
  const jwt = await issueJwtVc(issuer, {
    subjectDid: identity.did,
    types: ['ResidentCredential'],
    claims: { given_name: 'Ada', city: 'Aldmere' },
    status: [{ kind: 'bitstring', purpose: 'revocation', index: 42, listUrl: STATUS_URL }],
  });
  credentialId = await driver.keepOffer(REGISTRY, jwt);
});

describe('wallet_requestDataAccess', () => {
  it('shows who asks, what, why, for how long, how often and how long they keep it', async () => {
    const { dataAccess } = await wallet.credentials();
    const shown = ports.presenter.nextApproval();
    const pending = dataAccess.request(LIBRARY, requestId(), residencyRequest({ usage_limit: 12, retention_days: 30, purpose: ['dpv:ServiceProvision', 'dpv:IdentityVerification'] }));
    const approvalId = await shown;
    const lookup = await wallet.desk.lookup(approvalId);
    const view = (lookup as { approval: DataAccessApprovalView }).approval;
    expect(view).toMatchObject({ kind: 'data-access', origin: LIBRARY, durationDays: 365, usageLimit: 12, retentionDays: 30, requester: { verified: false } });
    expect(view.purposes.map((p) => p.label)).toEqual(['Providing a service', 'Verifying your identity']);
    expect(view.queries[0]?.candidates[0]?.claims.map((c) => c.path.join('.'))).toEqual(['credentialSubject.id', 'credentialSubject.given_name', 'credentialSubject.city']);
    await wallet.desk.resolve(approvalId, 'reject');
    expect((await rejection(pending)).code).toBe('user_rejected');
    expect(await wallet.grants.listForSite(LIBRARY)).toEqual([]);
  });

  it('gives the data, a grant and a consent receipt signed by the pairwise DID that verifies with did-jwt-vc alone', async () => {
    const { grant, receipt, vp_token } = await grantResidency({ retention_days: 30 });
    expect(grant).toMatchObject({ kind: 'data', status: 'active', purposes: ['dpv:ServiceProvision'], retentionDays: 30, receipt });
    const verified = await verifyCredentialJwt(receipt, resolver, { audience: `origin:${LIBRARY}` });
    expect(verified.payload.iss).toBe(grant.did);
    expect(verified.verifiableCredential.type).toEqual(['VerifiableCredential', 'ConsentReceipt']);
    const body = (verified.verifiableCredential.credentialSubject as { grant: Record<string, unknown> }).grant;
    expect(body).toMatchObject({ id: grant.id, purposes: ['dpv:ServiceProvision'], retentionDays: 30 });
    expect(JSON.stringify(body)).not.toContain('Ada');
    const vp = await verifyPresentation(vp_token.residency![0]!, resolver, { challenge: 'library-nonce-0001', domain: `origin:${LIBRARY}` });
    expect(vp.verified).toBe(true);
    // The site's grant is under its own pairwise DID, not the registry's.
    const registryDid = (await wallet.grants.listForSite(REGISTRY))[0]!.did;
    expect(grant.did).not.toBe(registryDid);
  });

  it('refuses unknown purposes naming them, and a bad query naming the field, without a window', async () => {
    const { dataAccess } = await wallet.credentials();
    const opened = ports.presenter.opened.length;
    expect(await rejection(dataAccess.request(LIBRARY, requestId(), residencyRequest({ purpose: ['dpv:ServiceProvision', 'dpv:Everything'] })))).toEqual({
      code: 'invalid_input',
      message: 'params.purpose: unknown purpose term dpv:Everything',
    });
    expect((await rejection(dataAccess.request(LIBRARY, requestId(), residencyRequest({ dcql_query: { credentials: [] } })))).message).toMatch(/^params\.dcql_query/);
    expect(ports.presenter.opened.length).toBe(opened);
  });

  it('keeps AI model training out of the grant unless ticked separately', async () => {
    const declined = await grantResidency({ purpose: ['dpv:ServiceProvision', 'tessera:AIModelTraining'] });
    expect(declined.grant.purposes).toEqual(['dpv:ServiceProvision']);
    const { dataAccess } = await wallet.credentials();
    const ticked = await withApproval(
      () => dataAccess.request(OTHER, requestId(), residencyRequest({ purpose: ['dpv:ServiceProvision', 'tessera:AIModelTraining'] })),
      (approvalId) =>
        wallet.desk.resolve(approvalId, 'approve', { queries: { residency: { credentialId, claims: [] } }, separatePurposes: ['tessera:AIModelTraining'] }),
    );
    expect(ticked.grant.purposes).toEqual(['dpv:ServiceProvision', 'tessera:AIModelTraining']);
  });
});

describe('wallet_accessData', () => {
  it('answers silently with fresh presentations for the access nonce, and records each access', async () => {
    const { grant } = await grantResidency();
    const { dataAccess } = await wallet.credentials();
    const opened = ports.presenter.opened.length;
    const { vp_token } = await dataAccess.access(LIBRARY, { grantId: grant.id, nonce: 'access-nonce-0001' });
    expect(ports.presenter.opened.length).toBe(opened);
    expect((await verifyPresentation(vp_token.residency![0]!, resolver, { challenge: 'access-nonce-0001', domain: `origin:${LIBRARY}` })).verified).toBe(true);
    const [view] = await wallet.grants.listForSite(LIBRARY);
    expect(view?.usageCount).toBe(1);
    const [holderView] = (await wallet.grants.listForHolder()).filter((g) => g.id === grant.id);
    expect(holderView?.lastAccessAt).not.toBeNull();
  });

  it('ends at the usage limit', async () => {
    const { grant } = await grantResidency({ usage_limit: 2 });
    const { dataAccess } = await wallet.credentials();
    await dataAccess.access(LIBRARY, { grantId: grant.id, nonce: 'access-nonce-0001' });
    await dataAccess.access(LIBRARY, { grantId: grant.id, nonce: 'access-nonce-0002' });
    expect((await rejection(dataAccess.access(LIBRARY, { grantId: grant.id, nonce: 'access-nonce-0003' }))).code).toBe('unauthorized');
  });

  it('ends with revocation, by the holder or the site, and the site hears grantRevoked', async () => {
    const { grant } = await grantResidency();
    const { dataAccess } = await wallet.credentials();
    await wallet.grants.revokeAsHolder(grant.id);
    expect(ports.events.sent).toContainEqual({ origin: LIBRARY, event: 'grantRevoked', data: { grantId: grant.id } });
    expect(await rejection(dataAccess.access(LIBRARY, { grantId: grant.id, nonce: 'access-nonce-0001' }))).toEqual({ code: 'unauthorized', message: 'No active grant for this request.' });
    const second = await grantResidency({ nonce: 'library-nonce-0002' });
    await wallet.grants.revokeAsSite(LIBRARY, second.grant.id);
    expect((await rejection(dataAccess.access(LIBRARY, { grantId: second.grant.id, nonce: 'access-nonce-0002' }))).code).toBe('unauthorized');
  });

  it('a revocation racing accesses wins: no access after it commits, and it is never overwritten', async () => {
    const { grant } = await grantResidency();
    const { dataAccess } = await wallet.credentials();
    const write = ports.store.write.bind(ports.store);
    ports.store.write = async (ops) => {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 4));
      return write(ops);
    };
    // Accesses keep arriving before, during and after the revocation.
    let revokedAt = Infinity;
    const okAt: number[] = [];
    const accesses = Array.from({ length: 16 }, async (_, i) => {
      await new Promise((resolve) => setTimeout(resolve, i * 3));
      try {
        await dataAccess.access(LIBRARY, { grantId: grant.id, nonce: `access-race-${i}xx` });
        okAt.push(performance.now());
      } catch {
        // refused: after the revocation
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 15));
    await wallet.grants.revokeAsHolder(grant.id);
    revokedAt = performance.now();
    await Promise.all(accesses);
    expect(okAt.length).toBeGreaterThan(0);
    expect(okAt.length).toBeLessThan(16);
    expect(okAt.every((t) => t <= revokedAt)).toBe(true);
    expect((await wallet.grants.listForSite(LIBRARY))[0]?.status).toBe('revoked');
    expect((await rejection(dataAccess.access(LIBRARY, { grantId: grant.id, nonce: 'access-after-0' }))).code).toBe('unauthorized');
  });

  it('ends at expiry: the scheduled job marks it expired and tells the site once', async () => {
    const { grant } = await grantResidency({ duration_days: 1 });
    const { dataAccess } = await wallet.credentials();
    ports.clock.now += 2 * DAY;
    expect((await rejection(dataAccess.access(LIBRARY, { grantId: grant.id, nonce: 'access-nonce-0001' }))).code).toBe('unauthorized');
    await wallet.runJob('grant-expiry');
    await wallet.runJob('grant-expiry');
    expect(ports.events.sent.filter((e) => e.event === 'grantExpired')).toEqual([{ origin: LIBRARY, event: 'grantExpired', data: { grantId: grant.id } }]);
    const [view] = await wallet.grants.listForHolder();
    expect(view?.events.at(-1)).toMatchObject({ type: 'expired', actor: 'wallet' });
  });

  it('ends when the credential behind it is revoked by its issuer, or deleted by the holder', async () => {
    const { grant } = await grantResidency();
    const { dataAccess, holdings } = await wallet.credentials();
    await publishStatus([42]);
    // Past the list's ttl (the W3C default of 5 minutes), so the wallet fetches it again.
    ports.clock.now += 6 * 60_000;
    expect((await rejection(dataAccess.access(LIBRARY, { grantId: grant.id, nonce: 'access-nonce-0001' }))).code).toBe('unauthorized');
    await publishStatus([]);
    ports.clock.now += 6 * 60_000;
    await dataAccess.access(LIBRARY, { grantId: grant.id, nonce: 'access-nonce-0002' });
    await holdings.delete(credentialId);
    expect((await rejection(dataAccess.access(LIBRARY, { grantId: grant.id, nonce: 'access-nonce-0003' }))).code).toBe('unauthorized');
  });

  it("gives another site nothing of this site's grant: the same answer as an unknown id", async () => {
    const { grant } = await grantResidency();
    const { dataAccess } = await wallet.credentials();
    const foreign = await rejection(dataAccess.access(OTHER, { grantId: grant.id, nonce: 'access-nonce-0001' }));
    const unknown = await rejection(dataAccess.access(OTHER, { grantId: 'no-such-grant-id', nonce: 'access-nonce-0001' }));
    expect(foreign).toEqual(unknown);
    expect(await rejection(wallet.grants.revokeAsSite(OTHER, grant.id))).toEqual({ code: 'unauthorized', message: 'Unknown grant.' });
    expect(await wallet.grants.listForSite(OTHER)).toEqual([]);
    expect((await wallet.grants.listForSite(LIBRARY))[0]?.status).toBe('active');
  });
});

describe('receipts and deletion requests in the dashboard', () => {
  it("downloads a grant's receipt, and signs a deletion request citing it by the grant's pairwise DID", async () => {
    const { grant, receipt } = await grantResidency();
    expect(await wallet.grants.receipt(grant.id)).toEqual({ grantId: grant.id, receipt, receiptProof: null });
    const { request } = await wallet.grants.deletionRequest(grant.id);
    const { verifyJWT } = await import('did-jwt');
    const verified = await verifyJWT(request, { resolver, audience: `origin:${LIBRARY}` });
    expect(verified.issuer).toBe(grant.did);
    expect(verified.payload).toMatchObject({ type: 'DeletionRequest', grant: { id: grant.id } });
    expect((verified.payload as { grant: { receiptHash: string } }).grant.receiptHash).toHaveLength(43);
    expect((await rejection(wallet.grants.receipt('no-such-grant-id'))).code).toBe('not_found');
  });
});
