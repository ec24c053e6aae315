/**
 * Revoke → `Revoked` mined, in Chromium with the built extension (DESIGN.md §6: each
 * revocation is sent at once). The wallet is onboarded, holds the demo registry's
 * resident card, and has anchoring turned on in the dashboard's Settings (privacy
 * notice confirmed) against the development chain, its anchoring account funded.
 * Each measurement revokes a fresh data grant of the demo library in the dashboard's
 * Access tab; the clock (Node) starts right before the click on the in-page `confirm`:
 *
 * - with anchoring on: until the contract's revokedAt(account, SHA-256(receipt)) > 0,
 *   read with viem every 20 ms (the dashboard showing it revoked is kept as well);
 * - baseline, anchoring off (no chain at all): until the dashboard shows the grant
 *   revoked, seen by a MutationObserver in the page.
 *
 * The two alternate (ABBA); the policy is set so that no anchor falls due during the
 * rounds (every 100,000 entries or 7 days), so each chain measurement is the
 * revocation alone. Between measurements the wallet's queue is left to settle.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { receiptHash } from '../../src/core/anchoring/receipt-verification.ts';
import { createViemAnchorChain } from '../../src/core/anchoring/viem-chain.ts';
import type { AnchoringView } from '../../src/protocol/anchoring-views.ts';
import { ANCHOR_EVERY_ENTRIES_MAX, ANCHOR_EVERY_MINUTES_MAX } from '../../src/protocol/anchoring-views.ts';
import type { Hex } from '../../src/protocol/receipt-proof.ts';
import { startLibrary, type LibraryServer } from '../../demo/library/server.ts';
import { startRegistry, type RegistryServer } from '../../demo/registry/server.ts';
import type { DevChain } from '../lib/dev-chain.ts';
import {
  approveIn,
  evaluateWith,
  extensionUrl,
  launchWithExtension,
  onboard,
  requestInPage,
  waitForApprovalPage,
  waitForClose,
  type ExtensionBrowser,
} from '../lib/extension-browser.ts';

const PASSWORD = 'bench-password-4-tessera';
const FUNDING_WEI = 10n ** 19n;
const POLL_MS = 20;
const STEP_TIMEOUT_MS = 30_000;
const SETTLE_TIMEOUT_MS = 60_000;

type Mode = 'chain' | 'dashboard';

export interface ChainRevokeSample {
  round: number;
  grantId: string;
  receiptHash: Hex;
  /** Node clock: the confirm click → revokedAt > 0 read from the node. */
  minedMs: number;
  /** Node clock: the confirm click → the dashboard showed the grant revoked (same round). */
  shownMs: number;
  revokedAtBlock: number;
  /** revokedAt reads until it was non-zero. */
  polls: number;
}

export interface DashboardRevokeSample {
  round: number;
  grantId: string;
  /** Node clock: the confirm click → the dashboard showed the grant revoked. */
  shownMs: number;
}

export interface RevokeTiming {
  /** Measured rounds (the warm-up round is in `warmup`). */
  chain: ChainRevokeSample[];
  dashboard: DashboardRevokeSample[];
  warmup: { chain: ChainRevokeSample[]; dashboard: DashboardRevokeSample[] };
  account: Hex;
  notes: string[];
}

interface DataGrant {
  id: string;
  receipt: string;
}

