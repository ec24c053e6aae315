/**
 * Chain anchoring end to end (DESIGN.md §6) on a development chain of its own (a
 * hardhat node behind an RPC gate the test closes to make the chain unreachable and
 * opens again, the node keeping its state): anchoring turned on in Settings after the
 * privacy notice, the anchoring account funded and its balance shown; a library grant
 * anchored with "Anchor now", its receipt downloaded and checked by `npm run
 * verify-receipt` (0), revoked in the dashboard and checked again (2, with the block);
 * the downloaded proof tampered (receipt, salt, path, root) fails naming the check; the
 * chain cut in the middle of a batch of grants, reads and a revocation: the dashboard
 * says what waits and why, and once the chain is back each anchor is on chain once,
 * none skipped, the revocation not lost; a revocation queued while the chain is down
 * survives a worker stop and is sent once the chain is back.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Hex } from 'viem';
import { newNonce, stopServiceWorkers } from '../../scripts/lib/extension-browser.ts';
import { startDevChain, type DevChain } from '../../scripts/lib/dev-chain.ts';
import { startRpcGate, type RpcGate } from '../../scripts/lib/rpc-gate.ts';
import { runVerifyReceipt } from '../../scripts/lib/demo-anchoring.ts';
import type { AnchoringView } from '../../src/protocol/anchoring-views.ts';
import {
  anchoringView,
  base64UrlToHex,
  chainReader,
  downloadReceipt,
  inFlight,
  openAnchoringSettings,
  receiptHashOf,
  retryUntilSettled,
  saveAnchoringForm,
  textOf,
  unlockDashboardIfAsked,
  waitForStatus,
  waitForView,
  writeReceiptFile,
  type ChainReader,
  type ReceiptDownload,
} from './anchoring-support.ts';
import { closeStrayApprovals, openPage } from './credential-support.ts';
import { expectOk } from './support.ts';
import { accessData, requestGrant, revokeInDashboard, startGrantHarness, type GrantAnswer, type GrantHarness } from './library-grant-support.ts';

const ONE_ETH = 10n ** 18n;
/** Large enough that only "Anchor now" anchors while a test wants one anchor of a known size. */
const ONLY_ON_DEMAND = { everyEntries: 100_000, everyMinutes: 60 };

let h: GrantHarness;
let chain: DevChain;
let gate: RpcGate;
let reader: ChainReader;
let dashboard: Page;
let site: Page;
let files: string;
let account: Hex;

beforeAll(async () => {
  chain = await startDevChain();
  gate = await startRpcGate(chain.rpcUrl);
  reader = chainReader(chain.rpcUrl, chain.contract);
  files = await mkdtemp(join(tmpdir(), 'tessera-anchoring-e2e-'));
  h = await startGrantHarness();
  site = await openPage(h.context, h.library.url('127.0.0.1', '/plain'));
}, 240_000);

afterAll(async () => {
  await h?.close();
  await gate?.stop();
  await chain?.stop();
  if (files) await rm(files, { recursive: true, force: true });
});

afterEach(async () => {
  await closeStrayApprovals(h.context);
  // A failing test must not leave the chain cut for the next.
  await gate?.open();
});

/** A library data grant approved in the consent window. */
async function grant(): Promise<GrantAnswer> {
  return expectOk((await requestGrant(h, site, 'approve')).outcome);
}

/** Settings saved with anchoring on (already on: no privacy question), pointing at the gate. */
async function savePolicy(policy: { everyEntries: number; everyMinutes: number }): Promise<void> {
  expect(await saveAnchoringForm(dashboard, { enabled: true, rpcUrl: gate.url, contract: chain.contract, ...policy })).toMatch(/^Saved\. Anchoring is on/);
}

