/**
 * The research-access UI end to end (DESIGN §7, §8), in a real Chromium with the built
 * extension: the dashboard's accreditation list and data categories; a verified
 * requester's consent window (its facts, the warnings beyond its accreditation, the
 * minimised claim set, direct identifiers, the guardian role, AI training unticked,
 * no serious axe finding); the grant card as guardian with the coming-of-age notice;
 * an unverified requester refused the health credential with the reason, until the
 * user makes health not sensitive; a credential's categories set by hand and back.
 */
import type { Page } from 'playwright-core';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { approveIn, newNonce, rejectIn, requestIdentity, requestInPage, waitForApprovalPage } from '../../scripts/lib/extension-browser.ts';
import { createTestKey, type TestKey } from '../support/issuers.ts';
import { INSTITUTION, STUDY_ID, isoDay, issueAccreditation, issueChildHealthSummary, researchRequest, signRequesterVp } from '../support/research.ts';
import { holderJwk } from './credential-support.ts';
import { startDataAccess, type DataGrantResult } from './ui-consent-support.ts';
import { expectOk, openDashboard, openSite, originOf, startHarness, type Harness } from './support.ts';

const BODY_LABEL = 'Aldmere Research Ethics Board';
const DAY_MS = 86_400_000;

let h: Harness;
let clinic: Page;
let portal: Page;
let portalOrigin: string;
let body: TestKey;
let requester: TestKey;
let credentialId: string;

/** A request as the portal makes it: with its accreditation for this nonce unless `unverified`. */
async function portalRequest({ aiTraining = false, unverified = false } = {}) {
  const nonce = newNonce();
  if (unverified) return researchRequest({ nonce, aiTraining });
  const accreditation = await issueAccreditation(body, requester.did, { origins: [portalOrigin] });
  const vp = await signRequesterVp(requester, { origin: portalOrigin, nonce, credentials: [accreditation], study: STUDY_ID });
  return researchRequest({ nonce, requester: vp, aiTraining });
}

async function armed(approval: Page): Promise<void> {
  await approval.locator('[data-testid="approve"][data-armed="true"]').waitFor({ timeout: 15_000 });
}

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core's serious and critical findings on the page (as accessibility.e2e.ts runs it). */
async function seriousViolations(page: Page): Promise<unknown[]> {
  await page.evaluate(await readFile(AXE_PATH, 'utf8'));
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown }[] }[] }> } }).axe;
    const { violations } = await axe.run(document, { resultTypes: ['violations'] });
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target) }));
  });
}

