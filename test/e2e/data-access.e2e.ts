/**
 * The data-access grant journey (DESIGN.md §3.2) in a real browser: the Aldmere City
 * Library asks for a year's access to the resident card's name and address; the user
 * approves in the consent window; the library reads fresh presentations under the grant
 * without a window; the user revokes in the dashboard's Access tab (one click and a
 * confirm) and the open page hears `grantRevoked` at once, every later access is 4100.
 * Also: the site gives up its grant; the receipt verifies with did-jwt alone and carries
 * no claim values; one site can neither see nor revoke nor use another's grants; usage
 * limits; a credential revoked by its issuer ends access; declining is 4001 with no
 * grant; an unknown purpose is -32602 naming it; a worker stop changes nothing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { verifyJWT } from 'did-jwt';
import { Resolver } from 'did-resolver';
import { getResolver as getKeyResolver } from 'key-did-resolver';
import { newNonce, openExtensionPage, recordProviderEvents, requestInPage, stopServiceWorkers, waitForProviderEvent, watchApprovalPages } from '../../scripts/lib/extension-browser.ts';
import { verifyDcApiResponse } from '../../demo/city/verifier.ts';
import { LIBRARY_PURPOSE, residencyQuery } from '../../demo/library/server.ts';
import { verifyConsentReceipt } from '../../demo/library/receipt.ts';
import { DEMO_RESIDENT } from '../../demo/registry/issuer.ts';
import { closeStrayApprovals, decide, openPage } from './credential-support.ts';
import { expectError, expectNoApprovalWindow, expectOk, sleep } from './support.ts';
import { accessData, openAccessTab, requestGrant, revokeInDashboard, siteGrants, startGrantHarness, type GrantHarness } from './library-grant-support.ts';

let h: GrantHarness;

beforeAll(async () => {
  h = await startGrantHarness();
}, 180_000);

afterAll(async () => {
  await h?.close();
});

afterEach(async () => {
  await closeStrayApprovals(h.context);
});

/** Verifies a vp_token for the residency query, `origin` and `nonce` with the library's independent verifier. */
function verifyResidency(vpToken: unknown, origin: string, nonce: string) {
  return verifyDcApiResponse({ response_type: 'vp_token', response_mode: 'dc_api', nonce, dcql_query: residencyQuery() }, { vp_token: vpToken }, {
    origin,
    trustedIssuers: [h.registry.did],
  });
}

const statusOf = (page: Page) => page.getByTestId('library-status').getAttribute('data-state');

