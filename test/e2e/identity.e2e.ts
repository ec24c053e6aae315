/**
 * "Log in with Tessera" end to end: onboarding, the provider, approve / reject,
 * silent repeat logins, pairwise DIDs, parameter validation, verification of the
 * presentation by an independent verifier, and what rests in the extension's storage.
 *
 * One browser for the whole file; the tests run in order and build on each other
 * (the wallet is created by the first one).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import {
  approveIn,
  dumpExtensionStorage,
  getServiceWorker,
  newNonce,
  onboard,
  rejectIn,
  requestIdentity,
  requestInPage,
  requestManyInPage,
  waitForApprovalPage,
  waitForClose,
  type IdentityResult,
} from '../../scripts/lib/extension-browser.ts';
import { verifyLoginPresentation } from '../../demo/verify.ts';
import {
  PASSWORD,
  checkLoginPresentation,
  expectError,
  expectNoApprovalWindow,
  expectOk,
  openPopup,
  openSite,
  originOf,
  startHarness,
  type Harness,
} from './support.ts';

let h: Harness;
/** Origin A: http://127.0.0.1:PORT; origin B: http://localhost:PORT (same server). */
let urlA: string;
let urlB: string;
let originA: string;
let originB: string;
let pageA: Page;
let didA: string;
let didB: string;
let lastA: IdentityResult & { nonce: string };

beforeAll(async () => {
  h = await startHarness({ serverCount: 2 });
  const [server] = h.servers;
  if (!server) throw new Error('no demo server');
  urlA = server.url('127.0.0.1', '/plain');
  urlB = server.url('localhost', '/plain');
  originA = originOf(urlA);
  originB = originOf(urlB);
});

afterAll(async () => {
  await h?.close();
});

describe('onboarding', () => {
  test('the install opens onboarding; a short or mismatched password is refused', async () => {
    const isOnboarding = (p: Page) => p.url().includes('/onboarding/index.html');
    let page = h.context.pages().find(isOnboarding);
    for (let i = 0; !page && i < 100; i++) {
      await new Promise((r) => setTimeout(r, 100));
      page = h.context.pages().find(isOnboarding);
    }
    if (!page) throw new Error('the install did not open the onboarding page');
    expect(page.url()).toBe(`chrome-extension://${h.extensionId}/onboarding/index.html`);
    await page.getByTestId('new-password').fill('short');
    await page.getByTestId('confirm-password').fill('short');
    await page.getByTestId('create-wallet').click();
    await page.getByTestId('onboarding-error').waitFor({ state: 'visible' });
    await page.getByTestId('new-password').fill(PASSWORD);
    await page.getByTestId('confirm-password').fill(`${PASSWORD}!`);
    await page.getByTestId('create-wallet').click();
    await page.getByTestId('onboarding-error').waitFor({ state: 'visible' });
    expect(await page.getByTestId('onboarding-done').count()).toBe(0);
  });

  test('creating the wallet leaves it unlocked', async () => {
    await onboard(h.context, h.extensionId, PASSWORD);
    const popup = await openPopup(h);
    await expect.poll(() => popup.getByTestId('lock-state').textContent(), { timeout: 10_000 }).toMatch(/^\s*Unlocked\s*$/);
    await popup.close();
  });
});

describe('provider', () => {
  test('window.tessera is present and announces itself (tessera:announceProvider)', async () => {
    pageA = await openSite(h.context, urlA);
    const announced = await pageA.evaluate(`new Promise((resolve) => {
      const onAnnounce = (event) => {
        window.removeEventListener('tessera:announceProvider', onAnnounce);
        const d = event.detail || {};
        resolve({
          hasInfo: typeof d.info === 'object' && d.info !== null,
          sameProvider: d.provider === window.tessera,
          hasRequest: typeof (d.provider && d.provider.request) === 'function',
          hasOn: typeof (d.provider && d.provider.on) === 'function',
          hasRemove: typeof (d.provider && d.provider.removeListener) === 'function',
        });
      };
      window.addEventListener('tessera:announceProvider', onAnnounce);
      window.dispatchEvent(new Event('tessera:requestProvider'));
      setTimeout(() => resolve(null), 3000);
    })`);
    expect(announced).toEqual({ hasInfo: true, sameProvider: true, hasRequest: true, hasOn: true, hasRemove: true });
  });
});

