/**
 * Every page usable by keyboard alone, with labelled controls: axe-core runs on
 * onboarding, unlock, the dashboard's parts, the popup, an identity approval and a
 * data-access approval, and finds no serious or critical violation. An approval is
 * answered with the keyboard only (Tab to approve, Enter), and the data-access
 * consent window reflows at 420 px × 200 % zoom (210 CSS px): nothing of the main
 * content scrolls sideways, and approve and reject stay reachable.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { extensionUrl, newNonce, onboard, requestIdentity, waitForApprovalPage } from '../../scripts/lib/extension-browser.ts';
import { expectAccessible, seriousViolations } from './axe-support.ts';
import { holdLibraryCard, startDataAccess } from './ui-consent-support.ts';
import { PASSWORD, expectOk, lockFromPopup, openDashboard, openPopup, openSite, startHarness, type Harness } from './support.ts';

let h: Harness;
let site: Page;

beforeAll(async () => {
  h = await startHarness({ serverCount: 1, onboarded: false });
});

afterAll(async () => {
  await h?.close();
});

describe('axe-core: no serious or critical violations', () => {
  test('onboarding', async () => {
    const page = await h.context.newPage();
    await page.goto(extensionUrl(h.extensionId, 'onboarding/index.html'));
    await page.getByTestId('new-password').waitFor({ timeout: 15_000 });
    const found = await seriousViolations(page);
    await page.close();
    // The later pages need a wallet, whatever this page's result.
    await onboard(h.context, h.extensionId, PASSWORD);
    site = await openSite(h.context, h.servers[0]!.url('127.0.0.1', '/plain'));
    expect(found, `onboarding: ${JSON.stringify(found, null, 2)}`).toEqual([]);
  });

  test('an identity approval, then answered by keyboard alone (Tab to approve, Enter)', async () => {
    const other = await openSite(h.context, h.servers[0]!.url('localhost', '/plain'));
    const approvalP = waitForApprovalPage(h.context);
    const outcome = requestIdentity(other, newNonce(), { timeoutMs: 30_000 });
    const approval = await approvalP;
    await approval.locator('[data-testid="approve"][data-armed="true"]').waitFor({ timeout: 15_000 });
    await expectAccessible(approval, 'identity approval');
    let focused = '';
    for (let presses = 0; presses < 20 && focused !== 'approve'; presses += 1) {
      await approval.keyboard.press('Tab');
      focused = await approval.evaluate(() => {
        const active = document.activeElement as HTMLElement | null;
        // Focus must be visible: the ring drawn by :focus-visible.
        if (active && active !== document.body && getComputedStyle(active).outlineStyle === 'none') return `invisible:${active.outerHTML.slice(0, 80)}`;
        return active?.dataset.testid ?? active?.tagName ?? '';
      });
      expect(focused).not.toMatch(/^invisible:/);
    }
    expect(focused).toBe('approve');
    await approval.keyboard.press('Enter');
    expect(expectOk(await outcome).did).toMatch(/^did:key:/);
    await other.close();
  });

  test('a data-access approval; it reflows at 420 px × 200 % with approve and reject in reach', async () => {
    await holdLibraryCard(h.context, site);
    const { approval, outcome } = await startDataAccess(h.context, site);
    await approval.locator('[data-testid="approve"][data-armed="true"]').waitFor({ timeout: 15_000 });
    expect(await approval.getByTestId('requester-unverified').count()).toBe(1);
    expect(await approval.getByTestId('purpose-dpv:ServiceProvision').count()).toBe(1);
    expect(await approval.getByTestId('separate-purpose-tessera:AIModelTraining').isChecked()).toBe(false);
    expect(await approval.getByTestId('claim-credentialSubject.card_number').isChecked()).toBe(true);
    await expectAccessible(approval, 'data-access approval');

    // 420 device pixels at 200 % zoom are 210 CSS pixels.
    await approval.setViewportSize({ width: 210, height: 480 });
    await approval.waitForTimeout(200);
    const layout = await approval.evaluate(() => {
      const root = document.scrollingElement ?? document.documentElement;
      const main = document.querySelector('.shell-main') as HTMLElement;
      const inView = (testId: string) => {
        const button = document.querySelector(`[data-testid="${testId}"]`) as HTMLElement;
        button.scrollIntoView({ block: 'nearest' });
        const box = button.getBoundingClientRect();
        const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        return box.left >= 0 && box.right <= window.innerWidth && box.bottom <= window.innerHeight && (hit === button || button.contains(hit));
      };
      // Named in a failure: what sticks out on the right.
      const wide = [...document.querySelectorAll<HTMLElement>('.shell-main *')]
        .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 0.5)
        .slice(0, 5)
        .map((element) => `${element.tagName.toLowerCase()}.${element.className}`);
      return { page: root.scrollWidth - root.clientWidth, main: main.scrollWidth - main.clientWidth, approve: inView('approve'), reject: inView('reject'), wide };
    });
    expect(layout, JSON.stringify(layout.wide)).toEqual({ page: 0, main: 0, approve: true, reject: true, wide: [] });
    await approval.getByTestId('approve').click();
    expectOk(await outcome);
  });

  test('the dashboard, each of its parts', async () => {
    const dashboard = await openDashboard(h);
    await dashboard.locator('[data-testid^="grant-"]').first().waitFor({ timeout: 15_000 });
    for (const tab of ['credentials', 'access', 'activity', 'settings']) {
      await dashboard.getByTestId(`tab-${tab}`).click();
      await expectAccessible(dashboard, `dashboard ${tab}`);
    }
    // A confirmation open is part of the page too.
    await dashboard.locator('[data-testid^="revoke-"]').first().click();
    await dashboard.getByTestId('confirm').waitFor();
    await expectAccessible(dashboard, 'dashboard with a confirmation');
    await dashboard.getByTestId('cancel').click();
    await dashboard.close();
  });

  test('the popup, unlocked (with its data grants) and locked (unlock)', async () => {
    const popup = await openPopup(h);
    await popup.locator('[data-testid^="data-grant-"]').first().waitFor({ timeout: 15_000 });
    await expectAccessible(popup, 'popup');
    await popup.close();
    await lockFromPopup(h);
    const locked = await openPopup(h);
    await locked.getByTestId('password').waitFor({ timeout: 15_000 });
    await expectAccessible(locked, 'popup unlock');
    await locked.close();
    const dashboard = await openDashboard(h);
    await dashboard.getByTestId('password').waitFor({ timeout: 15_000 });
    await expectAccessible(dashboard, 'dashboard unlock');
    await dashboard.close();
  });
});
