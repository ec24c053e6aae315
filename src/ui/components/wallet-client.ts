/**
 * The only module of the UI that touches browser APIs. Pages talk to the background
 * through `sendUiCommand` and navigate through the helpers below, so a page is plain
 * Preact plus this file, and a Firefox build changes nothing here but the polyfill.
 */
import browser from 'webextension-polyfill';
import type {
  UiCommand,
  UiErrorCode,
  UiMessage,
  UiReply,
  UiResults,
  WalletStateView,
} from '../../protocol/internal.ts';

/** A command the background refused (or could not be reached for), with its stable code. */
export class UiRequestError extends Error {
  readonly code: UiErrorCode;
  readonly retryAfterMs?: number;

  constructor(code: UiErrorCode, message: string, retryAfterMs?: number) {
    super(message);
    this.name = 'UiRequestError';
    this.code = code;
    if (retryAfterMs !== undefined) this.retryAfterMs = retryAfterMs;
  }
}

export type UiResultOf<C extends UiCommand> = UiResults[C['command']];

/** Sends one command to the background and returns its typed value, or throws UiRequestError. */
export async function sendUiCommand<C extends UiCommand>(body: C): Promise<UiResultOf<C>> {
  const message: UiMessage = { channel: 'ui', body };
  let reply: unknown;
  try {
    reply = await browser.runtime.sendMessage(message);
  } catch (error) {
    // No listener (worker failed to start) or the channel broke mid-call.
    const detail = error instanceof Error ? error.message : String(error);
    throw new UiRequestError('internal', `The wallet did not answer: ${detail}`);
  }
  if (!isUiReply(reply)) {
    throw new UiRequestError('internal', 'The wallet sent an answer this page does not understand.');
  }
  if (reply.ok) return reply.value as UiResultOf<C>;
  const { code, message: text, retryAfterMs } = reply.error;
  throw new UiRequestError(code, text, retryAfterMs);
}

function isUiReply(value: unknown): value is UiReply<unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const reply = value as { ok?: unknown; error?: unknown };
  if (reply.ok === true) return 'value' in reply;
  if (reply.ok !== false || typeof reply.error !== 'object' || reply.error === null) return false;
  const error = reply.error as { code?: unknown; message?: unknown };
  return typeof error.code === 'string' && typeof error.message === 'string';
}

/** Any thrown value as a sentence a user can read; UI errors are never swallowed. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong in the wallet.';
}

export const getWalletState = (): Promise<WalletStateView> => sendUiCommand({ command: 'getState' });

/** Closes the current extension window (the approval popup, or the toolbar popup). */
export function closeThisWindow(): void {
  window.close();
}

/** Opens the dashboard (the manifest's options page) in a tab. */
export async function openDashboard(): Promise<void> {
  await browser.runtime.openOptionsPage();
}

export function onboardingUrl(): string {
  return browser.runtime.getURL('onboarding/index.html');
}

/** Opens onboarding in a new tab; from the toolbar popup a tab is the only room for a form. */
export async function openOnboarding(): Promise<void> {
  await browser.tabs.create({ url: onboardingUrl() });
}

export const POLL_INTERVAL_MS = 2000;

/**
 * Calls `load` now and then every `intervalMs` while the page is visible, handing each
 * result to `onValue` (or the failure to `onError`). The background pushes nothing to
 * pages, so polling is how a page notices auto-lock or a grant revoked elsewhere.
 * Returns a function that stops polling.
 */
export function poll<T>(
  load: () => Promise<T>,
  onValue: (value: T) => void,
  onError: (error: unknown) => void,
  intervalMs = POLL_INTERVAL_MS,
): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight = false;

  const tick = async () => {
    timer = undefined;
    if (stopped || inFlight) return;
    inFlight = true;
    try {
      const value = await load();
      if (!stopped) onValue(value);
    } catch (error) {
      if (!stopped) onError(error);
    } finally {
      inFlight = false;
      schedule();
    }
  };
  const schedule = () => {
    if (stopped || timer !== undefined || document.visibilityState !== 'visible') return;
    timer = setTimeout(() => void tick(), intervalMs);
  };
  // Coming back into view: refresh at once rather than showing stale state for a tick.
  const onVisibility = () => {
    if (document.visibilityState !== 'visible' || timer !== undefined) return;
    void tick();
  };

  document.addEventListener('visibilitychange', onVisibility);
  void tick();
  return () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisibility);
  };
}
