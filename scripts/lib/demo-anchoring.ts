/**
 * The chain-anchoring part of `npm start` (DESIGN.md §6), on the development chain the
 * demo starts:
 * - headless (`anchoringJourney`): Settings → anchoring turned on after the privacy
 *   notice with the chain's RPC URL and contract typed in; the anchoring account funded
 *   on the development chain; a data grant at the library; "Anchor now" while the node
 *   holds the transaction unmined (pending), then mined (anchored); the receipt
 *   downloaded with its proof; `npm run verify-receipt` on it (verified); the grant
 *   revoked in the dashboard and the revocation mined; `verify-receipt` again (revoked,
 *   with the block). A screenshot per state and the command's output in the walk's.
 * - with a display (`fundAnchoringAccounts`): funds each anchoring account once a
 *   dashboard shows it, so a person trying the demo can anchor without a faucet.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import type { DevChain } from './dev-chain.ts';
import { approveIn, extensionUrl, waitForApprovalPage, waitForClose } from './extension-browser.ts';
import type { LibraryServer } from '../../demo/library/server.ts';

const root = resolve(import.meta.dirname, '../..');

/** What the demo's walk gives each part: its numbered steps and its screenshots. */
export interface DemoWalk {
  step<T>(title: string, run: () => Promise<{ value: T; lines: string[] }>): Promise<T>;
  /** A whole-page screenshot; returns its path for the output. */
  shot(page: Page, name: string): Promise<string>;
  /** A screenshot of one part of a page (a dashboard section). */
  shotOf(part: Locator, name: string): Promise<string>;
  /** The walk's artifacts folder (the downloaded receipt is kept there too). */
  dir: string;
}

/** What the demo sends the anchoring account on the development chain. */
export const DEMO_FUNDING_WEI = 10n ** 18n;

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run verify-receipt -- <file> --rpc <url>` in the repository, as an auditor runs it. */
export function runVerifyReceipt(file: string, rpcUrl: string, timeoutMs = 90_000): Promise<CommandResult> {
  return new Promise((resolveRun, reject) => {
    const child = spawn('npm', ['run', '--silent', 'verify-receipt', '--', file, '--rpc', rpcUrl], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`verify-receipt did not finish within ${timeoutMs} ms; its output so far:\n${stdout}${stderr}`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code, stdout, stderr });
    });
  });
}

/** One JSON-RPC call to the development node (its own evm_* methods included). */
async function nodeCall(rpcUrl: string, method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message?: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message ?? JSON.stringify(body.error)}`);
  return body.result;
}

