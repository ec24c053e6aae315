/**
 * What a page may send, end to end (DESIGN.md §3.2 "Frames" and "Size"):
 * - a request from a frame whose origin differs from its top-level page is refused
 *   with 4100 and opens nothing, even for an origin that holds a grant (no silent login
 *   for embedded third parties); a same-origin frame is served like its page;
 * - a request over 64 KiB, nested too deep or with too many members is refused with
 *   -32602 by the content script: it never reaches the worker, nothing opens, and
 *   storage.session does not grow.
 *
 * One browser for the file; the tests run in order (the wallet is created first).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import {
  approveIn,
  evaluateWith,
  getServiceWorker,
  newNonce,
  requestInPage,
  startCalls,
  waitCalls,
  waitForApprovalPage,
  type CallOptions,
  type IdentityResult,
  type RequestOutcome,
  type RpcRequestInput,
} from '../../scripts/lib/extension-browser.ts';
import { checkLoginPresentation, expectError, expectNoApprovalWindow, expectOk, openSite, originOf, startHarness, type Harness } from './support.ts';

let h: Harness;
let top: Page;
/** http://127.0.0.1:PORT — the top-level page; 127.0.0.2 and 127.0.0.3 embed as third parties. */
let topUrl: string;
let otherUrl: string;
let thirdUrl: string;

beforeAll(async () => {
  h = await startHarness({ onboarded: true });
  const [server] = h.servers;
  if (!server) throw new Error('no demo server');
  topUrl = server.url('127.0.0.1', '/plain');
  otherUrl = server.url('127.0.0.2', '/plain');
  thirdUrl = server.url('127.0.0.3', '/plain');
  top = await openSite(h.context, topUrl);
});

afterAll(async () => {
  await h?.close();
});

/** Adds an iframe of `url` to the page and waits until its provider is there. */
async function embed(page: Page, url: string): Promise<Frame> {
  await evaluateWith(
    page,
    (src: string) =>
      new Promise<void>((resolve, reject) => {
        const frame = document.createElement('iframe');
        frame.src = src;
        frame.onload = () => resolve();
        frame.onerror = () => reject(new Error(`iframe ${src} failed to load`));
        document.body.appendChild(frame);
      }),
    url,
  );
  const frame = page.frames().find((f) => f !== page.mainFrame() && f.url() === url && !f.isDetached());
  if (!frame) throw new Error(`no frame for ${url}`);
  await frame.waitForFunction('typeof window.tessera === "object" && window.tessera !== null', undefined, { timeout: 10_000 });
  return frame;
}

/** The page-call helpers only `evaluate` in their target, which a frame can do as well as a page. */
const inFrame = (frame: Frame) => frame as unknown as Page;
const requestInFrame = <T = unknown>(frame: Frame, request: RpcRequestInput, options?: CallOptions): Promise<RequestOutcome<T>> =>
  requestInPage<T>(inFrame(frame), request, options);
const identityRequest = (nonce = newNonce()) => ({ method: 'wallet_requestIdentity', params: { nonce } });

describe('frames', () => {
  test('a same-origin frame logs in like its page: one approval, a presentation for the shared origin', async () => {
    const frame = await embed(top, topUrl);
    const nonce = newNonce();
    const calls = await startCalls(inFrame(frame), [identityRequest(nonce)]);
    await approveIn(await waitForApprovalPage(h.context));
    const [outcome] = await waitCalls(calls);
    if (!outcome) throw new Error('no outcome');
    checkLoginPresentation(expectOk(outcome as RequestOutcome<IdentityResult>), { origin: originOf(topUrl), nonce });
  });

  test('a cross-origin frame is refused with 4100 and opens nothing, though its origin holds a grant', async () => {
    // 127.0.0.2 logs in as a top-level page, so it holds an identity grant...
    const otherTop = await openSite(h.context, otherUrl);
    const calls = await startCalls(otherTop, [identityRequest()]);
    await approveIn(await waitForApprovalPage(h.context));
    const [login] = await waitCalls(calls);
    if (!login) throw new Error('no outcome');
    expectOk(login);
    expectOk(await requestInPage(otherTop, identityRequest())); // silent at top level
    await otherTop.close();

    // ...but embedded in 127.0.0.1 it gets no silent login, and no other method either.
    const frame = await embed(top, otherUrl);
    await expectNoApprovalWindow(h.context, async () => {
      expectError(await requestInFrame(frame, identityRequest(), { timeoutMs: 15_000 }), 4100);
      expectError(await requestInFrame(frame, { method: 'wallet_getGrants' }, { timeoutMs: 15_000 }), 4100);
    });
  });

  test('a cross-origin frame of a never-connected origin is refused with 4100 and opens nothing', async () => {
    const frame = await embed(top, thirdUrl);
    await expectNoApprovalWindow(h.context, async () => {
      expectError(await requestInFrame(frame, identityRequest(), { timeoutMs: 15_000 }), 4100);
    });
    // The page that embeds it is still served.
    expectOk(await requestInPage(top, { method: 'wallet_getGrants' }));
  });
});