describe('wallet_requestIdentity', () => {
  test('reject in the approval window → 4001, no grant', async () => {
    const approvalP = waitForApprovalPage(h.context);
    const outcomeP = requestIdentity(pageA, newNonce(), { timeoutMs: 30_000 });
    const approval = await approvalP;
    expect(approval.url()).toContain(`chrome-extension://${h.extensionId}/approval/index.html`);
    await expect.poll(() => approval.getByTestId('approval-origin').textContent()).toContain(originA.replace('http://', ''));
    await rejectIn(approval);
    expectError(await outcomeP, 4001);
    expect(await waitForClose(approval)).toBe(true);
    const grants = expectOk(await requestInPage<unknown[]>(pageA, { method: 'wallet_getGrants' }));
    expect(grants.filter((g) => (g as { status?: string }).status === 'active')).toEqual([]);
  });

  test('approve → { did, presentation } bound to the origin and nonce', async () => {
    const nonce = newNonce();
    const approvalP = waitForApprovalPage(h.context);
    const outcomeP = requestIdentity(pageA, nonce, { timeoutMs: 30_000 });
    const approval = await approvalP;
    await expect.poll(() => approval.getByTestId('approval-origin').textContent()).toContain(originA.replace('http://', ''));
    await approveIn(approval);
    const value = expectOk(await outcomeP);
    checkLoginPresentation(value, { origin: originA, nonce });
    didA = value.did;
    lastA = { ...value, nonce };
    expect(await waitForClose(approval)).toBe(true);
  });

  test('the presentation verifies with did-jwt-vc + key-did-resolver, and not for another nonce or audience', async () => {
    const ok = await verifyLoginPresentation(lastA.presentation, { origin: originA, challenge: lastA.nonce });
    expect(ok.did).toBe(didA);
    await expect(
      verifyLoginPresentation(lastA.presentation, { origin: originA, challenge: newNonce() }),
    ).rejects.toThrow(/challenge|nonce/i);
    await expect(
      verifyLoginPresentation(lastA.presentation, { origin: originB, challenge: lastA.nonce }),
    ).rejects.toThrow(/aud|domain/i);
    await expect(
      verifyLoginPresentation(lastA.presentation, { origin: 'https://evil.example', challenge: lastA.nonce }),
    ).rejects.toThrow(/aud|domain/i);
    // A tampered payload no longer matches the signature.
    const [header, payload, signature] = lastA.presentation.split('.') as [string, string, string];
    const forged = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    forged.nonce = 'forged-nonce-1234';
    const forgedJwt = `${header}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${signature}`;
    await expect(
      verifyLoginPresentation(forgedJwt, { origin: originA, challenge: 'forged-nonce-1234' }),
    ).rejects.toThrow(/signature/i);
  });

  test('a second call while the grant is active is silent: same DID, fresh presentation', async () => {
    const nonce = newNonce();
    const outcome = await expectNoApprovalWindow(h.context, () => requestIdentity(pageA, nonce, { timeoutMs: 20_000 }));
    const value = expectOk(outcome);
    expect(value.did).toBe(didA);
    expect(value.presentation).not.toBe(lastA.presentation);
    checkLoginPresentation(value, { origin: originA, nonce });
    await verifyLoginPresentation(value.presentation, { origin: originA, challenge: nonce });
  });

  test('wallet_getGrants lists this origin\'s identity grant', async () => {
    const grants = expectOk(
      await requestInPage<{ id: string; kind: string; did: string; status: string; purposes: unknown; createdAt: string; expiresAt: unknown }[]>(
        pageA,
        { method: 'wallet_getGrants' },
      ),
    );
    const active = grants.filter((g) => g.status === 'active');
    expect(active).toHaveLength(1);
    const [grant] = active;
    expect(grant).toMatchObject({ kind: 'identity', did: didA, status: 'active' });
    expect(grant?.id).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(Array.isArray(grant?.purposes)).toBe(true);
    expect(Number.isNaN(Date.parse(grant?.createdAt ?? ''))).toBe(false);
  });

  test('another origin (localhost vs 127.0.0.1) gets a different, pairwise DID and sees only its own grants', async () => {
    const pageB = await openSite(h.context, urlB);
    const nonce = newNonce();
    const approvalP = waitForApprovalPage(h.context);
    const outcomeP = requestIdentity(pageB, nonce, { timeoutMs: 30_000 });
    const approval = await approvalP;
    await expect.poll(() => approval.getByTestId('approval-origin').textContent()).toContain(originB.replace('http://', ''));
    await approveIn(approval);
    const value = expectOk(await outcomeP);
    checkLoginPresentation(value, { origin: originB, nonce });
    didB = value.did;
    expect(didB).not.toBe(didA);
    const grantsB = expectOk(await requestInPage<{ did: string }[]>(pageB, { method: 'wallet_getGrants' }));
    expect(grantsB.length).toBeGreaterThan(0);
    expect(grantsB.every((g) => g.did === didB)).toBe(true);
    await pageB.close();
  });

  test('a different port is a different origin too: another pairwise DID', async () => {
    const server2 = h.servers[1];
    if (!server2) throw new Error('no second server');
    const page = await openSite(h.context, server2.url('127.0.0.1', '/plain'));
    const nonce = newNonce();
    const approvalP = waitForApprovalPage(h.context);
    const outcomeP = requestIdentity(page, nonce, { timeoutMs: 30_000 });
    await approveIn(await approvalP);
    const value = expectOk(await outcomeP);
    checkLoginPresentation(value, { origin: server2.origin('127.0.0.1'), nonce });
    expect(new Set([didA, didB, value.did]).size).toBe(3);
    await page.close();
  });
});

