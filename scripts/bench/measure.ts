/**
 * The timed procedures. Each returns raw samples; index.ts alternates the wallets and
 * summarises. Every procedure throws when the wallet does not behave as expected (a
 * failed measurement), so a broken run never reports numbers.
 */
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { performance } from 'node:perf_hooks';
import {
  evaluationSource,
  isTargetClosedError,
  newNonce,
  requestInPage,
  waitForClose,
} from '../lib/extension-browser.ts';
import {
  pageKdf,
  pageLockUnlock,
  pageTimedCall,
  pageWaitEnabled,
  pageWaitVisible,
  type TimedCallResult,
  type UnlockResult,
  type VisibleResult,
  type WalletName,
} from './page-functions.ts';

export interface BenchContext {
  context: BrowserContext;
  /** The site page (127.0.0.1) both wallets are asked from. */
  site: Page;
  ids: Record<WalletName, string>;
  /** Things worth a look that did not invalidate a sample. */
  notes: string[];
}

export const APPROVE_SELECTOR = '[data-testid="approve"]';
const APPROVAL_PATH: Record<WalletName, string> = { tessera: 'approval/index.html', baseline: 'approval.html' };
const STEP_TIMEOUT_MS = 20_000;

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class MeasurementError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MeasurementError';
  }
}

/** Runs a self-contained function in a page (see evaluationSource) with its result typed. */
async function evaluateIn<A, R>(page: Page, fn: (arg: A) => R | Promise<R>, arg: A): Promise<R> {
  return (await page.evaluate(evaluationSource(fn, arg))) as R;
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new MeasurementError(`${what}: nothing within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function extensionPrefix(id: string): string {
  return `chrome-extension://${id}/`;
}

/** The request each wallet gets in the approval phase. */
function approvalCall(wallet: WalletName) {
  return wallet === 'tessera'
    ? { wallet, method: 'wallet_requestIdentity', params: { nonce: newNonce() }, timeoutMs: STEP_TIMEOUT_MS }
    : { wallet, method: 'request', timeoutMs: STEP_TIMEOUT_MS };
}

/** The request that answers without a window (cold start phase). */
function silentCall(wallet: WalletName) {
  return wallet === 'tessera'
    ? { wallet, method: 'wallet_requestIdentity', params: { nonce: newNonce() }, timeoutMs: STEP_TIMEOUT_MS }
    : { wallet, method: 'ping', timeoutMs: STEP_TIMEOUT_MS };
}

function checkAnswer(wallet: WalletName, what: string, result: TimedCallResult): void {
  if (!result.ok) {
    const why = result.timedOut ? 'timed out' : `rejected ${JSON.stringify(result.error)}`;
    throw new MeasurementError(`${wallet} ${what}: the page's request ${why}`);
  }
  if (wallet === 'tessera') {
    const v = result.value as { did?: unknown; presentation?: unknown } | null;
    if (typeof v?.did !== 'string' || typeof v.presentation !== 'string' || v.presentation.split('.').length !== 3) {
      throw new MeasurementError(`tessera ${what}: unexpected answer ${JSON.stringify(result.value).slice(0, 300)}`);
    }
  } else if (result.value === undefined || result.value === null) {
    throw new MeasurementError(`baseline ${what}: empty answer`);
  }
}

/**
 * The next page the context opens that is (or may become) one `wanted` accepts by its
 * URL; `what` names it in the timeout's error.
 */
export function nextPageOf(
  context: BrowserContext,
  wanted: (url: string) => boolean,
  timeoutMs: number,
  what = 'approval window',
): { page: Promise<Page>; cancel(): void } {
  let cancel: () => void = () => undefined;
  const page = new Promise<Page>((resolveP, reject) => {
    const onPage = (p: Page) => {
      const url = p.url();
      if (url === '' || url === 'about:blank' || wanted(url)) {
        cleanup();
        resolveP(p);
      }
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new MeasurementError(`no ${what} opened within ${timeoutMs} ms`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      context.off('page', onPage);
    };
    cancel = cleanup;
    context.on('page', onPage);
  });
  page.catch(() => undefined);
  return { page, cancel };
}

/** Waits in the approval window until the approve button is visible; retries across its first navigation. */
async function waitApproveVisible(page: Page, urlPrefix: string, timeoutMs: number): Promise<VisibleResult> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0 || page.isClosed()) {
      throw new MeasurementError(`the approve button did not become visible (window at ${page.url() || 'no url'})`);
    }
    try {
      return await withTimeout(
        evaluateIn(page, pageWaitVisible, { urlPrefix, selector: APPROVE_SELECTOR }),
        left,
        `approve button visible in ${page.url()}`,
      );
    } catch (error) {
      if (!(error instanceof MeasurementError) && isTargetClosedError(error) && !page.isClosed()) continue;
      throw error;
    }
  }
}

