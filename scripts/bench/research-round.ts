/**
 * One timed research request (issue 9, item 7): the portal's page calls
 * `wallet_requestDataAccess` with the params the portal made for `mode` — its requester
 * presentation with the board's accreditation (`accredited`) or the same request with
 * no `requester` (`none`) — and the clock (Node) runs until the consent window shows its
 * requester badge (`requester-verified` / `requester-unverified`). The wallet checks the
 * requester before the window opens (DESIGN §8), so the span holds the checks. Then the
 * request is rejected and the page's 4001 awaited, so no request is pending at the next.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { performance } from 'node:perf_hooks';
import type { AccreditorServer } from '../../demo/accreditor/server.ts';
import type { ResearchServer } from '../../demo/research/server.ts';
import { evaluationSource, extensionUrl, isApprovalUrl, isTargetClosedError, rejectIn, waitForClose } from '../lib/extension-browser.ts';
import { MeasurementError, nextPageOf, sleep } from './measure.ts';
import { pageTimedCall, pageWaitVisible, type TimedCallResult, type VisibleResult } from './page-functions.ts';

export type RequesterKind = 'accredited' | 'none';

const BADGE: Record<RequesterKind, string> = { accredited: 'requester-verified', none: 'requester-unverified' };
const BADGE_SELECTOR = '[data-testid="requester-verified"], [data-testid="requester-unverified"]';
const STEP_TIMEOUT_MS = 20_000;
const USER_REJECTED = 4001;

export interface ResearchRoundContext {
  context: BrowserContext;
  extensionId: string;
  /** The portal's page (its own origin), the one the requests come from. */
  portalPage: Page;
  portal: ResearchServer;
  board: AccreditorServer;
  /** The page call of the last round, until it settled (a reset waits for it). */
  inflight: Promise<unknown> | null;
}

export interface ConsentWindowSample {
  mode: RequesterKind;
  round: number;
  /** Node clock: right before the portal's page is told to make the call → the requester badge visible in the consent window. */
  windowMs: number;
  /** Across clocks: the portal page's timeOrigin+now at the call → the consent window's at the badge visible. */
  crossClockMs: number;
  /** Times the board served its status list within the span (0: the wallet's ttl cache answered, or nothing to check). */
  statusListFetches: number;
  /** Node clock: the reject click → the page's 4001. */
  rejectMs: number;
}

/** The board's status-list fetches so far (demo/accreditor logs each one it serves). */
const statusFetches = (board: AccreditorServer) => board.events.filter((e) => e.kind === 'status-fetched').length;

export async function consentWindowRound(ctx: ResearchRoundContext, mode: RequesterKind, round: number): Promise<ConsentWindowSample> {
  // Made before the clock starts: the portal signs its presentation (fresh nonce) in Node.
  const { params } = await ctx.portal.ask({ mode });
  const carries = typeof (params as { requester?: unknown }).requester === 'string';
  if (carries !== (mode === 'accredited')) throw new Error(`the portal's ${mode} request ${carries ? 'carries' : 'lacks'} a requester`);
  const fetchesBefore = statusFetches(ctx.board);
  const next = nextPageOf(ctx.context, isApprovalUrl, STEP_TIMEOUT_MS, 'consent window');
  const t0 = performance.now();
  const call = ctx.portalPage.evaluate(
    evaluationSource(pageTimedCall, { wallet: 'tessera', method: 'wallet_requestDataAccess', params, timeoutMs: 2 * STEP_TIMEOUT_MS }),
  ) as Promise<TimedCallResult>;
  ctx.inflight = call.catch(() => undefined);
  let window: Page;
  try {
    window = await Promise.race([
      next.page,
      call.then((r) => {
        throw new MeasurementError(`${mode}: the request settled before a consent window opened: ${JSON.stringify(r).slice(0, 300)}`);
      }),
    ]);
  } finally {
    next.cancel();
  }
  const visible = await waitBadgeVisible(window, extensionUrl(ctx.extensionId, 'approval/index.html'));
  const t1 = performance.now();
  const fetches = statusFetches(ctx.board) - fetchesBefore;
  if ((await window.getByTestId(BADGE[mode]).count()) !== 1) {
    const reason = await window.getByTestId('requester-reason').textContent({ timeout: 1_000 }).catch(() => null);
    throw new MeasurementError(`${mode}: the consent window shows no ${BADGE[mode]}${reason ? ` (reason: ${reason.trim()})` : ''}`);
  }
  const t2 = performance.now();
  await rejectIn(window);
  const result = await call;
  const t3 = performance.now();
  if (result.ok || result.error?.code !== USER_REJECTED) {
    throw new MeasurementError(`${mode}: after Reject the page got ${JSON.stringify(result.ok ? result.value : result.error).slice(0, 300)}, not ${USER_REJECTED}`);
  }
  if (!(await waitForClose(window, 10_000))) throw new MeasurementError(`${mode}: the consent window stayed open 10 s after Reject`);
  ctx.inflight = null;
  return { mode, round, windowMs: t1 - t0, crossClockMs: visible.epoch - result.startedAtEpoch, statusListFetches: fetches, rejectMs: t3 - t2 };
}

/** After a failed round: every consent window closed (its request rejected by the wallet) and the page's call settled. */
export async function resetResearchRound(ctx: ResearchRoundContext): Promise<void> {
  for (const page of ctx.context.pages()) {
    if (isApprovalUrl(page.url())) await page.close().catch(() => undefined);
  }
  if (ctx.inflight) await Promise.race([ctx.inflight, sleep(3 * STEP_TIMEOUT_MS)]);
  ctx.inflight = null;
  await sleep(500);
}

/** Waits in the window until a requester badge is visible; tried again across the window's first navigation. */
async function waitBadgeVisible(window: Page, urlPrefix: string): Promise<VisibleResult> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    if (Date.now() >= deadline || window.isClosed()) throw new MeasurementError(`no requester badge became visible (window at ${window.url() || 'no url'})`);
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      return await Promise.race([
        window.evaluate(evaluationSource(pageWaitVisible, { urlPrefix, selector: BADGE_SELECTOR })) as Promise<VisibleResult>,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new MeasurementError(`no requester badge visible within ${STEP_TIMEOUT_MS} ms in ${window.url()}`)), deadline - Date.now());
        }),
      ]);
    } catch (error) {
      if (!(error instanceof MeasurementError) && isTargetClosedError(error) && !window.isClosed()) continue;
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
}