describe('a page cannot choose its origin', () => {
  test('an origin (or audience) in params is refused with -32602 and no window', async () => {
    const page = await openSite(h.context, h.servers[1]?.url('localhost', '/plain') ?? '');
    await expectNoApprovalWindow(h.context, async () => {
      expectError(
        await requestInPage(page, { method: 'wallet_requestIdentity', params: { nonce: newNonce(), origin: 'https://bank.example' } }),
        -32602,
        'params.origin',
      );
      expectError(
        await requestInPage(page, { method: 'wallet_requestIdentity', params: { nonce: newNonce(), aud: 'origin:https://bank.example' } }),
        -32602,
        'params.aud',
      );
    });
    await page.close();
  });

  test('the audience stays the real origin whatever the page claims elsewhere', async () => {
    // A granted origin asks again with a spoofing attempt in the request object itself
    // (an extra top-level field) and in the envelope it cannot reach: the answer is
    // either a refusal or a presentation for its own origin.
    const nonce = newNonce();
    const outcome = await requestInPage<IdentityResult>(pageA, {
      method: 'wallet_requestIdentity',
      params: { nonce },
      origin: 'https://bank.example',
    } as never);
    if (outcome.ok) checkLoginPresentation(outcome.value, { origin: originA, nonce });
    else expect(outcome.timedOut ?? false).toBe(false);
    // Forged envelope posted straight to the content script, claiming another origin.
    const forged = await pageA.evaluate(`new Promise((resolve) => {
      const id = 'forged-' + Math.random().toString(36).slice(2);
      const onMessage = (event) => {
        const d = event.data;
        if (d && d.target === 'tessera-inpage' && d.type === 'response' && d.id === id) {
          window.removeEventListener('message', onMessage);
          resolve(d);
        }
      };
      window.addEventListener('message', onMessage);
      window.postMessage({ target: 'tessera-content', type: 'request', id,
        request: { method: 'wallet_requestIdentity', params: { nonce: ${JSON.stringify(nonce + 'x')} } },
        origin: 'https://bank.example' }, '*');
      setTimeout(() => resolve('no answer'), 2000);
    })`);
    if (forged !== 'no answer' && typeof forged === 'object' && forged !== null && 'result' in forged) {
      const result = (forged as { result: IdentityResult }).result;
      checkLoginPresentation(result, { origin: originA, nonce: `${nonce}x` });
    }
  });
});

describe('invalid requests', () => {
  let page: Page;
  beforeAll(async () => {
    // An origin with no grant: if validation were skipped, a window would open.
    page = await openSite(h.context, h.servers[1]?.url('127.0.0.2', '/plain') ?? h.servers[1]?.url('localhost', '/') ?? '');
  });
  afterAll(async () => {
    await page?.close();
  });

  test('bad params → -32602 naming the field, and no window', async () => {
    const cases: { params: unknown; field: string }[] = [
      { params: {}, field: 'params.nonce' },
      { params: { nonce: 'short' }, field: 'params.nonce' },
      { params: { nonce: 'x'.repeat(513) }, field: 'params.nonce' },
      { params: { nonce: 'has spaces in it' }, field: 'params.nonce' },
      { params: { nonce: 12345678 }, field: 'params.nonce' },
      { params: { nonce: newNonce(), extra: 1 }, field: 'params.extra' },
      { params: 'a-nonce-as-string', field: 'params' },
      { params: ['a-nonce-in-an-array'], field: 'params' },
      { params: null, field: 'params' },
      { params: undefined, field: 'params' },
    ];
    await expectNoApprovalWindow(h.context, async () => {
      const outcomes = await requestManyInPage(
        page,
        cases.map((c) => ({ method: 'wallet_requestIdentity', params: c.params })),
        { timeoutMs: 15_000 },
      );
      cases.forEach((c, i) => {
        const outcome = outcomes[i];
        if (!outcome) throw new Error('missing outcome');
        try {
          expectError(outcome, -32602, c.field);
        } catch (error) {
          throw new Error(`params ${JSON.stringify(c.params)?.slice(0, 40)}: ${(error as Error).message}`);
        }
      });
    });
  });

  test('wallet_revokeGrant with a malformed grant id → -32602 naming params.grantId', async () => {
    expectError(await requestInPage(page, { method: 'wallet_revokeGrant', params: { grantId: '../x' } }), -32602, 'params.grantId');
    expectError(await requestInPage(page, { method: 'wallet_revokeGrant', params: {} }), -32602, 'params.grantId');
  });

  test('unknown methods → 4200', async () => {
    await expectNoApprovalWindow(h.context, async () => {
      for (const method of ['wallet_doesNotExist', 'eth_requestAccounts', 'wallet_requestidentity']) {
        expectError(await requestInPage(page, { method, params: {} }), 4200);
      }
    });
  });
});