/** How long a click on approve gets to take effect (the request settles or the window closes) before it is repeated. */
const CLICK_EFFECT_MS = 2_000;
const MAX_APPROVE_CLICKS = 5;

/**
 * Real (trusted) clicks on the approve button until the request settles or the window
 * closes, each once the button is enabled (Tessera arms it only after the window has
 * been visible a moment). A click can still be lost: the baseline's button
 * is visible as soon as it is parsed, before its deferred script attached the handler,
 * so a lost click is repeated instead of leaving the request to time out.
 * Returns how many clicks it took.
 */
async function approveUntilSettled(page: Page, settled: Promise<unknown>): Promise<number> {
  let done = false;
  settled.then(
    () => (done = true),
    () => (done = true),
  );
  for (let clicks = 1; clicks <= MAX_APPROVE_CLICKS; clicks++) {
    try {
      // Watched every frame in the page (Playwright's own enabled check polls with
      // growing pauses and would add up to half a second to the round trip).
      await withTimeout(evaluateIn(page, pageWaitEnabled, { selector: APPROVE_SELECTOR }), STEP_TIMEOUT_MS, 'approve enabled');
      await page.locator(APPROVE_SELECTOR).click({ force: true, timeout: STEP_TIMEOUT_MS });
    } catch (error) {
      if (!(isTargetClosedError(error) || page.isClosed())) throw error;
    }
    if (done || page.isClosed()) return clicks;
    await Promise.race([settled, waitForClose(page, CLICK_EFFECT_MS)]);
    if (done || page.isClosed()) return clicks;
  }
  throw new MeasurementError(`approve clicked ${MAX_APPROVE_CLICKS} times without effect (window at ${page.url()})`);
}

export interface ApprovalSample {
  wallet: WalletName;
  /** (a) Node clock: right before the page was told to start the request → approve button visible. */
  windowVisibleMs: number;
  /** (b) page clock: the provider call → its promise resolved (includes the click). */
  roundTripMs: number;
  /** (b) Node clock, same span as windowVisibleMs starts (for cross-checking). */
  roundTripNodeMs: number;
  /** (a) across clocks: page timeOrigin+now at the call → approval page timeOrigin+now at visible. */
  windowVisibleCrossClockMs: number;
  /** Node clock: visible → the click took effect (request settled or window closed). */
  clickMs: number;
  /** Node clock: promise resolved → approval window gone. */
  windowClosedAfterMs: number | null;
  /** Clicks on approve it took (more than one: a click was lost and repeated). */
  clicks: number;
}

/** (a) + (b): request → approval window visible → approve → the page's promise resolved. */
export async function approvalRoundTrip(ctx: BenchContext, wallet: WalletName): Promise<ApprovalSample> {
  const prefix = extensionPrefix(ctx.ids[wallet]);
  const approvalUrl = prefix + APPROVAL_PATH[wallet];
  const next = nextPageOf(ctx.context, (url) => url.startsWith(prefix), STEP_TIMEOUT_MS);
  const t0 = performance.now();
  const call = evaluateIn(ctx.site, pageTimedCall, approvalCall(wallet));
  call.catch(() => undefined);
  let approval: Page;
  try {
    approval = await Promise.race([
      next.page,
      call.then((r) => {
        throw new MeasurementError(`${wallet}: the request settled before any window opened: ${JSON.stringify(r).slice(0, 300)}`);
      }),
    ]);
  } finally {
    next.cancel();
  }
  const visible = await waitApproveVisible(approval, approvalUrl, STEP_TIMEOUT_MS);
  const t1 = performance.now();
  const clicks = await approveUntilSettled(approval, call);
  const t2 = performance.now();
  const result = await withTimeout(call, STEP_TIMEOUT_MS + 5_000, `${wallet} approve round trip`);
  const t3 = performance.now();
  checkAnswer(wallet, 'approve round trip', result);
  const closed = await waitForClose(approval, 10_000);
  const t4 = performance.now();
  if (!closed) {
    ctx.notes.push(`${wallet}: the approval window stayed open 10 s after approving (closed by the bench)`);
    await approval.close().catch(() => undefined);
  }
  return {
    wallet,
    windowVisibleMs: t1 - t0,
    roundTripMs: result.settledAt - result.startedAt,
    roundTripNodeMs: t3 - t0,
    windowVisibleCrossClockMs: visible.epoch - result.startedAtEpoch,
    clickMs: t2 - t1,
    windowClosedAfterMs: closed ? t4 - t3 : null,
    clicks,
  };
}

