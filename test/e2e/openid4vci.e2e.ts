/**
 * OpenID4VCI with the demo issuers, in Chromium with the built extension: the
 * Aldmere Civic Registry (our OpenID4VCI issuer, demo/registry/openid4vci-*.ts) and
 * the Aldmere Ferry Company (built only on @openid4vc/openid4vci, demo/vci-library-issuer/).
 * (a) a by-reference pre-authorized offer pasted in the dashboard; (b) a transaction
 * code, wrong then right; (c) a site's wallet_offerCredential({ credential_offer });
 * (d) a click on an openid-credential-offer:// link; (e) the authorization code flow
 * in a tab; (f) the PID received over OpenID4VCI presented to the city; (g) the
 * library-built issuer. The wallet's own half (against an in-memory issuer) is
 * openid4vci-wallet.e2e.ts. Every *.chromiumapp.org name resolves to a local listener
 * (redirect-host-listener.ts): the registry's redirect must never reach it.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { approveIn, openExtensionPage, requestInPage, waitForApprovalPage, waitForClose } from '../../scripts/lib/extension-browser.ts';
import { PID_SD_JWT, RESIDENT_JWT_VC } from '../../demo/registry/openid4vci-metadata.ts';
import { startLibraryIssuer, type LibraryIssuerServer } from '../../demo/vci-library-issuer/server.ts';
import { closeStrayApprovals, decide, openPage, startCitizenHarness, type CitizenHarness } from './credential-support.ts';
import { listenForRedirectHost, type RedirectHostListener } from './redirect-host-listener.ts';
import { expectOk } from './support.ts';

let h: CitizenHarness;
let ferry: LibraryIssuerServer;
let offersPage: Page;
let redirectHost: RedirectHostListener;

beforeAll(async () => {
  redirectHost = await listenForRedirectHost();
  h = await startCitizenHarness({ args: redirectHost.args });
  ferry = await startLibraryIssuer();
  offersPage = await openPage(h.context, h.registry.url(undefined, '/openid4vci'));
  await offersPage.locator('[data-testid="offers"][data-state="ready"]').waitFor({ timeout: 10_000 });
}, 90_000);

afterAll(async () => {
  await h?.close();
  await ferry?.close();
  await redirectHost?.close();
});

/** Fresh offers on the registry's page (each pre-authorized code is single-use). */
async function renewOffers(): Promise<void> {
  await offersPage.getByTestId('offers-renew').click();
  await expect.poll(() => offersPage.getByTestId('offers').getAttribute('data-state'), { timeout: 10_000 }).toBe('ready');
}

const offerText = (name: string) => offersPage.getByTestId(`offer-uri-${name}`).inputValue();

/** Pastes `uri` into the dashboard's Credentials tab; the dashboard and the issuance window. */
async function paste(uri: string): Promise<{ dashboard: Page; approval: Page }> {
  const dashboard = await openExtensionPage(h.context, h.extensionId, 'dashboard/index.html');
  await dashboard.getByTestId('tab-credentials').click();
  await dashboard.getByTestId('offer-uri').fill(uri);
  const approvalP = waitForApprovalPage(h.context);
  await dashboard.getByTestId('offer-open').click();
  return { dashboard, approval: await approvalP };
}

async function cardCount(dashboard: Page): Promise<number> {
  await dashboard.getByTestId('tab-credentials').click();
  return await dashboard.locator('.credential-card').count();
}

const issuedCount = () => h.registry.issuer.issued.length;

