/**
 * Set-up for the research journey end to end (research.e2e.ts, DESIGN.md §8): Chromium
 * with the built extension; the ethics board (demo/accreditor), the children's clinic
 * (demo/clinic), the accredited research portal (demo/research, checking receipts on a
 * development chain of its own) and an unverified portal (no accreditation), each
 * demo site on its own origin; and helpers that drive those sites' pages, the
 * dashboard and the service worker's clock as a test needs them.
 */
import type { BrowserContext, Page } from 'playwright-core';
import {
  DEFAULT_EXTENSION_DIR,
  approveIn,
  launchWithExtension,
  onboard,
  openExtensionPage,
  recordProviderEvents,
  waitForApprovalPage,
  waitForClose,
  watchApprovalPages,
  type ExtensionBrowser,
} from '../../scripts/lib/extension-browser.ts';
import { startDevChain, type DevChain } from '../../scripts/lib/dev-chain.ts';
import { startAccreditor, type AccreditorServer } from '../../demo/accreditor/server.ts';
import { startClinic, type ClinicServer } from '../../demo/clinic/server.ts';
import { startResearch, type ResearchServer } from '../../demo/research/server.ts';
import type { RequesterMode } from '../../demo/research/accreditations.ts';
import type { Hex } from 'viem';
import { retryUntilSettled, saveAnchoringForm, textOf } from './anchoring-support.ts';
import { PASSWORD } from './support.ts';

export const BOARD_LABEL = 'Aldmere Research Ethics Board';

export interface ResearchHarness {
  browser: ExtensionBrowser;
  context: BrowserContext;
  extensionId: string;
  chain: DevChain;
  board: AccreditorServer;
  clinic: ClinicServer;
  /** Accredited by the board for its own origin; checks receipts on `chain`. */
  portal: ResearchServer;
  /** Another origin, without any accreditation: its requests carry no `requester`. */
  unverified: ResearchServer;
  close(): Promise<void>;
}

