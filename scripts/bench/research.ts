/**
 * The research part (issue 9, item 7; DESIGN.md §8): request → consent window for the
 * research portal's request with the accreditation checks, against the same request
 * without `requester`, in Chromium with the built extension.
 *
 * Set-up (untimed), each demo site on its own origin: the ethics board (demo/accreditor),
 * the children's clinic (demo/clinic) and the accredited portal (demo/research). The
 * wallet is onboarded, the board put on the accreditation list in the dashboard's
 * Settings, and the child's health summary taken from the clinic (a login for the
 * holder DID, `issue`, `wallet_offerCredential` from the clinic's page, both approved).
 * Then warm-up + measured rounds in ABBA order (research-round.ts), each a request that
 * is rejected once its window shows. The board's status list (ttl 1 s) goes through the
 * wallet's ttl cache, so each sample records whether the board served it in the span;
 * the very first request of each kind (cold caches, first fetch) is reported on its own.
 */
import { performance } from 'node:perf_hooks';
import { startAccreditor, type AccreditorServer } from '../../demo/accreditor/server.ts';
import { startClinic, type ClinicServer } from '../../demo/clinic/server.ts';
import { startResearch, type ResearchServer } from '../../demo/research/server.ts';
import { BITSTRING_TTL_MS } from '../../demo/status-lists.ts';
import {
  approveIn,
  launchWithExtension,
  onboard,
  openExtensionPage,
  requestIdentity,
  requestInPage,
  waitForApprovalPage,
  waitForClose,
  type ExtensionBrowser,
} from '../lib/extension-browser.ts';
import type { Row } from './report.ts';
import { researchRows, researchSummary, type ResearchSummary } from './research-report.ts';
import { consentWindowRound, resetResearchRound, type ConsentWindowSample, type RequesterKind, type ResearchRoundContext } from './research-round.ts';
import { withRetries, type RetryCount } from './retry.ts';

const PASSWORD = 'bench-password-4-tessera';
const BOARD_LABEL = 'Aldmere Research Ethics Board';
const STEP_TIMEOUT_MS = 20_000;

export interface ResearchBenchOptions {
  extensionDir: string;
  warmup: number;
  iterations: number;
}

export interface ResearchBenchResult {
  rows: Row[];
  durationMs: number;
  /** Measured rounds, and the warm-up rounds before them (left out of the rows but the first-request one). */
  samples: ConsentWindowSample[];
  warmup: ConsentWindowSample[];
  summary: ResearchSummary;
  retried: number;
  method: Record<string, string>;
  notes: string[];
  /** What stopped the part (what was measured before it is kept). */
  failure: string | null;
}

/** ABBA, as the browser part: even rounds the accredited request first. */
const orderOf = (round: number): RequesterKind[] => (round % 2 === 0 ? ['accredited', 'none'] : ['none', 'accredited']);

