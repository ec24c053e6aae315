/**
 * The wallet's OAuth redirect URI, per browser: the host each browser reserves for an
 * extension's web sign-in redirects (identity.getRedirectURL()), computed here so that
 * the `identity` permission is not needed.
 *
 *   Chromium: https://<extension id>.chromiumapp.org/openid4vci/callback
 *   Firefox:  https://<hex SHA-1 of the add-on id>.extensions.allizom.org/openid4vci/callback
 *             (Firefox's own form; an add-on id such as tessera@aldmere.example is no DNS label)
 *
 * Without identity.launchWebAuthFlow nothing in the browser answers for these hosts, so
 * the worker blocks every request to its redirect host (a declarativeNetRequest rule,
 * background/adapters/redirect-block.ts): the code and state in the URL never leave the
 * browser, and the worker reads them from the tab that was stopped there.
 */
import { sha1 } from '@noble/hashes/legacy';
import { toHex, utf8 } from '../encoding.ts';

export const REDIRECT_PATH = '/openid4vci/callback';

export type ExtensionBrowserKind = 'chromium' | 'firefox';

/** The redirect host of the extension `extensionId` in `browser`. */
export function redirectHostFor(extensionId: string, browser: ExtensionBrowserKind): string {
  if (browser === 'firefox') {
    if (extensionId === '') throw new Error('The add-on has no id');
    return `${toHex(sha1(utf8(extensionId)))}.extensions.allizom.org`;
  }
  // Chromium ids are 32 letters a-p (mpdecimal); anything else would not be a host of ours.
  if (!/^[a-p]{32}$/.test(extensionId)) throw new Error(`Not a Chromium extension id: ${extensionId.slice(0, 64)}`);
  return `${extensionId}.chromiumapp.org`;
}

/** The redirect URI of the extension `extensionId` in `browser`. */
export const redirectUriFor = (extensionId: string, browser: ExtensionBrowserKind): string =>
  `https://${redirectHostFor(extensionId, browser)}${REDIRECT_PATH}`;

/** Whether a tab's URL is our redirect (to be taken by the flow, not shown). */
export function isRedirect(url: string, redirectUri: string): boolean {
  return url.startsWith(`${redirectUri}?`) || url === redirectUri || url.startsWith(`${redirectUri}#`);
}