/** Each on-chain fact of the no-duplicate rule: every tree size anchored once, every receipt revoked once, one transaction per event. */
async function expectNoDuplicateOnChain(logId: Hex): Promise<{ sizes: number[]; revoked: Hex[] }> {
  const anchored = await reader.anchored(logId);
  const sizes = anchored.map((a) => a.treeSize);
  expect(new Set(sizes).size, `each (logId, treeSize) Anchored once: ${sizes.join(', ')}`).toBe(sizes.length);
  expect([...sizes].sort((a, b) => a - b), 'anchors in growing order').toEqual(sizes);
  const revoked = await reader.revoked(account);
  expect(new Set(revoked).size, 'each receipt Revoked once').toBe(revoked.length);
  // Every transaction of the anchoring account emitted one event: none was sent twice (a repeat revoke emits nothing but still costs a nonce).
  expect(await reader.transactionCount(account), 'transactions sent by the anchoring account').toBe(anchored.length + revoked.length);
  return { sizes, revoked };
}

describe('settings, grant, anchor, verify, revoke, verify', () => {
  let granted: GrantAnswer;
  let download: ReceiptDownload;

  test('Settings: anchoring turned on after the privacy notice; the account is shown, funded on the dev chain, its balance shown', async () => {
    dashboard = await openAnchoringSettings(h.context, h.extensionId);
    expect(await textOf(dashboard, 'anchoring-status')).toMatch(/^Off/);
    expect(await dashboard.getByTestId('anchoring-enabled').isChecked()).toBe(false);
    expect(await textOf(dashboard, 'anchoring-privacy')).toMatch(/link/i);

    const part = dashboard.locator('#anchoring');
    await part.getByTestId('anchoring-enabled').check();
    await part.getByTestId('anchoring-rpc').fill(gate.url);
    await part.getByTestId('anchoring-contract').fill(chain.contract);
    await part.getByTestId('anchoring-every-entries').fill(String(ONLY_ON_DEMAND.everyEntries));
    await part.getByTestId('anchoring-every-minutes').fill(String(ONLY_ON_DEMAND.everyMinutes));
    await part.getByTestId('anchoring-save').click();
    // Nothing is saved before the privacy question is answered.
    const question = part.getByTestId('confirm');
    await question.waitFor({ timeout: 10_000 });
    expect((await anchoringView(dashboard)).settings.enabled).toBe(false);
    expect(await part.innerText()).toMatch(/same anchoring account/i);
    await question.click();
    await part.getByTestId('anchoring-saved').waitFor({ timeout: 30_000 });
    expect(await textOf(dashboard, 'anchoring-saved')).toBe(`Saved. Anchoring is on (chain ${chain.chainId}).`);
    expect(await textOf(dashboard, 'anchoring-chain-id')).toBe(String(chain.chainId));

    account = (await textOf(dashboard, 'anchoring-address')) as Hex;
    expect(account).toMatch(/^0x[0-9a-fA-F]{40}$/);
    const view = await anchoringView(dashboard);
    expect(view.account?.address.toLowerCase()).toBe(account.toLowerCase());
    expect(view.settings).toMatchObject({ enabled: true, rpcUrl: `${gate.url}/`, contract: chain.contract.toLowerCase(), chainId: chain.chainId });

    await chain.fund(account, ONE_ETH);
    // The dashboard re-reads the balance on its own (every 2 s with a transaction on its way, else 15 s).
    // Funded: 1 ETH, or a little less once the anchor that waited for the ether has gone.
    await expect.poll(() => textOf(dashboard, 'anchoring-balance'), { timeout: 45_000, interval: 500 }).toMatch(/^(?:1\.0000|0\.99\d+) ETH$/);
    // The anchor the policy queued when anchoring came on (before the account had any
    // ether) goes by itself once the dashboard sees the balance; retried here if not yet.
    const settled = await retryUntilSettled(dashboard);
    expect(settled.transactions.every((tx) => tx.state === 'confirmed')).toBe(true);
  }, 240_000);

  test('a grant, "Anchor now": the status names the anchored size; the receipt downloads with its proof; verify-receipt exits 0', async () => {
    granted = await grant();
    const before = await anchoringView(dashboard);
    expect(before.transactions.filter(inFlight)).toEqual([]);
    const size = before.ledgerSize;
    await dashboard.getByTestId('anchor-now').click();
    const status = await waitForStatus(dashboard, new RegExp(`^Anchored: ${size} entries, block \\d+`), 90_000);
    const block = Number(/block (\d+)/.exec(status)?.[1]);
    const after = await anchoringView(dashboard);
    expect(after.lastAnchor).toMatchObject({ treeSize: size, blockNumber: block });
    expect(await textOf(dashboard, `anchor-tx-state-an-${size}`)).toBe('Confirmed');
    // On chain: Anchored(logId, size, root) once, from the anchoring account's transaction.
    const logId = after.account!.logId;
    const onChain = (await reader.anchored(logId)).filter((a) => a.treeSize === size);
    expect(onChain).toEqual([{ treeSize: size, root: base64UrlToHex(after.lastAnchor!.root), txHash: after.lastAnchor!.txHash, blockNumber: block }]);

    await dashboard.getByTestId('tab-access').click();
    download = await downloadReceipt(dashboard, granted.grant.id, files);
    const proof = download.body.receiptProof;
    expect(download.body.receipt).toBe(granted.receipt);
    expect(proof, 'the download carries the proof once anchored').not.toBeNull();
    expect(proof).toMatchObject({ v: 1, receipt: granted.receipt, treeSize: size, entry: { kind: 'grant.given' } });
    expect(proof!.leafIndex).toBe(proof!.entry.seq);
    expect(proof!.anchor).toMatchObject({ chainId: chain.chainId, contract: chain.contract.toLowerCase(), logId, txHash: after.lastAnchor!.txHash, blockNumber: block });
    expect(proof!.anchor.account.toLowerCase()).toBe(account.toLowerCase());
    expect(await dashboard.getByTestId(`receipt-${granted.grant.id}`).getAttribute('data-proof')).toBe('true');

    const verified = await runVerifyReceipt(download.path, chain.rpcUrl);
    expect(verified.code, `verify-receipt output:\n${verified.stdout}${verified.stderr}`).toBe(0);
    expect(verified.stdout).toContain('VERIFIED: every check holds; the grant is not revoked');
    for (const check of ['digest', 'inclusion', 'receipt signature', 'chain id', 'anchor transaction', 'revocation']) expect(verified.stdout).toContain(`✓ ${check}:`);
  }, 240_000);

  test('revoked in the dashboard (one click and a confirm): the revocation is mined; verify-receipt exits 2 and prints its block', async () => {
    await revokeInDashboard(dashboard, granted.grant.id);
    const rowState = dashboard.getByTestId(`anchor-tx-state-rv-${granted.grant.id}`);
    await expect.poll(() => rowState.textContent({ timeout: 1_000 }).catch(() => null), { timeout: 60_000, interval: 500 }).toBe('Confirmed');
    const view = await anchoringView(dashboard);
    const revocation = view.transactions.find((tx) => tx.id === `rv-${granted.grant.id}`)!;
    expect(revocation).toMatchObject({ kind: 'revoke', state: 'confirmed', grantId: granted.grant.id, receiptHash: receiptHashOf(granted.receipt) });
    expect(await reader.revokedAt(account, receiptHashOf(granted.receipt))).toBe(revocation.blockNumber);
    expect(await textOf(dashboard, 'anchoring-status')).not.toMatch(/revocation/);

    const revoked = await runVerifyReceipt(download.path, chain.rpcUrl);
    expect(revoked.code, `verify-receipt output:\n${revoked.stdout}${revoked.stderr}`).toBe(2);
    expect(revoked.stdout).toContain(`REVOKED: every check holds; the grant was revoked in block ${revocation.blockNumber}`);
    await expectNoDuplicateOnChain(view.account!.logId);
  }, 180_000);

  test('the downloaded proof tampered — receipt, salt, path, root — fails naming the check (exit 1)', async () => {
    const proof = download.body.receiptProof!;
    const flip = (text: string, at: number) => `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;
    const [head, payload, signature] = proof.receipt.split('.') as [string, string, string];
    const otherReceipt = `${head}.${flip(payload, 10)}.${signature}`;
    // The salt's last character carries 4 padding bits in base64url: change one that carries data.
    const cases: { name: string; receiptProof: typeof proof; check: string }[] = [
      { name: 'receipt', receiptProof: { ...proof, receipt: otherReceipt }, check: 'digest' },
      { name: 'salt', receiptProof: { ...proof, salt: flip(proof.salt, 3) }, check: 'digest' },
      { name: 'path', receiptProof: { ...proof, inclusion: [flip(proof.inclusion[0]!, 5), ...proof.inclusion.slice(1)] }, check: 'inclusion' },
      { name: 'root', receiptProof: { ...proof, root: flip(proof.root, 5) }, check: 'inclusion' },
    ];
    expect(proof.inclusion.length, 'a path to tamper with').toBeGreaterThan(0);
    for (const { name, receiptProof, check } of cases) {
      const path = await writeReceiptFile(files, `tampered-${name}.json`, { ...download.body, receipt: receiptProof.receipt, receiptProof });
      const result = await runVerifyReceipt(path, chain.rpcUrl);
      expect(result.code, `tampered ${name}: verify-receipt output:\n${result.stdout}${result.stderr}`).toBe(1);
      expect(result.stdout, `tampered ${name}`).toContain(`✗ ${check}:`);
      expect(result.stdout, `tampered ${name}`).toContain(`FAILED at ${check}:`);
    }
    // A download whose receipt is not the one its proof proves is refused before any check.
    const mismatched = await writeReceiptFile(files, 'tampered-download.json', { ...download.body, receipt: otherReceipt });
    const result = await runVerifyReceipt(mismatched, chain.rpcUrl);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('whose receipt is not the one its receiptProof proves');
  }, 240_000);
});

describe('the chain cut in the middle of a batch', () => {
  test('anchor and revocation wait with the error shown; once the chain is back each is sent once, no size skipped, the revocation on chain', async () => {
    await dashboard.getByTestId('tab-settings').click();
    const EVERY = 3;
    await savePolicy({ everyEntries: EVERY, everyMinutes: 60 });
    const start = await anchoringView(dashboard);
    const logId = start.account!.logId;
    const anchoredBefore = start.lastAnchor!.treeSize;

    await gate.close();
    // A batch: two grants and reads under them; the policy queues an anchor within it.
    const first = await grant();
    expectOk(await accessData(site, first.grant.id, newNonce()));
    const second = await grant();
    expectOk(await accessData(site, second.grant.id, newNonce()));
    expectOk(await accessData(site, second.grant.id, newNonce()));
    await dashboard.getByTestId('tab-access').click();
    await revokeInDashboard(dashboard, first.grant.id);
    await dashboard.getByTestId('tab-settings').click();

    const revocationId = `rv-${first.grant.id}`;
    const waiting = await waitForView(
      dashboard,
      (v) => v.transactions.some((tx) => tx.kind === 'anchor' && tx.state === 'queued' && tx.lastError !== null) && v.transactions.some((tx) => tx.id === revocationId && tx.lastError !== null),
      'an anchor and the revocation waiting after a failed send',
      90_000,
    );
    const anchorsWaiting = waiting.transactions.filter((tx) => tx.kind === 'anchor' && inFlight(tx));
    expect(anchorsWaiting, 'one anchor on its way at a time').toHaveLength(1);
    const queued = anchorsWaiting[0]!;
    expect(queued.treeSize!).toBeGreaterThanOrEqual(anchoredBefore + EVERY);
    expect(queued.treeSize!).toBeLessThanOrEqual(waiting.ledgerSize);
    expect(waiting.transactions.find((tx) => tx.id === revocationId)).toMatchObject({ state: 'queued', txHash: null });
    // The dashboard says what waits and why.
    const status = await waitForStatus(dashboard, new RegExp(`^Waiting to retry anchoring ${queued.treeSize} entries: .+ · 1 revocation pending$`), 30_000);
    expect(status).toContain(queued.lastError!.slice(0, 40));
    await dashboard.getByTestId(`anchor-tx-error-${queued.id}`).waitFor({ timeout: 30_000 });
    await dashboard.getByTestId(`anchor-retry-${revocationId}`).waitFor({ timeout: 30_000 });
    // Nothing reached the chain meanwhile.
    expect((await reader.anchored(logId)).map((a) => a.treeSize)).not.toContain(queued.treeSize);
    expect(await reader.revokedAt(account, receiptHashOf(first.receipt))).toBe(0);

    await gate.open();
    const settled = await retryUntilSettled(dashboard, 120_000);
    const sent = settled.transactions.find((tx) => tx.id === queued.id)!;
    expect(sent).toMatchObject({ state: 'confirmed', treeSize: queued.treeSize, root: queued.root });
    const onChain = (await reader.anchored(logId)).filter((a) => a.treeSize === queued.treeSize);
    expect(onChain, 'the anchor queued while the chain was cut, on chain once with its root').toEqual([
      { treeSize: queued.treeSize, root: base64UrlToHex(queued.root!), txHash: sent.txHash, blockNumber: sent.blockNumber },
    ]);
    const revocation = settled.transactions.find((tx) => tx.id === revocationId)!;
    expect(revocation.state).toBe('confirmed');
    const revokedAt = await reader.revokedAt(account, receiptHashOf(first.receipt));
    expect(revokedAt, 'the revocation is not lost').toBeGreaterThan(0);
    expect(revokedAt).toBe(revocation.blockNumber);

    // No gap: the next anchor is of the whole ledger as it stands when it is queued.
    await savePolicy(ONLY_ON_DEMAND);
    expectOk(await accessData(site, second.grant.id, newNonce()));
    const beforeNow = await anchoringView(dashboard);
    expect(beforeNow.transactions.filter(inFlight)).toEqual([]);
    expect(beforeNow.unanchoredEntries).toBeGreaterThan(0);
    await dashboard.getByTestId('anchor-now').click();
    await waitForStatus(dashboard, new RegExp(`^Anchored: ${beforeNow.ledgerSize} entries, block \\d+`), 90_000);
    const end = await anchoringView(dashboard);
    expect(end.lastAnchor?.treeSize).toBe(beforeNow.ledgerSize);
    expect(end.unanchoredEntries).toBe(0);
    const { sizes } = await expectNoDuplicateOnChain(logId);
    expect(sizes).toContain(queued.treeSize);
    expect(sizes.at(-1)).toBe(beforeNow.ledgerSize);
    // The second grant, given inside the batch, now proves against the last anchor.
    await dashboard.getByTestId('tab-access').click();
    const later = await downloadReceipt(dashboard, second.grant.id, files);
    expect(later.body.receiptProof?.treeSize).toBe(beforeNow.ledgerSize);
    const verified = await runVerifyReceipt(later.path, chain.rpcUrl);
    expect(verified.code, `verify-receipt output:\n${verified.stdout}${verified.stderr}`).toBe(0);
  }, 420_000);
});

describe('a worker stop while a revocation waits for the chain', () => {
  test('the revocation queued with the chain unreachable survives the stop and is sent once the chain is back', async () => {
    const granted = await grant();
    await gate.close();
    await dashboard.getByTestId('tab-access').click();
    await revokeInDashboard(dashboard, granted.grant.id);
    const revocationId = `rv-${granted.grant.id}`;
    await waitForView(dashboard, (v) => v.transactions.some((tx) => tx.id === revocationId && tx.state === 'queued' && tx.lastError !== null), 'the revocation waiting after a failed send', 60_000);
    await waitForStatus(dashboard, /1 revocation pending$/, 30_000);

    const stopped = await stopServiceWorkers(h.context, { page: site });
    expect(stopped.some((url) => url.startsWith(`chrome-extension://${h.extensionId}/`))).toBe(true);
    await gate.open();
    // Reopened, the dashboard wakes the worker; the wallet sends the revocation on its own (its retry alarm), no click.
    await dashboard.reload();
    await unlockDashboardIfAsked(dashboard);
    const kept = await anchoringView(dashboard);
    expect(kept.transactions.find((tx) => tx.id === revocationId), 'the queued revocation is still there after the stop').toBeDefined();
    const done: AnchoringView = await waitForView(dashboard, (v) => v.transactions.find((tx) => tx.id === revocationId)?.state === 'confirmed', 'the revocation confirmed after the restart', 180_000);
    const revocation = done.transactions.find((tx) => tx.id === revocationId)!;
    expect(await reader.revokedAt(account, receiptHashOf(granted.receipt))).toBe(revocation.blockNumber);
    await expectNoDuplicateOnChain(done.account!.logId);
  }, 360_000);
});
