/**
 * The service worker entry: wiring only. Listeners are registered at top level so
 * Chrome can wake the worker for them; state lives in IndexedDB and storage.session.
 */
import browser from 'webextension-polyfill';
import { RpcErrorCode } from '../protocol/errors.ts';
import { readSettings } from '../core/wallet/settings.ts';
import { Wallet } from '../core/wallet/wallet.ts';
import { AlarmScheduler, jobOfAlarm } from './adapters/alarm-scheduler.ts';
import { loginPreview } from './adapters/approval-preview.ts';
import { WindowApprovalPresenter } from './adapters/approval-windows.ts';
import { IndexedDbKeyValueStore } from './adapters/indexeddb-store.ts';
import { CHAIN_SCRIPT, LazyAnchorChain } from './adapters/lazy-anchor-chain.ts';
import { CREDENTIALS_SCRIPT } from './adapters/lazy-credentials.ts';
import { TabPageEvents } from './adapters/page-events.ts';
import { BrowserHttpFetcher } from './adapters/http-fetcher.ts';
import { BrowserAuthorizationTabs, watchAuthorizationRedirects } from './adapters/authorization-tabs.ts';
import { classifySender } from './adapters/sender.ts';
import { BrowserSessionStore } from './adapters/session-store.ts';
import { routePageMessage } from './routers/page-router.ts';
import { routeUiMessage } from './routers/ui-router.ts';
import { OFFER_LINK_CHANNEL } from '../content/offer-links.ts';
import { MAX_REQUEST_BYTES } from '../protocol/limits.ts';

/**
 * chain.js (viem and the chain client) and credentials.js (the credential code, the
 * Veramo agent) are imported here, during `install`, only so that Chrome keeps them: a
 * service worker may importScripts() later, at any time and after any restart, exactly
 * the scripts it imported while installing (any other URL throws a NetworkError), and
 * it cannot import() at all. Each later start leaves them unparsed until first needed
 * (adapters/lazy-anchor-chain.ts, adapters/lazy-credentials.ts). A failure is logged
 * rather than thrown: it would fail the install, and with it the whole wallet (the
 * adapter then reports it when used). Firefox's event page has neither `install` nor
 * importScripts: its manifest lists both scripts before this one (scripts/lib/firefox-manifest.ts).
 */
self.addEventListener('install', () => {
  for (const [script, without] of [
    [CHAIN_SCRIPT, 'anchoring'],
    [CREDENTIALS_SCRIPT, 'credentials and new logins'],
  ] as const) {
    try {
      importScripts(script);
    } catch (error) {
      console.error(`Tessera: ${script} could not be imported at install; ${without} will not work`, error);
    }
  }
});

const store = new IndexedDbKeyValueStore();
const authorizationTabs = new BrowserAuthorizationTabs();
const wallet = new Wallet({
  store,
  session: new BrowserSessionStore(),
  presenter: new WindowApprovalPresenter(
    loginPreview({
      approval: (id) => wallet.desk.queue.get(id),
      unlocked: async () => (await wallet.session.current()) !== null,
    }),
  ),
  events: new TabPageEvents(),
  scheduler: new AlarmScheduler(),
  fetcher: new BrowserHttpFetcher(),
  authorizationTabs,
  // Read at each call rather than captured once: an end-to-end test shifts the worker's Date.now to reach a grant's end.
  now: () => Date.now(),
  chain: new LazyAnchorChain(),
});

/**
 * Warm-up: the event that woke the worker (most often a page's request) is still on its
 * way, and what a request does first is read the vault secret, derive the keys and
 * open IndexedDB. Started here, that overlaps the event's delivery instead of following
 * it. Both only read (the settings record, as any unlock or decision does).
 */
void wallet.session.current().catch(() => undefined);
void readSettings(store).catch(() => undefined);

/**
 * Settles what a previous worker left behind (windows closed while it was stopped) and
 * keeps the periodic jobs set. Messages do not wait for it: the approval queue
 * serialises its own changes, so a request arriving meanwhile is safe, and a woken
 * worker answers at once.
 */
void wallet.start().catch((error: unknown) => console.error('Tessera: start-up failed', error));

browser.runtime.onMessage.addListener((message: unknown, sender: browser.Runtime.MessageSender) => {
  const channel = (message as { channel?: unknown } | null)?.channel;
  const from = classifySender(sender);
  if (channel === 'ui' && from.tier === 'extension') {
    return routeUiMessage(wallet, (message as { body?: unknown }).body);
  }
  if (channel === 'page' && from.tier === 'page') {
    // DESIGN.md §3.2: an embedded third party gets no silent login and opens nothing.
    if (from.crossOriginFrame) {
      return Promise.resolve({ ok: false, error: { code: RpcErrorCode.unauthorized, message: 'Requests from a cross-origin frame are not served.' } });
    }
    return routePageMessage(wallet, from.origin, message);
  }
  if (channel === 'page' && from.tier === 'opaque-page') {
    // A sandboxed document has no origin to grant anything to (and no answer would leave the page waiting).
    return Promise.resolve({ ok: false, error: { code: RpcErrorCode.unauthorized, message: 'Requests from a document with an opaque origin (a sandboxed frame) are not served.' } });
  }
  if (channel === OFFER_LINK_CHANNEL && from.tier === 'page' && !from.crossOriginFrame) {
    // A user's click on an offer link (content/offer-links.ts): the window tells the holder what follows.
    const href = (message as { href?: unknown }).href;
    if (typeof href === 'string' && href.length <= MAX_REQUEST_BYTES) {
      void wallet
        .credentials()
        .then(({ issuance }) => issuance.openFromLink(from.origin, href))
        .catch((error: unknown) => console.warn('Tessera: the offer link was not opened:', error instanceof Error ? error.message : error));
    }
    return undefined;
  }
  // Anything else (a page posing as the UI, a foreign sender) gets no answer.
  return undefined;
});

// OpenID4VCI sign-in tabs arriving at the redirect URI (core/issuance/authorization-code.ts).
watchAuthorizationRedirects(authorizationTabs.redirectUri, (tabId, url) => {
  void wallet
    .credentials()
    .then(({ issuance }) => issuance.authorizationRedirect(tabId, url))
    .catch((error: unknown) => console.warn('Tessera: the issuer sign-in did not complete:', error instanceof Error ? error.message : error));
});

browser.runtime.onInstalled.addListener(({ reason }) => {
  if (reason === 'install') void browser.tabs.create({ url: browser.runtime.getURL('onboarding/index.html') });
});

browser.alarms.onAlarm.addListener((alarm) => {
  const job = jobOfAlarm(alarm.name);
  if (job) void wallet.runJob(job);
});

browser.windows.onRemoved.addListener((windowId) => {
  void wallet.desk.windowClosed(windowId);
});
