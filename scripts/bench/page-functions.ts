/**
 * Functions the benchmark runs inside browser pages (serialised with
 * `evaluationSource`, so each must be self-contained: no imports, no outer variables).
 */

export type WalletName = 'tessera' | 'baseline';

export interface TimedCallArg {
  wallet: WalletName;
  /** Tessera: the RPC method. Baseline: the message kind (`request` or `ping`). */
  method: string;
  params?: unknown;
  timeoutMs: number;
}

export interface TimedCallResult {
  ok: boolean;
  value?: unknown;
  error?: { code: number | null; message: string };
  timedOut?: boolean;
  /** performance.now() of the page right before the provider call, and when it settled. */
  startedAt: number;
  settledAt: number;
  /** performance.timeOrigin + performance.now() right before the provider call. */
  startedAtEpoch: number;
}

/**
 * In the site page: calls the wallet's provider and resolves with the outcome and the
 * page-clock times just before the call and when its promise settled. Never rejects.
 */
export function pageTimedCall(arg: TimedCallArg): Promise<TimedCallResult> {
  type Tessera = { request(a: { method: string; params?: unknown }): Promise<unknown> };
  type Baseline = { request(kind: string): Promise<unknown> };
  const w = window as unknown as { tessera?: Tessera; baselineWallet?: Baseline };
  const describe = (e: unknown) => {
    const o = (typeof e === 'object' && e !== null ? e : {}) as { code?: unknown; message?: unknown };
    return {
      code: typeof o.code === 'number' ? o.code : null,
      message: typeof o.message === 'string' ? o.message : String(e),
    };
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const startedAtEpoch = performance.timeOrigin + performance.now();
  const startedAt = performance.now();
  let call: Promise<unknown>;
  try {
    if (arg.wallet === 'tessera') {
      if (!w.tessera) throw new Error('window.tessera is not present');
      call = w.tessera.request({ method: arg.method, params: arg.params });
    } else {
      if (!w.baselineWallet) throw new Error('window.baselineWallet is not present');
      call = w.baselineWallet.request(arg.method);
    }
  } catch (error) {
    call = Promise.reject(error);
  }
  const answer = call.then(
    (value): TimedCallResult => ({ ok: true, value, startedAt, startedAtEpoch, settledAt: performance.now() }),
    (error: unknown): TimedCallResult => ({
      ok: false,
      error: describe(error),
      startedAt,
      startedAtEpoch,
      settledAt: performance.now(),
    }),
  );
  const timeout = new Promise<TimedCallResult>((resolveP) => {
    timer = setTimeout(
      () =>
        resolveP({
          ok: false,
          timedOut: true,
          error: { code: null, message: `no answer within ${arg.timeoutMs} ms` },
          startedAt,
          startedAtEpoch,
          settledAt: performance.now(),
        }),
      arg.timeoutMs,
    );
  });
  return Promise.race([answer, timeout]).finally(() => clearTimeout(timer));
}

export interface VisibleArg {
  /** The URL the document must have (the window may still be on about:blank). */
  urlPrefix: string;
  selector: string;
}

export interface VisibleResult {
  /** performance.now() of the approval page when the element was first seen visible. */
  at: number;
  epoch: number;
  href: string;
}

/**
 * In the approval window: resolves as soon as `selector` is visible (attached, with a
 * non-empty box, not visibility:hidden — Playwright's notion of visible), watching DOM
 * mutations and every animation frame. On a document that is not (yet) the approval
 * page it never resolves: the navigation destroys the context and the caller retries.
 */
export function pageWaitVisible(arg: VisibleArg): Promise<VisibleResult> {
  if (!location.href.startsWith(arg.urlPrefix)) return new Promise<VisibleResult>(() => undefined);
  return new Promise<VisibleResult>((resolveP) => {
    let done = false;
    const visible = () => {
      const el = document.querySelector(arg.selector);
      if (!el || !el.isConnected) return false;
      const box = el.getBoundingClientRect();
      if (box.width <= 0 || box.height <= 0) return false;
      return getComputedStyle(el).visibility !== 'hidden';
    };
    const finish = () => {
      if (done) return;
      done = true;
      observer.disconnect();
      const now = performance.now();
      resolveP({ at: now, epoch: performance.timeOrigin + now, href: location.href });
    };
    const observer = new MutationObserver(() => {
      if (visible()) finish();
    });
    observer.observe(document, { subtree: true, childList: true, attributes: true });
    const frame = () => {
      if (done) return;
      if (visible()) finish();
      else requestAnimationFrame(frame);
    };
    frame();
  });
}

/**
 * In the approval window: resolves once `selector` is an enabled button, checking on
 * every animation frame (Tessera arms Approve only after the window has been visible).
 */
export function pageWaitEnabled(arg: { selector: string }): Promise<void> {
  return new Promise<void>((resolveP) => {
    const check = () => {
      if ((document.querySelector(arg.selector) as HTMLButtonElement | null)?.disabled === false) resolveP();
      else requestAnimationFrame(check);
    };
    check();
  });
}

export interface UnlockArg {
  password: string;
}

export interface UnlockResult {
  lockMs: number;
  unlockMs: number;
  lockReply: unknown;
  unlockReply: unknown;
}

/** In a Tessera extension page: locks, then times one unlock through the UI channel. */
export async function pageLockUnlock(arg: UnlockArg): Promise<UnlockResult> {
  const c = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome;
  const send = (body: unknown) => c.runtime.sendMessage({ channel: 'ui', body });
  const t0 = performance.now();
  const lockReply = await send({ command: 'lock' });
  const t1 = performance.now();
  const unlockReply = await send({ command: 'unlock', password: arg.password });
  const t2 = performance.now();
  return { lockMs: t1 - t0, unlockMs: t2 - t1, lockReply, unlockReply };
}

export interface KdfArg {
  password: string;
  iterations: number;
}

/** In the same page: one bare PBKDF2-SHA-256 (import + deriveBits, 256 bits, 16-byte salt). */
export async function pageKdf(arg: KdfArg): Promise<number> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const t0 = performance.now();
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(arg.password), 'PBKDF2', false, [
    'deriveBits',
  ]);
  await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: arg.iterations }, material, 256);
  return performance.now() - t0;
}
