import { describe, expect, it } from 'vitest';
import type { IssuanceApprovalView } from '../../protocol/internal.ts';
import { isDomainError } from '../errors.ts';
import type { WalletPorts } from '../ports.ts';
import { createTestHolder, createTestIssuer } from '../../../test/support/issuers.ts';
import { MemoryOpenId4VciIssuer, type TestIssuerOptions } from '../../../test/support/openid4vci-issuer.ts';
import { WalletDriver } from '../../../test/support/wallet-driver.ts';
import { Wallet } from './wallet.ts';

async function setUp(options: Partial<TestIssuerOptions> = {}) {
  const driver = await WalletDriver.created();
  const issuer = new MemoryOpenId4VciIssuer({ key: await createTestIssuer(), ...options });
  (driver.ports as WalletPorts).fetcher = issuer;
  const services = await driver.wallet.credentials();
  return { driver, issuer, ...services };
}

async function shown(driver: WalletDriver, approvalId: string): Promise<IssuanceApprovalView> {
  const lookup = await driver.wallet.desk.lookup(approvalId);
  if (lookup.state !== 'pending' || lookup.approval.kind !== 'issuance') throw new Error(`not an issuance window: ${JSON.stringify(lookup)}`);
  return lookup.approval;
}

const reason = (error: unknown): unknown[] => (isDomainError(error) ? [error.code, error.message] : [error]);

