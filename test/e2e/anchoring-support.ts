/**
 * Support for the chain-anchoring journeys (anchoring.e2e.ts, DESIGN.md §6): the
 * dashboard's anchoring settings driven as a user drives them, the wallet's anchoring
 * view read through the UI channel (what the dashboard itself asks), the chain read
 * with viem straight from the node, and the downloaded receipt kept as a file (to run
 * `npm run verify-receipt` on, through the demo's runVerifyReceipt).
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { createPublicClient, http, type Hex } from 'viem';
import { evaluateWith, extensionUrl } from '../../scripts/lib/extension-browser.ts';
import { TESSERA_ANCHOR_ABI } from '../../src/core/anchoring/tessera-anchor-artifact.ts';
import type { AnchorTransactionView, AnchoringView } from '../../src/protocol/anchoring-views.ts';
import type { ReceiptProof } from '../../src/protocol/receipt-proof.ts';
import { PASSWORD } from './credential-support.ts';

// ---------------------------------------------------------------------------
// The wallet's anchoring view
// ---------------------------------------------------------------------------

/** `getAnchoring` from an extension page, as the dashboard asks it; throws with the wallet's refusal. */
export async function anchoringView(page: Page): Promise<AnchoringView> {
  const reply = await evaluateWith<unknown, null>(
    page,
    async () => {
      const runtime = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime;
      return await runtime.sendMessage({ channel: 'ui', body: { command: 'getAnchoring' } });
    },
    null,
  );
  const answer = reply as { ok?: boolean; value?: AnchoringView; error?: unknown } | null;
  if (!answer?.ok || !answer.value) throw new Error(`getAnchoring: ${JSON.stringify(reply)}`);
  return answer.value;
}

export const inFlight = (tx: AnchorTransactionView) => tx.state === 'queued' || tx.state === 'sent';

