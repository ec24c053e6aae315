/**
 * The research part of `npm start` (DESIGN.md §8, issue 9): three sites, each on its own
 * origin — the Aldmere Research Ethics Board (demo/accreditor), the Aldmere Children's
 * Clinic (demo/clinic) and the Aldmere Institute for Child Health's research portal
 * (demo/research), accredited by the board for its origin at start and checking
 * receipts against the development chain.
 * - headless (`researchJourney`, after the anchoring part, so anchoring is on): the
 *   board's DID onto the wallet's accreditation list; the child's health summary from
 *   the clinic; the portal asks with its accreditation (the consent window: "Verified
 *   requester", the least identifying claims preselected, AI training unticked); the
 *   data received; read again without a window; the receipt anchored and checked on
 *   chain; the parent revokes; the portal's read refused (4100) and its receipt check
 *   revoked, with the block; then one unverified request, refused the health data.
 * - with a display: `researchGuide` says what to try on the open sites.
 */
import type { BrowserContext } from 'playwright-core';
import { startAccreditor, type AccreditorServer } from '../../demo/accreditor/server.ts';
import { startClinic, type ClinicServer } from '../../demo/clinic/server.ts';
import { startResearch, type ResearchServer } from '../../demo/research/server.ts';
import type { DemoWalk } from './demo-anchoring.ts';
import { openSite, tallShot, textOf, waitForState, waitUntil } from './demo-page.ts';
import { portalJourney } from './demo-research-portal.ts';
import { approveIn, extensionUrl, waitForApprovalPage, waitForClose } from './extension-browser.ts';

export interface ResearchSites {
  accreditor: AccreditorServer;
  clinic: ClinicServer;
  research: ResearchServer;
}

const BOARD_LABEL = 'Aldmere Research Ethics Board';
const CLINIC_LABEL = 'Aldmere Children\u2019s Clinic';

/** The board first (the portal asks it for its accreditation), the portal trusting the clinic's summaries. */
export async function startResearchSites(rpcUrl: string): Promise<ResearchSites> {
  const accreditor = await startAccreditor();
  const clinic = await startClinic();
  const research = await startResearch({ accreditor, trustedIssuers: [clinic.did], rpcUrl });
  return { accreditor, clinic, research };
}

export async function closeResearchSites(sites: ResearchSites): Promise<void> {
  await Promise.all([sites.research.close(), sites.clinic.close(), sites.accreditor.close()]);
}

/** The sites' lines for `npm start`'s list of what runs. */
export function researchSiteLines({ accreditor, clinic, research }: ResearchSites): string[] {
  return [
    `Research ethics board (accreditation body): ${accreditor.url()} — ${accreditor.did}`,
    `Children's clinic (health credential issuer): ${clinic.url()} — ${clinic.did}`,
    `Research portal (accredited requester): ${research.url()} — ${research.did}`,
  ];
}

/** With a display: what to try, numbered on from `first`. */
export function researchGuide({ accreditor, clinic, research }: ResearchSites, first: number): string[] {
  const n = (i: number) => `${String(first + i).padStart(2)}.`;
  return [
    `${n(0)} Research ethics board (${accreditor.url()}): copy its DID; in the dashboard's Settings add it under`,
    '     "Accreditation bodies" (not the trusted issuers).',
    `${n(1)} Children's clinic (${clinic.url()}): "Log in with Tessera & issue", then "Add to Tessera".`,
    `${n(2)} Research portal (${research.url()}): "Request data for study". The window says "Verified requester",`,
    '     proposes the age band and region, and asks about AI training apart (unticked). "Read again" reads',
    '     without a window; with anchoring on, "Anchor now" in Settings, then "Check receipt on chain".',
    `${n(3)} Revoke the portal's grant in the Access tab: its next read is refused (4100) and its receipt check says`,
    '     revoked, with the block. Choose "Without an accreditation" on the portal: no health data is shared.',
  ];
}

