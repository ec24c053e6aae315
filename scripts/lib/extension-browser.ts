/**
 * A real Chromium with unpacked extensions loaded, driven by playwright-core.
 * Shared by the end-to-end tests, `npm start` and the benchmark.
 *
 * - `launchWithExtension` starts Chromium (fresh temporary profile) and waits until
 *   every extension's service worker is up, so the extension ids are known.
 * - `onboard` creates the wallet through the onboarding page.
 * - `waitForApprovalPage` / `watchApprovalPages` follow the approval windows the
 *   wallet opens with `windows.create` (Playwright sees them as new pages).
 * - `requestInPage` and friends call `window.tessera.request` inside a page and
 *   return `{ ok, value } | { ok: false, error }` instead of throwing.
 */
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The unpacked extension `npm run build` writes. */
export const DEFAULT_EXTENSION_DIR = resolve(import.meta.dirname, '../../dist');

export interface LaunchOptions {
  /** Unpacked extension folders (each with a manifest.json). */
  extensionDirs: string[];
  /** Default true. */
  headless?: boolean;
  /** Default: a fresh temporary folder, removed by `close()`. */
  userDataDir?: string;
  /** How long to wait for the extensions' service workers (ms). Default 20 s. */
  serviceWorkerTimeoutMs?: number;
  /** Extra Chromium switches. */
  args?: string[];
  viewport?: { width: number; height: number } | null;
  slowMo?: number;
}

export interface ExtensionBrowser {
  context: BrowserContext;
  /** The id of the first extension in `extensionDirs`. */
  extensionId: string;
  /** One id per entry of `extensionDirs`, same order. */
  extensionIds: string[];
  /** The first extension's service worker as it was at launch (see `getServiceWorker` after a restart). */
  serviceWorker: Worker;
  /** Per entry of `extensionDirs`: its service worker at launch, or null if it declares none. */
  serviceWorkers: (Worker | null)[];
  userDataDir: string;
  /** Closes the browser and removes the temporary profile. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * The id Chromium gives an unpacked extension: the first 128 bits of SHA-256 over the
 * manifest's `key` (DER public key) if present, otherwise over the absolute path,
 * written with the letters a–p.
 */
export function unpackedExtensionId(extensionDir: string): string {
  const dir = realpathSync(extensionDir);
  let input: Buffer;
  try {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { key?: unknown };
    input = typeof manifest.key === 'string' ? Buffer.from(manifest.key, 'base64') : Buffer.from(dir, 'utf8');
  } catch {
    input = Buffer.from(dir, 'utf8');
  }
  const hex = createHash('sha256').update(input).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode('a'.charCodeAt(0) + parseInt(c, 16))).join('');
}

export function extensionIdOfUrl(url: string): string | null {
  const match = /^chrome-extension:\/\/([a-p]{32})\//.exec(url);
  return match ? (match[1] ?? null) : null;
}

