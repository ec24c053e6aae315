/**
 * The approval window itself (issue 6): the button that releases data is armed only
 * after the window has been on screen ~500 ms (tap-jacking guard, DESIGN §7: it
 * carries `disabled` until then) while Reject works at once; the window learns of
 * changes by push (storage.onChanged), not by asking every 2 s, also across a service
 * worker restart; it can be used by keyboard; a signed request says "signed by <DID>"
 * and never "verified"; trusted issuers' credentials are preselected.
 *
 * One browser for the whole file; the tests run in order.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page, Worker } from 'playwright-core';
import {
  getServiceWorker,
  isTargetClosedError,
  newNonce,
  requestIdentity,
  stopServiceWorkers,
  waitForApprovalPage,
  waitForClose,
} from '../../scripts/lib/extension-browser.ts';
import { UNSIGNED } from '../../demo/city/requests.ts';
import { expectOk, sleep } from './support.ts';
import {
  PASSWORD,
  closeStrayApprovals,
  decide,
  digital,
  expectDcOk,
  freshNonce,
  holdCredential,
  issueOnRegistryPage,
  makeSdJwtVc,
  newTestIssuer,
  openPage,
  startCitizenHarness,
  startDcGet,
  trustIssuer,
  waitDcGet,
  type CitizenHarness,
} from './credential-support.ts';

let h: CitizenHarness;
let holder: string;
let pidId: string;

/**
 * Installed in every approval window before its own scripts run: records when the
 * approve and reject buttons first appear, whether each carried `disabled` then, and
 * when approve first became enabled (page clock).
 */
const BUTTON_RECORDER = `(() => {
  if (!location.pathname.includes('/approval/')) return;
  const rec = { approveSeenAt: null, approveDisabledAtFirst: null, rejectDisabledAtFirst: null, approveEnabledAt: null };
  window.__buttons = rec;
  const check = () => {
    const approve = document.querySelector('[data-testid="approve"]');
    const reject = document.querySelector('[data-testid="reject"]');
    if (approve && rec.approveSeenAt === null) {
      rec.approveSeenAt = performance.now();
      rec.approveDisabledAtFirst = approve.hasAttribute('disabled');
      rec.rejectDisabledAtFirst = reject ? reject.hasAttribute('disabled') : null;
    }
    if (approve && rec.approveEnabledAt === null && !approve.hasAttribute('disabled')) rec.approveEnabledAt = performance.now();
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['disabled'] });
})();`;

interface ButtonRecord {
  approveSeenAt: number | null;
  approveDisabledAtFirst: boolean | null;
  rejectDisabledAtFirst: boolean | null;
  approveEnabledAt: number | null;
}

/**
 * In the approval window: reports the page hidden, then visible again (as the browser
 * does for a minimised or covered window), and measures how long approve stays disarmed.
 */
const HIDE_AND_SHOW = `(async () => {
  const approve = () => document.querySelector('[data-testid="approve"]');
  const setVisibility = (state) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
    document.dispatchEvent(new Event('visibilitychange'));
  };
  const frame = () => new Promise((r) => setTimeout(r, 50));
  setVisibility('hidden');
  await frame();
  const disabledWhileHidden = approve().hasAttribute('disabled');
  await new Promise((r) => setTimeout(r, 1000));
  setVisibility('visible');
  const shownAt = performance.now();
  while (approve().hasAttribute('disabled') && performance.now() - shownAt < 5000) await new Promise((r) => setTimeout(r, 10));
  return { disabledWhileHidden, rearmedAfterMs: performance.now() - shownAt };
})()`;

const buttons = (approval: Page) => approval.evaluate('window.__buttons') as Promise<ButtonRecord | undefined>;

/** Counts the `getApproval` commands the worker receives from now on (until it is stopped). */
async function countGetApproval(worker: Worker): Promise<() => Promise<number>> {
  await worker.evaluate(`(() => {
    globalThis.__getApprovalCount = 0;
    chrome.runtime.onMessage.addListener((message) => {
      if (message && message.channel === 'ui' && message.body && message.body.command === 'getApproval') globalThis.__getApprovalCount++;
    });
  })()`);
  return async () => (await worker.evaluate('globalThis.__getApprovalCount')) as number;
}

async function lockFromPopup(): Promise<void> {
  const popup = await openPage(h.context, `chrome-extension://${h.extensionId}/popup/index.html`, { provider: false });
  await popup.getByTestId('lock').click();
  await popup.getByTestId('password').waitFor({ timeout: 10_000 });
  await popup.close();
}

async function unlockFromPopup(): Promise<void> {
  const popup = await openPage(h.context, `chrome-extension://${h.extensionId}/popup/index.html`, { provider: false });
  await popup.getByTestId('password').fill(PASSWORD);
  await popup.getByTestId('unlock').click();
  await popup.getByTestId('lock').waitFor({ timeout: 15_000 });
  await popup.close();
}