export async function runResearchBench(options: ResearchBenchOptions, log: (line: string) => void): Promise<ResearchBenchResult> {
  const started = performance.now();
  const notes: string[] = [];
  const samples: ConsentWindowSample[] = [];
  const warmup: ConsentWindowSample[] = [];
  const count: RetryCount = { retried: 0 };
  let failure: string | null = null;
  let board: AccreditorServer | undefined;
  let clinic: ClinicServer | undefined;
  let portal: ResearchServer | undefined;
  let browser: ExtensionBrowser | undefined;
  try {
    [board, clinic] = await Promise.all([startAccreditor(), startClinic()]);
    portal = await startResearch({ accreditor: board, trustedIssuers: [clinic.did] });
    browser = await launchWithExtension({ extensionDirs: [options.extensionDir] });
    const { context, extensionId } = browser;
    await onboard(context, extensionId, PASSWORD);
    await addBoardInSettings(browser, board);
    await holdHealthSummary(browser, clinic);
    const portalPage = await context.newPage();
    await portalPage.goto(portal.url());
    await portalPage.waitForFunction('typeof window.tessera === "object" && window.tessera !== null', undefined, { timeout: STEP_TIMEOUT_MS });
    log(`research: board on the accreditation list, health summary held; ${options.warmup} warm-up + ${options.iterations} rounds`);

    const ctx: ResearchRoundContext = { context, extensionId, portalPage, portal, board, inflight: null };
    const rounds = options.warmup + options.iterations;
    for (let round = 0; round < rounds; round++) {
      const got: string[] = [];
      for (const mode of orderOf(round)) {
        const sample = await withRetries({ notes }, `research ${mode} round ${round + 1}`, () => consentWindowRound(ctx, mode, round), {
          reset: () => resetResearchRound(ctx),
          count,
        });
        (round < options.warmup ? warmup : samples).push(sample);
        got.push(`${mode} ${sample.windowMs.toFixed(0)} ms${sample.statusListFetches > 0 ? ' (list fetched)' : ''}`);
      }
      log(`  round ${round + 1}/${rounds}${round < options.warmup ? ' (warm-up)' : ''}: ${got.join(', ')}`);
    }
  } catch (error) {
    failure = error instanceof Error ? (error.stack ?? error.message) : String(error);
    notes.push(`research part failed after ${warmup.length + samples.length} samples: ${failure.split('\n')[0]}`);
    log(`research: failed: ${failure}`);
  } finally {
    await browser?.close();
    await Promise.all([portal?.close(), clinic?.close(), board?.close()]);
  }
  return {
    rows: researchRows(samples, [...warmup, ...samples], notes),
    durationMs: Math.round(performance.now() - started),
    samples,
    warmup,
    summary: researchSummary(samples),
    retried: count.retried,
    method: {
      consentWindow:
        'Node clock, from right before page.evaluate starts window.tessera.request({ method: wallet_requestDataAccess }) in the research portal\u2019s page (its own origin) until the consent window reports [data-testid=requester-verified] (with requester) or [data-testid=requester-unverified] (without) visible (MutationObserver + rAF in that page); the params come from the portal\u2019s ask({ mode: accredited | none }) before the clock starts (the requester VP is signed in Node); then Reject is clicked and the page\u2019s 4001 awaited and the window closed before the next request',
      order: `ABBA: even rounds the accredited request first; ${options.warmup} warm-up rounds left out of the medians`,
      firstRequest:
        'the first sample of each kind, warm-up or not: the accredited one is the wallet\u2019s first data-access request after onboarding (round 1 starts with it: the worker\u2019s research code, DID resolution and the status list all cold); the one without requester comes right after it',
      statusList: `the board\u2019s accreditation status list (W3C Bitstring, ttl ${BITSTRING_TTL_MS} ms) is fetched by the wallet through its ttl cache (in memory, per worker); each sample records how often the board served it within the span, so rounds that fetched and rounds the cache answered are told apart (with the demo\u2019s 1 s ttl most rounds fetch; a list with the Bitstring default ttl of 5 min would be fetched once in a run)`,
      setUp: 'onboarded in Chromium (headless); the board added in the dashboard\u2019s Settings (accreditor-did, accreditor-label, accreditor-add); the child\u2019s health summary issued by the clinic to the wallet\u2019s DID for the clinic (wallet_requestIdentity approved) and kept (wallet_offerCredential approved)',
    },
    notes,
    failure,
  };
}

/** Settings → accreditation bodies, as a user adds one; waits for its row. */
async function addBoardInSettings(browser: ExtensionBrowser, board: AccreditorServer): Promise<void> {
  const page = await openExtensionPage(browser.context, browser.extensionId, 'dashboard/index.html');
  try {
    await page.getByTestId('tab-settings').click({ timeout: STEP_TIMEOUT_MS });
    await page.getByTestId('accreditor-did').fill(board.did);
    await page.getByTestId('accreditor-label').fill(BOARD_LABEL);
    await page.getByTestId('accreditor-add').click();
    await page.getByTestId(`accreditor-${board.did}`).waitFor({ timeout: STEP_TIMEOUT_MS });
  } finally {
    await page.close();
  }
}

/** The clinic issues the child's summary to the wallet's DID for the clinic, and the wallet keeps it (both windows approved). */
async function holdHealthSummary(browser: ExtensionBrowser, clinic: ClinicServer): Promise<void> {
  const { context } = browser;
  const page = await context.newPage();
  try {
    await page.goto(clinic.url());
    await page.waitForFunction('typeof window.tessera === "object" && window.tessera !== null', undefined, { timeout: STEP_TIMEOUT_MS });
    const login = waitForApprovalPage(context, { timeoutMs: STEP_TIMEOUT_MS });
    const identity = requestIdentity(page, undefined, { timeoutMs: 2 * STEP_TIMEOUT_MS });
    await approveAndClose(await login);
    const who = await identity;
    if (!who.ok) throw new Error(`wallet_requestIdentity at the clinic: ${JSON.stringify(who.error)}`);
    const summary = await clinic.issue(who.value.did);
    const offer = waitForApprovalPage(context, { timeoutMs: STEP_TIMEOUT_MS });
    const kept = requestInPage<{ id: string }>(page, { method: 'wallet_offerCredential', params: { credential: summary.credential } }, { timeoutMs: 2 * STEP_TIMEOUT_MS });
    await approveAndClose(await offer);
    const outcome = await kept;
    if (!outcome.ok) throw new Error(`wallet_offerCredential of the health summary: ${JSON.stringify(outcome.error)}`);
  } finally {
    await page.close();
  }
}

async function approveAndClose(window: Awaited<ReturnType<typeof waitForApprovalPage>>): Promise<void> {
  await approveIn(window, { password: PASSWORD });
  await waitForClose(window);
}
