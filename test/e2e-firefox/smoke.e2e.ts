/**
 * The Firefox build in firefox-esr, end to end: onboarding; a login on the demo site
 * approved in the approval window; the registry's credential taken in and a Digital
 * Credentials API request of the city verifier answered; the login revoked in the
 * dashboard (the open page hears grantRevoked, the next login prompts); and the origin
 * taken from Firefox's runtime sender: a sandboxed (opaque-origin) frame is refused
 * with 4100, a cross-origin frame too.
 *
 * One browser and one wallet for the file; the tests run in order, each building on
 * the one before (a journey, not independent cases).
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startDemoServer, type DemoServer } from '../../demo/server.ts';
import { startRegistry, type RegistryServer } from '../../demo/registry/server.ts';
import { startCity, type CityServer } from '../../demo/city/server.ts';
import { decodeJwtPayload } from '../../demo/verify.ts';
import { newNonce } from '../../scripts/lib/extension-browser.ts';
import {
  clickClosing,
  expectOk,
  hrefOf,
  launchFirefoxWithExtension,
  nextApprovalWindow,
  onboardInFirefox,
  openExtensionPage,
  recordEvents,
  requestIn,
  waitClosed,
  waitForAttribute,
  waitForEvent,
  textOf,
  type FirefoxWithExtension,
} from './firefox-browser.ts';

const PASSWORD = 'correct horse battery staple';

let ff: FirefoxWithExtension;
let demo: DemoServer;
let registry: RegistryServer;
let city: CityServer;
/** The onboarding tab, kept open: extension pages are opened from it. */
let walletTab: Page;
let loginPage: Page;
let loginGrantId: string;

beforeAll(async () => {
  demo = await startDemoServer();
  registry = await startRegistry();
  city = await startCity({ trustedIssuers: [{ did: registry.did, name: 'Aldmere Civic Registry' }] });
  ff = await launchFirefoxWithExtension();
});

afterAll(async () => {
  await ff?.close();
  await Promise.all([demo?.close(), registry?.close(), city?.close()]);
});

async function openSite(url: string): Promise<Page> {
  const page = await ff.browser.newPage();
  await page.goto(url);
  await page.waitForFunction('typeof window.tessera === "object" && window.tessera !== null', { timeout: 10_000 });
  return page;
}

/** Does `act`, approves the approval window it opens and waits for the window to close. */
async function approveWindowOf(act: () => Promise<unknown>, expectOrigin: string): Promise<void> {
  const seen = await ff.browser.pages();
  await act();
  const approval = await nextApprovalWindow(ff, seen);
  await approval.waitForSelector('[data-testid=approval-origin]', { timeout: 15_000 });
  expect(await textOf(approval, '[data-testid=approval-origin]')).toContain(new URL(expectOrigin).host);
  await clickClosing(approval, 'approve');
  await waitClosed(ff, approval);
}