/** A login request from an origin without a grant, with its approval window. */
async function loginRequest(url: string) {
  const site = await openPage(h.context, url);
  const approvalP = waitForApprovalPage(h.context);
  const outcome = requestIdentity(site, newNonce(), { timeoutMs: 60_000 });
  const approval = await approvalP;
  return { site, outcome, approval };
}

beforeAll(async () => {
  h = await startCitizenHarness();
  await h.context.addInitScript(BUTTON_RECORDER);
  const registryPage = await openPage(h.context, h.registry.url());
  holder = await issueOnRegistryPage(h.context, registryPage);
  const pid = h.registry.issuer.issued.find((c) => c.holder === holder && c.kind === 'pid');
  if (!pid) throw new Error('the registry issued no PID');
  pidId = await holdCredential(h.context, registryPage, pid.credential);
  await registryPage.close();
});

afterAll(async () => {
  if (h) await closeStrayApprovals(h.context);
  await h?.close();
});

describe('arming the approve button', () => {
  test('approve carries `disabled` when it appears and is armed ~500 ms later; reject works from the start', async () => {
    const { site, outcome, approval } = await loginRequest(h.city.url('127.0.0.1', '/plain'));
    await approval.getByTestId('approve').waitFor({ state: 'visible', timeout: 15_000 });
    await expect.poll(async () => (await buttons(approval))?.approveEnabledAt ?? null, { timeout: 10_000 }).not.toBeNull();
    const record = await buttons(approval);
    if (!record || record.approveSeenAt === null || record.approveEnabledAt === null) {
      throw new Error(`the recorder saw no approve button: ${JSON.stringify(record)}`);
    }
    expect(record.approveDisabledAtFirst, 'approve must not be armed the moment it appears').toBe(true);
    expect(record.rejectDisabledAtFirst, 'reject is never held back').toBe(false);
    const armedAfter = record.approveEnabledAt - record.approveSeenAt;
    expect(armedAfter).toBeGreaterThanOrEqual(450);
    expect(armedAfter).toBeLessThan(5_000);
    expect(await approval.getByTestId('approve').getAttribute('data-armed')).toBe('true');

    // Hidden (headless Chromium never hides a window, so the page is told so): disarmed at
    // once; shown again, armed only after the full delay.
    const rearm = (await approval.evaluate(HIDE_AND_SHOW)) as { disabledWhileHidden: boolean; rearmedAfterMs: number };
    expect(rearm.disabledWhileHidden, 'a hidden window must disarm approve').toBe(true);
    expect(rearm.rearmedAfterMs).toBeGreaterThanOrEqual(450);
    expect(rearm.rearmedAfterMs).toBeLessThan(5_000);

    // Keyboard only: Tab reaches approve, whose focus ring shows; Enter approves.
    await approval.bringToFront();
    let focused: string | null = null;
    for (let i = 0; i < 20 && focused !== 'approve'; i++) {
      await approval.keyboard.press('Tab');
      focused = (await approval.evaluate('document.activeElement && document.activeElement.getAttribute("data-testid")')) as string | null;
    }
    expect(focused, 'Tab never reached the approve button').toBe('approve');
    const ring = (await approval.evaluate(
      'getComputedStyle(document.activeElement).outlineStyle + " " + getComputedStyle(document.activeElement).outlineWidth',
    )) as string;
    expect(ring).not.toMatch(/^none/);
    expect(await approval.getByTestId('approve').getAttribute('aria-describedby')).toContain('approval-origin-badge');
    await approval.keyboard.press('Enter').catch((error: unknown) => {
      if (!isTargetClosedError(error)) throw error;
    });
    expectOk(await outcome);
    expect(await waitForClose(approval)).toBe(true);
    await site.close();
  });

  test('Escape rejects the request (the site gets 4001)', async () => {
    const { site, outcome, approval } = await loginRequest(h.city.url('localhost', '/plain'));
    await approval.getByTestId('reject').waitFor({ state: 'visible', timeout: 15_000 });
    // The window closes under the key press.
    await approval.keyboard.press('Escape').catch((error: unknown) => {
      if (!isTargetClosedError(error)) throw error;
    });
    const result = await outcome;
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe(4001);
    await site.close();
  });
});