describe('OpenID4VCI with the demo registry', () => {
  test('(a) a by-reference pre-authorized offer pasted: the registry named with its logo, both credentials received and listed', async () => {
    await renewOffers();
    const uri = await offerText('reference');
    expect(uri).toMatch(/^openid-credential-offer:\/\/\?credential_offer_uri=/);
    const before = issuedCount();
    const { dashboard, approval } = await paste(uri);
    const cardsBefore = await cardCount(dashboard);
    await expect.poll(() => approval.getByTestId('issuer-name').textContent(), { timeout: 15_000 }).toBe('Aldmere Civic Registry');
    expect(await approval.getByTestId('issuer-logo').getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    await approveIn(approval);
    await waitForClose(approval, 20_000);
    await expect.poll(() => dashboard.getByTestId('offer-result').textContent(), { timeout: 20_000 }).toMatch(/Received 2 credentials/);
    const issued = h.registry.issuer.issued.slice(before);
    expect(issued.map((c) => c.format).sort()).toEqual(['dc+sd-jwt', 'jwt_vc_json']);
    // Both bound to one key of the wallet: the resident card's subject, the PID's cnf.
    expect(new Set(issued.map((c) => c.holder)).size).toBe(1);
    await dashboard.reload();
    await expect.poll(() => cardCount(dashboard), { timeout: 10_000 }).toBe(cardsBefore + 2);
    // Each card says where it came from: the registry's origin.
    const cards = await dashboard.locator('.credential-card').allTextContents();
    expect(cards.filter((text) => text.includes(h.registryOrigin) && text.includes('Quillfeather'))).toHaveLength(2);
    await dashboard.close();
  }, 90_000);

  test("(b) a transaction code: a wrong one gets the registry's refusal and stores nothing, the right one receives", async () => {
    await renewOffers();
    const uri = await offerText('tx-code');
    const code = (await offersPage.getByTestId('tx-code-value').textContent())?.trim() ?? '';
    expect(code).toMatch(/^\d{6}$/);
    const before = issuedCount();
    const { dashboard, approval } = await paste(uri);
    const cardsBefore = await cardCount(dashboard);
    await approval.getByTestId('tx-code').fill(code === '000000' ? '111111' : '000000');
    await approveIn(approval);
    await expect.poll(() => approval.getByTestId('approval-error').textContent(), { timeout: 15_000 }).toContain('the transaction code is wrong');
    expect(issuedCount()).toBe(before);
    expect(await cardCount(dashboard)).toBe(cardsBefore);
    await approval.getByTestId('tx-code').fill(code);
    await approveIn(approval);
    await waitForClose(approval, 20_000);
    await expect.poll(() => dashboard.getByTestId('offer-result').textContent(), { timeout: 20_000 }).toBe('Received a credential.');
    expect(h.registry.issuer.issued.slice(before).map((c) => c.format)).toEqual(['dc+sd-jwt']);
    await dashboard.close();
  }, 90_000);

  test('(c) the site hands its offer over with wallet_offerCredential({ credential_offer }) and gets { id, ids }', async () => {
    await renewOffers();
    // The page's button, by value (the VC 2.0 resident card).
    const approvalP = waitForApprovalPage(h.context);
    await offersPage.getByTestId('offer-button-value').click();
    const approval = await approvalP;
    await approveIn(approval);
    await expect.poll(() => offersPage.getByTestId('offer-result-value').getAttribute('data-state'), { timeout: 20_000 }).toBe('stored');
    expect(h.registry.issuer.issued.at(-1)?.format).toBe('vc+jwt');

    // The offer object itself, two credentials: one id per credential, `id` the first.
    const made = h.registry.openid4vci.makeOffer({ configurationIds: [RESIDENT_JWT_VC, PID_SD_JWT], grant: 'pre-authorized' });
    const secondP = waitForApprovalPage(h.context);
    const outcome = requestInPage<{ id: string; ids: string[] }>(
      offersPage,
      { method: 'wallet_offerCredential', params: { credential_offer: made.offer } },
      { timeoutMs: 40_000 },
    );
    await approveIn(await secondP);
    const { id, ids } = expectOk(await outcome);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(id);
  }, 90_000);

  test('(d) a click on an openid-credential-offer:// link opens the issuance window; the page stays', async () => {
    await renewOffers();
    const before = issuedCount();
    const pageUrl = offersPage.url();
    const approvalP = waitForApprovalPage(h.context);
    await offersPage.getByTestId('offer-link-reference').click();
    const approval = await approvalP;
    await expect.poll(() => approval.getByTestId('issuer-name').textContent(), { timeout: 15_000 }).toBe('Aldmere Civic Registry');
    expect(offersPage.url()).toBe(pageUrl);
    await approveIn(approval);
    await waitForClose(approval, 20_000);
    await expect.poll(() => issuedCount(), { timeout: 20_000 }).toBe(before + 2);
  }, 90_000);

  test('(e) the authorization code flow: approved, a tab signs in at the registry, the credential is stored and the tab closes', async () => {
    await renewOffers();
    const before = issuedCount();
    const { dashboard, approval } = await paste(await offerText('auth-code'));
    await approveIn(approval);
    // The wallet opens a tab on the registry's authorization endpoint.
    const signIn = () => h.context.pages().find((p) => !p.isClosed() && p.url().startsWith(`${h.registryOrigin}/openid4vci/authorize`));
    await expect.poll(() => signIn() !== undefined, { timeout: 20_000 }).toBe(true);
    const tab = signIn() as Page;
    await expect.poll(() => tab.getByTestId('issuer-subject').textContent(), { timeout: 10_000 }).toBe('Mara Quillfeather');
    await tab.getByTestId('issuer-authorize').click();
    expect(await waitForClose(tab, 20_000)).toBe(true);
    // The registry's 303 to the redirect URI (after its own page's form post) was stopped in the browser.
    expect(redirectHost.connections).toEqual([]);
    await expect.poll(() => issuedCount(), { timeout: 20_000 }).toBe(before + 1);
    expect(h.registry.issuer.issued.at(-1)?.format).toBe('jwt_vc_json');
    await expect.poll(() => dashboard.getByTestId('offer-result').textContent(), { timeout: 20_000 }).toBe('Received a credential.');
    await dashboard.close();
  }, 90_000);

  test('(f) the PID received over OpenID4VCI is presented to the city over the Digital Credentials API', async () => {
    await closeStrayApprovals(h.context);
    const city = await openPage(h.context, h.city.url());
    await city.getByTestId('credential-pid').check();
    await city.getByTestId('signed-request').setChecked(false);
    const approvalP = waitForApprovalPage(h.context);
    await city.getByTestId('dc-request-button').click();
    await decide(await approvalP, 'approve');
    await expect.poll(() => city.getByTestId('dc-status').getAttribute('data-state'), { timeout: 30_000 }).toBe('verified');
    // Every PID this wallet holds came over OpenID4VCI (this file never uses the registry's /api/issue).
    expect(h.registry.issuer.issued.filter((c) => c.format === 'dc+sd-jwt').length).toBeGreaterThan(0);
    const answer = h.city.verifications.at(-1)?.answers?.[0];
    expect(answer).toMatchObject({ format: 'dc+sd-jwt', issuer: h.registry.did, status: 'valid' });
    await city.close();
  }, 90_000);
});

describe('OpenID4VCI with an issuer built only on @openid4vc/openid4vci', () => {
  test('(g) its offer pasted: the ferry pass received, bound to a wallet key', async () => {
    const page = await openPage(h.context, ferry.url(), { provider: false });
    const uri = await page.getByTestId('library-offer-uri').inputValue();
    await page.close();
    const { dashboard, approval } = await paste(uri);
    await expect.poll(() => approval.getByTestId('issuer-name').textContent(), { timeout: 15_000 }).toBe('Aldmere Ferry Company');
    await approveIn(approval);
    await waitForClose(approval, 20_000);
    await expect.poll(() => dashboard.getByTestId('offer-result').textContent(), { timeout: 20_000 }).toBe('Received a credential.');
    expect(ferry.issued).toHaveLength(1);
    const pass = ferry.issued[0]?.credential.split('~')[0] as string;
    const cnf = JSON.parse(Buffer.from(pass.split('.')[1] as string, 'base64url').toString('utf8')).cnf;
    expect(cnf.jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    expect(cnf.jwk.d).toBeUndefined();
    await dashboard.close();
  }, 90_000);
});