beforeAll(async () => {
  h = await startHarness({ serverCount: 1, onboarded: true });
  const server = h.servers[0]!;
  clinic = await openSite(h.context, server.url('127.0.0.1', '/plain'));
  portal = await openSite(h.context, server.url('localhost', '/plain'));
  portalOrigin = originOf(portal.url());
  [body, requester] = await Promise.all([createTestKey(), createTestKey()]);

  // The clinic logs the parent in and offers the child's health summary, bound to that login's key.
  const loginApproval = waitForApprovalPage(h.context);
  const login = requestIdentity(clinic, newNonce(), { timeoutMs: 30_000 });
  await approveIn(await loginApproval);
  const clinicKey = await createTestKey();
  const credential = await issueChildHealthSummary(clinicKey, holderJwk(expectOk(await login).did), isoDay(Date.now() + 20 * DAY_MS));
  const offerApproval = waitForApprovalPage(h.context);
  const offer = requestInPage<{ id: string }>(clinic, { method: 'wallet_offerCredential', params: { credential } }, { timeoutMs: 30_000 });
  await approveIn(await offerApproval);
  credentialId = expectOk(await offer).id;
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('research access in the UI', () => {
  test('Settings: the accreditation body is added to its own list', async () => {
    const dashboard = await openDashboard(h);
    await dashboard.getByTestId('tab-settings').click();
    await dashboard.getByTestId('accreditors-empty').waitFor({ timeout: 15_000 });
    await dashboard.getByTestId('accreditor-did').fill('did:key has spaces');
    await dashboard.getByTestId('accreditor-add').click();
    expect(await dashboard.getByTestId('accreditor-error').textContent()).toMatch(/not a DID/);
    await dashboard.getByTestId('accreditor-did').fill(body.did);
    await dashboard.getByTestId('accreditor-label').fill(BODY_LABEL);
    await dashboard.getByTestId('accreditor-add').click();
    await dashboard.getByTestId(`accreditor-${body.did}`).waitFor({ timeout: 10_000 });
    // Separate from the credential issuers.
    expect(await dashboard.getByTestId(`trusted-${body.did}`).count()).toBe(0);
    expect(await dashboard.getByTestId('category-sensitive-health').isChecked()).toBe(true);
    await dashboard.close();
  });

  test('a verified requester: its facts, the warnings, the least identifying claims, the guardian; AI training only if ticked', async () => {
    const { approval, outcome } = await startDataAccess(h.context, portal, await portalRequest({ aiTraining: true }));
    await armed(approval);
    const badge = (await approval.getByTestId('requester-verified').textContent()) ?? '';
    for (const fact of [INSTITUTION, 'Childhood asthma and air quality', STUDY_ID, 'AERB-2026-117', BODY_LABEL, 'Health, medical or biomedical research', 'duo:0000007', 'health']) {
      expect(badge).toContain(fact);
    }
    // Training AI models is not among the study's data uses: warned, marked, and its box unticked.
    expect(await approval.getByTestId('accreditation-warning').count()).toBeGreaterThanOrEqual(1);
    expect(await approval.getByTestId('purpose-beyond-tessera:AIModelTraining').count()).toBe(1);
    expect(await approval.getByTestId('separate-purpose-tessera:AIModelTraining').isChecked()).toBe(false);
    if (process.env.RESEARCH_UI_SHOTS) await approval.screenshot({ path: `${process.env.RESEARCH_UI_SHOTS}/verified-consent.png`, fullPage: true });
    // The wallet proposed age band and region, not the birth date and address; those are flagged.
    expect(await approval.getByTestId('minimised-child_health').count()).toBe(1);
    for (const claim of ['age_band', 'region', 'diagnosis_codes.0']) expect(await approval.getByTestId(`claim-${claim}`).isChecked()).toBe(true);
    for (const claim of ['birthdate', 'address.street_address', 'medical_record_number', 'given_name']) {
      expect(await approval.getByTestId(`claim-${claim}`).isChecked()).toBe(false);
      expect(await approval.getByTestId(`direct-identifier-${claim}`).count()).toBe(1);
    }
    expect(await approval.getByTestId('beyond-accreditation-birthdate').count()).toBe(1);
    expect(await approval.getByTestId('beyond-accreditation-age_band').count()).toBe(0);
    expect(await approval.getByTestId('guardian-role').textContent()).toMatch(/child.s parent.*comes of age/);
    // The year asked for is cut to the coming of age, and the terms say so.
    expect(await approval.getByTestId('term-duration').textContent()).toMatch(/when the child comes of age.*365 days asked/);
    expect(await seriousViolations(approval)).toEqual([]);
    // 420 px at 200 % zoom (210 CSS px): the long DIDs and flags wrap, nothing scrolls sideways.
    await approval.setViewportSize({ width: 210, height: 480 });
    await approval.waitForTimeout(200);
    const wide = await approval.evaluate(() => {
      const root = document.scrollingElement ?? document.documentElement;
      const sticking = [...document.querySelectorAll<HTMLElement>('.shell-main *')].filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5);
      return { overflow: root.scrollWidth - root.clientWidth, sticking: sticking.slice(0, 5).map((el) => `${el.tagName.toLowerCase()}.${el.className}`) };
    });
    expect(wide).toEqual({ overflow: 0, sticking: [] });
    await approval.setViewportSize({ width: 720, height: 900 });

    await approval.getByTestId('approve').click();
    const { grant } = expectOk(await outcome) as DataGrantResult;
    expect(grant.purposes).not.toContain('tessera:AIModelTraining');
    const shared = new Set(grant.credentials[0]?.claimPaths.map((path) => path[0]));
    expect([...shared].sort()).toEqual(['age_band', 'diagnosis_codes', 'region']);

    const dashboard = await openDashboard(h);
    await dashboard.getByTestId('tab-access').click();
    await dashboard.getByTestId(`grant-${grant.id}`).waitFor({ timeout: 15_000 });
    expect(await dashboard.getByTestId(`grant-requester-${grant.id}`).textContent()).toContain(INSTITUTION);
    expect(await dashboard.getByTestId(`grant-guardian-${grant.id}`).textContent()).toMatch(/Shared as parent.*Ends when the child comes of age on/);
    expect(await dashboard.getByTestId(`guardian-notice-${grant.id}`).textContent()).toMatch(/in (19|20) days/);
    await dashboard.close();
  });

  test('an unverified requester: the health credential is refused with the reason, until health is not sensitive', async () => {
    const first = await startDataAccess(h.context, portal, await portalRequest({ unverified: true }));
    await armed(first.approval);
    expect(await first.approval.getByTestId('requester-unverified').textContent()).toMatch(/did not prove who it is/);
    expect(await first.approval.getByTestId(`blocked-${credentialId}`).textContent()).toMatch(/health data/);
    expect(await first.approval.getByTestId('approval-refused').count()).toBe(1);
    expect(await first.approval.getByTestId('approve').isDisabled()).toBe(true);
    expect(await seriousViolations(first.approval)).toEqual([]);
    await rejectIn(first.approval);
    expect((await first.outcome).ok).toBe(false);

    const dashboard = await openDashboard(h);
    await dashboard.getByTestId('tab-settings').click();
    await dashboard.getByTestId('category-sensitive-health').uncheck();
    await dashboard.getByTestId('research-policy-save').click();
    await dashboard.getByTestId('research-policy-saved').waitFor({ timeout: 10_000 });

    const second = await startDataAccess(h.context, portal, await portalRequest({ unverified: true }));
    await armed(second.approval);
    expect(await second.approval.getByTestId(`blocked-${credentialId}`).count()).toBe(0);
    expect(await second.approval.getByTestId('approve').isDisabled()).toBe(false);
    await rejectIn(second.approval);
    await second.outcome;

    await dashboard.getByTestId('category-sensitive-health').check();
    await dashboard.getByTestId('research-policy-save').click();
    await dashboard.getByTestId('research-policy-saved').waitFor({ timeout: 10_000 });
    await dashboard.close();
  });

  test('a credential’s categories: automatic from its type, set by hand, then automatic again', async () => {
    const dashboard = await openDashboard(h);
    await dashboard.goto(`${dashboard.url().split('#')[0]}#credential=${credentialId}`);
    const categories = dashboard.getByTestId('credential-categories');
    await expect.poll(() => categories.textContent(), { timeout: 15_000 }).toMatch(/health.*automatic/);
    await dashboard.getByTestId('credential-categories-edit').click();
    await dashboard.getByTestId('credential-category-health').uncheck();
    await dashboard.getByTestId('credential-categories-save').click();
    await expect.poll(() => categories.textContent(), { timeout: 10_000 }).toMatch(/In no category.*set by you/);
    await dashboard.getByTestId('credential-categories-auto').click();
    await expect.poll(() => categories.textContent(), { timeout: 10_000 }).toMatch(/health.*automatic/);
    await dashboard.close();
  });

  test('a body removed from the list: the same accreditation no longer verifies', async () => {
    const dashboard = await openDashboard(h);
    await dashboard.getByTestId('tab-settings').click();
    await dashboard.getByTestId(`accreditor-remove-${body.did}`).click();
    await dashboard.getByTestId('accreditors-empty').waitFor({ timeout: 10_000 });
    await dashboard.close();
    const { approval, outcome } = await startDataAccess(h.context, portal, await portalRequest());
    await armed(approval);
    expect(await approval.getByTestId('requester-unverified').count()).toBe(1);
    expect(await approval.getByTestId(`blocked-${credentialId}`).count()).toBe(1);
    await rejectIn(approval);
    await outcome;
  });
});
