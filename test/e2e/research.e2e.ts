/**
 * The research journey end to end (issue 9, DESIGN.md §3.2, §8) in Chromium with the
 * built extension, each demo site on its own origin: the ethics board on the parent's
 * accreditation list, the child's summary from the clinic, the accredited portal's
 * verified request with the least identifying claims, a guardian grant, silent reads,
 * the receipt valid on a development chain, then revoked: 4100, and revoked on chain.
 * Health data refused without accreditation, with a forged or a revoked one, each with
 * its reason; a request beyond the accreditation warned; AI training only when ticked;
 * a guardian grant ending at coming of age (the worker's clock moved, its job fired).
 */
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { newNonce, rejectIn, waitForClose, waitForProviderEvent } from '../../scripts/lib/extension-browser.ts';
import { decodeJwtPayload } from '../../demo/verify.ts';
import { OTHER_ORIGIN, type RequesterMode } from '../../demo/research/accreditations.ts';
import { AI_TRAINING_PURPOSE, INSTITUTION_NAME, RESEARCH_PURPOSES, STUDY_ID, accreditationApplication } from '../../demo/research/study.ts';
import { anchoringView, textOf, waitForStatus, waitForView } from './anchoring-support.ts';
import { closeStrayApprovals } from './credential-support.ts';
import { accessData, revokeInDashboard, siteGrants, type SiteGrant } from './library-grant-support.ts';
import { expectError, expectNoApprovalWindow, expectOk } from './support.ts';
import {
  BOARD_LABEL,
  addAccreditor,
  askOnPortal,
  childComingOfAgeIn,
  checkReceiptOnPortal,
  openDashboardAt,
  openPortal,
  openSitePage,
  readOnPortal,
  requestOutcome,
  revokeOnBoardPage,
  startResearchHarness,
  takeHealthSummary,
  turnAnchoringOn,
  type ResearchHarness,
} from './research-support.ts';
import { craftedRequest, expectHealthRefused, receiptGrant } from './research-requests.ts';
import { fireAlarmNow, setWorkerClock } from './worker-clock.ts';

let h: ResearchHarness;
let settings: Page;
let clinicPage: Page;
let portalPage: Page;
let healthId: string;

beforeAll(async () => {
  h = await startResearchHarness();
}, 180_000);

afterAll(async () => {
  await h?.close();
});

afterEach(async () => {
  await closeStrayApprovals(h.context);
});

const portalOrigin = () => h.portal.origin();
const grantOf = async (page: Page, id: string): Promise<SiteGrant> => (await siteGrants(page)).find((g) => g.id === id)!;
const portalGrantId = async (page: Page) => (await textOf(page, 'grant-id')).trim();
/** The distinct ticked states of the claim boxes under `claim` (`claim-<path>`), [] when there are none. */
const ticks = async (window: Page, claim: string) => [
  ...new Set(await window.locator(`[data-testid="claim-${claim}"], [data-testid^="claim-${claim}."]`).evaluateAll((els) => els.map((el) => (el as HTMLInputElement).checked))),
];