describe('push instead of polling', () => {
  test('a locked window shows the request once the wallet is unlocked elsewhere, without reload and without asking every 2 s', async () => {
    await lockFromPopup();
    const { site, outcome, approval } = await loginRequest(h.registry.url('localhost', '/plain'));
    await approval.getByTestId('password').waitFor({ timeout: 15_000 });
    await approval.evaluate('window.__sameDocument = true');

    const count = await countGetApproval(await getServiceWorker(h.context, h.extensionId));
    // Polling every 2 s would ask at least 3 times in 6.5 s; a pushed window asks not at all.
    await sleep(6_500);
    expect(await count(), 'the approval window asked for its approval while nothing changed').toBeLessThanOrEqual(1);

    await unlockFromPopup();
    await approval.getByTestId('approve').waitFor({ state: 'visible', timeout: 5_000 });
    expect(await approval.evaluate('window.__sameDocument === true'), 'the window reloaded').toBe(true);
    const afterUnlock = await count();
    expect(afterUnlock).toBeGreaterThanOrEqual(1);
    await sleep(4_500);
    expect(await count(), 'the window kept asking after it had its answer').toBeLessThanOrEqual(afterUnlock + 1);

    await decide(approval, 'approve');
    expectOk(await outcome);
    await site.close();
  });

  test('after the service worker restarts, the window still follows a lock and an unlock', async () => {
    // The Escape test left this origin without a grant, so it asks again.
    const { site, outcome, approval } = await loginRequest(h.city.url('localhost', '/plain'));
    await approval.getByTestId('approve').waitFor({ state: 'visible', timeout: 15_000 });
    await stopServiceWorkers(h.context, { page: site });
    await lockFromPopup();
    await approval.getByTestId('password').waitFor({ timeout: 5_000 });
    await stopServiceWorkers(h.context, { page: site });
    await unlockFromPopup();
    await approval.getByTestId('approve').waitFor({ state: 'visible', timeout: 5_000 });
    await decide(approval, 'approve');
    expectOk(await outcome);
    await site.close();
  });
});

describe('consent window honesty', () => {
  test('a request signed by a bare DID says "signed by <DID>", never "verified"', async () => {
    const city = await openPage(h.context, h.city.url());
    await city.getByTestId('credential-pid').check();
    await city.getByTestId('signed-request').setChecked(true);
    const approvalP = waitForApprovalPage(h.context);
    await city.getByTestId('dc-request-button').click();
    const approval = await approvalP;
    const line = approval.getByTestId('client-id');
    await line.waitFor({ timeout: 15_000 });
    const text = (await line.textContent()) ?? '';
    expect(text).toMatch(/signed by/i);
    expect(text).toContain(h.city.key.did);
    expect(text).not.toMatch(/verified/i);
    expect(await approval.locator('body').textContent()).not.toMatch(/verified requester/i);
    expect(await approval.getByTestId(`candidate-pid-${pidId}`).count()).toBe(0); // one PID: no choice to show
    await decide(approval, 'reject');
    await city.close();
  });

  test('of two matching credentials, the one from a trusted issuer is preselected', async () => {
    const vct = 'https://issuer.example/credentials/library-card';
    const plain = await openPage(h.context, h.registry.url('127.0.0.1', '/plain'));
    const issuers = [newTestIssuer(), newTestIssuer()];
    const ids: string[] = [];
    for (const [i, issuer] of issuers.entries()) {
      const credential = await makeSdJwtVc(issuer, { holderDid: holder, vct, claims: { card: `LIB-${i}` }, disclose: ['card'] });
      ids.push(await holdCredential(h.context, plain, credential));
    }
    await plain.close();
    const city = await openPage(h.context, h.city.url('127.0.0.1', '/plain'));
    const query = { credentials: [{ id: 'card', format: 'dc+sd-jwt', meta: { vct_values: [vct] }, claims: [{ path: ['card'] }] }] };
    const ask = async () => {
      const approvalP = waitForApprovalPage(h.context);
      const handle = await startDcGet(city, digital(UNSIGNED, { response_type: 'vp_token', response_mode: 'dc_api', nonce: freshNonce(), dcql_query: query }));
      const approval = await approvalP;
      await approval.locator('[data-testid^="candidate-card-"]').nth(1).waitFor({ timeout: 15_000 });
      const checked = await approval.locator('[data-testid^="candidate-card-"]:checked').getAttribute('data-testid');
      const first = await approval.locator('[data-testid^="candidate-card-"]').first().getAttribute('data-testid');
      return { approval, handle, checked: checked?.replace('candidate-card-', ''), first: first?.replace('candidate-card-', '') };
    };

    // Neither issuer trusted: the wallet's own order decides. Then trust the other one.
    const before = await ask();
    await decide(before.approval, 'reject');
    await waitDcGet(before.handle);
    const other = ids.find((id) => id !== before.checked);
    const otherIssuer = issuers[ids.indexOf(other ?? '')];
    if (!other || !otherIssuer) throw new Error(`unexpected preselection ${before.checked} of ${ids.join(', ')}`);
    await trustIssuer(h, otherIssuer.did, 'Library of Aldmere');

    const after = await ask();
    expect(after.checked, 'the trusted issuer’s credential must be preselected').toBe(other);
    expect(after.first, 'and listed first').toBe(other);
    await decide(after.approval, 'approve');
    expectDcOk(await waitDcGet(after.handle));
    await city.close();
  });
});
