/**
 * The Firefox MV3 manifest, derived from manifest.json (the one source of truth) by
 * `npm run build -- --target firefox`. What differs, and why:
 *
 * - `background.scripts` instead of `service_worker`: Firefox runs an MV3 background as
 *   an event page (a document, no service worker). An event page has no `importScripts`,
 *   so chain.js and credentials.js, which Chrome's worker imports on demand
 *   (src/background/adapters/lazy-anchor-chain.ts, lazy-credentials.ts), are listed
 *   before background.js: each defines its global as it runs, and the loaders then find
 *   it there and never call `importScripts`. Firefox parses them at every start; it keeps
 *   the page alive while it is used, so that cost is paid once per wake.
 * - `browser_specific_settings.gecko`: a fixed add-on id (storage and the
 *   moz-extension:// UUID are tied to it) and the lowest version with what we use:
 *   `world: "MAIN"` content scripts (128), storage.session (115), Ed25519 in WebCrypto (129),
 *   and `data_collection_permissions` (140; 142 on Android), which says the wallet sends
 *   the developer nothing (Firefox asks every new add-on to declare it): 140 is also an ESR.
 * - no `minimum_chrome_version` (a Chrome key Firefox warns about).
 * - the OpenID4VCI redirect host's permission for Firefox's host instead of Chromium's
 *   https://*.chromiumapp.org/*: exactly https://<hex SHA-1 of the add-on id>.extensions.allizom.org/*
 *   (src/core/issuance/redirect-uri.ts), which the redirect block rule and the tab's URL need;
 *   and `webNavigation`: Firefox gives a tab whose navigation the rule blocked no URL, so
 *   the worker learns the redirect from webNavigation.onErrorOccurred instead
 *   (src/background/adapters/authorization-tabs.ts).
 */
import { CHAIN_SCRIPT } from '../../src/background/adapters/lazy-anchor-chain.ts';
import { CREDENTIALS_SCRIPT } from '../../src/background/adapters/lazy-credentials.ts';
import { redirectHostFor } from '../../src/core/issuance/redirect-uri.ts';

export const FIREFOX_ADDON_ID = 'tessera@aldmere.example';
/** `data_collection_permissions` is the newest key used (see the list above). */
export const FIREFOX_MIN_VERSION = '140.0';
export const FIREFOX_ANDROID_MIN_VERSION = '142.0';

const CHROMIUM_REDIRECT_HOSTS = 'https://*.chromiumapp.org/*';

export interface ChromeManifest {
  manifest_version: number;
  background: { service_worker: string; type?: string };
  minimum_chrome_version?: string;
  [key: string]: unknown;
}

export function firefoxManifest(chrome: ChromeManifest): Record<string, unknown> {
  if (chrome.manifest_version !== 3) throw new Error(`manifest.json: expected manifest_version 3, got ${String(chrome.manifest_version)}`);
  const worker = chrome.background?.service_worker;
  if (typeof worker !== 'string' || worker === '') throw new Error('manifest.json: background.service_worker is missing');
  if (chrome.background.type === 'module') throw new Error('manifest.json: a module worker cannot be listed as event-page scripts');
  const { minimum_chrome_version: _chromeOnly, background: _worker, ...rest } = chrome;
  const hosts = (chrome.host_permissions ?? []) as string[];
  if (!hosts.includes(CHROMIUM_REDIRECT_HOSTS)) throw new Error(`manifest.json: host_permissions should hold ${CHROMIUM_REDIRECT_HOSTS} (the redirect host)`);
  const redirectHost = `https://${redirectHostFor(FIREFOX_ADDON_ID, 'firefox')}/*`;
  return {
    ...rest,
    permissions: [...((chrome.permissions ?? []) as string[]), 'webNavigation'],
    host_permissions: hosts.map((h) => (h === CHROMIUM_REDIRECT_HOSTS ? redirectHost : h)),
    background: { scripts: [CHAIN_SCRIPT, CREDENTIALS_SCRIPT, worker] },
    browser_specific_settings: {
      gecko: {
        id: FIREFOX_ADDON_ID,
        strict_min_version: FIREFOX_MIN_VERSION,
        data_collection_permissions: { required: ['none'] },
      },
      gecko_android: { strict_min_version: FIREFOX_ANDROID_MIN_VERSION },
    },
  };
}