describe('OpenID4VCI issuance in the wallet', () => {
  it('receives a pasted offer: the window names the issuer with its logo; every format kept, bound to the issuer origin\'s pairwise DID', async () => {
    const { driver, issuer, issuance, holdings } = await setUp();
    const next = driver.ports.presenter.nextApproval();
    const result = issuance.openFromDashboard(issuer.offerUri());
    const approvalId = await next;
    const view = await shown(driver, approvalId);
    expect(view).toMatchObject({
      via: 'dashboard',
      origin: 'https://issuer.example',
      issuer: 'https://issuer.example',
      issuerName: 'Example Registry',
      issuerLogo: { dataUri: expect.stringMatching(/^data:image\/svg\+xml;base64,/), alt: 'Registry logo' },
      configurations: [
        { id: 'PersonId', name: 'PersonId card' },
        { id: 'Diploma', name: 'Diploma card' },
        { id: 'Membership', name: 'Membership card' },
      ],
      txCode: null,
      flow: 'pre-authorized',
    });
    const fetchedBefore = issuer.requests.length;
    expect(issuer.requests.some((r) => r.url.endsWith('/token'))).toBe(false);
    await driver.wallet.desk.resolve(approvalId, 'approve');
    const { ids, credentials } = await result;
    expect(ids).toHaveLength(3);
    expect(credentials.map((c) => c.format)).toEqual(['dc+sd-jwt', 'jwt_vc_json', 'vc+jwt']);
    // The logo was fetched once, for the window.
    expect(issuer.requests.slice(fetchedBefore).some((r) => r.url.endsWith('/logo.svg'))).toBe(false);
    const wallet = await driver.wallet.session.require();
    const record = await wallet.credentials.get(ids[0]!);
    expect(record).toMatchObject({
      receivedFrom: 'https://issuer.example',
      issuerDisplay: [{ name: 'Example Registry', locale: 'en' }],
      display: { source: 'issuer-metadata', cards: [{ name: 'PersonId card' }] },
    });
    const site = await wallet.pairwise.find('https://issuer.example');
    expect(issuer.proofs.map((p) => p.header.kid)).toEqual([site!.kid, site!.kid, site!.kid]);
    // A later login at the issuer uses the very DID the credentials are bound to.
    expect((await driver.login('https://issuer.example')).did).toBe(site!.did);
    expect((await holdings.list()).map((c) => c.id).sort()).toEqual([...ids].sort());
    // Anonymous pre-authorized access (the AS allows it): no client id, and no iss in the proofs.
    expect(new URLSearchParams(issuer.requests.find((r) => r.url.endsWith('/token'))?.body).has('client_id')).toBe(false);
  });

  it('asks for the transaction code; a missing or wrong one keeps the window open with the reason', async () => {
    const { driver, issuer, issuance } = await setUp({ txCode: '4821', formats: { Diploma: 'jwt_vc_json' } });
    const next = driver.ports.presenter.nextApproval();
    const result = issuance.openFromDashboard(issuer.offerUri());
    const approvalId = await next;
    expect((await shown(driver, approvalId)).txCode).toEqual({ inputMode: 'numeric', length: 4, description: 'The code in your e-mail' });
    const approve = (txCode?: string) => driver.wallet.desk.resolve(approvalId, 'approve', txCode === undefined ? undefined : { queries: {}, txCode });
    expect(reason(await approve().catch((e: unknown) => e))).toEqual(['invalid_input', 'The issuer asks for a transaction code; type the code it sent you']);
    expect(reason(await approve('1111').catch((e: unknown) => e))).toEqual([
      'invalid_input',
      'The issuer refused the pre-authorized code and transaction code: invalid_grant (the transaction code is wrong)',
    ]);
    await approve('4821');
    expect((await result).ids).toHaveLength(1);
  });

  it('a never-connected site\'s offer: nothing fetched before the decision, the issuer URL shown; { id, ids } once approved', async () => {
    const { driver, issuer, issuance } = await setUp({ formats: { Diploma: 'jwt_vc_json', Membership: 'vc+jwt' } });
    const next = driver.ports.presenter.nextApproval();
    const result = issuance.offerFromSite('https://shop.example', driver.requestId(), issuer.offer());
    const view = await shown(driver, await next);
    expect(view).toMatchObject({ via: 'site', origin: 'https://shop.example', issuer: 'https://issuer.example', issuerName: null, issuerLogo: null });
    expect(view.configurations).toEqual([{ id: 'Diploma', name: 'Diploma' }, { id: 'Membership', name: 'Membership' }]);
    expect(issuer.requests).toEqual([]);
    // One pending issuance per origin.
    expect(reason(await issuance.offerFromSite('https://shop.example', driver.requestId(), issuer.offer()).catch((e: unknown) => e))[0]).toBe('pending');
    await driver.wallet.desk.resolve(view.id, 'approve');
    const { id, ids } = await result;
    expect(ids).toHaveLength(2);
    expect(id).toBe(ids[0]);
    const record = await (await driver.wallet.session.require()).credentials.get(id);
    expect(record?.receivedFrom).toBe('https://issuer.example');
  });

  it('a site\'s offer by reference is fetched only after approval; a code field is shown in case', async () => {
    const { driver, issuer, issuance } = await setUp({ formats: { Diploma: 'jwt_vc_json' } });
    const next = driver.ports.presenter.nextApproval();
    const uri = `openid-credential-offer://?credential_offer_uri=${encodeURIComponent('https://issuer.example/offers/1')}`;
    const result = issuance.offerFromSite('https://shop.example', driver.requestId(), uri);
    const view = await shown(driver, await next);
    expect(view).toMatchObject({ issuer: null, offerUri: 'https://issuer.example/offers/1', txCodeMayBeAsked: true, flow: null });
    expect(issuer.requests).toEqual([]);
    await driver.wallet.desk.resolve(view.id, 'approve');
    expect((await result).ids).toHaveLength(1);
  });

  it('gives a site one answer for every refusal, with or without a window', async () => {
    const { driver, issuer, issuance } = await setUp({ metadata: { credential_issuer: 'https://other.example' } });
    const malformed = await issuance.offerFromSite('https://shop.example', driver.requestId(), { credential_issuer: 'https://10.0.0.1' }).catch((e: unknown) => e);
    expect(reason(malformed)).toEqual(['invalid_credential', 'invalid credential']);
    expect(driver.ports.presenter.opened).toEqual([]);
    const next = driver.ports.presenter.nextApproval();
    const result = issuance.offerFromSite('https://shop.example', driver.requestId(), issuer.offer()).catch((e: unknown) => e);
    const approvalId = await next;
    await driver.wallet.desk.resolve(approvalId, 'approve').catch(() => undefined);
    expect(reason(await result)).toEqual(['invalid_credential', 'invalid credential']);
    // The holder sees why, in the activity log.
    const refusals = (await driver.wallet.activity.list({ offset: 0, limit: 50 })).entries.filter((e) => e.kind === 'offer.refused');
    expect(refusals.map((e) => e.payload)).toEqual([
      { origin: 'https://shop.example', reason: 'The issuer metadata is for https://other.example, not for https://issuer.example as offered' },
      { origin: 'https://shop.example', reason: expect.stringContaining("credential_issuer https://10.0.0.1 is refused") },
    ]);
  });

  it('refuses a credential bound to another key and keeps none of the offer, the holder told why', async () => {
    const stranger = await createTestHolder();
    const { driver, issuer, issuance, holdings } = await setUp({ bindTo: stranger.did, formats: { Diploma: 'jwt_vc_json' } });
    const next = driver.ports.presenter.nextApproval();
    const result = issuance.openFromDashboard(issuer.offerUri()).catch((e: unknown) => e);
    await driver.wallet.desk.resolve(await next, 'approve').catch(() => undefined);
    const refused = reason(await result) as [string, string];
    expect(refused[0]).toBe('invalid_credential');
    expect(refused[1]).toMatch(new RegExp(`bound to ${stranger.did}, which this wallet does not hold`));
    expect(await holdings.list()).toEqual([]);
  });

  it('tells the holder why a pasted offer cannot be opened, before any window', async () => {
    const { driver, issuance } = await setUp({ metadata: { credential_endpoint: 'https://192.168.0.10/credential' } });
    const issuer = new MemoryOpenId4VciIssuer({ key: await createTestIssuer(), metadata: { credential_endpoint: 'https://192.168.0.10/credential' } });
    (driver.ports as WalletPorts).fetcher = issuer;
    expect(reason(await issuance.openFromDashboard(issuer.offerUri()).catch((e: unknown) => e))).toEqual([
      'invalid_credential',
      expect.stringMatching(/credential_endpoint https:\/\/192\.168\.0\.10\/credential is refused/),
    ]);
    expect(reason(await issuance.openFromDashboard('https://example.org/?nothing=1').catch((e: unknown) => e))[1]).toMatch(/neither credential_offer/);
    expect(driver.ports.presenter.opened).toEqual([]);
  });

  it('a link the user clicked on a page: the page\'s origin asks, the issuer\'s metadata is shown before the decision', async () => {
    const { driver, issuer, issuance } = await setUp({ formats: { Diploma: 'jwt_vc_json' } });
    const next = driver.ports.presenter.nextApproval();
    const result = issuance.openFromLink('https://university.example', issuer.offerUri());
    const view = await shown(driver, await next);
    expect(view).toMatchObject({ via: 'link', origin: 'https://university.example', issuer: 'https://issuer.example', issuerName: 'Example Registry' });
    await driver.wallet.desk.resolve(view.id, 'reject');
    expect(reason(await result.catch((e: unknown) => e))[0]).toBe('user_rejected');
    expect(issuer.requests.some((r) => r.method === 'POST')).toBe(false);
  });

  it('the authorization code flow: approve opens the sign-in tab, the redirect with our state finishes it; the code is exchanged once', async () => {
    const { driver, issuer, issuance } = await setUp({ formats: { Diploma: 'jwt_vc_json' } });
    const opened: string[] = [];
    const closed: number[] = [];
    (driver.ports as WalletPorts).authorizationTabs = {
      redirectUri: 'https://abcdefghijklmnop.chromiumapp.org/openid4vci/callback',
      open: async (url) => opened.push(url) + 40,
      close: async (tabId) => void closed.push(tabId),
    };
    const next = driver.ports.presenter.nextApproval();
    const result = issuance.openFromDashboard(JSON.stringify(issuer.offer(['Diploma'], 'authorization_code')));
    const approvalId = await next;
    expect((await shown(driver, approvalId)).flow).toBe('authorization-code');
    expect(reason(await driver.wallet.desk.resolve(approvalId, 'approve').catch((e: unknown) => e))[0]).toBe('invalid_input');
    expect(opened).toHaveLength(1);
    const redirect = issuer.authorize(opened[0]!);
    // A redirect with a state the wallet never sent changes nothing, and is closed.
    await issuance.authorizationRedirect(41, redirect.replace(/state=[^&]+/, 'state=forged'));
    expect((await driver.wallet.desk.lookup(approvalId)).state).toBe('pending');
    await issuance.authorizationRedirect(41, redirect);
    const { ids } = await result;
    expect(ids).toHaveLength(1);
    expect(closed).toEqual([41, 41]);
    expect(issuer.proofs[0]?.payload.iss).toBe('tessera-wallet');
    const token = issuer.requests.find((r) => r.url.endsWith('/token'));
    expect(Object.fromEntries(new URLSearchParams(token?.body))).toMatchObject({ grant_type: 'authorization_code', client_id: 'tessera-wallet' });
    // Replayed: the state is spent.
    await issuance.authorizationRedirect(41, redirect);
    expect(issuer.requests.filter((r) => r.url.endsWith('/token'))).toHaveLength(1);
  });

  it('an error redirect ends the issuance with the issuer\'s reason', async () => {
    const { driver, issuer, issuance } = await setUp({ formats: { Diploma: 'jwt_vc_json' } });
    const opened: string[] = [];
    (driver.ports as WalletPorts).authorizationTabs = { redirectUri: 'https://x.chromiumapp.org/openid4vci/callback', open: async (url) => opened.push(url), close: async () => undefined };
    const next = driver.ports.presenter.nextApproval();
    const result = issuance.openFromDashboard(JSON.stringify(issuer.offer(['Diploma'], 'authorization_code'))).catch((e: unknown) => e);
    const approvalId = await next;
    await driver.wallet.desk.resolve(approvalId, 'approve').catch(() => undefined);
    const state = new URL(opened[0]!).searchParams.get('state');
    await issuance.authorizationRedirect(1, `https://x.chromiumapp.org/openid4vci/callback?error=access_denied&error_description=declined&state=${state}`);
    expect(reason(await result)).toEqual(['invalid_credential', "The issuer's authorization ended: access_denied (declined)"]);
  });

  it('a worker restarted while the holder signs in loses nothing: the redirect reaching the new worker finishes the issuance', async () => {
    const { driver, issuer, issuance } = await setUp({ formats: { Diploma: 'jwt_vc_json' } });
    const opened: string[] = [];
    const tabs = { redirectUri: 'https://x.chromiumapp.org/openid4vci/callback', open: async (url: string) => opened.push(url), close: async () => undefined };
    (driver.ports as WalletPorts).authorizationTabs = tabs;
    const next = driver.ports.presenter.nextApproval();
    void issuance.offerFromSite('https://shop.example', 'req-restart-000000001', issuer.offer(['Diploma'], 'authorization_code')).catch(() => undefined);
    const approvalId = await next;
    await driver.wallet.desk.resolve(approvalId, 'approve').catch(() => undefined);
    // A new worker: a new Wallet over the same storage and session store.
    const restarted = new Wallet(driver.ports);
    const services = await restarted.credentials();
    await services.issuance.authorizationRedirect(1, issuer.authorize(opened[0]!));
    expect(await services.holdings.list()).toHaveLength(1);
    // The site's request, re-attached after the restart, has its answer.
    const reattached = await restarted.desk.reattach('https://shop.example', 'req-restart-000000001');
    expect(reattached).toBeDefined();
    expect((reattached!.result as { ids: string[] }).ids).toHaveLength(1);
  });

  it("a connected site's offer (an active login) shows the issuer's name before the decision", async () => {
    const { driver, issuer, issuance } = await setUp({ formats: { Diploma: 'jwt_vc_json' } });
    await driver.login('https://shop.example');
    const next = driver.ports.presenter.nextApproval();
    const result = issuance.offerFromSite('https://shop.example', driver.requestId(), issuer.offer()).catch((e: unknown) => e);
    const view = await shown(driver, await next);
    expect(view).toMatchObject({ via: 'site', issuerName: 'Example Registry', configurations: [{ id: 'Diploma', name: 'Diploma card' }] });
    await driver.wallet.desk.resolve(view.id, 'reject');
    expect(reason(await result)[0]).toBe('user_rejected');
  });
});