/** The chain, the four sites and Chromium, started side by side; the wallet onboarded. On a failure, all that started is closed. */
export async function startResearchHarness(): Promise<ResearchHarness> {
  const starting: Promise<{ close(): Promise<void> }>[] = [];
  const keep = <T extends { close(): Promise<void> }>(p: Promise<T>) => (starting.push(p), p);
  // Settled first, so that nothing still starting is left running after a failure.
  const closeAll = async () => {
    const all = await Promise.allSettled(starting.splice(0));
    await Promise.all(all.map((r) => (r.status === 'fulfilled' ? r.value.close().catch(() => undefined) : undefined)));
  };
  try {
    const chainP = keep(startDevChain().then((c) => Object.assign(c, { close: c.stop })));
    const browserP = keep(launchWithExtension({ extensionDirs: [process.env.TESSERA_EXTENSION_DIR ?? DEFAULT_EXTENSION_DIR] }));
    const sitesP = Promise.all([keep(startAccreditor()), keep(startClinic())]);
    const [[board, clinic], chain, browser] = await Promise.all([sitesP, chainP, browserP]);
    const [portal, unverified] = await Promise.all([
      keep(startResearch({ accreditor: board, trustedIssuers: [clinic.did], rpcUrl: chain.rpcUrl })),
      keep(startResearch({ trustedIssuers: [clinic.did] })),
    ]);
    await onboard(browser.context, browser.extensionId, PASSWORD);
    return { browser, context: browser.context, extensionId: browser.extensionId, chain, board, clinic, portal, unverified, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** Waits until `data-state` of `testId` is one of `states`; fails with the state and text it had. */
export async function waitForState(page: Page, testId: string, states: string[], timeoutMs = 30_000): Promise<string> {
  const el = page.getByTestId(testId);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = (await el.getAttribute('data-state', { timeout: 5_000 }).catch(() => null)) ?? '';
    if (states.includes(state)) return state;
    if (Date.now() > deadline) throw new Error(`${testId} stayed "${state}" (${(await el.textContent().catch(() => ''))?.trim()}); wanted ${states.join(' or ')}`);
    await page.waitForTimeout(100);
  }
}

/** A demo site's page once it found the wallet (its `provider-hint`). */
export async function openSitePage(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  await page.getByTestId('provider-hint').and(page.locator('[data-found="true"]')).waitFor({ timeout: 15_000 });
  return page;
}

// ---------------------------------------------------------------------------
// The dashboard
// ---------------------------------------------------------------------------

export async function openDashboardAt(h: ResearchHarness, tab: 'settings' | 'access' | 'credentials'): Promise<Page> {
  const page = await openExtensionPage(h.context, h.extensionId, 'dashboard/index.html');
  await page.getByTestId(`tab-${tab}`).click({ timeout: 15_000 });
  return page;
}

/** Settings → accreditation bodies: `accreditor-did`, `accreditor-label`, `accreditor-add`; waits for its row. */
export async function addAccreditor(page: Page, did: string, label: string): Promise<void> {
  await page.getByTestId('accreditor-did').fill(did);
  await page.getByTestId('accreditor-label').fill(label);
  await page.getByTestId('accreditor-add').click();
  await page.getByTestId(`accreditor-${did}`).waitFor({ timeout: 10_000 });
}

// ---------------------------------------------------------------------------
// The clinic
// ---------------------------------------------------------------------------

/**
 * On the clinic's page: log in with the wallet (a window the first time, silent after)
 * and have the child's summary issued (for `birthdate` when given), then take the offer
 * in the wallet. Returns the wallet's id of the credential.
 */
export async function takeHealthSummary(context: BrowserContext, clinicPage: Page, { birthdate }: { birthdate?: string } = {}): Promise<string> {
  if (birthdate) await clinicPage.getByTestId('child-birthdate').fill(birthdate);
  // Watched, not claimed: a waiter left behind by a silent login would take the offer's window.
  const login = watchApprovalPages(context);
  try {
    await clinicPage.getByTestId('issue-button').click();
    const deadline = Date.now() + 30_000;
    let state = '';
    while (!['issued', 'error'].includes((state = (await clinicPage.getByTestId('clinic-status').getAttribute('data-state')) ?? ''))) {
      const window = login.pages.find((p) => !p.isClosed());
      if (window) {
        await approveIn(window);
        await waitForClose(window);
      }
      if (Date.now() > deadline) throw new Error(`the clinic stayed "${state}"`);
      await clinicPage.waitForTimeout(100);
    }
    if (state !== 'issued') throw new Error(`the clinic did not issue: ${await textOf(clinicPage, 'clinic-error')}`);
  } finally {
    login.stop();
  }
  const offer = waitForApprovalPage(context, { timeoutMs: 20_000 });
  await clinicPage.getByTestId('offer-summary').click();
  const window = await offer;
  await approveIn(window);
  await waitForClose(window);
  if ((await waitForState(clinicPage, 'offer-result', ['stored', 'declined', 'error'])) !== 'stored') throw new Error(`the offer was not kept: ${await textOf(clinicPage, 'offer-result')}`);
  const id = /\(id ([^)]+)\)/.exec(await textOf(clinicPage, 'offer-result'))?.[1];
  if (!id) throw new Error(`no credential id in "${await textOf(clinicPage, 'offer-result')}"`);
  return id;
}

/**
 * A child who comes of age `days` from now (or the first day after that is not a 29
 * February, which has no twin 18 years before): the birth date to give the clinic and
 * the coming-of-age date its summary will carry.
 */
export function childComingOfAgeIn(days: number): { birthdate: string; comesOfAge: string } {
  for (let d = days; ; d++) {
    const comesOfAge = new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    if (!comesOfAge.endsWith('-02-29')) return { comesOfAge, birthdate: `${Number(comesOfAge.slice(0, 4)) - 18}${comesOfAge.slice(4)}` };
  }
}

// ---------------------------------------------------------------------------
// The ethics board's page
// ---------------------------------------------------------------------------

/** On the board's page: Revoke on the accreditation's row; waits until the row says revoked. */
export async function revokeOnBoardPage(context: BrowserContext, board: AccreditorServer, accreditationId: string): Promise<void> {
  const page = await context.newPage();
  try {
    await page.goto(board.url());
    const row = page.locator(`[data-testid="accreditation-row"][data-id="${accreditationId}"]`);
    await row.getByTestId('revoke-accreditation').click({ timeout: 10_000 });
    await row.and(page.locator('[data-state="revoked"]')).waitFor({ timeout: 10_000 });
  } finally {
    await page.close();
  }
}

// ---------------------------------------------------------------------------
// A research portal's page
// ---------------------------------------------------------------------------

/** The portal's page with the wallet found, recording `grantRevoked` and `grantExpired`. */
export async function openPortal(context: BrowserContext, server: ResearchServer): Promise<Page> {
  const page = await openSitePage(context, server.url());
  await page.getByTestId('portal-accreditation').and(page.locator('[data-state]')).waitFor({ timeout: 10_000 });
  await recordProviderEvents(page, ['grantRevoked', 'grantExpired']);
  return page;
}

/** "Request data for the study" with the page's own controls; returns the consent window, its approve button armed. */
export async function askOnPortal(context: BrowserContext, page: Page, { mode, ai = false }: { mode?: RequesterMode; ai?: boolean } = {}): Promise<Page> {
  if (mode) await page.getByTestId('requester-mode').selectOption(mode);
  await page.getByTestId('ai-training').setChecked(ai);
  const windowP = waitForApprovalPage(context, { timeoutMs: 20_000 });
  await page.getByTestId('request-button').click();
  const window = await windowP;
  await armed(window);
  return window;
}

/** The consent window is ready to decide: its approve button is armed (`data-armed="true"`, DESIGN §7), whether or not it may approve. */
export async function armed(window: Page): Promise<void> {
  await window.locator('[data-testid="approve"][data-armed="true"]').waitFor({ timeout: 15_000 });
}

/** The portal's status after a request settles: granted, declined, refused or error. */
export const requestOutcome = (page: Page) => waitForState(page, 'research-status', ['granted', 'declined', 'refused', 'error']);

/** "Read again under the permission"; returns read-result's state (verified, refused or error). */
export async function readOnPortal(page: Page): Promise<string> {
  await page.getByTestId('read-button').click();
  return await waitForState(page, 'read-result', ['verified', 'refused', 'error']);
}

/** "Check the receipt on chain"; returns receipt-check-result's state (valid, revoked, failed, not-anchored, error). */
export async function checkReceiptOnPortal(page: Page): Promise<string> {
  await page.getByTestId('check-receipt-button').click();
  return await waitForState(page, 'receipt-check-result', ['valid', 'revoked', 'failed', 'not-anchored', 'error'], 60_000);
}

// ---------------------------------------------------------------------------
// Anchoring
// ---------------------------------------------------------------------------

/**
 * Settings → chain anchoring on (after the privacy notice), pointing at the harness's
 * chain and anchoring only on "Anchor now"; the account funded, and the anchor queued
 * when anchoring came on (before there was ether) sent. Returns the anchoring account.
 */
export async function turnAnchoringOn(h: ResearchHarness, dashboard: Page): Promise<Hex> {
  const saved = await saveAnchoringForm(dashboard, { enabled: true, rpcUrl: h.chain.rpcUrl, contract: h.chain.contract, everyEntries: 100_000, everyMinutes: 60 }, { confirmPrivacy: true });
  if (!saved.startsWith('Saved. Anchoring is on')) throw new Error(`anchoring settings: ${saved}`);
  const account = (await textOf(dashboard, 'anchoring-address')) as Hex;
  await h.chain.fund(account, 10n ** 18n);
  const deadline = Date.now() + 45_000;
  while (!/^(?:1\.0000|0\.99\d+) ETH$/.test(await textOf(dashboard, 'anchoring-balance'))) {
    if (Date.now() > deadline) throw new Error(`the balance stayed "${await textOf(dashboard, 'anchoring-balance')}"`);
    await dashboard.waitForTimeout(250);
  }
  await retryUntilSettled(dashboard);
  return account;
}
