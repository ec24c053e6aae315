/**
 * A document with an opaque origin (a sandboxed frame: `<iframe sandbox="allow-scripts">`)
 * is refused with 4100 and opens nothing, although its URL names the site's own
 * origin: the worker reads `sender.origin` ("null" there), never `sender.url`. The
 * same frame without the sandbox is served as its origin. (Firefox: test/e2e-firefox.)
 */
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { newNonce, requestInPage } from '../../scripts/lib/extension-browser.ts';
import { expectError, expectNoApprovalWindow, expectOk, openSite, startHarness, type Harness } from './support.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ onboarded: true });
});

afterAll(async () => {
  await h?.close();
});

/** Adds a same-origin frame of `/plain` to the page, sandboxed or not, and waits for its provider. */
async function addFrame(page: Page, name: string, sandboxed: boolean): Promise<Frame> {
  await page.evaluate(
    ({ name, sandboxed }) => {
      const frame = document.createElement('iframe');
      if (sandboxed) frame.setAttribute('sandbox', 'allow-scripts');
      frame.src = `/plain?frame=${name}`;
      document.body.append(frame);
    },
    { name, sandboxed },
  );
  for (let i = 0; i < 100; i++) {
    const frame = page.frames().find((f) => f.url().includes(`frame=${name}`));
    if (frame && (await frame.evaluate('typeof window.tessera === "object"').catch(() => false))) return frame;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`frame ${name} never had the provider`);
}

// requestInPage only calls evaluate, which a Frame has as a Page does.
const asPage = (frame: Frame) => frame as unknown as Page;

describe('opaque-origin frames', () => {
  test('a sandboxed frame of the site itself gets 4100 for every method and no window opens', async () => {
    const page = await openSite(h.context, h.servers[0]?.url('127.0.0.1', '/plain') ?? '');
    const sandboxed = await addFrame(page, 'sandboxed', true);
    expect(await sandboxed.evaluate('self.origin')).toBe('null');
    await expectNoApprovalWindow(h.context, async () => {
      for (const request of [{ method: 'wallet_requestIdentity', params: { nonce: newNonce() } }, { method: 'wallet_getGrants' }]) {
        expectError(await requestInPage(asPage(sandboxed), request, { timeoutMs: 10_000 }), 4100, 'opaque origin');
      }
    });
    // The same document without the sandbox is the site's own frame, and served.
    const plain = await addFrame(page, 'plain', false);
    expect(expectOk(await requestInPage(asPage(plain), { method: 'wallet_getGrants' }))).toEqual([]);
    await page.close();
  });
});
