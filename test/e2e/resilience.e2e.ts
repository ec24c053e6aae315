/**
 * The wallet under stress: the MV3 service worker stopped while an approval window
 * is open, and many concurrent requests from one page (at most one pending approval
 * per origin and kind; the rest get -32002 at once; nothing hangs).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  approveIn,
  getServiceWorker,
  newNonce,
  readCalls,
  requestIdentity,
  startCalls,
  stopServiceWorkers,
  waitCalls,
  waitForApprovalPage,
  watchApprovalPages,
  type IdentityResult,
} from '../../scripts/lib/extension-browser.ts';
import { verifyLoginPresentation } from '../../demo/verify.ts';
import { startDemoServer } from '../../demo/server.ts';
import {
  checkLoginPresentation,
  expectError,
  expectNoApprovalWindow,
  expectOk,
  openSite,
  originOf,
  sleep,
  startHarness,
  type Harness,
} from './support.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ serverCount: 1, onboarded: true });
});

afterAll(async () => {
  await h?.close();
});

describe('service worker restart', () => {
  test('stopping the worker while the approval window is open: approving still answers the page', async () => {
    const server = h.servers[0];
    if (!server) throw new Error('no server');
    const url = server.url('127.0.0.1', '/plain');
    const origin = originOf(url);
    const page = await openSite(h.context, url);
    const nonce = newNonce();
    const approvalP = waitForApprovalPage(h.context);
    const outcomeP = requestIdentity(page, nonce, { timeoutMs: 60_000 });
    const approval = await approvalP;
    await approval.getByTestId('approve').waitFor({ state: 'visible', timeout: 15_000 });

    const stopped = await stopServiceWorkers(h.context, { page });
    expect(stopped.some((u) => u.startsWith(`chrome-extension://${h.extensionId}/`))).toBe(true);
    await sleep(500);

    await approveIn(approval);
    const value = expectOk(await outcomeP);
    checkLoginPresentation(value, { origin, nonce });
    await verifyLoginPresentation(value.presentation, { origin, challenge: nonce });

    // The grant and the unlocked session survived: the next call is silent, same DID.
    await stopServiceWorkers(h.context, { page });
    const again = await expectNoApprovalWindow(h.context, () => requestIdentity(page, newNonce(), { timeoutMs: 30_000 }));
    expect(expectOk(again).did).toBe(value.did);
    // And the worker answers again.
    const worker = await getServiceWorker(h.context, h.extensionId);
    expect(await worker.evaluate('typeof chrome.runtime.id')).toBe('string');
    await page.close();
  });
});

describe('concurrent requests', () => {
  test('20 identity requests at once from one page: one window, 19 × -32002 at once, the first resolves on approve', async () => {
    const server = h.servers[0];
    if (!server) throw new Error('no server');
    const url = server.url('localhost', '/plain');
    const origin = originOf(url);
    const page = await openSite(h.context, url);
    const nonces = Array.from({ length: 20 }, () => newNonce());

    const watch = watchApprovalPages(h.context);
    try {
      const approvalP = waitForApprovalPage(h.context);
      const handle = await startCalls(
        page,
        nonces.map((nonce) => ({ method: 'wallet_requestIdentity', params: { nonce } })),
        { timeoutMs: 45_000 },
      );
      const approval = await approvalP;
      await approval.getByTestId('approve').waitFor({ state: 'visible', timeout: 15_000 });

      // The 19 extra requests are answered without waiting for the user.
      await expect
        .poll(async () => (await readCalls(handle)).filter((o) => o !== null).length, { timeout: 15_000 })
        .toBe(19);
      const early = await readCalls(handle);
      for (const outcome of early) {
        if (outcome) expectError(outcome, -32002);
      }
      await sleep(1_500);
      expect(watch.pages, 'exactly one approval window').toHaveLength(1);

      await approveIn(approval);
      const outcomes = await waitCalls(handle);
      expect(outcomes.filter((o) => o.timedOut)).toEqual([]);
      const successes = outcomes.flatMap((o, i) => (o.ok ? [{ value: o.value as IdentityResult, nonce: nonces[i] ?? '' }] : []));
      expect(successes).toHaveLength(1);
      const [first] = successes;
      if (!first) throw new Error('no success');
      expect(early[nonces.indexOf(first.nonce)]).toBeNull(); // the one that waited for the user
      checkLoginPresentation(first.value, { origin, nonce: first.nonce });
      await verifyLoginPresentation(first.value.presentation, { origin, challenge: first.nonce });
      expect(outcomes.filter((o) => !o.ok && o.error.code === -32002)).toHaveLength(19);
    } finally {
      watch.stop();
    }

    // Once granted, 20 concurrent calls are all answered silently with the same DID.
    const burst = await expectNoApprovalWindow(h.context, async () => {
      const handle = await startCalls(
        page,
        Array.from({ length: 20 }, () => ({ method: 'wallet_requestIdentity', params: { nonce: newNonce() } })),
        { timeoutMs: 45_000 },
      );
      return await waitCalls(handle);
    });
    const dids = new Set(burst.map((o) => (o.ok ? (o.value as IdentityResult).did : `error ${JSON.stringify(o.error)}`)));
    expect(dids.size).toBe(1);
    expect([...dids][0]).toMatch(/^did:key:z6Mk/);
    await page.close();
  });

  test("another origin's request is not refused: it waits its turn and gets the next window (one window at a time)", async () => {
    // Two origins no test has used: a new server's 127.0.0.1 and localhost.
    const server = await startDemoServer();
    h.servers.push(server);
    const pageA = await openSite(h.context, server.url('127.0.0.1', '/plain'));
    const pageB = await openSite(h.context, server.url('localhost', '/plain'));
    const approvalAP = waitForApprovalPage(h.context);
    const outcomeAP = requestIdentity(pageA, newNonce(), { timeoutMs: 45_000 });
    const approvalA = await approvalAP;
    const outcomeBP = requestIdentity(pageB, newNonce(), { timeoutMs: 45_000 });
    // B's window must not open over A's (a site could otherwise bury or mimic another's request).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const approvalPages = h.context.pages().filter((p) => p.url().includes('/approval/'));
    expect(approvalPages).toEqual([approvalA]);
    const approvalBP = waitForApprovalPage(h.context);
    await approveIn(approvalA);
    expectOk(await outcomeAP);
    const approvalB = await approvalBP;
    expect(approvalB).not.toBe(approvalA);
    await approveIn(approvalB);
    expectOk(await outcomeBP);
    await pageA.close();
    await pageB.close();
  });
});