const textOf = async (page: Page, testId: string) => ((await page.getByTestId(testId).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();

/** Polls `read` until `done` holds; fails after `timeoutMs` saying what it last read. */
async function waitUntil(what: string, read: () => Promise<string>, done: (text: string) => boolean, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = await read();
    if (done(text)) return text;
    if (Date.now() > deadline) throw new Error(`${what}: still "${text}" after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const statusOf = (page: Page) => textOf(page, 'anchoring-status');

/** The command's output as the walk's lines, with its exit code. */
const outputLines = (result: CommandResult) => [
  '$ npm run verify-receipt -- <file> --rpc <development chain>',
  ...`${result.stdout}${result.stderr}`.trimEnd().split('\n').map((line) => `  ${line}`),
  `exit code ${result.code}`,
];

export async function anchoringJourney(walk: DemoWalk, context: BrowserContext, extensionId: string, library: LibraryServer, chain: DevChain): Promise<void> {
  const { step, shot, shotOf } = walk;

  const { dashboard, account } = await step('Settings → chain anchoring: turned on after the privacy notice, the development chain typed in', async () => {
    const page = await context.newPage();
    await page.goto(extensionUrl(extensionId, 'dashboard/index.html#settings'));
    const part = page.locator('#anchoring');
    await part.getByTestId('anchoring-enabled').waitFor({ timeout: 30_000 });
    const off = await statusOf(page);
    await part.getByTestId('anchoring-enabled').check();
    await part.getByTestId('anchoring-rpc').fill(chain.rpcUrl);
    await part.getByTestId('anchoring-contract').fill(chain.contract);
    await part.getByTestId('anchoring-save').click();
    await part.getByTestId('confirm').waitFor({ timeout: 10_000 });
    const question = await shotOf(part, 'anchoring-privacy-question');
    await part.getByTestId('confirm').click();
    const saved = part.getByTestId('anchoring-saved');
    const error = part.getByTestId('anchoring-error');
    await saved.or(error).first().waitFor({ timeout: 30_000 });
    if (await error.isVisible()) throw new Error(`the settings were not saved: ${await error.innerText()}`);
    await part.getByTestId('anchoring-address').waitFor({ timeout: 10_000 });
    const address = await textOf(page, 'anchoring-address');
    const settings = await shotOf(part, 'anchoring-settings');
    return {
      value: { dashboard: page, account: address as `0x${string}` },
      lines: [
        `before: ${off}`,
        `RPC ${chain.rpcUrl}, contract ${chain.contract}, every ${await part.getByTestId('anchoring-every-entries').inputValue()} entries or ${await part.getByTestId('anchoring-every-minutes').inputValue()} minutes`,
        'asked first: every receipt proof names the same anchoring account, so sites comparing proofs could link the grants',
        `${await textOf(page, 'anchoring-saved')} Anchoring account ${address} (created in the vault)`,
        `status: ${await statusOf(page)}`,
        'the first anchor is due at once (nothing is anchored yet), revocations made while anchoring was off are queued too; the account has no ether yet',
        `screenshots ${question}, ${settings}`,
      ],
    };
  });

  await step('Fund the anchoring account on the development chain; the dashboard shows its balance', async () => {
    await chain.fund(account, DEMO_FUNDING_WEI);
    const balance = await waitUntil('the balance', () => textOf(dashboard, 'anchoring-balance'), (text) => text === '1.0000 ETH', 45_000);
    // Turned on, the wallet anchored at once (its first anchor is due), before the account had ether: that one waits for a retry.
    const lines = [`sent 1 ETH from the development chain's account 0 (${chain.deployer}); balance shown: ${balance}`];
    const waiting = await dashboard.locator('li[data-testid^="anchor-tx-"]').filter({ has: dashboard.locator('[data-testid^="anchor-retry-"]') }).all();
    for (const row of waiting) {
      const kind = ((await row.locator('strong').first().textContent()) ?? '').trim();
      const error = ((await row.locator('[data-testid^="anchor-tx-error-"]').textContent().catch(() => null)) ?? 'no error given').trim();
      lines.push(`${kind} waited: ${error}`);
    }
    // A retry sends what waits behind it too: a row whose button went meanwhile needs no click.
    for (const row of waiting) await row.locator('[data-testid^="anchor-retry-"]').click({ timeout: 5_000 }).catch(() => undefined);
    if (waiting.length > 0) lines.push(`"Retry now" clicked on ${waiting.length === 1 ? 'it' : `each of the ${waiting.length}`}`);
    const status = await waitUntil('the first anchor', () => statusOf(dashboard), (text) => /^(Anchored|Not anchored yet)\b/.test(text) && !/pending|failed/.test(text), 90_000);
    lines.push(`status: ${status}`, `screenshot ${await shotOf(dashboard.locator('#anchoring'), 'anchoring-funded')}`);
    return { value: undefined, lines };
  });

  const grant = await step('A data grant at the library: "Get a library card" approved in the consent window', async () => {
    const page = await context.newPage();
    await page.goto(library.url());
    await page.waitForFunction('document.querySelector("[data-testid=provider-hint]")?.dataset.found === "true"', undefined, { timeout: 10_000 });
    const before = library.verifications.length;
    const approvalP = waitForApprovalPage(context);
    await page.getByTestId('join-button').click();
    const approval = await approvalP;
    await approval.locator('[data-testid="approve"]:not([disabled])').waitFor({ timeout: 15_000 });
    await approveIn(approval);
    await waitForClose(approval);
    await waitUntil('the library card', async () => (await page.getByTestId('library-status').getAttribute('data-state')) ?? '', (s) => ['member', 'declined', 'error'].includes(s), 30_000);
    const verified = library.verifications.slice(before).find((v) => v.kind === 'grant' && v.ok);
    if (!verified?.grantId || !verified.receipt) throw new Error(`the library verified no grant: ${await textOf(page, 'library-error')}`);
    const file = await shot(page, 'library-member-anchored-demo');
    await page.close();
    return { value: { id: verified.grantId }, lines: [`grant ${verified.grantId}; its consent receipt is committed to by a grant.given entry of the activity log`, `screenshot ${file}`] };
  });

  const anchoredSize = await step('"Anchor now": the anchor is sent and waits to be mined (pending)', async () => {
    await dashboard.bringToFront();
    await dashboard.getByTestId('tab-settings').click();
    await waitUntil('"Anchor now"', async () => String(await dashboard.getByTestId('anchor-now').isEnabled()), (t) => t === 'true', 30_000);
    // The development chain mines on arrival; it holds the block back here so the pending state can be seen.
    await nodeCall(chain.rpcUrl, 'evm_setAutomine', [false]);
    try {
      await dashboard.getByTestId('anchor-now').click();
      const status = await waitUntil('the pending anchor', () => statusOf(dashboard), (text) => /^Anchoring [\d,]+ entr/.test(text), 30_000);
      const size = Number(/^Anchoring ([\d,]+)/.exec(status)![1]!.replace(/,/g, ''));
      const state = await waitUntil('the anchor transaction', () => textOf(dashboard, `anchor-tx-state-an-${size}`), (t) => t === 'Sent, waiting to be mined', 30_000);
      const file = await shotOf(dashboard.locator('#anchoring'), 'anchoring-pending');
      return { value: size, lines: [`status: ${status}`, `transaction: ${state} (the development chain holds it unmined: evm_setAutomine false)`, `screenshot ${file}`] };
    } finally {
      await nodeCall(chain.rpcUrl, 'evm_setAutomine', [true]);
      await nodeCall(chain.rpcUrl, 'evm_mine');
    }
  });

  await step('Mined: the status names the anchored size and block', async () => {
    const status = await waitUntil('the anchor', () => statusOf(dashboard), (text) => text.startsWith(`Anchored: ${anchoredSize.toLocaleString('en')} entries, block `), 120_000);
    const file = await shotOf(dashboard.locator('#anchoring'), 'anchoring-anchored');
    return { value: undefined, lines: [`status: ${status}`, `last anchor: ${await textOf(dashboard, 'anchoring-last')}`, `screenshot ${file}`] };
  });

  const receiptFile = await step('Download the receipt with its proof (Access tab, receipt button)', async () => {
    await dashboard.getByTestId('tab-access').click();
    const button = dashboard.getByTestId(`receipt-${grant.id}`);
    await button.waitFor({ timeout: 15_000 });
    const [download] = await Promise.all([dashboard.waitForEvent('download', { timeout: 30_000 }), button.click()]);
    const path = join(walk.dir, `receipt-${grant.id}.json`);
    await download.saveAs(path);
    const body = JSON.parse(await readFile(path, 'utf8')) as {
      receiptProof: { leafIndex: number; treeSize: number; inclusion: string[]; anchor: { txHash: string; blockNumber: number } } | null;
    };
    const proof = body.receiptProof;
    if (!proof) throw new Error('the download has no receipt proof although the grant was anchored');
    return {
      value: path,
      lines: [
        `${path.replace(`${root}/`, '')}: the receipt and its proof (leaf ${proof.leafIndex} of ${proof.treeSize}, ${proof.inclusion.length} path hashes, anchor tx ${proof.anchor.txHash} in block ${proof.anchor.blockNumber})`,
      ],
    };
  });

  await step('verify-receipt: every check against the chain holds, not revoked', async () => {
    const result = await runVerifyReceipt(receiptFile, chain.rpcUrl);
    if (result.code !== 0) throw new Error(`verify-receipt exited ${result.code}:\n${result.stdout}${result.stderr}`);
    return { value: undefined, lines: outputLines(result) };
  });

  await step('Revoke the grant in the dashboard (one click and a confirm): the revocation goes to the chain', async () => {
    await dashboard.getByTestId(`revoke-${grant.id}`).click();
    await dashboard.getByTestId('confirm').click({ timeout: 10_000 });
    await dashboard.getByTestId(`revoke-${grant.id}`).waitFor({ state: 'detached', timeout: 10_000 });
    await dashboard.getByTestId('tab-settings').click();
    const row = `anchor-tx-state-rv-${grant.id}`;
    const state = await waitUntil('the revocation', () => textOf(dashboard, row).catch(() => ''), (t) => t === 'Confirmed', 60_000);
    const file = await shotOf(dashboard.locator('#anchoring'), 'anchoring-revoked');
    const facts = (await dashboard.getByTestId(`anchor-tx-rv-${grant.id}`).innerText()).replace(/\s+/g, ' ').trim();
    return { value: undefined, lines: [`revocation: ${state} — ${facts}`, `screenshot ${file}`] };
  });

  await step('verify-receipt again: every check holds, and the chain says revoked, with the block', async () => {
    const result = await runVerifyReceipt(receiptFile, chain.rpcUrl);
    if (result.code !== 2) throw new Error(`verify-receipt exited ${result.code} (wanted 2, revoked):\n${result.stdout}${result.stderr}`);
    await dashboard.close();
    return { value: undefined, lines: outputLines(result) };
  });
}

/**
 * With a display: funds each anchoring account once any dashboard shows it (the
 * account exists only once the user turns anchoring on). Returns the stop function.
 */
export function fundAnchoringAccounts(context: BrowserContext, extensionId: string, chain: DevChain, log: (line: string) => void): () => void {
  const dashboardUrl = extensionUrl(extensionId, 'dashboard/index.html');
  const funded = new Set<string>();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const look = async () => {
    for (const page of context.pages()) {
      if (page.isClosed() || !page.url().startsWith(dashboardUrl)) continue;
      const address = (await page.getByTestId('anchoring-address').first().textContent({ timeout: 500 }).catch(() => null))?.trim();
      if (!address || !/^0x[0-9a-fA-F]{40}$/.test(address) || funded.has(address.toLowerCase())) continue;
      funded.add(address.toLowerCase());
      await chain.fund(address as `0x${string}`, DEMO_FUNDING_WEI).then(
        () => log(`Funded the anchoring account ${address} with 1 ETH on the development chain.`),
        (error: unknown) => log(`Could not fund the anchoring account ${address}: ${(error as Error).message}`),
      );
    }
  };
  const loop = () => {
    if (stopped) return;
    void look().finally(() => {
      if (!stopped) timer = setTimeout(loop, 2_000);
    });
  };
  loop();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
