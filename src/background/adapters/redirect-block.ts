/**
 * Keeps the OpenID4VCI redirect inside the browser. Nothing answers for the redirect
 * host (core/issuance/redirect-uri.ts) unless identity.launchWebAuthFlow runs the
 * sign-in, so without this rule the tab's navigation to
 * https://<redirect host>/openid4vci/callback?code=…&state=… would go to whoever
 * resolves that name. A declarativeNetRequest block rule stops every page and frame
 * request to that host before any DNS lookup or connection; the tab still shows the
 * URL (its error page), which the worker reads (tabs.onUpdated) and then closes.
 *
 * A dynamic rule, so it outlives browser restarts (a sign-in tab reopened from history
 * is stopped too); replaced, not added, at every start, so there is only ever one.
 * `declarativeNetRequestWithHostAccess` acts only where the host permissions reach, and
 * the only host permission is the redirect host's.
 */
import browser from 'webextension-polyfill';

export const REDIRECT_BLOCK_RULE_ID = 1;

export function redirectBlockRule(redirectUri: string) {
  return {
    id: REDIRECT_BLOCK_RULE_ID,
    priority: 1,
    action: { type: 'block' as const },
    condition: { requestDomains: [new URL(redirectUri).hostname], resourceTypes: ['main_frame' as const, 'sub_frame' as const] },
  };
}

/** Installs (or replaces) the rule; rejects when it could not be installed. */
export async function blockRedirectRequests(redirectUri: string): Promise<void> {
  await browser.declarativeNetRequest.updateDynamicRules({
    removeRuleIds: [REDIRECT_BLOCK_RULE_ID],
    addRules: [redirectBlockRule(redirectUri)],
  });
}
