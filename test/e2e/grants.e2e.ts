/**
 * Grants and the lock: disconnecting a site from the popup, revoking from the
 * dashboard or by the site itself (and the `grantRevoked` event every open tab of the
 * origin receives), locking and unlocking inside the approval window, and closing
 * the approval window (4001, or 4900 while still locked).
 *
 * One browser for the file; every test uses origins of its own demo server, so the
 * tests do not depend on each other except through the shared wallet.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import {
  approveIn,
  newNonce,
  providerEvents,
  recordProviderEvents,
  rejectIn,
  requestIdentity,
  requestInPage,
  unlockIfAsked,
  waitForApprovalPage,
  waitForClose,
  waitForProviderEvent,
  type IdentityResult,
} from '../../scripts/lib/extension-browser.ts';
import {
  PASSWORD,
  expectError,
  expectNoApprovalWindow,
  expectOk,
  lockFromPopup,
  openDashboard,
  openPopup,
  openSite,
  originOf,
  sleep,
  startHarness,
  type Harness,
} from './support.ts';
import { startDemoServer } from '../../demo/server.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ serverCount: 1, onboarded: true });
});

afterAll(async () => {
  await h?.close();
});

/** A distinct origin per call: 127.0.0.1, localhost, 127.0.0.2, 127.0.0.3 of the demo server, then more servers. */
const usedOrigins = new Set<string>();
async function freshSiteUrl(path = '/plain'): Promise<string> {
  for (;;) {
    for (const server of h.servers) {
      for (const host of ['127.0.0.1', 'localhost', ...server.hosts.filter((x) => x.startsWith('127.0.0.') && x !== '127.0.0.1')]) {
        const origin = server.origin(host);
        if (!usedOrigins.has(origin)) {
          usedOrigins.add(origin);
          return server.url(host, path);
        }
      }
    }
    h.servers.push(await startDemoServer());
  }
}

interface Grant {
  id: string;
  kind: string;
  did: string;
  status: string;
}

async function activeGrants(page: Page): Promise<Grant[]> {
  const all = expectOk(await requestInPage<Grant[]>(page, { method: 'wallet_getGrants' }));
  return all.filter((g) => g.status === 'active');
}

/** Logs `page` in with approval; returns the answer and the site's active identity grant. */
async function loginWithApproval(page: Page): Promise<{ value: IdentityResult; grant: Grant }> {
  const approvalP = waitForApprovalPage(h.context);
  const outcomeP = requestIdentity(page, newNonce(), { timeoutMs: 30_000 });
  await approveIn(await approvalP);
  const value = expectOk(await outcomeP);
  const grants = await activeGrants(page);
  const grant = grants.find((g) => g.kind === 'identity' && g.did === value.did);
  if (!grant) throw new Error(`no active identity grant after login: ${JSON.stringify(grants)}`);
  return { value, grant };
}

/** Expects the next identity request of `page` to open an approval window; rejects it there. */
async function expectPromptAgain(page: Page): Promise<void> {
  const approvalP = waitForApprovalPage(h.context, { timeoutMs: 15_000 });
  const outcomeP = requestIdentity(page, newNonce(), { timeoutMs: 30_000 });
  const approval = await approvalP;
  await rejectIn(approval);
  expectError(await outcomeP, 4001);
}

describe('disconnect from the popup', () => {
  test('the site shows as connected; Disconnect revokes, every tab of the origin hears grantRevoked, the next login prompts', async () => {
    const url = await freshSiteUrl();
    const origin = originOf(url);
    const tab1 = await openSite(h.context, url);
    const tab2 = await openSite(h.context, `${origin}/`); // the demo login page, same origin
    const other = await openSite(h.context, await freshSiteUrl());
    for (const p of [tab1, tab2, other]) await recordProviderEvents(p);
    const { grant } = await loginWithApproval(tab1);
    // The other origin logs in too, so there is a grant that must stay.
    const otherLogin = await loginWithApproval(other);

    const popup = await openPopup(h);
    await expect.poll(() => popup.getByTestId('lock-state').textContent(), { timeout: 10_000 }).toMatch(/^\s*Unlocked\s*$/);
    const row = popup.getByTestId(`connected-${grant.id}`);
    await row.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await row.textContent()).toContain(origin.replace('http://', ''));
    await popup.getByTestId(`connected-${otherLogin.grant.id}`).waitFor({ state: 'visible' });

    await popup.getByTestId(`disconnect-${grant.id}`).click();
    await row.waitFor({ state: 'detached', timeout: 10_000 });

    for (const tab of [tab1, tab2]) {
      const event = await waitForProviderEvent(tab, 'grantRevoked', { timeoutMs: 10_000 });
      expect(event.data).toEqual({ grantId: grant.id });
    }
    // The demo page reacts to the event.
    await expect.poll(() => tab2.getByTestId('login-status').getAttribute('data-state')).toBe('disconnected');
    await sleep(500);
    expect((await providerEvents(other)).filter((e) => e.event === 'grantRevoked')).toEqual([]);
    await popup.getByTestId(`connected-${otherLogin.grant.id}`).waitFor({ state: 'visible' });

    expect(await activeGrants(tab1)).toEqual([]);
    await expectPromptAgain(tab1);
    // The other site still logs in silently.
    const again = await expectNoApprovalWindow(h.context, () => requestIdentity(other, newNonce()));
    expect(expectOk(again).did).toBe(otherLogin.value.did);
    for (const p of [tab1, tab2, other, popup]) await p.close();
  });
});