/** Records, in the service worker, every page message that reaches it (method and size). */
async function recordWorkerMessages(): Promise<() => Promise<{ method: unknown; bytes: number }[]>> {
  const worker = await getServiceWorker(h.context, h.extensionId);
  // One listener per worker life; each call starts a fresh record.
  await worker.evaluate(`(() => {
    globalThis.__pageMessages = [];
    if (globalThis.__pageMessagesListening) return;
    globalThis.__pageMessagesListening = true;
    chrome.runtime.onMessage.addListener((message) => {
      if (message && message.channel === 'page') {
        globalThis.__pageMessages.push({ method: message.request && message.request.method, bytes: JSON.stringify(message).length });
      }
    });
  })()`);
  return async () => (await worker.evaluate('globalThis.__pageMessages')) as { method: unknown; bytes: number }[];
}

async function sessionBytes(): Promise<number> {
  const worker = await getServiceWorker(h.context, h.extensionId);
  return (await worker.evaluate('chrome.storage.session.getBytesInUse(null)')) as number;
}

describe('size, depth and member bounds', () => {
  test('a 70 KiB wallet_offerCredential gets -32602, opens nothing and never reaches the worker', async () => {
    const received = await recordWorkerMessages();
    const before = await sessionBytes();
    const credential = `eyJhbGciOiJFZERTQSJ9.${'A'.repeat(70 * 1024)}.sig`;
    await expectNoApprovalWindow(h.context, async () => {
      expectError(await requestInPage(top, { method: 'wallet_offerCredential', params: { credential } }), -32602, 'over 64 KiB');
    });
    // A small request right after shows the recorder was listening all along.
    expectOk(await requestInPage(top, { method: 'wallet_getGrants' }));
    const messages = await received();
    expect(messages.map((m) => m.method)).toEqual(['wallet_getGrants']);
    expect(await sessionBytes()).toBeLessThanOrEqual(before);
  });

  test('100,000-deep nesting and a 100,000-element array get -32602 without reaching the worker', async () => {
    const received = await recordWorkerMessages();
    const outcomes = await evaluateWith(
      top,
      async () => {
        type Provider = { request(args: { method: string; params?: unknown }): Promise<unknown> };
        const provider = (window as unknown as { tessera: Provider }).tessera;
        let deep: unknown = [];
        for (let i = 0; i < 100_000; i++) deep = [deep];
        const attempt = (params: unknown) =>
          provider.request({ method: 'wallet_requestCredentials', params }).then(
            () => ({ code: null as number | null, message: 'answered' }),
            (error: { code?: number; message?: string }) => ({ code: error.code ?? null, message: String(error.message) }),
          );
        return [
          await attempt({ dcql_query: deep }),
          await attempt({ dcql_query: { credentials: Array.from({ length: 100_000 }, (_, i) => ({ id: `q${i}`, format: 'dc+sd-jwt' })) } }),
          await attempt({ nested: (() => { let d: unknown = 'x'; for (let i = 0; i < 40; i++) d = { d }; return d; })() }),
        ];
      },
      null,
    );
    for (const outcome of outcomes) expect(outcome.code, outcome.message).toBe(-32602);
    expect(outcomes[1]?.message).toContain('has more than 1024 members');
    expect(outcomes[2]?.message).toContain('is nested deeper than 32 levels');
    expectOk(await requestInPage(top, { method: 'wallet_getGrants' }));
    expect((await received()).map((m) => m.method)).toEqual(['wallet_getGrants']);
  });

  test('through the Digital Credentials API the same bounds answer invalid_request, and nothing reaches the worker', async () => {
    const received = await recordWorkerMessages();
    const answers = await evaluateWith(
      top,
      async () => {
        const base = { response_type: 'vp_token', response_mode: 'dc_api', nonce: 'nonce-0123456789' };
        let deep: unknown = 'x';
        for (let i = 0; i < 10_000; i++) deep = { deep };
        const get = async (data: unknown) => {
          const options = { digital: { requests: [{ protocol: 'openid4vp-v1-unsigned', data }] } } as unknown as CredentialRequestOptions;
          try {
            return ((await navigator.credentials.get(options)) as unknown as { data: { error?: string; error_description?: string } }).data;
          } catch (error) {
            return { thrown: String(error) };
          }
        };
        return [
          await get({ ...base, client_metadata: deep }),
          await get({ ...base, dcql_query: { credentials: Array.from({ length: 100_000 }, (_, i) => ({ id: `q${i}` })) } }),
          await get({ ...base, padding: 'x'.repeat(70 * 1024) }),
        ];
      },
      null,
    );
    expect(answers).toEqual([
      { error: 'invalid_request', error_description: `data.client_metadata${'.deep'.repeat(29)}: is nested deeper than 30 levels` },
      { error: 'invalid_request', error_description: 'data.dcql_query.credentials: has more than 1024 members' },
      { error: 'invalid_request', error_description: expect.stringMatching(/^data: is too large \(over \d+ bytes as JSON\)$/) },
    ]);
    expectOk(await requestInPage(top, { method: 'wallet_getGrants' }));
    expect((await received()).map((m) => m.method)).toEqual(['wallet_getGrants']);
  });
});
