/**
 * The dashboard's credential management: import by paste and by file (the same checks
 * as an offer), the detail view with the raw form, delete with confirmation, and the
 * issuer trust list that flags or vouches for issuers on every card.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { approveIn, requestIdentity, waitForApprovalPage } from '../../scripts/lib/extension-browser.ts';
import { createTestIssuer, issueJwtVc, withTamperedSignature, type TestIssuer } from '../support/issuers.ts';
import { expectOk, openDashboard, openSite, type Harness, startHarness } from './support.ts';

let h: Harness;
let dashboard: Page;
let issuer: TestIssuer;
let holderDid: string;

beforeAll(async () => {
  h = await startHarness({ serverCount: 1, onboarded: true });
  // The wallet needs a DID a credential can be bound to: a site's pairwise DID.
  const site = await openSite(h.context, h.servers[0]!.url('127.0.0.1', '/plain'));
  const pending = requestIdentity(site);
  await approveIn(await waitForApprovalPage(h.context));
  holderDid = expectOk(await pending).did;
  issuer = await createTestIssuer();
  dashboard = await openDashboard(h);
});

afterAll(async () => {
  await h?.close();
});

describe('import', () => {
  test('a pasted credential bound to the wallet is verified and listed, with its issuer flagged unknown', async () => {
    const credential = await issueJwtVc(issuer, { subjectDid: holderDid, types: ['LibraryCard'], claims: { member_number: 'A-1024' } });
    await dashboard.getByTestId('import-credential-text').fill(credential);
    await dashboard.getByTestId('import-credential').click();
    await expect.poll(() => dashboard.getByTestId('import-result').textContent(), { timeout: 15_000 }).not.toMatch(/Not imported/);
    const card = dashboard.locator('[data-testid^="credential-"]', { hasText: 'LibraryCard' }).first();
    await card.waitFor({ timeout: 15_000 });
    await expect.poll(() => card.textContent()).toMatch(/Unknown issuer/);
  });

  test('a tampered credential is refused with the precise reason and nothing is added', async () => {
    const before = await dashboard.locator('[data-testid^="credential-status-"]').count();
    const credential = await issueJwtVc(issuer, { subjectDid: holderDid, types: ['LibraryCard'], claims: { member_number: 'B-1' } });
    await dashboard.getByTestId('import-credential-text').fill(withTamperedSignature(credential));
    await dashboard.getByTestId('import-credential').click();
    await expect.poll(() => dashboard.getByTestId('import-result').textContent(), { timeout: 15_000 }).toMatch(/Not imported: .*signature/i);
    expect(await dashboard.locator('[data-testid^="credential-status-"]').count()).toBe(before);
  });

  test('a credential bound to someone else is refused', async () => {
    const stranger = await createTestIssuer();
    const credential = await issueJwtVc(issuer, { subjectDid: stranger.did, claims: { member_number: 'C-3' } });
    await dashboard.getByTestId('import-credential-text').fill(credential);
    await dashboard.getByTestId('import-credential').click();
    await expect.poll(() => dashboard.getByTestId('import-result').textContent(), { timeout: 15_000 }).toMatch(/Not imported: .*does not hold/);
  });

  test('a credential chosen as a file is imported the same way', async () => {
    const credential = await issueJwtVc(issuer, { subjectDid: holderDid, types: ['GymPass'], claims: { tier: 'gold' } });
    await dashboard.getByTestId('import-credential-file').setInputFiles({ name: 'gym.jwt', mimeType: 'text/plain', buffer: Buffer.from(credential) });
    await expect.poll(() => dashboard.getByTestId('import-credential-text').inputValue(), { timeout: 5_000 }).toBe(credential);
    await dashboard.getByTestId('import-credential').click();
    await dashboard.locator('[data-testid^="credential-"]', { hasText: 'GymPass' }).first().waitFor({ timeout: 15_000 });
  });
});

describe('trust list', () => {
  test('trusting the issuer vouches for it on its cards; removing it flags it again', async () => {
    await dashboard.getByTestId('trust-did').fill(issuer.did);
    await dashboard.getByTestId('trust-label').fill('City Library');
    await dashboard.getByTestId('trust-add').click();
    await dashboard.getByTestId(`trusted-${issuer.did}`).waitFor({ timeout: 10_000 });
    const card = dashboard.locator('[data-testid^="credential-"]', { hasText: 'LibraryCard' }).first();
    await expect.poll(() => card.textContent(), { timeout: 10_000 }).toMatch(/City Library/);
    await dashboard.getByTestId(`untrust-${issuer.did}`).click();
    await dashboard.getByTestId(`trusted-${issuer.did}`).waitFor({ state: 'detached', timeout: 10_000 });
    await expect.poll(() => card.textContent(), { timeout: 10_000 }).toMatch(/Unknown issuer/);
  });

  test('a malformed DID is refused with a precise error', async () => {
    await dashboard.getByTestId('trust-did').fill('not-a-did');
    await dashboard.getByTestId('trust-label').fill('Nobody');
    await dashboard.getByTestId('trust-add').click();
    await expect.poll(() => dashboard.getByTestId('trust-error').textContent(), { timeout: 10_000 }).toMatch(/DID/);
  });
});

describe('detail and delete', () => {
  test('the detail view shows every claim and the raw form; delete asks first, cancel keeps it, confirm removes it', async () => {
    const card = dashboard.locator('[data-testid^="credential-"]', { hasText: 'GymPass' }).first();
    const testId = await card.getAttribute('data-testid');
    const id = testId!.slice('credential-'.length);
    await card.click();
    const detail = dashboard.getByTestId('credential-detail');
    await detail.waitFor({ timeout: 10_000 });
    await expect.poll(() => detail.textContent()).toMatch(/gold/);
    await dashboard.getByTestId('credential-raw').click();
    await expect.poll(() => dashboard.getByTestId('credential-raw').textContent()).toMatch(/^Raw credential[\s\S]*eyJ/);

    await dashboard.getByTestId(`delete-${id}`).click();
    await dashboard.getByTestId('cancel-delete').click();
    await expect.poll(() => dashboard.getByTestId('credential-detail').count()).toBe(1);

    await dashboard.getByTestId(`delete-${id}`).click();
    await dashboard.getByTestId('confirm-delete').click();
    // The detail view has no card of its own, so wait for the wallet's answer (the
    // notice on the list), not for the card to be absent: a reload before the answer
    // would reopen the detail from the URL.
    await dashboard.getByTestId('credential-notice').waitFor({ timeout: 10_000 });
    expect(await dashboard.getByTestId(`credential-${id}`).count()).toBe(0);
    // Gone from the wallet, not just from the page.
    await dashboard.reload();
    await dashboard.locator('[data-testid^="credential-"]', { hasText: 'LibraryCard' }).first().waitFor({ timeout: 10_000 });
    expect(await dashboard.locator('[data-testid^="credential-"]', { hasText: 'GymPass' }).count()).toBe(0);
  });
});