export async function launchWithExtension(options: LaunchOptions): Promise<ExtensionBrowser> {
  if (options.extensionDirs.length === 0) throw new Error('launchWithExtension: no extension folder given');
  const dirs = options.extensionDirs.map((d) => {
    const abs = resolve(d);
    try {
      readFileSync(join(abs, 'manifest.json'));
    } catch {
      throw new Error(`launchWithExtension: ${abs} has no manifest.json (run \`npm run build\` first?)`);
    }
    return realpathSync(abs);
  });
  const ownProfile = options.userDataDir === undefined;
  const userDataDir = options.userDataDir ?? mkdtempSync(join(tmpdir(), 'tessera-chromium-'));
  const list = dirs.join(',');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: options.headless ?? true,
    viewport: options.viewport === undefined ? { width: 1100, height: 800 } : options.viewport,
    slowMo: options.slowMo,
    args: [
      `--disable-extensions-except=${list}`,
      `--load-extension=${list}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(options.args ?? []),
    ],
  });

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await context.close().catch(() => undefined);
    if (ownProfile) rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
  };

  try {
    const expected = dirs.map(unpackedExtensionId);
    const timeoutMs = options.serviceWorkerTimeoutMs ?? 20_000;
    // Only extensions that declare a background service worker can be waited for.
    const withWorker = dirs.map(hasServiceWorker);
    const waitIds = expected.filter((_, i) => withWorker[i]);
    const workers = await waitForWorkers(context, waitIds, timeoutMs);
    // waitForWorkers may correct a computed id from the worker's URL (single extension).
    let w = 0;
    const ids = expected.map((id, i) => (withWorker[i] ? (waitIds[w++] ?? id) : id));
    const serviceWorkers = ids.map((id) => workers[waitIds.indexOf(id)] ?? null);
    const serviceWorker = serviceWorkers[0];
    if (!serviceWorker) throw new Error(`${dirs[0]} declares no background service worker`);
    return {
      context,
      extensionId: ids[0] ?? '',
      extensionIds: ids,
      serviceWorker,
      serviceWorkers,
      userDataDir,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

function hasServiceWorker(dir: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
      background?: { service_worker?: unknown };
    };
    return typeof manifest.background?.service_worker === 'string';
  } catch {
    return false;
  }
}

/** Waits for one service worker per expected extension id. */
async function waitForWorkers(context: BrowserContext, expectedIds: string[], timeoutMs: number): Promise<Worker[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const byId = new Map<string, Worker>();
    for (const w of context.serviceWorkers()) {
      const id = extensionIdOfUrl(w.url());
      if (id) byId.set(id, w);
    }
    if (expectedIds.every((id) => byId.has(id))) return expectedIds.map((id) => byId.get(id) as Worker);
    // The computed id may differ from Chromium's (unusual paths): with exactly as many
    // extension workers as folders and a single folder, trust the worker.
    if (expectedIds.length === 1 && byId.size === 1) {
      const [id, worker] = [...byId.entries()][0] as [string, Worker];
      expectedIds[0] = id;
      return [worker];
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      const seen = [...byId.keys()].join(', ') || 'none';
      throw new Error(
        `extension service worker(s) did not start within ${timeoutMs} ms (expected ${expectedIds.join(', ')}; seen ${seen})`,
      );
    }
    await context.waitForEvent('serviceworker', { timeout: Math.min(left, 1_000) }).catch(() => undefined);
  }
}

/** Whether a worker handle answers within `ms` (a handle to a stopped worker hangs). */
async function answers(worker: Worker, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const result = await Promise.race([
    worker.evaluate('1').then(
      () => true,
      () => false,
    ),
    new Promise<boolean>((r) => {
      timer = setTimeout(() => r(false), ms);
    }),
  ]);
  clearTimeout(timer);
  return result;
}

/**
 * A live handle to the extension's service worker. After a stop, Chrome may keep the
 * old handle (it answers again once the worker runs) or hand out a new one; if none
 * answers, the worker is woken by opening one of the extension's pages.
 */
export async function getServiceWorker(
  context: BrowserContext,
  extensionId: string,
  { timeoutMs = 15_000, wakePath = 'popup/index.html' }: { timeoutMs?: number; wakePath?: string } = {},
): Promise<Worker> {
  const deadline = Date.now() + timeoutMs;
  const candidates = () =>
    context
      .serviceWorkers()
      .filter((w) => extensionIdOfUrl(w.url()) === extensionId)
      .reverse();
  let woke: Page | undefined;
  try {
    for (let attempt = 0; Date.now() < deadline; attempt++) {
      for (const w of candidates()) if (await answers(w, 1_500)) return w;
      if (!woke) {
        woke = await context.newPage();
        await woke.goto(extensionUrl(extensionId, wakePath)).catch(() => undefined);
      } else {
        await context
          .waitForEvent('serviceworker', { timeout: 1_000, predicate: (w) => extensionIdOfUrl(w.url()) === extensionId })
          .catch(() => undefined);
      }
    }
    throw new Error(`the service worker of ${extensionId} did not answer within ${timeoutMs} ms`);
  } finally {
    await woke?.close().catch(() => undefined);
  }
}

export function extensionUrl(extensionId: string, path: string): string {
  return `chrome-extension://${extensionId}/${path.replace(/^\//, '')}`;
}

export const APPROVAL_PATH = '/approval/index.html';

export function isApprovalUrl(url: string): boolean {
  return url.startsWith('chrome-extension://') && url.includes(APPROVAL_PATH);
}

/** Errors Playwright raises when the page went away under an action (the window closed itself). */
export function isTargetClosedError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /Target (page, context or browser )?(has been )?closed|Target closed|Page closed|has been closed|Execution context was destroyed|frame was detached|Navigating frame was detached/i.test(
    message,
  );
}