describe('the verified journey, through revocation seen on chain', () => {
  let grantId = '';

  test('the parent puts the ethics board on the accreditation list and takes the child\u2019s health summary from the clinic', async () => {
    settings = await openDashboardAt(h, 'settings');
    await addAccreditor(settings, h.board.did, BOARD_LABEL);
    expect(await textOf(settings, `accreditor-${h.board.did}`)).toContain(BOARD_LABEL);
    expect(await settings.getByTestId(`trusted-${h.board.did}`).count(), 'not a credential issuer').toBe(0);

    clinicPage = await openSitePage(h.context, h.clinic.url());
    healthId = await takeHealthSummary(h.context, clinicPage);
    expect(h.clinic.issuer.issued).toHaveLength(1);
    expect(h.clinic.issuer.issued[0]!.claims).toMatchObject({ birthdate: '2019-04-12', coming_of_age_date: '2037-04-12', holder_relationship: 'parent' });
  });

  test('anchoring on with the development chain, the account funded', async () => {
    expect(await turnAnchoringOn(h, settings)).toMatch(/^0x[0-9a-fA-F]{40}$/);
  }, 120_000);

  test('the portal asks with its accreditation: Verified, the least identifying claims preselected; approved, the portal gets only those, as the parent\u2019s', async () => {
    portalPage = await openPortal(h.context, h.portal);
    expect(await portalPage.getByTestId('portal-accreditation').getAttribute('data-state')).toBe('accredited');
    const window = await askOnPortal(h.context, portalPage, { mode: 'accredited' });
    const badge = await textOf(window, 'requester-verified');
    for (const fact of [INSTITUTION_NAME, 'Childhood asthma and air quality', STUDY_ID, 'AERB-2026-117', BOARD_LABEL]) expect(badge).toContain(fact);
    expect(await window.getByTestId('requester-unverified').count()).toBe(0);
    // Every box of a claim (an array's elements, an object's members) ticked, or none.
    for (const claim of ['age_band', 'region', 'diagnosis_codes']) expect(await ticks(window, claim), claim).toEqual([true]);
    for (const claim of ['birthdate', 'address']) expect(await ticks(window, claim), claim).toEqual([false]);
    expect(await window.getByTestId('direct-identifier-birthdate').count()).toBe(1);
    expect(await window.getByTestId('beyond-accreditation-birthdate').count()).toBe(1);
    expect(await textOf(window, 'guardian-role')).toMatch(/parent.*2037/);
    await window.getByTestId('approve').click();
    await waitForClose(window);
    expect(await requestOutcome(portalPage)).toBe('granted');

    grantId = await portalGrantId(portalPage);
    const held = h.portal.portal.grants.get(portalOrigin(), grantId)!;
    const child = h.clinic.issuer.issued[0]!.claims;
    expect(held.claims).toEqual({ age_band: child.age_band, region: child.region, diagnosis_codes: child.diagnosis_codes });
    const shown = await portalPage.locator('[data-testid^="received-claim-"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-testid')));
    expect(shown.sort()).toEqual(['received-claim-age_band', 'received-claim-diagnosis_codes', 'received-claim-region']);
    expect(held.guardian).toEqual({ role: 'dpv:ParentOfDataSubject', comesOfAgeAt: '2037-04-12' });
    const recorded = receiptGrant(held.receipt);
    expect(recorded.holder).toMatchObject({ role: 'dpv:ParentOfDataSubject', dataSubjectComesOfAgeAt: '2037-04-12' });
    expect(recorded.purposes).toEqual([...RESEARCH_PURPOSES]);
    expect(JSON.stringify(decodeJwtPayload(held.receipt))).not.toContain(child.birthdate);
    expect(await textOf(portalPage, 'guardian')).toMatch(/parent.*comes of age on 12 April 2037/);
  });

  test('a later read under the grant is silent and verified; anchored, the portal\u2019s receipt check is valid', async () => {
    expect(await expectNoApprovalWindow(h.context, () => readOnPortal(portalPage))).toBe('verified');
    expect(h.portal.portal.grants.get(portalOrigin(), grantId)!.reads).toHaveLength(2);
    expect(await checkReceiptOnPortal(portalPage)).toBe('not-anchored');

    const size = (await anchoringView(settings)).ledgerSize;
    await settings.getByTestId('anchor-now').click();
    await waitForStatus(settings, new RegExp(`^Anchored: ${size} entries, block \\d+`), 90_000);
    expect(await checkReceiptOnPortal(portalPage)).toBe('valid');
    expect(await textOf(portalPage, 'receipt-check-lines')).toContain('VERIFIED');
  }, 150_000);

  test('the parent revokes in the dashboard: the next read is 4100, the portal\u2019s receipt check says revoked with the block', async () => {
    await settings.getByTestId('tab-access').click();
    await revokeInDashboard(settings, grantId);
    expect((await waitForProviderEvent(portalPage, 'grantRevoked', { timeoutMs: 5_000 })).data).toEqual({ grantId });
    const revocation = await waitForView(settings, (v) => v.transactions.some((tx) => tx.id === `rv-${grantId}` && tx.state === 'confirmed'), 'the revocation mined', 60_000);
    const block = revocation.transactions.find((tx) => tx.id === `rv-${grantId}`)!.blockNumber!;

    expect(await readOnPortal(portalPage)).toBe('refused');
    expect(await textOf(portalPage, 'read-result')).toContain('4100');
    expectError(await accessData(portalPage, grantId, newNonce()), 4100);
    expect(await checkReceiptOnPortal(portalPage)).toBe('revoked');
    expect(await textOf(portalPage, 'receipt-check-result')).toBe(`Revoked on chain in block ${block} \u2014 the parent withdrew consent`);
    expect(h.portal.portal.grants.get(portalOrigin(), grantId)!.lastCheck).toMatchObject({ verdict: 'revoked', revokedAtBlock: block });
  }, 120_000);
});