describe('the Firefox build in firefox-esr', () => {
  test('onboarding creates the wallet in the tab the add-on opens on install', async () => {
    walletTab = await onboardInFirefox(ff, PASSWORD);
    expect(await hrefOf(walletTab)).toBe(`${ff.extensionOrigin}/onboarding/index.html`);
    // The event page ran chain.js and credentials.js before background.js (it has no importScripts to load them later).
    const background = await walletTab.evaluate(`(async () => {
      const page = await browser.runtime.getBackgroundPage();
      return { importScripts: typeof page.importScripts, chain: typeof page.__tesseraChain?.createViemAnchorChain, credentials: Object.keys(page.__tesseraCredentials ?? {}).length };
    })()`);
    expect(background).toEqual({ importScripts: 'undefined', chain: 'function', credentials: 4 });
  });

  test('a login on the demo site, approved in the approval window, verifies on the site for its origin', async () => {
    const origin = demo.origin();
    loginPage = await openSite(demo.url());
    await recordEvents(loginPage, ['grantRevoked']);
    await approveWindowOf(() => loginPage.locator('[data-testid=login-button]').click(), origin);
    await waitForAttribute(loginPage, '[data-testid=login-status]', 'data-state', (s) => s === 'signed-in');
    const verified = demo.verifications.at(-1);
    expect(verified).toMatchObject({ ok: true, origin });
    const grants = expectOk(await requestIn<{ id: string; kind: string; status: string; did: string }[]>(loginPage, { method: 'wallet_getGrants' }));
    const grant = grants.find((g) => g.kind === 'identity' && g.status === 'active' && g.did === verified?.did);
    if (!grant) throw new Error(`no active identity grant after login: ${JSON.stringify(grants)}`);
    loginGrantId = grant.id;
    // Silent while the grant is active, bound to this origin and the new nonce.
    const nonce = newNonce();
    const again = expectOk(await requestIn<{ did: string; presentation: string }>(loginPage, { method: 'wallet_requestIdentity', params: { nonce } }));
    expect(again.did).toBe(grant.did);
    expect(decodeJwtPayload(again.presentation)).toMatchObject({ aud: `origin:${origin}`, nonce, iss: grant.did });
  });

  test('the registry issues a PID the wallet takes in, and the city verifier gets its Digital Credentials API request answered', async () => {
    const registryPage = await openSite(registry.url());
    await approveWindowOf(() => registryPage.locator('[data-testid=issue-button]').click(), registry.origin());
    await waitForAttribute(registryPage, '[data-testid=issue-status]', 'data-state', (s) => s === 'issued');
    await approveWindowOf(() => registryPage.locator('[data-testid=offer-pid]').click(), registry.origin());
    await waitForAttribute(registryPage, '[data-testid=offer-result-pid]', 'data-state', (s) => s === 'stored');
    await registryPage.close();

    const cityPage = await openSite(city.url());
    await cityPage.locator('[data-testid=credential-pid]').click();
    await approveWindowOf(() => cityPage.locator('[data-testid=dc-request-button]').click(), city.origin());
    const state = await waitForAttribute(cityPage, '[data-testid=dc-status]', 'data-state', (s) => ['verified', 'error', 'cancelled'].includes(s));
    expect(state).toBe('verified');
    expect(await textOf(cityPage, '[data-testid=verified-claim-given_name]')).toBe('Mara');
    const verification = city.verifications.at(-1);
    expect(verification).toMatchObject({ ok: true, origin: city.origin() });
    expect(verification?.answers?.[0]).toMatchObject({ queryId: 'pid', format: 'dc+sd-jwt', issuer: registry.did, status: 'valid' });
    await cityPage.close();
  });

  test('revoked in the dashboard, the login ends: the open page hears grantRevoked and the next login prompts again', async () => {
    const dashboard = await openExtensionPage(ff, walletTab, 'dashboard/index.html');
    await dashboard.waitForSelector(`[data-testid="grant-${loginGrantId}"]`, { visible: true, timeout: 15_000 });
    await dashboard.locator(`[data-testid="revoke-${loginGrantId}"]`).click();
    const confirm = await dashboard.waitForSelector('[data-testid=confirm]', { visible: true, timeout: 2_000 }).catch(() => null);
    if (confirm) await confirm.click();
    await dashboard.waitForSelector(`[data-testid="revoke-${loginGrantId}"]`, { hidden: true, timeout: 10_000 });
    expect(await waitForEvent(loginPage, 'grantRevoked')).toEqual({ grantId: loginGrantId });
    await dashboard.close();

    const seen = await ff.browser.pages();
    const outcome = requestIn(loginPage, { method: 'wallet_requestIdentity', params: { nonce: newNonce() } });
    const approval = await nextApprovalWindow(ff, seen);
    await clickClosing(approval, 'reject');
    const answer = await outcome;
    expect(answer.ok).toBe(false);
    if (!answer.ok) expect(answer.error.code).toBe(4001);
  });

  test('a sandboxed (opaque-origin) frame is refused with 4100, as is a cross-origin frame; neither opens a window', async () => {
    await loginPage.evaluate(`(() => {
      const add = (id, src, sandbox) => {
        const frame = document.createElement('iframe');
        frame.id = id;
        if (sandbox) frame.setAttribute('sandbox', 'allow-scripts');
        frame.src = src;
        document.body.append(frame);
      };
      add('sandboxed', '/?frame=sandboxed', true);
      add('cross', ${JSON.stringify(demo.url('localhost', '/?frame=cross'))}, false);
    })()`);
    const frameOf = async (marker: string) => {
      for (let i = 0; i < 100; i++) {
        const frame = loginPage.frames().find((f) => f.url().includes(marker));
        if (frame && (await frame.evaluate('typeof window.tessera === "object"').catch(() => false))) return frame;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no frame ${marker} with the provider`);
    };
    const sandboxed = await frameOf('frame=sandboxed');
    expect(await sandboxed.evaluate('self.origin')).toBe('null');
    const cross = await frameOf('frame=cross');
    const before = (await ff.browser.pages()).length;
    for (const frame of [sandboxed, cross]) {
      for (const request of [{ method: 'wallet_requestIdentity', params: { nonce: newNonce() } }, { method: 'wallet_getGrants' }]) {
        const answer = await requestIn(frame, request, 10_000);
        expect(answer, `${request.method} from ${frame.url()}`).toMatchObject({ ok: false, error: { code: 4100 } });
      }
    }
    expect((await ff.browser.pages()).length, 'no window opened').toBe(before);
  });
});