export async function measureRevokeToMined(devChain: DevChain, extensionDir: string, rounds: number, log: (line: string) => void): Promise<RevokeTiming> {
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`the revoke timing needs at least 1 round, not ${rounds}`);
  const notes: string[] = [];
  let registry: RegistryServer | undefined;
  let library: LibraryServer | undefined;
  let browser: ExtensionBrowser | undefined;
  try {
    registry = await startRegistry();
    library = await startLibrary({ trustedIssuers: [registry.did] });
    browser = await launchWithExtension({ extensionDirs: [extensionDir] });
    const { context, extensionId } = browser;
    await onboard(context, extensionId, PASSWORD);
    await holdResidentCard(context, registry);

    const dashboard = await context.newPage();
    await dashboard.goto(extensionUrl(extensionId, 'dashboard/index.html#settings'));
    await turnAnchoringOnInSettings(dashboard, devChain);
    const view = await uiCommand<AnchoringView>(dashboard, { command: 'getAnchoring' });
    if (!view.account) throw new Error(`anchoring is on but the wallet shows no anchoring account: ${JSON.stringify(view)}`);
    const account = view.account.address;
    await devChain.fund(account, FUNDING_WEI);
    log(`  anchoring on in Settings; account ${account} funded`);

    const site = await context.newPage();
    await site.goto(library.url());
    await site.waitForFunction('typeof window.tessera === "object" && window.tessera !== null', undefined, { timeout: STEP_TIMEOUT_MS });

    const reader = createViemAnchorChain();
    const target = { rpcUrl: devChain.rpcUrl, contract: devChain.contract };
    const timing: RevokeTiming = { chain: [], dashboard: [], warmup: { chain: [], dashboard: [] }, account, notes };
    const total = rounds + 1;
    for (let round = 0; round < total; round++) {
      const order: Mode[] = round % 2 === 0 ? ['chain', 'dashboard'] : ['dashboard', 'chain'];
      for (const mode of order) {
        await setAnchoring(dashboard, devChain, mode === 'chain');
        await settled(dashboard);
        const grant = await dataGrant(context, site, library);
        await openAccess(dashboard, extensionId, grant.id);
        const hash = receiptHash(grant.receipt);
        const into = round === 0 ? timing.warmup : timing;
        if (mode === 'chain') {
          const sample = await timedRevoke(dashboard, grant.id, async () => {
            let polls = 0;
            const deadline = performance.now() + STEP_TIMEOUT_MS;
            for (;;) {
              polls++;
              const block = await reader.revokedAt(target, account, hash);
              if (block > 0) return { block, polls, at: performance.now() };
              if (performance.now() > deadline) throw new Error(`revokedAt(${account}, ${hash}) still 0 ${STEP_TIMEOUT_MS} ms after the click`);
              await sleep(POLL_MS);
            }
          });
          into.chain.push({ round, grantId: grant.id, receiptHash: hash, minedMs: sample.end.at - sample.clickAt, shownMs: sample.shownAt - sample.clickAt, revokedAtBlock: sample.end.block, polls: sample.end.polls });
        } else {
          const sample = await timedRevoke(dashboard, grant.id, async () => ({ at: performance.now() }));
          const block = await reader.revokedAt(target, account, hash);
          if (block !== 0) throw new Error(`anchoring was off, yet grant ${grant.id} was revoked on the chain (block ${block})`);
          into.dashboard.push({ round, grantId: grant.id, shownMs: sample.shownAt - sample.clickAt });
        }
      }
      const last = (round === 0 ? timing.warmup : timing).chain.at(-1);
      log(`  round ${round + 1}/${total}${round === 0 ? ' (warm-up)' : ''}: mined ${last?.minedMs.toFixed(0)} ms after the click`);
    }
    await setAnchoring(dashboard, devChain, true);
    await settled(dashboard);
    const after = await uiCommand<AnchoringView>(dashboard, { command: 'getAnchoring' });
    const failed = after.transactions.filter((tx) => tx.state === 'failed');
    if (failed.length > 0) notes.push(`anchoring timing: ${failed.length} wallet transactions failed: ${failed.map((tx) => tx.lastError).join('; ')}`);
    return timing;
  } finally {
    await browser?.close();
    await Promise.all([registry?.close(), library?.close()]);
  }
}

/**
 * Clicks `revoke-<id>` and then, clock started, the card's `confirm`; resolves when
 * both `end` and the dashboard showing the grant revoked have happened.
 */
