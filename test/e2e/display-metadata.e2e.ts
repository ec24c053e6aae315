/**
 * Credential display metadata, end to end: a connected site (the registry, after a
 * login) offers SD-JWT VCs whose `vct` is a URL serving SD-JWT VC Type Metadata (over
 * http on loopback, which the URL policy allows). With a matching `vct#integrity` the
 * offer window, the dashboard's list and detail and a consent window show the issuer's
 * labels (raw path on hover) and its card; with a wrong integrity the raw paths and the
 * reason are shown and the metadata is never used.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { requestInPage, waitForApprovalPage } from '../../scripts/lib/extension-browser.ts';
import { UNSIGNED } from '../../demo/city/requests.ts';
import { expectAccessible } from './axe-support.ts';
import { expectOk } from './support.ts';
import { startDataAccess } from './ui-consent-support.ts';
import {
  decide,
  digital,
  freshNonce,
  issueOnRegistryPage,
  makeSdJwtVc,
  newTestIssuer,
  openCredential,
  openDashboard,
  openPage,
  startCitizenHarness,
  startDcGet,
  waitDcGet,
  type CitizenHarness,
} from './credential-support.ts';

let h: CitizenHarness;
let registryPage: Page;
let holder: string;
let types: Server;
let vct: string;
let metadata: string;
const fetchedTypes: string[] = [];

beforeAll(async () => {
  types = createServer((request, response) => {
    fetchedTypes.push(request.url ?? '');
    if (request.url !== '/types/membership') return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'application/json' }).end(metadata);
  });
  await new Promise<void>((resolve) => types.listen(0, '127.0.0.1', resolve));
  vct = `http://127.0.0.1:${(types.address() as AddressInfo).port}/types/membership`;
  metadata = JSON.stringify({
    vct,
    display: [
      { locale: 'en-US', name: 'Aldmere Library card', description: 'Membership of the city library', rendering: { simple: { background_color: '#12107c', text_color: '#ffffff' } } },
      { locale: 'de', name: 'Bibliotheksausweis' },
    ],
    claims: [
      { path: ['given_name'], display: [{ locale: 'en-US', label: 'First name' }, { locale: 'de', label: 'Vorname' }] },
      { path: ['tier'], display: [{ locale: 'en', label: 'Membership tier' }] },
    ],
  });
  h = await startCitizenHarness();
  registryPage = await openPage(h.context, h.registry.url());
  holder = await issueOnRegistryPage(h.context, registryPage);
});

afterAll(async () => {
  await h?.close();
  await new Promise((resolve) => types?.close(resolve));
});

const integrityOf = (text: string) => `sha256-${createHash('sha256').update(text).digest('base64')}`;

/** Offers a membership card from the (connected) registry page; the approval window once it shows the claims. */
async function offer(integrity: string): Promise<{ approval: Page; outcome: ReturnType<typeof requestInPage<{ id: string }>> }> {
  const issuer = newTestIssuer();
  const credential = await makeSdJwtVc(issuer, {
    holderDid: holder,
    vct,
    claims: { given_name: 'Mara', member_since: '2019', tier: 'gold', 'vct#integrity': integrity },
    disclose: ['given_name', 'member_since', 'tier'],
  });
  const approvalP = waitForApprovalPage(h.context);
  const outcome = requestInPage<{ id: string }>(registryPage, { method: 'wallet_offerCredential', params: { credential } }, { timeoutMs: 30_000 });
  const approval = await approvalP;
  await approval.getByTestId('offer-claim-tier').waitFor({ timeout: 15_000 });
  return { approval, outcome };
}