/**
 * Creates the wallet through the onboarding page. Uses the tab the extension opens on
 * install if it shows up within a few seconds, otherwise opens the page itself.
 * Returns the onboarding page (still open) after `onboarding-done` is visible.
 */
export async function onboard(
  context: BrowserContext,
  extensionId: string,
  password: string,
  { timeoutMs = 30_000, keepOpen = false }: { timeoutMs?: number; keepOpen?: boolean } = {},
): Promise<Page> {
  const onboardingUrl = extensionUrl(extensionId, 'onboarding/index.html');
  const isOnboarding = (p: Page) => p.url().startsWith(onboardingUrl);
  let page = context.pages().find(isOnboarding);
  if (!page) {
    page = await context
      .waitForEvent('page', { predicate: (p) => isOnboarding(p) || p.url() === 'about:blank', timeout: 5_000 })
      .catch(() => undefined);
    if (page && !isOnboarding(page)) {
      await page.waitForURL((u) => u.href.startsWith(onboardingUrl), { timeout: 3_000 }).catch(() => undefined);
      if (!isOnboarding(page)) page = undefined;
    }
  }
  if (!page) {
    page = await context.newPage();
    await page.goto(onboardingUrl);
  }
  await page.waitForLoadState('domcontentloaded');
  await page.getByTestId('new-password').fill(password, { timeout: timeoutMs });
  await page.getByTestId('confirm-password').fill(password);
  await page.getByTestId('create-wallet').click();
  await page.getByTestId('onboarding-done').waitFor({ state: 'visible', timeout: timeoutMs });
  if (!keepOpen) {
    // Keep one tab so the browser stays alive, but do not leave the onboarding page around.
    if (context.pages().length === 1) await context.newPage();
    await page.close().catch(() => undefined);
  }
  return page;
}

const claimedApprovalPages = new WeakSet<Page>();

/**
 * The next approval window: an already open one nobody has taken yet, or the next one
 * to open. Resolves once its document has loaded.
 */
