/**
 * The research portal's part of the research walk (scripts/lib/demo-research.ts): the
 * portal asks with its accreditation; the consent window ("Verified requester", the
 * least identifying claims preselected, AI model training unticked); the data the
 * portal received; a read without a window; the receipt anchored and checked on chain;
 * the parent's revocation; the read refused (4100) and the check revoked, with the
 * block; then one unverified request, refused the health data.
 */
import type { BrowserContext, Page } from 'playwright-core';
import type { ResearchServer } from '../../demo/research/server.ts';
import type { DemoWalk } from './demo-anchoring.ts';
import { openSite, tallShot, textOf, waitForState, waitUntil } from './demo-page.ts';
import { approveIn, extensionUrl, rejectIn, waitForApprovalPage, waitForClose, watchApprovalPages } from './extension-browser.ts';

interface AskedParams {
  purpose: string[];
  dcql_query: { credentials: { claim_sets?: string[][] }[] };
  requester?: string;
}

/** The portal's request as its page makes it (the params its server made), up to the approval window, armed. */
async function askFromPortal(context: BrowserContext, portal: Page, mode: string, ai: boolean): Promise<{ consent: Page; params: AskedParams }> {
  await portal.getByTestId('requester-mode').selectOption(mode);
  await portal.getByTestId('ai-training').setChecked(ai);
  const askedP = portal.waitForResponse((r) => new URL(r.url()).pathname === '/api/ask', { timeout: 15_000 });
  const approvalP = waitForApprovalPage(context);
  await portal.getByTestId('request-button').click();
  const { params } = (await (await askedP).json()) as { params: AskedParams };
  const consent = await approvalP;
  await consent.locator('[data-testid="approve"][data-armed="true"]').waitFor({ timeout: 20_000 });
  return { consent, params };
}

/** What the request asked, in one line. */
const describeAsk = (origin: string, params: AskedParams) =>
  `wallet_requestDataAccess from ${origin}: purposes ${params.purpose.join(', ')}; DCQL claim_sets ${JSON.stringify(params.dcql_query.credentials[0]?.claim_sets ?? null)}; ${params.requester ? 'requester VP for this nonce and origin' : 'no requester'}`;

/** The receipt proof the wallet hands the portal for its grant (null until anchored). */
const proofOf = (portal: Page, grantId: string) =>
  portal.evaluate(async (id) => {
    const grants = (await (window as unknown as { tessera: { request(a: unknown): Promise<{ id: string; receiptProof: unknown }[]> } }).tessera.request({ method: 'wallet_getGrants' })) ?? [];
    return grants.find((g) => g.id === id)?.receiptProof ?? null;
  }, grantId);

async function checkReceipt(portal: Page, wanted: string): Promise<string[]> {
  await portal.getByTestId('check-receipt-button').click();
  const verdict = await waitForState(portal, 'receipt-check-result', ['valid', 'revoked', 'failed', 'not-anchored', 'error'], 60_000);
  const text = await textOf(portal, 'receipt-check-result');
  if (verdict !== wanted) throw new Error(`the portal's receipt check says ${verdict} (wanted ${wanted}): ${text}`);
  const lines = ((await portal.getByTestId('receipt-check-lines').textContent()) ?? '').trimEnd().split('\n');
  return [`the portal shows: ${text}`, 'its check (the verify-receipt logic, viem on the development chain):', ...lines.map((l) => `  ${l}`)];
}

