/**
 * The headless walk's OpenID4VCI steps: the civic registry's pre-authorized offer by
 * reference, pasted in the dashboard and received, then the offer of the ferry
 * company, an issuer built only on @openid4vc/openid4vci.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { approveIn, extensionUrl, waitForApprovalPage, waitForClose } from './extension-browser.ts';
import { waitForState } from './demo-page.ts';
import type { DemoWalk } from './demo-anchoring.ts';
import type { RegistryServer } from '../../demo/registry/server.ts';
import type { LibraryIssuerServer } from '../../demo/vci-library-issuer/server.ts';

async function pasteAndApprove(walk: DemoWalk, context: BrowserContext, id: string, uri: string, name: string): Promise<{ issuer: string; result: string; shots: string[] }> {
  const dashboard = await context.newPage();
  await dashboard.goto(extensionUrl(id, 'dashboard/index.html'));
  await dashboard.getByTestId('tab-credentials').click();
  await dashboard.getByTestId('offer-uri').fill(uri);
  const approvalP = waitForApprovalPage(context);
  await dashboard.getByTestId('offer-open').click();
  const approval: Page = await approvalP;
  await approval.getByTestId('issuer-name').waitFor({ state: 'visible', timeout: 15_000 });
  const issuer = (await approval.getByTestId('issuer-name').textContent())?.trim() ?? '';
  const windowShot = await walk.shot(approval, `${name}-issuance-window`);
  await approveIn(approval);
  await waitForClose(approval, 20_000);
  await dashboard.getByTestId('offer-result').waitFor({ state: 'visible', timeout: 20_000 });
  const result = (await dashboard.getByTestId('offer-result').textContent())?.trim() ?? '';
  const dashboardShot = await walk.shot(dashboard, `${name}-received`);
  await dashboard.close();
  return { issuer, result, shots: [windowShot, dashboardShot] };
}

export async function openid4vciJourney(walk: DemoWalk, context: BrowserContext, id: string, registry: RegistryServer, ferry: LibraryIssuerServer): Promise<void> {
  const offer = await walk.step("The registry's OpenID4VCI page makes a pre-authorized offer by reference", async () => {
    const page = await context.newPage();
    await page.goto(registry.url(undefined, '/openid4vci'));
    await waitForState(page, 'offers', ['ready']);
    const uri = await page.getByTestId('offer-uri-reference').inputValue();
    const file = await walk.shot(page, 'registry-openid4vci-offers');
    await page.close();
    return { value: uri, lines: [uri.length > 110 ? `${uri.slice(0, 110)}…` : uri, `screenshot ${file}`] };
  });

  await walk.step('Pasted in the dashboard: the issuance window names the registry; approved, both credentials received', async () => {
    const before = registry.issuer.issued.length;
    const { issuer, result, shots } = await pasteAndApprove(walk, context, id, offer, 'registry-openid4vci');
    const issued = registry.issuer.issued.slice(before);
    if (issued.length !== 2) throw new Error(`the registry issued ${issued.length} credentials over OpenID4VCI (${result})`);
    return {
      value: undefined,
      lines: [
        `the window named the issuer "${issuer}" (from its metadata); the dashboard says: ${result}`,
        ...issued.map((c) => `${c.kind}: ${c.format}, bound to ${c.holder}, ${c.statusList} list index ${c.statusIndex}`),
        `screenshots ${shots.join(', ')}`,
      ],
    };
  });

  await walk.step('The Aldmere Ferry Company (an issuer built only on @openid4vc/openid4vci): its offer received', async () => {
    const { uri } = await ferry.makeOffer();
    const { issuer, result, shots } = await pasteAndApprove(walk, context, id, uri, 'ferry-openid4vci');
    if (ferry.issued.length === 0) throw new Error(`the ferry company issued nothing (${result})`);
    return { value: undefined, lines: [`issuer "${issuer}"; ${result}`, `screenshots ${shots.join(', ')}`] };
  });
}