/** Tessera answers silently once connected: the page gives its identity grant up (not timed). */
export async function revokeIdentityGrant(site: Page): Promise<string> {
  const grants = await requestInPage<{ id: string; kind: string; status: string }[]>(site, { method: 'wallet_getGrants' }, {
    timeoutMs: STEP_TIMEOUT_MS,
  });
  if (!grants.ok) throw new MeasurementError(`tessera wallet_getGrants failed: ${JSON.stringify(grants.error)}`);
  const active = grants.value.filter((g) => g.kind === 'identity' && g.status === 'active');
  const grant = active[0];
  if (!grant) throw new MeasurementError(`tessera: no active identity grant after approving (${JSON.stringify(grants.value)})`);
  if (active.length > 1) throw new MeasurementError(`tessera: ${active.length} active identity grants for one origin`);
  const revoked = await requestInPage(site, { method: 'wallet_revokeGrant', params: { grantId: grant.id } }, {
    timeoutMs: STEP_TIMEOUT_MS,
  });
  if (!revoked.ok || (revoked.value as { revoked?: unknown } | null)?.revoked !== true) {
    throw new MeasurementError(`tessera wallet_revokeGrant failed: ${JSON.stringify(revoked)}`);
  }
  return grant.id;
}

// ---------------------------------------------------------------------------
// Service workers through CDP
// ---------------------------------------------------------------------------

interface SwVersion {
  versionId: string;
  registrationId: string;
  scriptURL: string;
  runningStatus: string;
  status: string;
}

export interface WorkerTransition {
  versionId: string;
  scriptURL: string;
  runningStatus: string;
  /** Node clock (performance.now()). */
  at: number;
}

/**
 * Watches and stops service workers through the DevTools ServiceWorker domain
 * (`workerVersionUpdated` events, `stopWorker`).
 */
export class WorkerControl {
  private readonly versions = new Map<string, SwVersion>();
  private readonly waiters = new Set<() => void>();
  readonly transitions: WorkerTransition[] = [];

  private constructor(private readonly cdp: CDPSession) {
    cdp.on('ServiceWorker.workerVersionUpdated', (event) => {
      const at = performance.now();
      for (const v of event.versions) {
        const before = this.versions.get(v.versionId);
        this.versions.set(v.versionId, {
          versionId: v.versionId,
          registrationId: v.registrationId,
          scriptURL: v.scriptURL,
          runningStatus: v.runningStatus,
          status: v.status,
        });
        if (before?.runningStatus !== v.runningStatus) {
          this.transitions.push({ versionId: v.versionId, scriptURL: v.scriptURL, runningStatus: v.runningStatus, at });
        }
      }
      for (const w of this.waiters) w();
    });
  }

  static async attach(context: BrowserContext, page: Page, ids: string[]): Promise<WorkerControl> {
    const cdp = await context.newCDPSession(page);
    const control = new WorkerControl(cdp);
    await cdp.send('ServiceWorker.enable');
    await control.waitFor(
      () => ids.every((id) => control.current(id) !== undefined),
      5_000,
      `ServiceWorker.enable reported no worker version for ${ids.join(', ')}`,
    );
    return control;
  }

  /** The active (non-redundant) version of an extension's worker. */
  current(extensionId: string): SwVersion | undefined {
    const prefix = extensionPrefix(extensionId);
    const candidates = [...this.versions.values()].filter((v) => v.scriptURL.startsWith(prefix) && v.status !== 'redundant');
    return candidates.find((v) => v.status === 'activated') ?? candidates.at(-1);
  }

  runningStatus(extensionId: string): string | undefined {
    return this.current(extensionId)?.runningStatus;
  }