describe('the library: grant, silent reads, revoke in the dashboard', () => {
  let library: Page;
  let grantId = '';

  test('the library asks, the consent window is approved, the library verifies the data and the receipt', async () => {
    library = await openPage(h.context, h.library.url());
    await library.getByTestId('provider-hint').and(library.locator('[data-found="true"]')).waitFor({ timeout: 10_000 });
    await recordProviderEvents(library, ['grantRevoked', 'grantExpired']);
    const windowP = waitForWindow();
    await library.getByTestId('join-button').click();
    const window = await windowP;
    expect(await window.getByTestId('requester-unverified').count()).toBe(1);
    expect(await window.getByTestId(`purpose-${LIBRARY_PURPOSE}`).count()).toBe(1);
    await decide(window, 'approve');
    await expect.poll(() => statusOf(library), { timeout: 20_000 }).toBe('member');

    const verified = h.library.verifications.filter((v) => v.kind === 'grant' && v.ok);
    expect(verified).toHaveLength(1);
    grantId = verified[0]!.grantId!;
    expect((await library.getByTestId('grant-id').textContent())?.trim()).toBe(grantId);
    expect(await library.getByTestId('member-name').textContent()).toBe(`${DEMO_RESIDENT.given_name} ${DEMO_RESIDENT.family_name}`);
    expect(verified[0]!.receipt?.grant.purposes).toEqual([LIBRARY_PURPOSE]);
    const grants = await siteGrants(library);
    expect(grants.map((g) => [g.id, g.kind, g.status])).toEqual([[grantId, 'data', 'active']]);
  });

  test('"Renew my library card" reads under the grant: no window, a fresh nonce, verified for the origin and nonce', async () => {
    const before = h.library.verifications.length;
    await expectNoApprovalWindow(h.context, async () => {
      await library.getByTestId('renew-button').click();
      await expect.poll(() => statusOf(library), { timeout: 20_000 }).toBe('renewed');
    });
    const renew = h.library.verifications.slice(before);
    expect(renew.map((v) => [v.kind, v.ok])).toEqual([['renew', true]]);
    const grantNonce = h.library.verifications.find((v) => v.kind === 'grant')!.nonce;
    expect(renew[0]!.nonce).not.toBe(grantNonce);

    // Directly: a presentation for exactly this origin and this nonce, and for no other.
    const nonce = newNonce();
    const { vp_token } = expectOk(await expectNoApprovalWindow(h.context, () => accessData(library, grantId, nonce), 500));
    const [answer] = await verifyResidency(vp_token, h.libraryOrigin, nonce);
    expect(answer!.claims).toMatchObject({ given_name: DEMO_RESIDENT.given_name, address: DEMO_RESIDENT.address });
    await expect(verifyResidency(vp_token, h.libraryOrigin, newNonce())).rejects.toThrow();
    await expect(verifyResidency(vp_token, h.otherOrigin, nonce)).rejects.toThrow();
  });

  test('revoke in the Access tab (revoke, confirm): the page hears grantRevoked at once, the next access is 4100', async () => {
    const dashboard = await openAccessTab(h);
    await dashboard.getByTestId(`grant-${grantId}`).waitFor({ timeout: 10_000 });
    const clicked = Date.now();
    await revokeInDashboard(dashboard, grantId);
    const event = await waitForProviderEvent(library, 'grantRevoked', { timeoutMs: 5_000 });
    expect(event.data).toEqual({ grantId });
    expect(event.at - clicked).toBeLessThan(5_000);
    await expect.poll(() => statusOf(library), { timeout: 5_000 }).toBe('revoked');
    expect(await library.getByTestId('library-status').getAttribute('data-reason')).toBe('grantRevoked');
    expectError(await accessData(library, grantId, newNonce()), 4100);
    // The page's own renew is refused by the wallet and says so.
    await library.getByTestId('renew-button').click();
    await expect.poll(() => library.getByTestId('access-result').getAttribute('data-state'), { timeout: 10_000 }).toBe('refused');
    expect(await library.getByTestId('access-result').textContent()).toContain('4100');
    const [grant] = await siteGrants(library);
    expect(grant?.status).toBe('revoked');
    await dashboard.close();
  });
});

describe('the activity log', () => {
  test('the Activity tab holds the library\'s grant, its reads and its revocation, and says the log is intact', async () => {
    const dashboard = await openExtensionPage(h.context, h.extensionId, 'dashboard/index.html');
    await dashboard.getByTestId('tab-activity').click({ timeout: 10_000 });
    await dashboard.getByTestId('activity-filter-site').fill(h.libraryOrigin);
    await dashboard.getByTestId('activity-filter-apply').click();
    const kinds = () => dashboard.locator('[data-testid^="activity-entry-"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-kind')));
    await expect.poll(kinds, { timeout: 10_000 }).toEqual(expect.arrayContaining(['grant.given', 'grant.accessed', 'grant.revoked']));
    await expect.poll(() => dashboard.getByTestId('ledger-integrity').getAttribute('data-state'), { timeout: 15_000 }).toBe('intact');
    expect(await dashboard.getByTestId('ledger-integrity').textContent()).toMatch(/intact/i);
    // No claim value in the timeline.
    expect(await dashboard.locator('#activity').innerText()).not.toContain(DEMO_RESIDENT.address.street_address);
    await dashboard.close();
  });
});

