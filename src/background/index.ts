/**
 * The service worker entry: wiring only. Listeners are registered at top level so
 * Chrome can wake the worker for them; state lives in IndexedDB and storage.session.
 */
import browser from 'webextension-polyfill';
import { Wallet } from '../core/wallet/wallet.ts';
import { AlarmAutoLockTimer, AUTO_LOCK_ALARM } from './adapters/auto-lock-alarm.ts';
import { WindowApprovalPresenter } from './adapters/approval-windows.ts';
import { IndexedDbKeyValueStore } from './adapters/indexeddb-store.ts';
import { TabPageEvents } from './adapters/page-events.ts';
import { BrowserHttpFetcher } from './adapters/http-fetcher.ts';
import { classifySender } from './adapters/sender.ts';
import { BrowserSessionStore } from './adapters/session-store.ts';
import { routePageMessage } from './routers/page-router.ts';
import { routeUiMessage } from './routers/ui-router.ts';

const wallet = new Wallet({
  store: new IndexedDbKeyValueStore(),
  session: new BrowserSessionStore(),
  presenter: new WindowApprovalPresenter(),
  events: new TabPageEvents(),
  autoLock: new AlarmAutoLockTimer(),
  fetcher: new BrowserHttpFetcher(),
  now: Date.now,
});

browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) => {
  const channel = (message as { channel?: unknown } | null)?.channel;
  const from = classifySender(sender);
  if (channel === 'ui' && from.tier === 'extension') {
    return routeUiMessage(wallet, (message as { body?: unknown }).body);
  }
  if (channel === 'page' && from.tier === 'page') {
    return routePageMessage(wallet, from.origin, message);
  }
  // Anything else (a page posing as the UI, a foreign sender) gets no answer.
  return undefined;
});

/** Held credentials are re-checked against their status lists on this period (each list's ttl decides what is due). */
const STATUS_CHECK_ALARM = 'tessera-status-check';
const STATUS_CHECK_PERIOD_MINUTES = 30;

browser.runtime.onInstalled.addListener(({ reason }) => {
  void browser.alarms.create(STATUS_CHECK_ALARM, { periodInMinutes: STATUS_CHECK_PERIOD_MINUTES });
  if (reason === 'install') void browser.tabs.create({ url: browser.runtime.getURL('onboarding/index.html') });
});

browser.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === AUTO_LOCK_ALARM) void wallet.lock();
  if (alarm.name === STATUS_CHECK_ALARM) void wallet.refreshCredentialStatuses();
});

browser.windows.onRemoved.addListener((windowId) => {
  void wallet.windowClosed(windowId);
});