export async function researchJourney(walk: DemoWalk, context: BrowserContext, extensionId: string, sites: ResearchSites): Promise<void> {
  const { step, shot, shotOf } = walk;
  const { accreditor, clinic, research } = sites;

  const boardDid = await step('Research ethics board: its page shows the board\u2019s DID and the accreditation it issued the portal', async () => {
    const page = await context.newPage();
    await page.goto(accreditor.url());
    await page.getByTestId('accreditation-row').first().waitFor({ timeout: 10_000 });
    const did = await waitUntil('the board\u2019s DID', () => textOf(page, 'board-did'), (t) => t.startsWith('did:'), 10_000);
    if (did !== accreditor.did) throw new Error(`the board's page shows ${did}, not its DID ${accreditor.did}`);
    const file = await shot(page, 'board-page');
    await page.close();
    const issued = accreditor.body.issued.map(
      (a) => `accreditation ${a.id}: ${a.subject.name} (${a.subjectDid}) for ${a.subject.origins.join(', ')}, study ${a.subject.studies.map((s) => s.id).join(', ')}, until ${a.validUntil}, status index ${a.statusIndex}`,
    );
    return { value: did, lines: [`board DID ${did} (the page's "Copy the DID")`, ...issued, `status list ${accreditor.body.statusUrl}`, `screenshot ${file}`] };
  });

  await step('Dashboard Settings: the board\u2019s DID added to the accreditation list (the clinic to the trusted issuers)', async () => {
    const page = await context.newPage();
    await page.goto(extensionUrl(extensionId, 'dashboard/index.html'));
    await page.getByTestId('tab-settings').click({ timeout: 15_000 });
    await page.getByTestId('accreditor-did').fill(boardDid);
    await page.getByTestId('accreditor-label').fill(BOARD_LABEL);
    await page.getByTestId('accreditor-add').click();
    await page.getByTestId(`accreditor-${boardDid}`).waitFor({ timeout: 10_000 });
    await page.getByTestId('trust-did').fill(clinic.did);
    await page.getByTestId('trust-label').fill(CLINIC_LABEL);
    await page.getByTestId('trust-add').click();
    await page.getByTestId(`trusted-${clinic.did}`).waitFor({ timeout: 10_000 });
    const file = await shotOf(page.locator('#accreditors'), 'dashboard-accreditation-list');
    await page.close();
    return {
      value: undefined,
      lines: [`accreditation body: ${BOARD_LABEL} (${boardDid}), on a list apart from the trusted issuers`, `trusted issuer: ${CLINIC_LABEL} (${clinic.did})`, `screenshot ${file}`],
    };
  });

  await step('Children\u2019s clinic: the parent logs in with Tessera; the child\u2019s health summary is stored', async () => {
    const page = await openSite(context, clinic.url());
    const loginP = waitForApprovalPage(context);
    await page.getByTestId('issue-button').click();
    const login = await loginP;
    await approveIn(login);
    await waitForClose(login);
    if ((await waitForState(page, 'clinic-status', ['issued', 'error'])) !== 'issued') throw new Error(`not issued: ${await textOf(page, 'clinic-error')}`);
    const offerP = waitForApprovalPage(context);
    await page.getByTestId('offer-summary').click();
    const offer = await offerP;
    await offer.getByTestId('approve').waitFor({ state: 'visible', timeout: 15_000 });
    const trust = await textOf(offer, 'issuer-trust');
    const offerShot = await tallShot(walk, offer, 'clinic-offer');
    await approveIn(offer);
    await waitForClose(offer);
    if ((await waitForState(page, 'offer-result', ['stored', 'declined', 'error'])) !== 'stored') throw new Error(`not stored: ${await textOf(page, 'offer-result')}`);
    const stored = await textOf(page, 'offer-result');
    const issued = clinic.issuer.issued.at(-1)!;
    const pageShot = await shot(page, 'clinic-stored');
    await page.close();
    return {
      value: undefined,
      lines: [
        `logged in as ${issued.holder}; the clinic issued the PediatricHealthSummary (SD-JWT VC, cnf.jwk of that DID, every claim disclosable, status index ${issued.statusIndex})`,
        `claims: birthdate ${issued.claims.birthdate} and age_band ${issued.claims.age_band}, region ${issued.claims.region}, diagnosis_codes ${issued.claims.diagnosis_codes.join(', ')}, coming of age ${issued.claims.coming_of_age_date}`,
        `the offer window showed the issuer: ${trust}; the clinic's page: ${stored}`,
        `screenshots ${offerShot}, ${pageShot}`,
      ],
    };
  });

  await portalJourney(walk, context, extensionId, research);
}