describe('the consent receipt', () => {
  test('verifies with did-jwt alone against the pairwise DID, and carries the grant but no claim value', async () => {
    const page = await openPage(h.context, h.library.url('127.0.0.1', '/plain'));
    const { outcome } = await requestGrant(h, page, 'approve', { retention_days: 30 });
    const { grant, receipt } = expectOk(outcome);
    const resolver = new Resolver(getKeyResolver());
    const verified = await verifyJWT(receipt, { resolver, audience: `origin:${h.libraryOrigin}` });
    expect(verified.issuer).toBe(grant.did);
    expect(verified.payload.iss).toBe(grant.did);
    const vc = verified.payload.vc as { type: string[]; credentialSubject: { grant: Record<string, unknown> } };
    expect(vc.type).toContain('ConsentReceipt');
    expect(vc.credentialSubject.grant).toMatchObject({ id: grant.id, purposes: [LIBRARY_PURPOSE], retentionDays: 30 });
    const text = JSON.stringify(verified.payload);
    for (const value of [DEMO_RESIDENT.given_name, DEMO_RESIDENT.family_name, DEMO_RESIDENT.address.street_address, DEMO_RESIDENT.address.postal_code]) {
      expect(text).not.toContain(value);
    }
    expect(text).toContain('given_name'); // the claim paths, not their values
    // The same receipt comes back with the site's grants.
    expect((await siteGrants(page)).find((g) => g.id === grant.id)?.receipt).toBe(receipt);
    // The library's own check (demo/library/receipt.ts) accepts it only as this grant for this origin.
    const expected = { origin: h.libraryOrigin, grantId: grant.id, did: grant.did, purposes: [LIBRARY_PURPOSE] };
    await expect(verifyConsentReceipt(receipt, { ...expected, claimValues: [DEMO_RESIDENT] })).resolves.toMatchObject({ issuer: grant.did });
    await expect(verifyConsentReceipt(receipt, { ...expected, origin: h.otherOrigin })).rejects.toThrow(/audience|aud/i);
    await expect(verifyConsentReceipt(receipt, { ...expected, grantId: 'another-grant-0000' })).rejects.toThrow(/grant/);
    await expect(verifyConsentReceipt(receipt, { ...expected, claimValues: [grant.id] })).rejects.toThrow(/claim value/);
    // Tampered, it no longer verifies.
    const [head, , sig] = receipt.split('.');
    const forged = Buffer.from(JSON.stringify({ ...verified.payload, aud: 'origin:http://evil.example' })).toString('base64url');
    await expect(verifyJWT(`${head}.${forged}.${sig}`, { resolver, audience: 'origin:http://evil.example' })).rejects.toThrow(/signature/i);
    await page.close();
  });
});

describe('the site gives up its grant, and sites are kept apart', () => {
  test('wallet_revokeGrant from the site: { revoked: true }, then 4100', async () => {
    const page = await openPage(h.context, h.library.url('127.0.0.1', '/plain'));
    const { grant } = expectOk((await requestGrant(h, page, 'approve')).outcome);
    expectOk(await accessData(page, grant.id, newNonce()));
    expect(expectOk(await revokeFromSite(page, grant.id))).toEqual({ revoked: true });
    expectError(await accessData(page, grant.id, newNonce()), 4100);
    expect((await siteGrants(page)).find((g) => g.id === grant.id)?.status).toBe('revoked');
    await page.close();
  });

  test('the library page\'s "Give up access": the grant ends, the page says so, the next read is 4100', async () => {
    const page = await openPage(h.context, h.library.url());
    await page.getByTestId('provider-hint').and(page.locator('[data-found="true"]')).waitFor({ timeout: 10_000 });
    const windowP = waitForWindow();
    await page.getByTestId('join-button').click();
    await decide(await windowP, 'approve');
    await expect.poll(() => statusOf(page), { timeout: 20_000 }).toBe('member');
    expect(await page.getByTestId('join-button').isVisible()).toBe(false);
    const grantId = ((await page.getByTestId('grant-id').textContent()) ?? '').trim();
    await expectNoApprovalWindow(h.context, () => page.getByTestId('give-up-button').click());
    await expect.poll(() => statusOf(page), { timeout: 10_000 }).toBe('revoked');
    expect((await siteGrants(page)).find((g) => g.id === grantId)?.status).toBe('revoked');
    expectError(await accessData(page, grantId, newNonce()), 4100);
    expect(h.library.book.get(h.libraryOrigin, grantId)?.ended).toMatch(/given-up|grantRevoked/);
    await page.close();
  });

  test('another origin cannot see, use or revoke the library\'s grant', async () => {
    const mine = await openPage(h.context, h.library.url('127.0.0.1', '/plain'));
    const other = await openPage(h.context, h.library.url('127.0.0.2', '/plain'));
    const { grant } = expectOk((await requestGrant(h, mine, 'approve')).outcome);
    const { grant: theirs } = expectOk((await requestGrant(h, other, 'approve')).outcome);
    expect(theirs.did).not.toBe(grant.did); // a pairwise DID per site

    const seenByOther = (await siteGrants(other)).map((g) => g.id);
    expect(seenByOther).toContain(theirs.id);
    expect(seenByOther).not.toContain(grant.id);
    expect((await siteGrants(mine)).map((g) => g.id)).not.toContain(theirs.id);

    expectError(await accessData(other, grant.id, newNonce()), 4100);
    expectError(await revokeFromSite(other, grant.id), 4100);
    expectError(await revokeFromSite(other, 'no-such-grant-0000'), 4100);
    // Untouched: the library still reads under it.
    const nonce = newNonce();
    await verifyResidency(expectOk(await accessData(mine, grant.id, nonce)).vp_token, h.libraryOrigin, nonce);
    await Promise.all([mine.close(), other.close()]);
  });
});