describe('the demo site', () => {
  test('"Log in with Tessera": the site verifies the presentation, then logs in again silently', async () => {
    const server = h.servers[0];
    if (!server) throw new Error('no server');
    // 127.0.0.3 when the system has it, else the second server's localhost origin.
    const siteUrl = server.hosts.includes('127.0.0.3') ? server.url('127.0.0.3', '/') : (h.servers[1]?.url('localhost', '/') ?? '');
    const page = await openSite(h.context, siteUrl);
    await expect.poll(() => page.getByTestId('provider-hint').getAttribute('data-found')).toBe('true');

    const approvalP = waitForApprovalPage(h.context);
    await page.getByTestId('login-button').click();
    await approveIn(await approvalP);
    await page.getByTestId('login-result').waitFor({ state: 'visible', timeout: 30_000 });
    const did = (await page.getByTestId('login-result').textContent())?.trim() ?? '';
    expect(did).toMatch(/^did:key:z6Mk/);
    expect(await page.getByTestId('login-verified').textContent()).toMatch(/^yes/);
    expect(await page.getByTestId('login-error').isVisible()).toBe(false);
    const serverSide = h.servers.flatMap((s) => s.verifications).filter((v) => v.origin === originOf(siteUrl));
    expect(serverSide.at(-1)).toMatchObject({ ok: true, did });

    await page.getByTestId('logout-button').click();
    await expectNoApprovalWindow(h.context, async () => {
      await page.getByTestId('login-button').click();
      await expect
        .poll(() => page.getByTestId('login-status').getAttribute('data-state'), { timeout: 20_000 })
        .toBe('signed-in');
    });
    expect((await page.getByTestId('login-result').textContent())?.trim()).toBe(did);
    expect(did).not.toBe(didA);
    await page.close();
  });

  test('the site refuses a replayed presentation (its nonces are single use)', async () => {
    const server = h.servers[0];
    if (!server) throw new Error('no server');
    const page = await openSite(h.context, urlA);
    const { nonce } = (await (await fetch(server.url('127.0.0.1', '/api/nonce'))).json()) as { nonce: string };
    const value = expectOk(await expectNoApprovalWindow(h.context, () => requestIdentity(page, nonce)));
    const post = (presentation: string, origin: string) =>
      page.evaluate(
        `fetch('/api/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ presentation: ${JSON.stringify(presentation)} }) }).then((r) => r.json())`,
      ).then((r) => ({ ...(r as Record<string, unknown>), origin }));
    expect(await post(value.presentation, originA)).toMatchObject({ verified: true, did: didA });
    expect(await post(value.presentation, originA)).toMatchObject({ verified: false });
    await page.close();
  });
});

describe('storage at rest', () => {
  test('no DID, origin or key material in the clear in IndexedDB or chrome.storage', async () => {
    const worker = await getServiceWorker(h.context, h.extensionId);
    const dump = await dumpExtensionStorage(worker);
    const text = JSON.stringify(dump);
    expect(dump.recordCount, 'the wallet stored nothing: the check would be vacuous').toBeGreaterThan(0);
    expect(dump.indexedDB.length + Object.keys(dump.local).length).toBeGreaterThan(0);
    const port = new URL(urlA).port;
    const forbidden = [
      didA,
      didB,
      didA.slice('did:key:'.length),
      originA,
      originB,
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      'privateKeyHex',
      'Ed25519',
      PASSWORD,
    ];
    for (const needle of forbidden) {
      expect(text.includes(needle), `"${needle}" is stored in the clear`).toBe(false);
    }
    expect(dump.extractableKeys, 'an extractable CryptoKey is stored').toEqual([]);
  });
});