export async function waitForApprovalPage(
  context: BrowserContext,
  { timeoutMs = 15_000 }: { timeoutMs?: number } = {},
): Promise<Page> {
  const deadline = Date.now() + timeoutMs;
  const onPage = new Promise<Page>((resolveP, reject) => {
    const candidates = new Set<Page>();
    const check = (p: Page) => {
      if (p.isClosed() || claimedApprovalPages.has(p) || !isApprovalUrl(p.url())) return false;
      cleanup();
      claimedApprovalPages.add(p);
      resolveP(p);
      return true;
    };
    const onFrame = () => {
      for (const p of candidates) if (check(p)) return;
    };
    const onNewPage = (p: Page) => {
      if (check(p)) return;
      candidates.add(p);
      p.on('framenavigated', onFrame);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no approval window opened within ${timeoutMs} ms`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      context.off('page', onNewPage);
      for (const p of candidates) p.off('framenavigated', onFrame);
    };
    context.on('page', onNewPage);
    for (const p of context.pages()) if (check(p)) return;
  });
  const page = await onPage;
  await page
    .waitForLoadState('domcontentloaded', { timeout: Math.max(1_000, deadline - Date.now()) })
    .catch((error: unknown) => {
      if (!isTargetClosedError(error)) throw error;
    });
  return page;
}

/** Counts the approval windows that open while it runs (for "no window opened" checks). */
export function watchApprovalPages(context: BrowserContext): { pages: Page[]; stop(): void } {
  const pages: Page[] = [];
  const seen = new Set<Page>();
  const record = (p: Page) => {
    if (!seen.has(p) && isApprovalUrl(p.url())) {
      seen.add(p);
      pages.push(p);
    }
  };
  const onPage = (p: Page) => {
    record(p);
    p.on('framenavigated', () => record(p));
  };
  context.on('page', onPage);
  return { pages, stop: () => context.off('page', onPage) };
}

/**
 * Clicks `[data-testid=<testId>]`, tolerating the page closing under the click (the
 * approval window closes itself once the decision is taken).
 */
export async function clickTolerant(page: Page, testId: string, { timeoutMs = 15_000 } = {}): Promise<void> {
  if (page.isClosed()) throw new Error(`cannot click ${testId}: the page is already closed`);
  try {
    await page.getByTestId(testId).click({ timeout: timeoutMs });
  } catch (error) {
    if (isTargetClosedError(error) || page.isClosed()) return;
    throw error;
  }
}

/** Waits until the page is closed (e.g. the approval window after a decision). */
export async function waitForClose(page: Page, timeoutMs = 10_000): Promise<boolean> {
  if (page.isClosed()) return true;
  return await Promise.race([
    new Promise<boolean>((r) => page.once('close', () => r(true))),
    new Promise<boolean>((r) => setTimeout(() => r(page.isClosed()), timeoutMs)),
  ]);
}

/** Approves the request shown in an approval window (unlocking first when a password is given and asked for). */
export async function approveIn(page: Page, { password }: { password?: string } = {}): Promise<void> {
  if (password !== undefined) await unlockIfAsked(page, password);
  await page.getByTestId('approve').waitFor({ state: 'visible', timeout: 15_000 });
  await clickTolerant(page, 'approve');
}

/** Rejects the request shown in an approval window. */
export async function rejectIn(page: Page): Promise<void> {
  await page.getByTestId('reject').waitFor({ state: 'visible', timeout: 15_000 });
  await clickTolerant(page, 'reject');
}

/** If the approval window shows the unlock form, unlocks it. Returns whether it was asked. */
export async function unlockIfAsked(page: Page, password: string): Promise<boolean> {
  const form = page.getByTestId('password');
  const approve = page.getByTestId('approve');
  await form.or(approve).first().waitFor({ state: 'visible', timeout: 15_000 });
  if (!(await form.isVisible())) return false;
  await form.fill(password);
  await page.getByTestId('unlock').click();
  return true;
}

/**
 * Stops every running service worker of the browser through CDP (as Chrome does to
 * idle MV3 workers) and resolves once CDP reports each of them `stopped`. Chrome may
 * start a worker again right away when an extension page or content script talks to it;
 * use `getServiceWorker` for a live handle afterwards.
 * Returns the script URLs that were stopped.
 */
export async function stopServiceWorkers(
  context: BrowserContext,
  { page, timeoutMs = 10_000, onlyExtensions = true }: { page?: Page; timeoutMs?: number; onlyExtensions?: boolean } = {},
): Promise<string[]> {
  let own: Page | undefined;
  const host =
    page ??
    context.pages().find((p) => !p.isClosed() && /^(https?:|about:blank)/.test(p.url())) ??
    (own = await context.newPage());
  const cdp = await context.newCDPSession(host);
  type Version = { versionId: string; scriptURL: string; runningStatus: string };
  const status = new Map<string, Version>();
  const stoppedSince = new Set<string>();
  let stopSent = false;
  let notify: () => void = () => undefined;
  cdp.on('ServiceWorker.workerVersionUpdated', (event: { versions: Version[] }) => {
    for (const v of event.versions) {
      status.set(v.versionId, v);
      if (stopSent && v.runningStatus === 'stopped') stoppedSince.add(v.versionId);
    }
    notify();
  });
  try {
    await cdp.send('ServiceWorker.enable');
    await new Promise((r) => setTimeout(r, 200));
    const targets = [...status.values()].filter(
      (v) => v.runningStatus !== 'stopped' && (!onlyExtensions || v.scriptURL.startsWith('chrome-extension://')),
    );
    stopSent = true;
    await cdp.send('ServiceWorker.stopAllWorkers');
    const allStopped = () =>
      targets.every((v) => stoppedSince.has(v.versionId) || status.get(v.versionId)?.runningStatus === 'stopped');
    await new Promise<void>((resolveP, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`service workers did not stop within ${timeoutMs} ms`)),
        timeoutMs,
      );
      notify = () => {
        if (allStopped()) {
          clearTimeout(timer);
          resolveP();
        }
      };
      notify();
    });
    return targets.map((v) => v.scriptURL);
  } finally {
    notify = () => undefined;
    await cdp.detach().catch(() => undefined);
    await own?.close().catch(() => undefined);
  }
}

/**
 * Turns a function and its JSON argument into an expression for `evaluate`. tsx and
 * other esbuild-based loaders wrap named functions in `__name(...)`, which does not
 * exist in the page; the wrapper defines it locally.
 */
export function evaluationSource<A>(fn: (arg: A) => unknown, arg: A): string {
  return `(() => { const __name = (f) => f; return (${fn.toString()})(${JSON.stringify(arg) ?? 'undefined'}); })()`;
}

/**
 * `target.evaluate(fn, arg)` through `evaluationSource`, keeping the result type:
 * use it instead of `page.evaluate(fn, arg)` in code run by tsx or vitest.
 */
export async function evaluateWith<R, A>(
  target: Page | Worker,
  fn: (arg: A) => R | Promise<R>,
  arg: A,
): Promise<Awaited<R>> {
  const source = evaluationSource(fn, arg);
  const result: unknown = 'mainFrame' in target ? await target.evaluate(source) : await target.evaluate(source);
  return result as Awaited<R>;
}

// ---------------------------------------------------------------------------
// Calling window.tessera from a page
// ---------------------------------------------------------------------------

export interface RpcRequestInput {
  method: string;
  params?: unknown;
}

export interface RequestError {
  /** The wallet's code; null when the rejection carried none (or the call timed out). */
  code: number | null;
  message: string;
  /** Set when it was an Error-like object (e.g. "TypeError"). */
  name?: string;
  /** Every own enumerable field of the rejection, as JSON. */
  raw?: unknown;
}

export type RequestOutcome<T = unknown> =
  | { ok: true; value: T; timedOut?: false }
  | { ok: false; error: RequestError; timedOut?: boolean };

interface PageCall {
  requests: RpcRequestInput[];
  timeoutMs: number;
  providerTimeoutMs: number;
  key: string;
}

/**
 * Runs in the page: starts the requests, keeps their outcomes under
 * `window.__tesseraCalls[key]`. Self-contained (serialised by Playwright).
 */
function pageStartCalls(call: PageCall): Promise<number> {
  type Outcome = { ok: boolean; value?: unknown; error?: unknown; timedOut?: boolean; settledAt?: number };
  type Provider = { request(args: { method: string; params?: unknown }): Promise<unknown> };
  const w = window as unknown as {
    tessera?: Provider;
    __tesseraCalls?: Record<string, { outcomes: (Outcome | null)[]; done: Promise<void> }>;
  };
  const serialiseError = (e: unknown) => {
    if (e && typeof e === 'object') {
      const o = e as Record<string, unknown>;
      let raw: unknown;
      try {
        raw = JSON.parse(JSON.stringify(o));
      } catch {
        raw = String(e);
      }
      return {
        code: typeof o.code === 'number' ? o.code : null,
        message: typeof o.message === 'string' ? o.message : String(e),
        name: e instanceof Error ? e.name : undefined,
        raw,
      };
    }
    return { code: null, message: String(e), raw: e };
  };
  const findProvider = () =>
    new Promise<Provider | null>((resolveP) => {
      if (w.tessera) return resolveP(w.tessera);
      const onAnnounce = (event: Event) => {
        const detail = (event as CustomEvent<{ provider?: Provider }>).detail;
        if (detail?.provider) {
          window.removeEventListener('tessera:announceProvider', onAnnounce);
          resolveP(detail.provider);
        }
      };
      window.addEventListener('tessera:announceProvider', onAnnounce);
      window.dispatchEvent(new Event('tessera:requestProvider'));
      setTimeout(() => {
        window.removeEventListener('tessera:announceProvider', onAnnounce);
        resolveP(w.tessera ?? null);
      }, call.providerTimeoutMs);
    });
  w.__tesseraCalls ??= {};
  const outcomes: (Outcome | null)[] = call.requests.map(() => null);
  const done = (async () => {
    const provider = await findProvider();
    await Promise.all(
      call.requests.map(async (req, i) => {
        if (!provider) {
          outcomes[i] = { ok: false, error: { code: null, message: 'window.tessera is not present' } };
          return;
        }
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timeout = new Promise<Outcome>((r) => {
          timer = setTimeout(
            () => r({ ok: false, timedOut: true, error: { code: null, message: `no answer within ${call.timeoutMs} ms` } }),
            call.timeoutMs,
          );
        });
        let answer: Promise<Outcome>;
        try {
          answer = provider.request(req).then(
            (value) => ({ ok: true, value }),
            (error: unknown) => ({ ok: false, error: serialiseError(error) }),
          );
        } catch (error) {
          answer = Promise.resolve({ ok: false, error: serialiseError(error) });
        }
        const outcome = await Promise.race([answer, timeout]);
        clearTimeout(timer);
        outcome.settledAt = Date.now();
        outcomes[i] = outcome;
      }),
    );
  })();
  w.__tesseraCalls[call.key] = { outcomes, done };
  return Promise.resolve(call.requests.length);
}

let callCounter = 0;

export interface CallOptions {
  /** Give up waiting for an answer after this long (ms). Default 60 s. */
  timeoutMs?: number;
  /** How long to wait for window.tessera to appear (ms). Default 5 s. */
  providerTimeoutMs?: number;
}

export interface CallHandle {
  page: Page;
  key: string;
  count: number;
}

/** Starts requests in the page without waiting for them; read them with `readCalls`/`waitCalls`. */
export async function startCalls(page: Page, requests: RpcRequestInput[], options: CallOptions = {}): Promise<CallHandle> {
  const key = `c${++callCounter}-${Date.now()}`;
  await page.evaluate(
    evaluationSource(pageStartCalls, {
      requests,
      key,
      timeoutMs: options.timeoutMs ?? 60_000,
      providerTimeoutMs: options.providerTimeoutMs ?? 5_000,
    }),
  );
  return { page, key, count: requests.length };
}

/** The outcomes so far (null = still pending), with the page-clock time each settled. */
export async function readCalls(handle: CallHandle): Promise<((RequestOutcome & { settledAt: number }) | null)[]> {
  return await handle.page.evaluate(
    evaluationSource((key: string) => {
      const w = window as unknown as { __tesseraCalls?: Record<string, { outcomes: unknown[] }> };
      return (w.__tesseraCalls?.[key]?.outcomes ?? []) as never;
    }, handle.key),
  );
}

/** Waits until every call of the handle has settled (each has its own in-page timeout). */
export async function waitCalls(handle: CallHandle): Promise<(RequestOutcome & { settledAt: number })[]> {
  return await handle.page.evaluate(
    evaluationSource(async (key: string) => {
      const w = window as unknown as {
        __tesseraCalls?: Record<string, { outcomes: unknown[]; done: Promise<void> }>;
      };
      const entry = w.__tesseraCalls?.[key];
      if (!entry) throw new Error(`unknown call ${key} (did the page navigate?)`);
      await entry.done;
      return entry.outcomes as never;
    }, handle.key),
  );
}

/** `window.tessera.request(req)` in the page; never throws for a wallet rejection. */
export async function requestInPage<T = unknown>(
  page: Page,
  request: RpcRequestInput,
  options: CallOptions = {},
): Promise<RequestOutcome<T>> {
  const handle = await startCalls(page, [request], options);
  const [outcome] = await waitCalls(handle);
  if (!outcome) throw new Error('no outcome');
  const { settledAt: _settledAt, ...rest } = outcome;
  return rest as RequestOutcome<T>;
}

/** Several requests at once (Promise.all in the page); outcomes in order. */
export async function requestManyInPage(
  page: Page,
  requests: RpcRequestInput[],
  options: CallOptions = {},
): Promise<RequestOutcome[]> {
  return await waitCalls(await startCalls(page, requests, options));
}

export interface IdentityResult {
  did: string;
  presentation: string;
}

/** A nonce the wallet accepts: 32 url-safe characters. */
export function newNonce(): string {
  return createHash('sha256').update(`${Math.random()}-${process.hrtime.bigint()}`).digest('base64url').slice(0, 32);
}

export function requestIdentity(page: Page, nonce: string = newNonce(), options: CallOptions = {}) {
  return requestInPage<IdentityResult>(page, { method: 'wallet_requestIdentity', params: { nonce } }, options);
}

/**
 * Starts recording the provider events the page receives (`grantRevoked`, `locked`,
 * `unlocked` by default) into `window.__tesseraEvents`.
 */
export async function recordProviderEvents(
  page: Page,
  events: string[] = ['grantRevoked', 'locked', 'unlocked'],
  { providerTimeoutMs = 5_000 } = {},
): Promise<void> {
  await page.evaluate(
    evaluationSource(async ({ events, providerTimeoutMs }: { events: string[]; providerTimeoutMs: number }) => {
      type Provider = { on(event: string, fn: (data: unknown) => void): void };
      const w = window as unknown as { tessera?: Provider; __tesseraEvents?: { event: string; data: unknown; at: number }[] };
      const start = Date.now();
      while (!w.tessera && Date.now() - start < providerTimeoutMs) await new Promise((r) => setTimeout(r, 50));
      if (!w.tessera) throw new Error('window.tessera is not present');
      w.__tesseraEvents ??= [];
      for (const event of events) {
        w.tessera.on(event, (data: unknown) => {
          w.__tesseraEvents?.push({ event, data: JSON.parse(JSON.stringify(data ?? null)) as unknown, at: Date.now() });
        });
      }
    }, { events, providerTimeoutMs }),
  );
}

export async function providerEvents(page: Page): Promise<{ event: string; data: unknown; at: number }[]> {
  return await page.evaluate(
    evaluationSource(() => {
      const w = window as unknown as { __tesseraEvents?: { event: string; data: unknown; at: number }[] };
      return w.__tesseraEvents ?? [];
    }, null),
  );
}

/** Waits until the page recorded an event of that name (and matching `predicate`). */
export async function waitForProviderEvent(
  page: Page,
  event: string,
  { timeoutMs = 10_000, predicate }: { timeoutMs?: number; predicate?: (data: unknown) => boolean } = {},
): Promise<{ event: string; data: unknown; at: number }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await providerEvents(page)).find((e) => e.event === event && (!predicate || predicate(e.data)));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`the page received no ${event} event within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// ---------------------------------------------------------------------------
// What the extension keeps at rest
// ---------------------------------------------------------------------------

export interface StorageDump {
  indexedDB: { name: string; version: number; stores: Record<string, { key: unknown; value: unknown }[]> }[];
  local: Record<string, unknown>;
  sync: Record<string, unknown>;
  /** Records found over all IndexedDB stores and storage areas. */
  recordCount: number;
  /** CryptoKeys stored in IndexedDB that are extractable (type and usages). */
  extractableKeys: { type: string; usages: string[] }[];
}

/**
 * Dumps every IndexedDB database and `chrome.storage.local`/`sync` of the extension,
 * from its service worker, as JSON-safe data. Bytes are decoded as UTF-8 (lossy) so
 * any plaintext hidden in a byte array is still searchable.
 */
export async function dumpExtensionStorage(worker: Worker): Promise<StorageDump> {
  return await worker.evaluate(evaluationSource(dumpStorageInWorker, null));
}

/** Runs in the extension service worker (see dumpExtensionStorage). */
async function dumpStorageInWorker(): Promise<StorageDump> {
  {
    const extractableKeys: { type: string; usages: string[] }[] = [];
    const decoder = new TextDecoder('utf-8', { fatal: false });
    const toJson = (value: unknown, depth = 0): unknown => {
      if (depth > 50) return '[deep]';
      if (value === null || typeof value !== 'object') {
        return typeof value === 'bigint' ? value.toString() : value;
      }
      if (value instanceof ArrayBuffer) return { __bytes: decoder.decode(new Uint8Array(value)) };
      if (ArrayBuffer.isView(value)) {
        return { __bytes: decoder.decode(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)) };
      }
      if (typeof CryptoKey !== 'undefined' && value instanceof CryptoKey) {
        if (value.extractable) extractableKeys.push({ type: value.type, usages: [...value.usages] });
        return { __cryptoKey: { type: value.type, extractable: value.extractable, usages: [...value.usages] } };
      }
      if (value instanceof Date) return value.toISOString();
      if (value instanceof Blob) return { __blob: value.size };
      if (value instanceof Map) return { __map: [...value.entries()].map(([k, v]) => [toJson(k, depth + 1), toJson(v, depth + 1)]) };
      if (value instanceof Set) return { __set: [...value].map((v) => toJson(v, depth + 1)) };
      if (Array.isArray(value)) return value.map((v) => toJson(v, depth + 1));
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = toJson(v, depth + 1);
      return out;
    };
    const req = <T>(r: IDBRequest<T>) =>
      new Promise<T>((resolveP, reject) => {
        r.onsuccess = () => resolveP(r.result);
        r.onerror = () => reject(r.error);
      });
    let recordCount = 0;
    const databases: { name: string; version: number; stores: Record<string, { key: unknown; value: unknown }[]> }[] = [];
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const open = indexedDB.open(info.name);
      open.onupgradeneeded = () => open.transaction?.abort();
      const db = await req(open);
      const stores: Record<string, { key: unknown; value: unknown }[]> = {};
      try {
        for (const storeName of Array.from(db.objectStoreNames)) {
          const store = db.transaction(storeName, 'readonly').objectStore(storeName);
          const [keys, values] = await Promise.all([req(store.getAllKeys()), req(store.getAll())]);
          stores[storeName] = keys.map((key, i) => ({ key: toJson(key), value: toJson(values[i]) }));
          recordCount += keys.length;
        }
      } finally {
        db.close();
      }
      databases.push({ name: info.name, version: info.version ?? 0, stores });
    }
    const c = (globalThis as unknown as {
      chrome: { storage: { local: { get(k: null): Promise<Record<string, unknown>> }; sync: { get(k: null): Promise<Record<string, unknown>> } } };
    }).chrome;
    const local = (await c.storage.local.get(null)) ?? {};
    const sync = (await c.storage.sync.get(null).catch(() => ({}))) ?? {};
    recordCount += Object.keys(local).length + Object.keys(sync).length;
    return {
      indexedDB: databases,
      local: toJson(local) as Record<string, unknown>,
      sync: toJson(sync) as Record<string, unknown>,
      recordCount,
      extractableKeys,
    };
  }
}

/** Opens an extension page (popup, dashboard, …) as an ordinary tab. */
export async function openExtensionPage(context: BrowserContext, extensionId: string, path: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(extensionUrl(extensionId, path));
  await page.waitForLoadState('domcontentloaded');
  return page;
}
