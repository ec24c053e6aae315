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
import { documentVisibility } from './page-visibility.ts';
import { keepFresh } from './refresher.ts';

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

/** Opens the dashboard (the manifest's options page) in a tab; with a part, at that part (`#access`). */
export async function openDashboard(part?: string): Promise<void> {
  if (part === undefined) {
    await browser.runtime.openOptionsPage();
    return;
  }
  await browser.tabs.create({ url: dashboardUrl(part) });
}

export function dashboardUrl(part?: string): string {
  return browser.runtime.getURL(`dashboard/index.html${part ? `#${part}` : ''}`);
}

export function onboardingUrl(): string {
  return browser.runtime.getURL('onboarding/index.html');
}

/** Opens onboarding in a new tab; from the toolbar popup a tab is the only room for a form. */
export async function openOnboarding(): Promise<void> {
  await browser.tabs.create({ url: onboardingUrl() });
}

/** How often the dashboard and popup re-read lists that live in IndexedDB (no push covers them). */
export const POLL_INTERVAL_MS = 2000;

/**
 * Calls `listener` whenever the worker changes `storage.session`: it keeps the pending
 * approvals, their replies and the unlocked vault secret there, so an unlock, a lock
 * (also auto-lock), and an approval shown or settled all arrive here. Any session
 * change counts (the listener re-asks the worker), so no key name is assumed; the
 * event comes from the browser, so it survives the service worker being restarted.
 */
export function onWalletChange(listener: () => void): () => void {
  const onChanged = (_changes: unknown, areaName: string) => {
    if (areaName === 'session') listener();
  };
  browser.storage.onChanged.addListener(onChanged);
  return () => browser.storage.onChanged.removeListener(onChanged);
}

/**
 * Keeps `load()`'s answer current: loaded now, again on every wallet change pushed
 * (see `onWalletChange`) and when the page is shown or focused, and every `pollMs`
 * only when given (for state no push covers). Returns the function that stops it.
 */
export function watchWallet<T>(
  load: () => Promise<T>,
  onValue: (value: T) => void,
  onError: (error: unknown) => void,
  pollMs?: number,
): () => void {
  return keepFresh(load, onValue, onError, {
    subscribe: onWalletChange,
    visibility: documentVisibility,
    ...(pollMs === undefined ? {} : { pollMs }),
  });
}
