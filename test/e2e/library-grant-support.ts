/**
 * Set-up for the library's data-access grant journey (data-access.e2e.ts): Chromium with the built
 * extension, the civic registry (which issues the resident card into the wallet) and the
 * Aldmere City Library (which asks for ongoing access to it) on its own port, reachable
 * as two origins (127.0.0.1 and 127.0.0.2) so one site's grants can be tried from another.
 * Helpers drive the consent window and the dashboard's Access and Activity tabs.
 */
import type { BrowserContext, Page } from 'playwright-core';
import {
  DEFAULT_EXTENSION_DIR,
  launchWithExtension,
  onboard,
  openExtensionPage,
  requestInPage,
  waitForApprovalPage,
  type ExtensionBrowser,
  type RequestOutcome,
} from '../../scripts/lib/extension-browser.ts';
import { startRegistry, type RegistryServer } from '../../demo/registry/server.ts';
import { startLibrary, type DataAccessParams, type LibraryServer } from '../../demo/library/server.ts';
import type { IssuedCredential } from '../../demo/registry/issuer.ts';
import { PASSWORD, decide, holdCredential, issueOnRegistryPage, openPage } from './credential-support.ts';

export interface GrantHarness {
  browser: ExtensionBrowser;
  context: BrowserContext;
  extensionId: string;
  registry: RegistryServer;
  library: LibraryServer;
  /** http://127.0.0.1:<library port> */
  libraryOrigin: string;
  /** http://127.0.0.2:<library port>: the same server, another site to the wallet. */
  otherOrigin: string;
  /** The resident card the wallet holds (as the registry issued it) and its wallet id. */
  resident: IssuedCredential;
  residentId: string;
  close(): Promise<void>;
}

/** The registry and the library, Chromium onboarded, and the registry's resident card in the wallet. */
export async function startGrantHarness(): Promise<GrantHarness> {
  const registry = await startRegistry();
  const library = await startLibrary({ extraHosts: ['127.0.0.2'], trustedIssuers: [registry.did] });
  let browser: ExtensionBrowser;
  try {
    browser = await launchWithExtension({ extensionDirs: [process.env.TESSERA_EXTENSION_DIR ?? DEFAULT_EXTENSION_DIR] });
  } catch (error) {
    await Promise.all([registry.close(), library.close()]);
    throw error;
  }
  const close = async () => {
    await browser.close();
    await Promise.all([registry.close(), library.close()]);
  };
  try {
    if (!library.hosts.includes('127.0.0.2')) throw new Error('the library could not listen on 127.0.0.2');
    await onboard(browser.context, browser.extensionId, PASSWORD);
    const registryPage = await openPage(browser.context, registry.url());
    const holder = await issueOnRegistryPage(browser.context, registryPage);
    const resident = registry.issuer.issued.find((c) => c.holder === holder && c.kind === 'resident');
    if (!resident) throw new Error('the registry issued no resident card');
    const residentId = await holdCredential(browser.context, registryPage, resident.credential);
    await registryPage.close();
    return {
      browser,
      context: browser.context,
      extensionId: browser.extensionId,
      registry,
      library,
      libraryOrigin: library.origin('127.0.0.1'),
      otherOrigin: library.origin('127.0.0.2'),
      resident,
      residentId,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

export interface SiteGrant {
  id: string;
  kind: string;
  did: string;
  purposes: string[];
  status: string;
  expiresAt: string | null;
  usageLimit: number | null;
  usageCount: number;
  credentials: { format: string; types: string[]; claimPaths: (string | number)[][] }[];
  receipt: string | null;
}

export interface GrantAnswer {
  grant: SiteGrant;
  receipt: string;
  vp_token: Record<string, string[]>;
}

/**
 * `wallet_requestDataAccess` from `page` with the library's params for its origin
 * (`extra` overrides), decided in the consent window. Returns the outcome and the params sent.
 */
export async function requestGrant(
  h: GrantHarness,
  page: Page,
  decision: 'approve' | 'reject',
  extra: Partial<DataAccessParams> = {},
): Promise<{ outcome: RequestOutcome<GrantAnswer>; params: DataAccessParams; window: Page }> {
  const { params } = h.library.ask(new URL(page.url()).origin, extra);
  const windowP = waitForApprovalPage(h.context, { timeoutMs: 20_000 });
  const outcomeP = requestInPage<GrantAnswer>(page, { method: 'wallet_requestDataAccess', params }, { timeoutMs: 60_000 });
  const window = await windowP;
  await decide(window, decision);
  return { outcome: await outcomeP, params, window };
}

export function accessData(page: Page, grantId: string, nonce: string) {
  return requestInPage<{ vp_token: Record<string, string[]> }>(page, { method: 'wallet_accessData', params: { grantId, nonce } }, { timeoutMs: 30_000 });
}

export async function siteGrants(page: Page): Promise<SiteGrant[]> {
  const outcome = await requestInPage<SiteGrant[]>(page, { method: 'wallet_getGrants' });
  if (!outcome.ok) throw new Error(`wallet_getGrants failed: ${JSON.stringify(outcome.error)}`);
  return outcome.value;
}

// ---------------------------------------------------------------------------
// The dashboard
// ---------------------------------------------------------------------------

/** Opens a dashboard tab by its visible name (a tab, a link or a button named so). */
export async function openDashboardTab(page: Page, name: RegExp): Promise<void> {
  const tab = page.getByRole('tab', { name }).or(page.getByRole('link', { name })).or(page.getByRole('button', { name }));
  await tab.first().click({ timeout: 10_000 });
}

export async function openAccessTab(h: GrantHarness): Promise<Page> {
  const page = await openExtensionPage(h.context, h.extensionId, 'dashboard/index.html');
  await openDashboardTab(page, /^\s*access\b/i);
  return page;
}

/** Revoke in the Access tab: `revoke-<id>`, then the in-page `confirm`; waits until the grant has no revoke button. */
export async function revokeInDashboard(page: Page, grantId: string): Promise<void> {
  await page.getByTestId(`revoke-${grantId}`).click({ timeout: 10_000 });
  await page.getByTestId('confirm').click({ timeout: 10_000 });
  await page.getByTestId(`revoke-${grantId}`).waitFor({ state: 'detached', timeout: 10_000 });
}