describe('limits and refusals', () => {
  test('a usage limit of 2: two reads, then 4100', async () => {
    const page = await openPage(h.context, h.library.url('127.0.0.1', '/plain'));
    const { grant } = expectOk((await requestGrant(h, page, 'approve', { usage_limit: 2 })).outcome);
    expect(grant.usageLimit).toBe(2);
    expectOk(await accessData(page, grant.id, newNonce()));
    expectOk(await accessData(page, grant.id, newNonce()));
    expectError(await accessData(page, grant.id, newNonce()), 4100);
    expect((await siteGrants(page)).find((g) => g.id === grant.id)?.usageCount).toBe(2);
    await page.close();
  });

  test('declining the consent window: 4001, and no grant', async () => {
    const page = await openPage(h.context, h.library.url('127.0.0.1', '/plain'));
    const before = (await siteGrants(page)).map((g) => g.id);
    const { outcome } = await requestGrant(h, page, 'reject');
    expectError(outcome, 4001);
    expect((await siteGrants(page)).map((g) => g.id)).toEqual(before);
    await page.close();
  });

  test('an unknown purpose: -32602 naming it, and no window', async () => {
    const page = await openPage(h.context, h.library.url('127.0.0.1', '/plain'));
    const { params } = h.library.ask(h.libraryOrigin, { purpose: 'dpv:SellingToBrokers' });
    const outcome = await expectNoApprovalWindow(h.context, () => requestRaw(page, 'wallet_requestDataAccess', params));
    expectError(outcome, -32602, 'dpv:SellingToBrokers');
    await page.close();
  });

  test('the worker stopped between grant and access changes nothing: access still works, silently', async () => {
    const page = await openPage(h.context, h.library.url('127.0.0.1', '/plain'));
    const { grant } = expectOk((await requestGrant(h, page, 'approve')).outcome);
    const stopped = await stopServiceWorkers(h.context, { page });
    expect(stopped.some((u) => u.startsWith(`chrome-extension://${h.extensionId}/`))).toBe(true);
    await sleep(300);
    const nonce = newNonce();
    const { vp_token } = expectOk(await expectNoApprovalWindow(h.context, () => accessData(page, grant.id, nonce), 500));
    await verifyResidency(vp_token, h.libraryOrigin, nonce);
    await page.close();
  });

  // Last: it revokes the wallet's only resident card.
  test('the registry revokes the resident card: the next access under the grant is 4100', async () => {
    const page = await openPage(h.context, h.library.url('127.0.0.1', '/plain'));
    const { grant } = expectOk((await requestGrant(h, page, 'approve')).outcome);
    expectOk(await accessData(page, grant.id, newNonce()));
    expect(h.registry.revoke('resident', h.resident.statusIndex)).toBe(true);
    await sleep(1_200); // the Bitstring Status List's ttl
    expectError(await accessData(page, grant.id, newNonce()), 4100);
    await page.close();
  });
});

function waitForWindow(): Promise<Page> {
  const watch = watchApprovalPages(h.context);
  return (async () => {
    const deadline = Date.now() + 20_000;
    try {
      while (Date.now() < deadline) {
        const page = watch.pages.find((p) => !p.isClosed());
        if (page) {
          await page.getByTestId('approve').waitFor({ state: 'visible', timeout: 15_000 });
          return page;
        }
        await sleep(50);
      }
      throw new Error('no consent window opened');
    } finally {
      watch.stop();
    }
  })();
}

function revokeFromSite(page: Page, grantId: string) {
  return requestRaw(page, 'wallet_revokeGrant', { grantId });
}

function requestRaw(page: Page, method: string, params: unknown) {
  return requestInPage(page, { method, params }, { timeoutMs: 30_000 });
}