async function timedRevoke<T extends { at: number }>(dashboard: Page, grantId: string, end: () => Promise<T>) {
  const card = dashboard.getByTestId(`grant-${grantId}`);
  await card.getByTestId(`revoke-${grantId}`).click({ timeout: STEP_TIMEOUT_MS });
  const confirm = card.getByTestId('confirm');
  await confirm.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  if (!(await confirm.isEnabled())) throw new Error(`the confirm of grant ${grantId} is disabled`);
  // The observer is in place before the click, so the change cannot be missed.
  const shown = evaluateWith(dashboard, pageWaitStatus, { grantId, status: 'revoked', timeoutMs: STEP_TIMEOUT_MS }).then((outcome) => {
    if (outcome !== 'seen') throw new Error(`the dashboard did not show grant ${grantId} revoked within ${STEP_TIMEOUT_MS} ms`);
    return performance.now();
  });
  shown.catch(() => undefined);
  const clickAt = performance.now();
  // Forced: the button was seen visible and enabled above, so Playwright's own checks would only add time.
  await confirm.click({ force: true, timeout: STEP_TIMEOUT_MS });
  const [reached, shownAt] = await Promise.all([end(), shown]);
  return { clickAt, end: reached, shownAt };
}

interface StatusWait {
  grantId: string;
  status: string;
  timeoutMs: number;
}

