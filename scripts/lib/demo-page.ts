/**
 * Small page helpers for the demo's walks (scripts/start.ts and its parts): a test id's
 * text and state, polling for a state, the approval window's whole-page screenshot and
 * a demo site opened once it found the wallet.
 */
import type { BrowserContext, Page } from 'playwright-core';
import type { DemoWalk } from './demo-anchoring.ts';

/** A test id's text as shown (innerText: a label and its value stay apart), whitespace folded. */
export const textOf = async (page: Page, testId: string) => (await page.getByTestId(testId).first().innerText()).replace(/\s+/g, ' ').trim();
/** A test id's `data-state`. */
export const stateOf = async (page: Page, testId: string) => (await page.getByTestId(testId).first().getAttribute('data-state')) ?? '';

/** Polls a test id's `data-state` until it is one of `states`; fails naming what it last showed. */
export async function waitForState(page: Page, testId: string, states: string[], timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await stateOf(page, testId);
    if (states.includes(state)) return state;
    if (Date.now() > deadline) {
      const shown = await page.getByTestId(testId).first().innerText({ timeout: 1_000 }).catch(() => '');
      throw new Error(`${testId} stayed "${state}" (wanted ${states.join(' or ')})${shown ? `: ${shown.replace(/\s+/g, ' ').trim()}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Polls `read` until `done` holds; fails after `timeoutMs` saying what it last read. */
export async function waitUntil<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A whole approval window: the viewport stretched to the content first, so the sticky footer sits below it, not over it. */
export async function tallShot(walk: DemoWalk, page: Page, name: string): Promise<string> {
  const size = page.viewportSize();
  const height = Number(await page.evaluate('document.documentElement.scrollHeight'));
  if (!size || !(height > size.height)) return walk.shot(page, name);
  await page.setViewportSize({ width: size.width, height: Math.min(height, 4_000) });
  try {
    return await walk.shot(page, name);
  } finally {
    await page.setViewportSize(size).catch(() => undefined);
  }
}

/** A demo site's page, once it found window.tessera. */
export async function openSite(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction('document.querySelector("[data-testid=provider-hint]")?.dataset.found === "true"', undefined, { timeout: 10_000 });
  return page;
}