describe('revoke from the dashboard', () => {
  test('Revoke ends the grant, the site hears grantRevoked, the next login prompts', async () => {
    const page = await openSite(h.context, await freshSiteUrl());
    await recordProviderEvents(page);
    const { grant } = await loginWithApproval(page);
    const dashboard = await openDashboard(h);
    await dashboard.getByTestId(`grant-${grant.id}`).waitFor({ state: 'visible', timeout: 10_000 });
    await dashboard.getByTestId(`revoke-${grant.id}`).click();
    const confirm = dashboard.getByTestId('confirm');
    if (await confirm.isVisible().catch(() => false)) await confirm.click();
    await dashboard.getByTestId(`revoke-${grant.id}`).waitFor({ state: 'detached', timeout: 10_000 });
    const event = await waitForProviderEvent(page, 'grantRevoked', { timeoutMs: 10_000 });
    expect(event.data).toEqual({ grantId: grant.id });
    expect(await activeGrants(page)).toEqual([]);
    await expectPromptAgain(page);
    await dashboard.close();
    await page.close();
  });
});

describe('wallet_revokeGrant', () => {
  test('a site gives up its own grant; it cannot touch another site\'s grant (4100)', async () => {
    const page = await openSite(h.context, await freshSiteUrl());
    const other = await openSite(h.context, await freshSiteUrl());
    await recordProviderEvents(page);
    const { grant } = await loginWithApproval(page);
    const otherLogin = await loginWithApproval(other);

    // Another origin's grant id: same answer as an unknown id.
    expectError(await requestInPage(page, { method: 'wallet_revokeGrant', params: { grantId: otherLogin.grant.id } }), 4100);
    expectError(await requestInPage(page, { method: 'wallet_revokeGrant', params: { grantId: 'unknown-grant-id-0000' } }), 4100);
    expect((await activeGrants(other)).map((g) => g.id)).toContain(otherLogin.grant.id);

    expect(expectOk(await requestInPage(page, { method: 'wallet_revokeGrant', params: { grantId: grant.id } }))).toEqual({
      revoked: true,
    });
    expect(await activeGrants(page)).toEqual([]);
    await expectPromptAgain(page);
    await page.close();
    await other.close();
  });
});

describe('approval window closed', () => {
  test('closing the window rejects with 4001', async () => {
    const page = await openSite(h.context, await freshSiteUrl());
    const approvalP = waitForApprovalPage(h.context);
    const outcomeP = requestIdentity(page, newNonce(), { timeoutMs: 30_000 });
    const approval = await approvalP;
    await approval.getByTestId('approve').waitFor({ state: 'visible' });
    await approval.close();
    expectError(await outcomeP, 4001);
    // Nothing stays pending: the next request prompts again.
    await expectPromptAgain(page);
    await page.close();
  });
});

describe('locked wallet', () => {
  test('lock from the popup → request → unlock in the approval window (wrong password first) → approve → resolves', async () => {
    const page = await openSite(h.context, await freshSiteUrl());
    await recordProviderEvents(page);
    await lockFromPopup(h);

    const nonce = newNonce();
    const approvalP = waitForApprovalPage(h.context);
    const outcomeP = requestIdentity(page, nonce, { timeoutMs: 60_000 });
    const approval = await approvalP;
    await approval.getByTestId('password').waitFor({ state: 'visible', timeout: 15_000 });
    expect(await approval.getByTestId('approve').count()).toBe(0);

    await approval.getByTestId('password').fill('not the password');
    await approval.getByTestId('unlock').click();
    await approval.getByTestId('unlock-error').waitFor({ state: 'visible', timeout: 15_000 });

    // The wrong try may throttle the next attempt for a moment: wait for the button.
    await expect.poll(() => approval.getByTestId('unlock').isEnabled(), { timeout: 30_000 }).toBe(true);
    expect(await unlockIfAsked(approval, PASSWORD)).toBe(true);
    await approveIn(approval);
    const value = expectOk(await outcomeP);
    expect(value.did).toMatch(/^did:key:z6Mk/);

    const popup = await openPopup(h);
    await expect.poll(() => popup.getByTestId('lock-state').textContent(), { timeout: 10_000 }).toMatch(/^\s*Unlocked\s*$/);
    await popup.close();
    await page.close();
  });

  test('the site is told when the wallet locks and unlocks', async () => {
    const page = await openSite(h.context, await freshSiteUrl());
    await loginWithApproval(page);
    await recordProviderEvents(page);
    await lockFromPopup(h);
    await waitForProviderEvent(page, 'locked', { timeoutMs: 10_000 });
    // A granted site asking while locked: the window asks to unlock, then answers silently.
    const approvalP = waitForApprovalPage(h.context);
    const outcomeP = requestIdentity(page, newNonce(), { timeoutMs: 60_000 });
    const approval = await approvalP;
    expect(await unlockIfAsked(approval, PASSWORD)).toBe(true);
    // Either the grant answers at once after unlocking (window closes) or the user approves.
    const closed = await waitForClose(approval, 3_000);
    if (!closed) await approveIn(approval);
    expectOk(await outcomeP);
    await waitForProviderEvent(page, 'unlocked', { timeoutMs: 10_000 });
    await page.close();
  });

  test('closing the window while it still asks to unlock → 4900', async () => {
    const page = await openSite(h.context, await freshSiteUrl());
    await lockFromPopup(h);
    const approvalP = waitForApprovalPage(h.context);
    const outcomeP = requestIdentity(page, newNonce(), { timeoutMs: 30_000 });
    const approval = await approvalP;
    await approval.getByTestId('password').waitFor({ state: 'visible', timeout: 15_000 });
    await approval.close();
    expectError(await outcomeP, 4900);
    await page.close();
  });
});