/** In the dashboard: resolves 'seen' once `status-<grantId>` reads `status` (checked on every DOM change). */
function pageWaitStatus(arg: StatusWait): Promise<'seen' | 'timeout'> {
  const selector = `[data-testid="status-${CSS.escape(arg.grantId)}"]`;
  const matches = () => document.querySelector(selector)?.textContent?.trim() === arg.status;
  return new Promise((resolveP) => {
    if (matches()) return resolveP('seen');
    const observer = new MutationObserver(() => {
      if (!matches()) return;
      observer.disconnect();
      clearTimeout(timer);
      resolveP('seen');
    });
    const timer = setTimeout(() => {
      observer.disconnect();
      resolveP('timeout');
    }, arg.timeoutMs);
    observer.observe(document.documentElement, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

/** The dashboard's anchoring form in Settings, as a user fills it: on, the chain, a policy, save, the privacy `confirm`. */
async function turnAnchoringOnInSettings(dashboard: Page, devChain: DevChain): Promise<void> {
  const part = dashboard.locator('#anchoring');
  await part.getByTestId('anchoring-enabled').waitFor({ timeout: STEP_TIMEOUT_MS });
  await part.getByTestId('anchoring-enabled').setChecked(true);
  await part.getByTestId('anchoring-rpc').fill(devChain.rpcUrl);
  await part.getByTestId('anchoring-contract').fill(devChain.contract);
  await part.getByTestId('anchoring-every-entries').fill(String(ANCHOR_EVERY_ENTRIES_MAX));
  await part.getByTestId('anchoring-every-minutes').fill(String(ANCHOR_EVERY_MINUTES_MAX));
  await part.getByTestId('anchoring-save').click();
  await part.getByTestId('confirm').click({ timeout: STEP_TIMEOUT_MS });
  const saved = part.getByTestId('anchoring-saved');
  const error = part.getByTestId('anchoring-error');
  await saved.or(error).first().waitFor({ timeout: STEP_TIMEOUT_MS });
  if (await error.isVisible()) throw new Error(`saving the anchoring settings: ${await error.innerText()}`);
}

/** Between measurements: anchoring on or off through the UI command the Settings form sends. */
async function setAnchoring(dashboard: Page, devChain: DevChain, enabled: boolean): Promise<void> {
  const view = await uiCommand<AnchoringView>(dashboard, {
    command: 'setAnchoring',
    enabled,
    rpcUrl: devChain.rpcUrl,
    contract: devChain.contract,
    everyEntries: ANCHOR_EVERY_ENTRIES_MAX,
    everyMinutes: ANCHOR_EVERY_MINUTES_MAX,
  });
  if (view.settings.enabled !== enabled) throw new Error(`setAnchoring(${enabled}) answered enabled ${view.settings.enabled}`);
}

/** Waits until no wallet transaction is queued or on its way (the last revocation confirmed). */
async function settled(dashboard: Page): Promise<void> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  for (;;) {
    const view = await uiCommand<AnchoringView>(dashboard, { command: 'getAnchoring' });
    const open = view.transactions.filter((tx) => tx.state === 'queued' || tx.state === 'sent');
    if (open.length === 0) return;
    if (Date.now() > deadline) throw new Error(`wallet transactions still on their way after ${SETTLE_TIMEOUT_MS} ms: ${JSON.stringify(open)}`);
    await sleep(100);
  }
}

/** A UI command from an extension page (chrome.runtime.sendMessage on the `ui` channel); throws with the wallet's refusal. */
async function uiCommand<T>(page: Page, body: Record<string, unknown>): Promise<T> {
  const reply = await evaluateWith<unknown, Record<string, unknown>>(
    page,
    async (command) => {
      const runtime = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime;
      return await runtime.sendMessage({ channel: 'ui', body: command });
    },
    body,
  );
  const answer = reply as { ok?: boolean; value?: T } | null;
  if (answer?.ok !== true || answer.value === undefined) throw new Error(`${String(body.command)}: the wallet answered ${JSON.stringify(reply)}`);
  return answer.value;
}

/** The registry issues its resident card to the wallet's DID there (identity approved), and the wallet keeps it. */
async function holdResidentCard(context: BrowserContext, registry: RegistryServer): Promise<void> {
  const page = await context.newPage();
  try {
    await page.goto(registry.url());
    await page.waitForFunction('typeof window.tessera === "object" && window.tessera !== null', undefined, { timeout: STEP_TIMEOUT_MS });
    const approval = waitForApprovalPage(context, { timeoutMs: STEP_TIMEOUT_MS });
    await page.getByTestId('issue-button').click();
    await decideApprove(await approval);
    const status = page.locator('[data-testid="issue-status"][data-state="issued"], [data-testid="issue-status"][data-state="error"]');
    await status.first().waitFor({ timeout: STEP_TIMEOUT_MS });
    if ((await page.getByTestId('issue-status').getAttribute('data-state')) !== 'issued') {
      throw new Error(`the registry did not issue: ${await page.getByTestId('registry-error').textContent()}`);
    }
    const holder = ((await page.getByTestId('holder-did').textContent()) ?? '').trim();
    const resident = registry.issuer.issued.find((c) => c.holder === holder && c.kind === 'resident');
    if (!resident) throw new Error(`the registry issued no resident card to ${holder}`);
    const offerApproval = waitForApprovalPage(context, { timeoutMs: STEP_TIMEOUT_MS });
    const offered = requestInPage<{ id: string }>(page, { method: 'wallet_offerCredential', params: { credential: resident.credential } }, { timeoutMs: STEP_TIMEOUT_MS });
    await decideApprove(await offerApproval);
    const outcome = await offered;
    if (!outcome.ok) throw new Error(`wallet_offerCredential: ${JSON.stringify(outcome.error)}`);
  } finally {
    await page.close();
  }
}

/** The library asks for data access; the consent window is approved (not timed). */
async function dataGrant(context: BrowserContext, site: Page, library: LibraryServer): Promise<DataGrant> {
  const { params } = library.ask(new URL(site.url()).origin);
  const approval = waitForApprovalPage(context, { timeoutMs: STEP_TIMEOUT_MS });
  const answer = requestInPage<{ grant: { id: string }; receipt: string }>(site, { method: 'wallet_requestDataAccess', params }, { timeoutMs: 2 * STEP_TIMEOUT_MS });
  await decideApprove(await approval);
  const outcome = await answer;
  if (!outcome.ok) throw new Error(`wallet_requestDataAccess: ${JSON.stringify(outcome.error)}`);
  return { id: outcome.value.grant.id, receipt: outcome.value.receipt };
}

/** The dashboard reopened at Access (so it lists the new grant), with the grant's revoke button there. */
async function openAccess(dashboard: Page, extensionId: string, grantId: string): Promise<void> {
  const url = extensionUrl(extensionId, 'dashboard/index.html#access');
  // A goto that changes only the hash would not reload the page.
  if (dashboard.url() === url) await dashboard.reload();
  else await dashboard.goto(url);
  // In front, as for a user clicking in it: a background tab gets no animation frames, and the click waits for them.
  await dashboard.bringToFront();
  await dashboard.getByTestId(`revoke-${grantId}`).waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
}

async function decideApprove(window: Page): Promise<void> {
  await approveIn(window, { password: PASSWORD });
  await waitForClose(window);
}

const sleep = (ms: number) => new Promise<void>((resolveSleep) => setTimeout(resolveSleep, ms));