  waitFor(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise<void>((resolveP, reject) => {
      const check = () => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolveP();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new MeasurementError(`${what} (within ${timeoutMs} ms)`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  /** Stops the extension's worker and resolves once DevTools reports it stopped. */
  async stop(extensionId: string, timeoutMs = 10_000): Promise<void> {
    const version = this.current(extensionId);
    if (!version) throw new MeasurementError(`no service worker version known for ${extensionId}`);
    if (version.runningStatus !== 'stopped') {
      await this.cdp.send('ServiceWorker.stopWorker', { versionId: version.versionId });
    }
    await this.waitFor(
      () => this.runningStatus(extensionId) === 'stopped',
      timeoutMs,
      `the service worker of ${extensionId} did not stop`,
    );
  }

  async detach(): Promise<void> {
    await this.cdp.send('ServiceWorker.disable').catch(() => undefined);
    await this.cdp.detach().catch(() => undefined);
  }
}

export interface SilentSample {
  wallet: WalletName;
  state: 'cold' | 'warm';
  /** Page clock: provider call → promise resolved. */
  ms: number;
  /** Node clock: right before the page was told to call → the evaluate returned. */
  nodeMs: number;
  /** Node clock from the call: DevTools reported the worker `starting` / `running` (cold only). */
  workerStartingMs: number | null;
  workerRunningMs: number | null;
}

/** How long a stopped worker is left alone before the timed request (lets teardown finish). */
export const STOPPED_SETTLE_MS = 300;

/**
 * (c) One request that answers without a window: cold (the worker stopped through
 * DevTools first, and verified still stopped right before) or warm (running).
 */
export async function silentRequest(
  ctx: BenchContext,
  workers: WorkerControl,
  wallet: WalletName,
  state: 'cold' | 'warm',
): Promise<SilentSample> {
  const id = ctx.ids[wallet];
  if (state === 'cold') {
    for (let attempt = 1; ; attempt++) {
      await workers.stop(id);
      await sleep(STOPPED_SETTLE_MS);
      if (workers.runningStatus(id) === 'stopped') break;
      ctx.notes.push(`${wallet}: the worker started again by itself within ${STOPPED_SETTLE_MS} ms of being stopped`);
      if (attempt >= 3) throw new MeasurementError(`${wallet}: the service worker does not stay stopped`);
    }
  } else if (workers.runningStatus(id) !== 'running') {
    throw new MeasurementError(`${wallet}: warm request asked for but the worker is ${workers.runningStatus(id)}`);
  }
  const mark = workers.transitions.length;
  const t0 = performance.now();
  const result = await withTimeout(
    evaluateIn(ctx.site, pageTimedCall, silentCall(wallet)),
    STEP_TIMEOUT_MS + 5_000,
    `${wallet} ${state} request`,
  );
  const t1 = performance.now();
  checkAnswer(wallet, `${state} request`, result);
  const prefix = extensionPrefix(id);
  const after = workers.transitions.slice(mark).filter((t) => t.scriptURL.startsWith(prefix));
  const starting = after.find((t) => t.runningStatus === 'starting');
  const running = after.find((t) => t.runningStatus === 'running');
  if (state === 'cold' && !running && workers.runningStatus(id) !== 'running') {
    throw new MeasurementError(`${wallet}: answered a cold request but DevTools never saw its worker start`);
  }
  if (state === 'warm' && starting) ctx.notes.push(`${wallet}: the worker restarted during a warm request`);
  return {
    wallet,
    state,
    ms: result.settledAt - result.startedAt,
    nodeMs: t1 - t0,
    workerStartingMs: starting ? starting.at - t0 : null,
    workerRunningMs: running ? running.at - t0 : null,
  };
}

/** Counts pages opened while it runs (the silent requests must open no window). */
export function watchNewPages(context: BrowserContext): { urls: string[]; stop(): void } {
  const urls: string[] = [];
  const onPage = (p: Page) => {
    urls.push(p.url() || '(blank)');
  };
  context.on('page', onPage);
  return { urls, stop: () => context.off('page', onPage) };
}

// ---------------------------------------------------------------------------
// Unlock
// ---------------------------------------------------------------------------

export interface UnlockSample {
  unlockMs: number;
  lockMs: number;
}

/** (d) lock, then time unlock, from a Tessera extension page. */
export async function lockUnlock(page: Page, password: string): Promise<UnlockSample> {
  const r: UnlockResult = await withTimeout(
    evaluateIn(page, pageLockUnlock, { password }),
    60_000,
    'tessera lock/unlock',
  );
  const lock = r.lockReply as { ok?: boolean; value?: { unlocked?: boolean } } | undefined;
  const unlock = r.unlockReply as { ok?: boolean; value?: { unlocked?: boolean } } | undefined;
  if (lock?.ok !== true || lock.value?.unlocked !== false) {
    throw new MeasurementError(`tessera lock answered ${JSON.stringify(r.lockReply)}`);
  }
  if (unlock?.ok !== true || unlock.value?.unlocked !== true) {
    throw new MeasurementError(`tessera unlock answered ${JSON.stringify(r.unlockReply)}`);
  }
  return { unlockMs: r.unlockMs, lockMs: r.lockMs };
}

/** (d) baseline: one bare PBKDF2 with the same parameters in the same page. */
export async function bareKdf(page: Page, password: string, iterations: number): Promise<number> {
  return await withTimeout(evaluateIn(page, pageKdf, { password, iterations }), 60_000, 'bare PBKDF2');
}
