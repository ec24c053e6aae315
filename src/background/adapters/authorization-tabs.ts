/**
 * Sign-in tabs for the OpenID4VCI authorization code flow. The redirect URI is the
 * browser's extension redirect host (core/issuance/redirect-uri.ts): Chromium's
 * https://<extension id>.chromiumapp.org/openid4vci/callback, Firefox's
 * https://<hash>.extensions.allizom.org/openid4vci/callback. Requests to it are blocked
 * (redirect-block.ts), and the worker sees the tab arrive at it through tabs.onUpdated
 * (the manifest's one host permission, the redirect host's, lets it read that tab URL
 * and no other). Firefox leaves a blocked tab without a URL (measured in firefox-esr:
 * no tabs.onUpdated url), so there the blocked navigation is read from
 * webNavigation.onErrorOccurred (the Firefox manifest alone asks for webNavigation).
 */
import browser from 'webextension-polyfill';
import type { AuthorizationTabs } from '../../core/ports.ts';
import { isRedirect, redirectUriFor, type ExtensionBrowserKind } from '../../core/issuance/redirect-uri.ts';
import { blockRedirectRequests } from './redirect-block.ts';

/** Firefox's extension pages are moz-extension:// (its runtime.id is the add-on id, not the host). */
const browserKind = (): ExtensionBrowserKind => (browser.runtime.getURL('').startsWith('moz-extension:') ? 'firefox' : 'chromium');

export class BrowserAuthorizationTabs implements AuthorizationTabs {
  readonly redirectUri = redirectUriFor(browser.runtime.id, browserKind());
  /** The block rule, installed at every start; no sign-in tab opens without it. */
  private readonly blocked = blockRedirectRequests(this.redirectUri);

  constructor() {
    this.blocked.catch((error: unknown) => console.warn('Tessera: the redirect block rule was not installed:', error instanceof Error ? error.message : error));
  }

  async open(url: string): Promise<number> {
    // Fail closed: without the rule the code would leave the browser.
    await this.blocked.catch(() => {
      throw new Error('The sign-in tab was not opened: the wallet could not keep its redirect inside the browser');
    });
    const tab = await browser.tabs.create({ url, active: true });
    if (tab.id === undefined) throw new Error('The sign-in tab could not be opened');
    return tab.id;
  }

  async close(tabId: number): Promise<void> {
    await browser.tabs.remove(tabId).catch(() => undefined);
  }
}

/** Calls `onRedirect` when a tab arrives at the redirect URI (registered at the worker's top level, so the event wakes it). */
export function watchAuthorizationRedirects(redirectUri: string, onRedirect: (tabId: number, url: string) => void): void {
  browser.tabs.onUpdated.addListener((tabId, changeInfo) => {
    const url = changeInfo.url;
    if (url && isRedirect(url, redirectUri)) onRedirect(tabId, url);
  });
  // Present only where the manifest asks for it (Firefox).
  const navigation = browser.webNavigation as typeof browser.webNavigation | undefined;
  navigation?.onErrorOccurred.addListener(({ tabId, frameId, url }) => {
    if (frameId === 0 && isRedirect(url, redirectUri)) onRedirect(tabId, url);
  });
}
