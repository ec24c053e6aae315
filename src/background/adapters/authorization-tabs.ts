/**
 * Sign-in tabs for the OpenID4VCI authorization code flow. The redirect URI is
 * https://<extension id>.chromiumapp.org/openid4vci/callback (core/issuance/
 * authorization-code.ts): a host that never answers, which the worker sees the tab
 * arrive at through tabs.onUpdated (the manifest's one host permission,
 * https://*.chromiumapp.org/*, lets it read that tab URL and no other).
 */
import browser from 'webextension-polyfill';
import type { AuthorizationTabs } from '../../core/ports.ts';
import { isRedirect, redirectUriFor } from '../../core/issuance/authorization-code.ts';

export class BrowserAuthorizationTabs implements AuthorizationTabs {
  readonly redirectUri = redirectUriFor(browser.runtime.id);

  async open(url: string): Promise<number> {
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
}
