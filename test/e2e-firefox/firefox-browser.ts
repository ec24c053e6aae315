/**
 * Debian's firefox-esr with the Firefox build installed as a temporary add-on, driven
 * over WebDriver BiDi by puppeteer-core. What differs from Chromium (and why the
 * helpers look as they do):
 *
 * - The add-on is installed over BiDi (`webExtension.install`) after launch; its
 *   moz-extension:// UUID is chosen up front with the `extensions.webextensions.uuids`
 *   pref, so its pages' URLs are known.
 * - BiDi refuses to navigate a tab to a moz-extension:// URL ("not allowed in this
 *   context"). Extension pages are opened the way the wallet opens them: the
 *   onboarding tab the add-on opens on install, and from there `tabs.create`.
 * - A page's `url()` can lag behind what the tab shows (it read about:blank for the
 *   onboarding tab), so pages are told apart by their own `location.href`.
 * - The approval window (`windows.create({ type: 'popup' })`) is a new browsing
 *   context that shows up in `browser.pages()`, found the same way.
 */
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { evaluationSource } from '../../scripts/lib/extension-browser.ts';
import { FIREFOX_ADDON_ID } from '../../scripts/lib/firefox-manifest.ts';

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
/** `npm run build -- --target firefox` writes here. */
export const FIREFOX_EXTENSION_DIR = process.env.TESSERA_FIREFOX_EXTENSION_DIR ?? resolve(import.meta.dirname, '../../dist-firefox');

export interface FirefoxWithExtension {
  browser: Browser;
  /** moz-extension://<uuid> */
  extensionOrigin: string;
  close(): Promise<void>;
}

export async function launchFirefoxWithExtension(extensionDir = FIREFOX_EXTENSION_DIR): Promise<FirefoxWithExtension> {
  const uuid = randomUUID();
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_ADDON_ID]: uuid }),
      // No first-run pages, update checks or telemetry tabs competing with the wallet's.
      'browser.shell.checkDefaultBrowser': false,
      'app.update.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
    },
  });
  try {
    const id = await browser.installExtension(resolve(extensionDir));
    if (id !== FIREFOX_ADDON_ID) throw new Error(`installed add-on ${id}, expected ${FIREFOX_ADDON_ID}`);
  } catch (error) {
    await browser.close();
    throw error;
  }
  return { browser, extensionOrigin: `moz-extension://${uuid}`, close: () => browser.close() };
}

/** The page's own URL ('' while it cannot be asked: closing, navigating). */
export async function hrefOf(page: Page): Promise<string> {
  return (await page.evaluate('location.href').catch(() => '')) as string;
}

/** The first open page whose URL passes `test`, waited for; none of `except`. */
export async function findPage(
  browser: Browser,
  test: (href: string) => boolean,
  { timeoutMs = 15_000, except = [] as Page[], what = 'page' } = {},
): Promise<Page> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const page of await browser.pages()) {
      if (!except.includes(page) && test(await hrefOf(page))) return page;
    }
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** Waits for the next approval window (one not in `seen`). */
export async function nextApprovalWindow(f: FirefoxWithExtension, seen: Page[] = []): Promise<Page> {
  const page = await findPage(f.browser, (href) => href.startsWith(`${f.extensionOrigin}/approval/`), { except: seen, what: 'approval window' });
  await page.waitForSelector('[data-testid=approve], [data-testid=reject]', { timeout: 15_000 });
  return page;
}

/** Opens one of the wallet's pages from `from` (an extension page) with tabs.create, as the popup does. */
export async function openExtensionPage(f: FirefoxWithExtension, from: Page, path: string): Promise<Page> {
  const url = `${f.extensionOrigin}/${path}`;
  const before = await f.browser.pages();
  await from.evaluate(evaluationSource(async (target: string) => {
    await (globalThis as unknown as { browser: { tabs: { create(o: { url: string }): Promise<unknown> } } }).browser.tabs.create({ url: target });
  }, url));
  return await findPage(f.browser, (href) => href.startsWith(url), { except: before, what: path });
}

/** Creates the wallet in the onboarding tab the add-on opened on install; returns that tab (kept open). */
export async function onboardInFirefox(f: FirefoxWithExtension, password: string): Promise<Page> {
  const page = await findPage(f.browser, (href) => href.startsWith(`${f.extensionOrigin}/onboarding/`), { timeoutMs: 20_000, what: 'onboarding tab' });
  await page.locator('[data-testid=new-password]').fill(password);
  await page.locator('[data-testid=confirm-password]').fill(password);
  await page.locator('[data-testid=create-wallet]').click();
  await page.waitForSelector('[data-testid=onboarding-done]', { visible: true, timeout: 30_000 });
  return page;
}