describe('health data refused to a requester the wallet cannot verify', () => {
  test('an unverified researcher (no accreditation): Unverified with the reason, the summary blocked; rejected, 4001 and no grant', async () => {
    const page = await openPortal(h.context, h.unverified);
    expect(await page.getByTestId('portal-accreditation').getAttribute('data-state')).toBe('none');
    expect(await siteGrants(page)).toEqual([]);
    const window = await askOnPortal(h.context, page, { mode: 'none' });
    await expectHealthRefused(window, healthId, 'The site did not prove who it is (no accreditation).', page);
    expect(await siteGrants(page)).toEqual([]);
    expect(h.unverified.portal.grants.all()).toEqual([]);
    await page.close();
  });

  const forgeries: [RequesterMode, () => RegExp | string][] = [
    ['bad-signature', () => /^The accreditation does not verify: The issuer's signature does not verify with /],
    ['other-origin', () => `The accreditation does not cover this site (${portalOrigin()}); it lists ${OTHER_ORIGIN}.`],
    ['expired', () => /^The accreditation does not verify: The credential expired on \d{4}-\d{2}-\d{2}/],
    ['untrusted-issuer', () => `The accreditation is issued by ${h.portal.accreditations.unlistedBody.did}, which is not on your list of accreditation bodies.`],
  ];
  test.each(forgeries)('a forged accreditation (%s) is refused, the badge naming the failed check', async (mode, reason) => {
    const before = (await siteGrants(portalPage)).length;
    await expectHealthRefused(await askOnPortal(h.context, portalPage, { mode }), healthId, reason(), portalPage);
    expect(await siteGrants(portalPage)).toHaveLength(before);
  });

  test('the board revokes an accreditation on its page: the same accreditation verified before is refused as revoked', async () => {
    const issued = await h.board.issue(h.portal.did, accreditationApplication([portalOrigin()]));
    const ask = () => craftedRequest(h.context, portalPage, h.portal, { accreditation: issued.credential });
    const before = await ask();
    expect(await before.window.getByTestId('requester-verified').count()).toBe(1);
    await rejectIn(before.window);
    expectError(await before.outcome, 4001);

    await revokeOnBoardPage(h.context, h.board, issued.id);
    await new Promise((r) => setTimeout(r, 1_200)); // the status list's ttl

    const after = await ask();
    await expectHealthRefused(after.window, healthId, `The accreditation was revoked by ${BOARD_LABEL}.`, after.outcome);
  });
});

describe('a request beyond the accreditation', () => {
  /** The portal's own request for `claims` and `purposes`, with its accreditation for this origin and nonce. */
  const accredited = (claims: string[], purposes: string[]) => craftedRequest(h.context, portalPage, h.portal, { accreditation: h.portal.accreditation!.credential, claims, purposes });
  const warnings = (window: Page) => window.getByTestId('accreditation-warning').allTextContents();

  test('within it: verified and no warning', async () => {
    const { window, outcome } = await accredited(['age_band', 'region', 'diagnosis_codes'], [...RESEARCH_PURPOSES]);
    expect(await window.getByTestId('requester-verified').count()).toBe(1);
    expect(await warnings(window)).toEqual([]);
    expect(await window.locator('[data-testid^="purpose-beyond-"]').count()).toBe(0);
    for (const claim of ['age_band', 'region', 'diagnosis_codes']) expect(await window.locator(`[data-testid^="beyond-accreditation-${claim}"]`).count(), claim).toBe(0);
    // What it did not ask for but could be ticked is still marked where listed.
    expect(await window.getByTestId('beyond-accreditation-birthdate').count()).toBe(1);
    await rejectIn(window);
    expectError(await outcome, 4001);
  });

  test('a purpose outside the approved data uses and a claim outside the declared claims: each warned, and marked where listed', async () => {
    const { window, outcome } = await accredited(['age_band', 'region', 'medical_record_number'], [...RESEARCH_PURPOSES, 'duo:0000042']);
    expect(await window.getByTestId('requester-verified').count()).toBe(1);
    expect((await warnings(window)).sort()).toEqual([
      `It asks for medical_record_number, which the accreditation does not list for study ${STUDY_ID}.`,
      `\u201cGeneral research use\u201d is not among the data uses approved for study ${STUDY_ID}.`,
    ]);
    expect(await window.getByTestId('purpose-beyond-duo:0000042').count()).toBe(1);
    expect(await window.getByTestId('purpose-beyond-duo:0000006').count()).toBe(0);
    expect(await window.getByTestId('beyond-accreditation-medical_record_number').count()).toBe(1);
    expect(await window.getByTestId('direct-identifier-medical_record_number').count()).toBe(1);
    for (const claim of ['age_band', 'region']) expect(await window.getByTestId(`beyond-accreditation-${claim}`).count(), claim).toBe(0);
    await rejectIn(window);
    expectError(await outcome, 4001);
  });
});

describe('AI model training: its own consent, never implied', () => {
  const AI_BOX = `separate-purpose-${AI_TRAINING_PURPOSE}`;

  async function askWithAi(tick: boolean) {
    const window = await askOnPortal(h.context, portalPage, { mode: 'accredited', ai: true });
    expect(await window.getByTestId(AI_BOX).isChecked(), 'unticked by default').toBe(false);
    // The board did not approve AI model training for the study: warned and marked.
    expect(await window.getByTestId(`purpose-beyond-${AI_TRAINING_PURPOSE}`).count()).toBe(1);
    expect(await window.getByTestId('accreditation-warning').allTextContents()).toContain(`\u201cTraining AI models\u201d is not among the data uses approved for study ${STUDY_ID}.`);
    if (tick) await window.getByTestId(AI_BOX).check();
    await window.getByTestId('approve').click();
    await waitForClose(window);
    expect(await requestOutcome(portalPage)).toBe('granted');
    const id = await portalGrantId(portalPage);
    return { grant: await grantOf(portalPage, id), held: h.portal.portal.grants.get(portalOrigin(), id)! };
  }

  test('asked with AI training, approved without ticking it: neither the grant nor the receipt has it', async () => {
    const { grant, held } = await askWithAi(false);
    expect(grant.purposes).toEqual([...RESEARCH_PURPOSES]);
    expect(receiptGrant(held.receipt).purposes).not.toContain(AI_TRAINING_PURPOSE);
    expect(held.aiTraining).toBe(false);
    expect(await portalPage.getByTestId('ai-training-granted').getAttribute('data-state')).toBe('not-granted');
  });

  test('asked again and ticked: the grant and the receipt have it', async () => {
    const { grant, held } = await askWithAi(true);
    expect(grant.purposes).toEqual([...RESEARCH_PURPOSES, AI_TRAINING_PURPOSE]);
    expect(receiptGrant(held.receipt).purposes).toContain(AI_TRAINING_PURPOSE);
    expect(await portalPage.getByTestId('ai-training-granted').getAttribute('data-state')).toBe('granted');
  });
});

// Last: it moves the worker's clock, and leaves a second child's summary in the wallet.
describe('a guardian grant ends when the child comes of age', () => {
  const { birthdate, comesOfAge } = childComingOfAgeIn(20);

  test('the grant ends on the coming-of-age date: the job run then, the page hears grantExpired, access is 4100, the card says expired', async () => {
    const youngerId = await takeHealthSummary(h.context, clinicPage, { birthdate });
    expect(h.clinic.issuer.issued.at(-1)!.claims.coming_of_age_date).toBe(comesOfAge);
    const page = await openPortal(h.context, h.portal);
    const window = await askOnPortal(h.context, page, { mode: 'accredited' });
    await window.getByTestId(`candidate-child_health-${youngerId}`).check();
    await window.getByTestId('approve').click();
    await waitForClose(window);
    expect(await requestOutcome(page)).toBe('granted');
    const grantId = await portalGrantId(page);
    const ends = `${comesOfAge}T00:00:00.000Z`;
    expect((await grantOf(page, grantId)).expiresAt).toBe(ends);
    expect(h.portal.portal.grants.get(portalOrigin(), grantId)!.guardian).toEqual({ role: 'dpv:ParentOfDataSubject', comesOfAgeAt: comesOfAge });
    expectOk(await accessData(page, grantId, newNonce()));
    // An earlier grant (the child comes of age in 2037, its year's term runs on) must outlive the job.
    const [other] = (await siteGrants(page)).filter((g) => g.status === 'active' && g.id !== grantId);
    expect(other, 'another active grant').toBeDefined();

    const access = await openDashboardAt(h, 'access');
    expect(await textOf(access, `guardian-notice-${grantId}`)).toMatch(/\b(19|20) days\b/);

    await setWorkerClock(h.context, h.extensionId, new Date(Date.parse(ends) + 3_600_000));
    try {
      await fireAlarmNow(h.context, h.extensionId, 'tessera-grant-expiry');
      expect((await waitForProviderEvent(page, 'grantExpired', { timeoutMs: 15_000 })).data).toEqual({ grantId });
      expectError(await accessData(page, grantId, newNonce()), 4100);
    } finally {
      await setWorkerClock(h.context, h.extensionId, null);
    }
    expect(await page.getByTestId('research-status').getAttribute('data-reason')).toBe('grantExpired');
    expectError(await accessData(page, grantId, newNonce()), 4100);
    expect(await readOnPortal(page)).toBe('refused');
    const after = await siteGrants(page);
    expect(after.find((g) => g.id === grantId)?.status).toBe('expired');
    expect(after.find((g) => g.id === other!.id)?.status).toBe('active');

    await access.reload();
    await access.getByTestId('tab-access').click({ timeout: 15_000 });
    await expect.poll(() => textOf(access, `status-${grantId}`), { timeout: 10_000 }).toBe('expired');
    expect(await access.getByTestId(`guardian-notice-${grantId}`).count()).toBe(0);
    expect(await textOf(access, `status-${other!.id}`)).toBe('active');
    await Promise.all([access.close(), page.close()]);
  }, 120_000);
});