export async function portalJourney(walk: DemoWalk, context: BrowserContext, extensionId: string, research: ResearchServer): Promise<void> {
  const { step, shot, shotOf } = walk;
  const portal = await openSite(context, research.url());
  const approval = await step('The portal asks with its accreditation (and "also for AI model training"): the consent window', async () => {
    if ((await waitForState(portal, 'portal-accreditation', ['accredited', 'none'], 10_000)) !== 'accredited') throw new Error('the portal has no accreditation');
    const before = await shot(portal, 'portal-before');
    const { consent, params } = await askFromPortal(context, portal, 'accredited', true);
    const verified = consent.getByTestId('requester-verified');
    if ((await verified.count()) === 0) throw new Error(`the window does not say "Verified requester": ${await textOf(consent, 'requester-unverified').catch(() => 'no requester badge')}`);
    const checked = async (path: string) => consent.getByTestId(`claim-${path}`).isChecked();
    for (const path of ['age_band', 'region', 'diagnosis_codes.0']) if (!(await checked(path))) throw new Error(`${path} is not preselected`);
    for (const path of ['birthdate', 'address.street_address']) if (await checked(path)) throw new Error(`${path} is preselected`);
    if (await consent.getByTestId('separate-purpose-tessera:AIModelTraining').isChecked()) throw new Error('AI model training is ticked by default');
    const file = await tallShot(walk, consent, 'consent-verified-requester');
    const fact = (id: string) => textOf(consent, id).catch(() => '—');
    return {
      value: consent,
      lines: [
        describeAsk(research.origin(), params),
        `badge: ${await fact('requester-verified')}`,
        `preselected: age_band, region, diagnosis_codes (the least identifying set); birthdate and address unticked, flagged as direct identifiers: ${await consent.getByTestId('direct-identifier-birthdate').count() === 1 ? 'yes' : 'NO'}`,
        `AI model training: its own box, unticked; beyond the accreditation's data uses: ${(await consent.getByTestId('purpose-beyond-tessera:AIModelTraining').count()) === 1 ? 'warned' : 'not warned'}`,
        `guardian: ${await fact('guardian-role')}`,
        `screenshots ${before}, ${file}`,
      ],
    };
  });

  const grantId = await step('Approve (AI training left unticked): the portal verifies the presentation and the consent receipt', async () => {
    await approveIn(approval);
    await waitForClose(approval);
    if ((await waitForState(portal, 'research-status', ['granted', 'declined', 'refused', 'error'])) !== 'granted') throw new Error(`no data: ${await textOf(portal, 'research-error')}`);
    const grant = research.portal.grants.all().at(-1)!;
    const received = Object.keys(grant.claims).sort().join(', ');
    if (received !== 'age_band, diagnosis_codes, region') throw new Error(`the portal received ${received}`);
    if (grant.aiTraining) throw new Error('the grant allows AI model training');
    const file = await shot(portal, 'portal-received');
    return {
      value: grant.grantId,
      lines: [
        `received: ${JSON.stringify(grant.claims)} — no name, birth date, address or record number`,
        `grant ${grant.grantId}; purposes ${grant.purposes.join(', ')}; AI model training: ${await textOf(portal, 'ai-training-granted')}`,
        `shared by: ${await textOf(portal, 'guardian')}; ends ${await textOf(portal, 'grant-expires')}`,
        `consent receipt: ${await textOf(portal, 'receipt-verified')}`,
        `screenshot ${file}`,
      ],
    };
  });

  await step('"Read again": a fresh presentation under the grant, no window', async () => {
    const watch = watchApprovalPages(context);
    await portal.getByTestId('read-button').click();
    const state = await waitForState(portal, 'read-result', ['verified', 'refused', 'error']);
    await new Promise((r) => setTimeout(r, 500));
    watch.stop();
    if (watch.pages.length > 0) throw new Error('an approval window opened');
    if (state !== 'verified') throw new Error(`the read was not verified: ${await textOf(portal, 'read-result')} ${await textOf(portal, 'research-error')}`);
    const file = await shot(portal, 'portal-read-again');
    return { value: undefined, lines: ['wallet_accessData { grantId, nonce }: no approval window opened', `the portal shows: ${await textOf(portal, 'read-result')}`, `screenshot ${file}`] };
  });

  const dashboard = await step('Dashboard Settings: "Anchor now" anchors the research grant\u2019s receipt', async () => {
    const page = await context.newPage();
    await page.goto(extensionUrl(extensionId, 'dashboard/index.html#settings'));
    const button = page.getByTestId('anchor-now');
    await button.waitFor({ timeout: 30_000 });
    // The wallet may have anchored on its own schedule meanwhile; else "Anchor now" is there to press.
    const ready = async () => ((await proofOf(portal, grantId)) !== null ? 'anchored' : (await button.isEnabled()) ? 'enabled' : 'waiting');
    if ((await waitUntil('"Anchor now"', ready, (s) => s !== 'waiting', 30_000)) === 'enabled') await button.click();
    await waitUntil('the receipt proof', () => proofOf(portal, grantId), (p) => p !== null, 120_000);
    const status = await waitUntil('the anchor', () => textOf(page, 'anchoring-status'), (t) => t.startsWith('Anchored:'), 30_000);
    const file = await shotOf(page.locator('#anchoring'), 'research-anchored');
    return { value: page, lines: [`status: ${status}`, 'wallet_getGrants now hands the portal the receipt proof', `screenshot ${file}`] };
  });

  await step('The portal checks its receipt on chain: valid, not revoked', async () => {
    const lines = await checkReceipt(portal, 'valid');
    return { value: undefined, lines: [...lines, `screenshot ${await shot(portal, 'portal-receipt-valid')}`] };
  });

  const revokedIn = await step('The parent revokes the portal\u2019s grant in the Access tab; the revocation goes to the chain', async () => {
    await dashboard.bringToFront();
    await dashboard.getByTestId('tab-access').click();
    await dashboard.getByTestId(`revoke-${grantId}`).click({ timeout: 15_000 });
    await dashboard.getByTestId('confirm').click({ timeout: 10_000 });
    await dashboard.getByTestId(`revoke-${grantId}`).waitFor({ state: 'detached', timeout: 10_000 });
    const accessShot = await shotOf(dashboard.locator('#access'), 'research-access-revoked');
    await dashboard.getByTestId('tab-settings').click();
    const state = await waitUntil('the revocation', () => textOf(dashboard, `anchor-tx-state-rv-${grantId}`).catch(() => ''), (t) => t === 'Confirmed', 60_000);
    const facts = await textOf(dashboard, `anchor-tx-rv-${grantId}`);
    const block = Number(/block (\d+)/i.exec(facts)?.[1]);
    const chainShot = await shotOf(dashboard.locator('#anchoring'), 'research-revocation-anchored');
    await dashboard.close();
    const heard = await waitForState(portal, 'research-status', ['revoked'], 10_000);
    return {
      value: block,
      lines: [`the grant now reads: ${await textOf(portal, 'research-status')} (the portal page heard grantRevoked: ${heard})`, `revocation: ${state} — ${facts}`, `screenshots ${accessShot}, ${chainShot}`],
    };
  });

  await step('The portal reads again: the wallet refuses (4100)', async () => {
    const reads = research.portal.grants.get(research.origin(), grantId)?.reads;
    await portal.getByTestId('read-button').click();
    if ((await waitForState(portal, 'read-result', ['refused', 'verified', 'error'])) !== 'refused') throw new Error(`the read was not refused: ${await textOf(portal, 'read-result')}`);
    if (research.portal.grants.get(research.origin(), grantId)?.reads !== reads) throw new Error('the portal received a presentation after the revocation');
    return { value: undefined, lines: [`the portal shows: ${await textOf(portal, 'read-result')}`, 'nothing reached the portal server', `screenshot ${await shot(portal, 'portal-read-refused')}`] };
  });

  await step('The portal checks its receipt again: revoked on chain, with the block', async () => {
    const lines = await checkReceipt(portal, 'revoked');
    const seen = research.portal.grants.get(research.origin(), grantId)?.lastCheck?.revokedAtBlock;
    if (seen !== revokedIn) throw new Error(`the portal sees the revocation in block ${seen}, the wallet sent it in block ${revokedIn}`);
    return { value: undefined, lines: [...lines, `screenshot ${await shot(portal, 'portal-receipt-revoked')}`] };
  });

  await step('An unverified request (no accreditation): the wallet refuses the health data', async () => {
    const { consent, params } = await askFromPortal(context, portal, 'none', false);
    const reason = await textOf(consent, 'requester-unverified');
    const blocked = consent.locator('[data-testid^="blocked-"]').first();
    const credential = ((await blocked.innerText()) ?? '').replace(/\s+/g, ' ').trim();
    if (!/health data/.test(credential)) throw new Error(`the health summary is not refused: ${credential}`);
    if (!(await consent.getByTestId('approve').isDisabled())) throw new Error('the window lets the parent approve health data for an unverified requester');
    const refused = await textOf(consent, 'approval-refused');
    const file = await tallShot(walk, consent, 'consent-unverified-refused');
    await rejectIn(consent);
    await waitForClose(consent);
    const state = await waitForState(portal, 'research-status', ['declined', 'refused', 'granted', 'error']);
    if (state === 'granted') throw new Error('the unverified portal received data');
    const shown = await textOf(portal, 'research-status');
    const pageShot = await shot(portal, 'portal-unverified-no-data');
    await portal.close();
    return {
      value: undefined,
      lines: [describeAsk(research.origin(), params), `badge: ${reason}`, `the health summary, greyed: ${credential.slice(credential.indexOf('Not shared'))}`, `"Give access" disabled: ${refused}`, `rejected; the portal shows: ${shown}`, `screenshots ${file}, ${pageShot}`],
    };
  });
}
