/**
 * Shared set-up for the end-to-end files: one Chromium with the built extension per
 * file, one demo server, and small helpers for the assertions the files share.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import {
  DEFAULT_EXTENSION_DIR,
  launchWithExtension,
  onboard,
  openExtensionPage,
  watchApprovalPages,
  type ExtensionBrowser,
  type RequestOutcome,
} from '../../scripts/lib/extension-browser.ts';
import { startDemoServer, type DemoServer } from '../../demo/server.ts';
import { decodeJwtHeader, decodeJwtPayload } from '../../demo/verify.ts';

export const PASSWORD = 'correct horse battery staple';

export interface Harness {
  browser: ExtensionBrowser;
  context: BrowserContext;
  extensionId: string;
  /** Demo servers, one per origin group (each port is a distinct set of origins). */
  servers: DemoServer[];
  close(): Promise<void>;
}

/** Launches Chromium with dist/ loaded and starts `serverCount` demo servers. */
export async function startHarness({
  serverCount = 1,
  onboarded = false,
  args,
}: { serverCount?: number; onboarded?: boolean; /** Extra Chromium switches (e.g. a test CA's SPKI). */ args?: string[] } = {}): Promise<Harness> {
  const servers = await Promise.all(Array.from({ length: serverCount }, () => startDemoServer()));
  let browser: ExtensionBrowser;
  try {
    browser = await launchWithExtension({ extensionDirs: [process.env.TESSERA_EXTENSION_DIR ?? DEFAULT_EXTENSION_DIR], ...(args ? { args } : {}) });
  } catch (error) {
    await Promise.all(servers.map((s) => s.close()));
    throw error;
  }
  const harness: Harness = {
    browser,
    context: browser.context,
    extensionId: browser.extensionId,
    servers,
    close: async () => {
      await browser.close();
      await Promise.all(servers.map((s) => s.close()));
    },
  };
  if (onboarded) await onboard(browser.context, browser.extensionId, PASSWORD);
  return harness;
}

/** Opens a page of a site (default: the blank test page) and waits for the provider. */
export async function openSite(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction('typeof window.tessera === "object" && window.tessera !== null', undefined, {
    timeout: 10_000,
  });
  return page;
}

export function originOf(url: string): string {
  return new URL(url).origin;
}

export function expectOk<T>(outcome: RequestOutcome<T>): T {
  if (!outcome.ok) {
    throw new Error(`expected the request to succeed, got ${JSON.stringify(outcome.error)}${outcome.timedOut ? ' (timed out)' : ''}`);
  }
  return outcome.value;
}

export function expectError(outcome: RequestOutcome, code: number, messageIncludes?: string): void {
  if (outcome.ok) throw new Error(`expected error ${code}, got success ${JSON.stringify(outcome.value).slice(0, 300)}`);
  expect(outcome.timedOut ?? false, `timed out instead of answering ${code}`).toBe(false);
  expect(outcome.error.code, `error was ${JSON.stringify(outcome.error)}`).toBe(code);
  expect(typeof outcome.error.message).toBe('string');
  if (messageIncludes) expect(outcome.error.message).toContain(messageIncludes);
}

/** Decoded parts of a VP JWT, plus the checks every login presentation must pass. */
export function checkLoginPresentation(
  value: { did: string; presentation: string },
  { origin, nonce }: { origin: string; nonce: string },
): Record<string, unknown> {
  expect(value.did).toMatch(/^did:key:z6Mk[1-9A-HJ-NP-Za-km-z]+$/); // Ed25519 did:key
  expect(value.presentation.split('.')).toHaveLength(3);
  const header = decodeJwtHeader(value.presentation);
  const payload = decodeJwtPayload(value.presentation);
  expect(header.alg).toBe('EdDSA');
  expect(payload.iss).toBe(value.did);
  expect(payload.aud).toBe(`origin:${origin}`);
  expect(payload.nonce).toBe(nonce);
  return payload;
}

/** Runs `fn` and asserts no approval window opened during it and for `settleMs` after. */
export async function expectNoApprovalWindow<T>(context: BrowserContext, fn: () => Promise<T>, settleMs = 1_500): Promise<T> {
  const watch = watchApprovalPages(context);
  try {
    const result = await fn();
    await new Promise((r) => setTimeout(r, settleMs));
    expect(watch.pages.map((p) => p.url()), 'no approval window should have opened').toEqual([]);
    return result;
  } finally {
    watch.stop();
  }
}

export async function openPopup(harness: Harness): Promise<Page> {
  return await openExtensionPage(harness.context, harness.extensionId, 'popup/index.html');
}

export async function openDashboard(harness: Harness): Promise<Page> {
  return await openExtensionPage(harness.context, harness.extensionId, 'dashboard/index.html');
}

/** Locks the wallet from the popup and checks the popup says so. */
export async function lockFromPopup(harness: Harness): Promise<void> {
  const popup = await openPopup(harness);
  try {
    await popup.getByTestId('lock').click();
    await expect.poll(() => popup.getByTestId('lock-state').textContent(), { timeout: 10_000 }).toMatch(/^\s*Locked\s*$/);
  } finally {
    await popup.close().catch(() => undefined);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