/** Clicks in a window that may close itself under the click (an approval window after a decision). */
export async function clickClosing(page: Page, testId: string): Promise<void> {
  await page.waitForSelector(`[data-testid="${testId}"]:not([disabled])`, { visible: true, timeout: 15_000 });
  try {
    await page.locator(`[data-testid="${testId}"]`).click();
  } catch (error) {
    if (!page.isClosed() && !/closed|discarded|detached|no such frame|destroyed/i.test(String(error))) throw error;
  }
}

/**
 * Until the window is gone. puppeteer may go on listing a context Firefox closed (and
 * `isClosed()` stay false), so "gone" is also: its document no longer answers.
 */
export async function waitClosed(f: FirefoxWithExtension, page: Page, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const href = await hrefOf(page);
  while (!page.isClosed() && (await f.browser.pages()).includes(page) && (await hrefOf(page)) !== '') {
    if (Date.now() > deadline) throw new Error(`${href} did not close within ${timeoutMs} ms`);
    await sleep(100);
  }
}

export type Outcome<T = unknown> = { ok: true; value: T } | { ok: false; error: { code: unknown; message: unknown } };

/** `window.tessera.request(request)` in the page (or a frame of it), as an outcome; a timeout is an error outcome. */
export async function requestIn<T = unknown>(target: Pick<Page, 'evaluate'>, request: { method: string; params?: unknown }, timeoutMs = 20_000): Promise<Outcome<T>> {
  const source = evaluationSource(async ({ request, timeoutMs }: { request: unknown; timeoutMs: number }) => {
    const provider = (window as unknown as { tessera?: { request(r: unknown): Promise<unknown> } }).tessera;
    if (!provider) return { ok: false, error: { code: null, message: 'window.tessera is not present' } };
    const timeout = new Promise((r) => setTimeout(() => r({ ok: false, error: { code: null, message: `no answer within ${timeoutMs} ms` } }), timeoutMs));
    const answer = provider.request(request).then(
      (value) => ({ ok: true, value: JSON.parse(JSON.stringify(value ?? null)) as unknown }),
      (error: { code?: unknown; message?: unknown }) => ({ ok: false, error: { code: error?.code ?? null, message: error?.message ?? String(error) } }),
    );
    return await Promise.race([answer, timeout]);
  }, { request, timeoutMs });
  return (await target.evaluate(source)) as Outcome<T>;
}

export function expectOk<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw new Error(`expected success, got ${JSON.stringify(outcome.error)}`);
  return outcome.value;
}

/** Starts recording the provider's `events` in the page (read with `eventsIn`). */
export async function recordEvents(page: Page, events: string[]): Promise<void> {
  await page.evaluate(evaluationSource((names: string[]) => {
    const w = window as unknown as { tessera: { on(e: string, fn: (d: unknown) => void): void }; __events?: { event: string; data: unknown }[] };
    w.__events ??= [];
    for (const event of names) w.tessera.on(event, (data) => w.__events?.push({ event, data: JSON.parse(JSON.stringify(data ?? null)) as unknown }));
  }, events));
}

export async function waitForEvent(page: Page, event: string, timeoutMs = 10_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = (await page.evaluate('window.__events ?? []')) as { event: string; data: unknown }[];
    const found = seen.find((e) => e.event === event);
    if (found) return found.data;
    if (Date.now() > deadline) throw new Error(`the page heard no ${event} within ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** The value of `attribute` on `selector` once it passes `test`. */
export async function waitForAttribute(page: Page, selector: string, attribute: string, test: (value: string) => boolean, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const source = `document.querySelector(${JSON.stringify(selector)})?.getAttribute(${JSON.stringify(attribute)}) ?? ''`;
    const value = (await page.evaluate(source).catch(() => '')) as string;
    if (test(value)) return value;
    if (Date.now() > deadline) throw new Error(`${selector} [${attribute}] was "${value}" after ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** The text of the first element matching `selector`, or null. */
export async function textOf(page: Page, selector: string): Promise<string | null> {
  return (await page.evaluate(`document.querySelector(${JSON.stringify(selector)})?.textContent ?? null`)) as string | null;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