describe('type metadata', () => {
  test('labels and the card in the offer window, the dashboard and a consent window', async () => {
    const { approval, outcome } = await offer(integrityOf(metadata));
    const name = approval.getByTestId('offer-claim-given_name').locator('.claim-name span[title]');
    await expect.poll(() => name.textContent()).toBe('First name');
    expect(await name.getAttribute('title')).toBe('given_name');
    expect(await approval.getByTestId('offer-claim-tier').locator('.claim-name span[title]').textContent()).toBe('Membership tier');
    // No label published: the raw path is shown.
    expect(await approval.getByTestId('offer-claim-member_since').locator('.claim-name span[title]').textContent()).toBe('member_since');
    expect(await approval.getByTestId('offer-card-name').textContent()).toBe('Aldmere Library card');
    const colours = await approval.getByTestId('offer-card').evaluate((el) => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color]);
    expect(colours).toEqual(['rgb(18, 16, 124)', 'rgb(255, 255, 255)']);
    await expectAccessible(approval, 'offer window with the issuer\'s card');
    await decide(approval, 'approve');
    const { id } = expectOk(await outcome);

    const dashboard = await openCredential(h, id);
    try {
      await expect.poll(() => dashboard.getByTestId('credential-claim-given_name').locator('.claim-name span[title]').first().textContent()).toBe('First name');
      expect(await dashboard.getByTestId(`credential-face-${id}-name`).first().textContent()).toBe('Aldmere Library card');
      expect(await dashboard.getByTestId('credential-display-notes').count()).toBe(0);
      await expectAccessible(dashboard, 'dashboard detail with the issuer\'s card');
    } finally {
      await dashboard.close();
    }

    const city = await openPage(h.context, h.city.url('127.0.0.1', '/plain'));
    try {
      const query = { credentials: [{ id: 'card', format: 'dc+sd-jwt', meta: { vct_values: [vct] }, claims: [{ path: ['given_name'] }] }] };
      const fetchedBefore = fetchedTypes.length;
      const approvalP = waitForApprovalPage(h.context);
      const handle = await startDcGet(city, digital(UNSIGNED, { response_type: 'vp_token', response_mode: 'dc_api', nonce: freshNonce(), dcql_query: query }));
      const consent = await approvalP;
      const row = consent.locator('li', { has: consent.getByTestId('claim-given_name') }).first();
      await expect.poll(() => row.locator('.claim-name span[title]').textContent(), { timeout: 15_000 }).toBe('First name');
      expect(await row.locator('.claim-name span[title]').getAttribute('title')).toBe('given_name');
      // Shown from what the wallet kept: the consent window fetched nothing.
      expect(fetchedTypes.length).toBe(fetchedBefore);
      await decide(consent, 'reject');
      await waitDcGet(handle);
    } finally {
      await city.close();
    }
  });

  test('a data grant given for the labelled card lists its claims by label on the grant card', async () => {
    const query = { credentials: [{ id: 'card', format: 'dc+sd-jwt', meta: { vct_values: [vct] }, claims: [{ path: ['given_name'] }] }] };
    const { approval, outcome } = await startDataAccess(h.context, registryPage, { purpose: ['dpv:ServiceProvision'], duration_days: 30, dcql_query: query });
    await decide(approval, 'approve');
    const { grant } = expectOk(await outcome);
    const dashboard = await openDashboard(h);
    try {
      await dashboard.getByTestId('tab-access').click();
      const claim = dashboard.getByTestId(`grant-claim-${grant.id}-given_name`).locator('span[title]');
      await expect.poll(() => claim.textContent(), { timeout: 15_000 }).toBe('First name');
      expect(await claim.getAttribute('title')).toBe('given_name');
    } finally {
      await dashboard.close();
    }
  });

  test('a wrong vct#integrity: raw paths and the reason, in the offer window and once kept', async () => {
    const { approval, outcome } = await offer(integrityOf('{"vct":"substituted"}'));
    await approval.getByTestId('offer-display-notes').waitFor({ timeout: 15_000 });
    expect(await approval.getByTestId('offer-display-notes').textContent()).toMatch(/does not match its integrity: its sha256 digest is sha256-/);
    expect(await approval.getByTestId('offer-claim-given_name').locator('.claim-name span[title]').textContent()).toBe('given_name');
    expect(await approval.getByTestId('offer-card').count()).toBe(0);
    await decide(approval, 'approve');
    const { id } = expectOk(await outcome);
    const dashboard = await openCredential(h, id);
    try {
      await dashboard.getByTestId('credential-display-notes').waitFor({ timeout: 10_000 });
      expect(await dashboard.getByTestId('credential-display-notes').textContent()).toContain('does not match its integrity');
      expect(await dashboard.getByTestId('credential-claim-given_name').locator('.claim-name span[title]').first().textContent()).toBe('given_name');
      expect(await dashboard.getByTestId(`credential-face-${id}`).count()).toBe(0);
    } finally {
      await dashboard.close();
    }
  });
});