/** Polls the view until `done` holds for it; fails after `timeoutMs` with the last view. */
export async function waitForView(page: Page, done: (view: AnchoringView) => boolean, what: string, timeoutMs = 60_000): Promise<AnchoringView> {
  const deadline = Date.now() + timeoutMs;
  let last: AnchoringView | null = null;
  for (;;) {
    last = await anchoringView(page);
    if (done(last)) return last;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms; the wallet's anchoring view: ${JSON.stringify(last, null, 1)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

// ---------------------------------------------------------------------------
// The dashboard's anchoring part (Settings)
// ---------------------------------------------------------------------------

/** Opens the dashboard at Settings, unlocking if it asks, and waits for the anchoring form. */
export async function openAnchoringSettings(context: BrowserContext, extensionId: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(extensionUrl(extensionId, 'dashboard/index.html#settings'));
  await unlockDashboardIfAsked(page);
  await page.getByTestId('anchoring-enabled').waitFor({ timeout: 30_000 });
  return page;
}

/** A dashboard reopened after the worker stopped may ask for the password (the queue waits while locked). */
export async function unlockDashboardIfAsked(page: Page): Promise<boolean> {
  const form = page.getByTestId('password');
  await form.or(page.getByTestId('tab-settings')).first().waitFor({ timeout: 30_000 });
  if (!(await form.isVisible())) return false;
  await form.fill(PASSWORD);
  await page.getByTestId('unlock').click();
  await page.getByTestId('tab-settings').waitFor({ timeout: 30_000 });
  return true;
}

export interface AnchoringFormInput {
  rpcUrl: string;
  contract: string;
  everyEntries: number;
  everyMinutes: number;
}

/** Fills the form and saves; `confirmPrivacy` answers the privacy notice asked when turning anchoring on. */
export async function saveAnchoringForm(page: Page, input: AnchoringFormInput & { enabled: boolean }, { confirmPrivacy = false } = {}): Promise<string> {
  const part = page.locator('#anchoring');
  await part.getByTestId('anchoring-enabled').setChecked(input.enabled);
  await part.getByTestId('anchoring-rpc').fill(input.rpcUrl);
  await part.getByTestId('anchoring-contract').fill(input.contract);
  await part.getByTestId('anchoring-every-entries').fill(String(input.everyEntries));
  await part.getByTestId('anchoring-every-minutes').fill(String(input.everyMinutes));
  await part.getByTestId('anchoring-save').click();
  if (confirmPrivacy) await part.getByTestId('confirm').click({ timeout: 10_000 });
  const saved = part.getByTestId('anchoring-saved');
  const error = part.getByTestId('anchoring-error');
  await saved.or(error).first().waitFor({ timeout: 30_000 });
  if (await error.isVisible()) throw new Error(`saving the anchoring settings: ${await error.innerText()}`);
  return (await saved.innerText()).trim();
}

export const textOf = async (page: Page, testId: string) => ((await page.getByTestId(testId).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

/** Waits until `anchoring-status` matches; fails with the text it had. */
export async function waitForStatus(page: Page, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  await page.bringToFront();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await textOf(page, 'anchoring-status');
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`anchoring-status stayed "${text}" (wanted ${pattern})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Retries every transaction the dashboard offers a retry for (`anchor-retry-<id>`: one
 * waiting after a failed send, or failed), one click per failed attempt, until none is
 * on its way or failed; returns the view then.
 */
export async function retryUntilSettled(page: Page, timeoutMs = 90_000): Promise<AnchoringView> {
  await page.bringToFront();
  const deadline = Date.now() + timeoutMs;
  const clicked = new Map<string, number>();
  for (;;) {
    const view = await anchoringView(page);
    const open = view.transactions.filter((tx) => inFlight(tx) || tx.state === 'failed');
    if (open.length === 0) return view;
    if (Date.now() > deadline) throw new Error(`transactions still on their way after ${timeoutMs} ms: ${JSON.stringify(open, null, 1)}`);
    for (const tx of open) {
      const button = page.getByTestId(`anchor-retry-${tx.id}`);
      // Once per failed attempt: a click on a row whose retry is already running changes nothing.
      if (clicked.get(tx.id) === tx.attempts || !(await button.isVisible()) || !(await button.isEnabled())) continue;
      await button.click().catch(() => undefined);
      clicked.set(tx.id, tx.attempts);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}

// ---------------------------------------------------------------------------
// The receipt download and verify-receipt
// ---------------------------------------------------------------------------

export interface ReceiptDownload {
  path: string;
  body: { grantId: string; receipt: string; receiptProof: ReceiptProof | null };
}

/** Clicks `receipt-<grant id>` and keeps the downloaded file as `<dir>/<name>`. */
export async function downloadReceipt(page: Page, grantId: string, dir: string, name = `receipt-${grantId}.json`): Promise<ReceiptDownload> {
  const button = page.getByTestId(`receipt-${grantId}`);
  await button.waitFor({ timeout: 30_000 });
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), button.click()]);
  const path = join(dir, name);
  await download.saveAs(path);
  return { path, body: JSON.parse(await readFile(path, 'utf8')) as ReceiptDownload['body'] };
}

/** Writes `body` (a changed download) next to the others and returns its path. */
export async function writeReceiptFile(dir: string, name: string, body: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `${JSON.stringify(body, null, 2)}\n`);
  return path;
}

// ---------------------------------------------------------------------------
// The chain, read from the node
// ---------------------------------------------------------------------------

export interface AnchoredEvent {
  treeSize: number;
  root: Hex;
  txHash: Hex;
  blockNumber: number;
}

export interface ChainReader {
  /** Every `Anchored(logId, …)` of the contract, in chain order. */
  anchored(logId: Hex): Promise<AnchoredEvent[]>;
  /** Every `Revoked(by, …)` of the contract: the receipt hashes, in chain order. */
  revoked(by: Hex): Promise<Hex[]>;
  revokedAt(by: Hex, receiptHash: Hex): Promise<number>;
  /** Transactions the account has sent (its nonce). */
  transactionCount(address: Hex): Promise<number>;
}

export function chainReader(rpcUrl: string, contract: Hex): ChainReader {
  const client = createPublicClient({ transport: http(rpcUrl) });
  return {
    anchored: async (logId) => {
      const logs = await client.getContractEvents({ address: contract, abi: TESSERA_ANCHOR_ABI, eventName: 'Anchored', args: { logId }, fromBlock: 0n });
      return logs.map((log) => ({
        treeSize: Number(log.args.treeSize),
        root: log.args.root as Hex,
        txHash: log.transactionHash,
        blockNumber: Number(log.blockNumber),
      }));
    },
    revoked: async (by) => {
      const logs = await client.getContractEvents({ address: contract, abi: TESSERA_ANCHOR_ABI, eventName: 'Revoked', args: { by }, fromBlock: 0n });
      return logs.map((log) => log.args.receiptHash as Hex);
    },
    revokedAt: async (by, receiptHash) =>
      Number(await client.readContract({ address: contract, abi: TESSERA_ANCHOR_ABI, functionName: 'revokedAt', args: [by, receiptHash] })),
    transactionCount: (address) => client.getTransactionCount({ address }),
  };
}

/** A base64url hash (how the wallet writes roots) as the contract's bytes32. */
export const base64UrlToHex = (text: string): Hex => `0x${Buffer.from(text, 'base64url').toString('hex')}`;

/** SHA-256 of the receipt JWT's ASCII bytes, 0x-hex: TesseraAnchor's receiptHash (DESIGN §6). */
export function receiptHashOf(receipt: string): Hex {
  return `0x${createHash('sha256').update(receipt, 'ascii').digest('hex')}`;
}
