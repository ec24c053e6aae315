/**
 * TesseraAnchor (DESIGN.md §6) on a real development chain: a hardhat node with the
 * compiled contract deployed, driven by accounts generated here and funded by the
 * chain's deployer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, defineChain, http, parseEventLogs, type Chain, type Hex, type TransactionReceipt } from 'viem';
import { readContract, waitForTransactionReceipt, writeContract } from 'viem/actions';
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { startDevChain, type DevChain } from '../../scripts/lib/dev-chain.ts';
import { TESSERA_ANCHOR_ABI } from '../../src/core/anchoring/tessera-anchor-artifact.ts';

let devChain: DevChain;
let chain: Chain;
let holder: PrivateKeyAccount;
let stranger: PrivateKeyAccount;

beforeAll(async () => {
  devChain = await startDevChain();
  chain = defineChain({
    id: devChain.chainId,
    name: 'development chain',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [devChain.rpcUrl] } },
  });
  holder = privateKeyToAccount(generatePrivateKey());
  stranger = privateKeyToAccount(generatePrivateKey());
  await devChain.fund(holder.address, 10n ** 18n);
  await devChain.fund(stranger.address, 10n ** 18n);
}, 120_000);

afterAll(async () => {
  await devChain?.stop();
});

function clientOf(account?: PrivateKeyAccount) {
  return createClient({ account, chain, transport: http(devChain.rpcUrl), pollingInterval: 50 });
}

/** Sends `anchor(logId, treeSize, root)` from `account` and returns its (successful) receipt. */
async function anchor(account: PrivateKeyAccount, logId: Hex, treeSize: bigint, root: Hex): Promise<TransactionReceipt> {
  const client = clientOf(account);
  const hash = await writeContract(client, { address: devChain.contract, abi: TESSERA_ANCHOR_ABI, functionName: 'anchor', args: [logId, treeSize, root], account, chain });
  return succeeded(client, hash);
}

/** Sends `revoke(receiptHash)` from `account` and returns its (successful) receipt. */
async function revoke(account: PrivateKeyAccount, receiptHash: Hex): Promise<TransactionReceipt> {
  const client = clientOf(account);
  const hash = await writeContract(client, { address: devChain.contract, abi: TESSERA_ANCHOR_ABI, functionName: 'revoke', args: [receiptHash], account, chain });
  return succeeded(client, hash);
}

async function succeeded(client: ReturnType<typeof clientOf>, hash: Hex): Promise<TransactionReceipt> {
  const receipt = await waitForTransactionReceipt(client, { hash });
  expect(receipt.status).toBe('success');
  return receipt;
}

function revokedAt(by: Hex, receiptHash: Hex): Promise<bigint> {
  return readContract(clientOf(), { address: devChain.contract, abi: TESSERA_ANCHOR_ABI, functionName: 'revokedAt', args: [by, receiptHash] });
}

function eventsOf(receipt: TransactionReceipt) {
  return parseEventLogs({ abi: TESSERA_ANCHOR_ABI, logs: receipt.logs });
}

const randomHash = (): Hex => generatePrivateKey(); // any 32 random bytes

describe('TesseraAnchor.anchor', () => {
  it('emits Anchored with exactly its arguments, from the contract, and nothing else', async () => {
    const logId = randomHash();
    const root = randomHash();
    const receipt = await anchor(holder, logId, 4096n, root);
    expect(receipt.from).toBe(holder.address.toLowerCase());
    expect(receipt.logs).toHaveLength(1);
    const [event] = eventsOf(receipt);
    expect(event?.address).toBe(devChain.contract.toLowerCase());
    expect(event?.eventName).toBe('Anchored');
    expect(event?.args).toEqual({ logId, treeSize: 4096n, root });
    // logId is the indexed topic verifiers filter on.
    expect(receipt.logs[0]?.topics[1]).toBe(logId);
  });

  it('carries the whole uint64 range of tree sizes', async () => {
    const logId = randomHash();
    const root = randomHash();
    const largest = 2n ** 64n - 1n;
    const [event] = eventsOf(await anchor(holder, logId, largest, root));
    expect(event?.args).toEqual({ logId, treeSize: largest, root });
  });

  it('is permissionless: anyone may anchor, even the same log, and the sender is what tells them apart', async () => {
    const logId = randomHash();
    const root = randomHash();
    const byHolder = await anchor(holder, logId, 7n, root);
    const byStranger = await anchor(stranger, logId, 7n, root);
    expect(byStranger.from).toBe(stranger.address.toLowerCase());
    expect(eventsOf(byStranger).map((e) => e.args)).toEqual(eventsOf(byHolder).map((e) => e.args));
  });

  it('costs less than 30,000 gas (DESIGN.md §6: about 24,000, near the calldata floor)', async () => {
    const receipt = await anchor(holder, randomHash(), 123_456n, randomHash());
    expect(receipt.gasUsed).toBeGreaterThan(21_000n);
    expect(receipt.gasUsed).toBeLessThan(30_000n);
  });
});

describe('TesseraAnchor.revoke and revokedAt', () => {
  it('revokedAt is 0 for a hash never revoked', async () => {
    expect(await revokedAt(holder.address, randomHash())).toBe(0n);
  });

  it('the first revoke records its block number and emits Revoked(by, receiptHash)', async () => {
    const receiptHash = randomHash();
    const receipt = await revoke(holder, receiptHash);
    const events = eventsOf(receipt);
    expect(events).toHaveLength(1);
    expect(events[0]?.address).toBe(devChain.contract.toLowerCase());
    expect(events[0]?.eventName).toBe('Revoked');
    expect(events[0]?.args).toEqual({ by: holder.address, receiptHash });
    expect(await revokedAt(holder.address, receiptHash)).toBe(receipt.blockNumber);
  });

  it('a repeat by the same account is a no-op: it succeeds, emits nothing and keeps the first block', async () => {
    const receiptHash = randomHash();
    const first = await revoke(holder, receiptHash);
    await anchor(holder, randomHash(), 1n, randomHash()); // a block in between
    const repeat = await revoke(holder, receiptHash);
    expect(repeat.blockNumber).toBeGreaterThan(first.blockNumber);
    expect(repeat.logs).toEqual([]);
    expect(await revokedAt(holder.address, receiptHash)).toBe(first.blockNumber);
  });

  it("is kept per account: another account's revoke of the same hash is its own, and does not count for the holder", async () => {
    const receiptHash = randomHash();
    const byStranger = await revoke(stranger, receiptHash);
    expect(eventsOf(byStranger).map((e) => e.args)).toEqual([{ by: stranger.address, receiptHash }]);
    expect(await revokedAt(stranger.address, receiptHash)).toBe(byStranger.blockNumber);
    expect(await revokedAt(holder.address, receiptHash)).toBe(0n);

    const byHolder = await revoke(holder, receiptHash);
    expect(eventsOf(byHolder).map((e) => e.args)).toEqual([{ by: holder.address, receiptHash }]);
    expect(await revokedAt(holder.address, receiptHash)).toBe(byHolder.blockNumber);
    expect(await revokedAt(stranger.address, receiptHash)).toBe(byStranger.blockNumber);
  });
});
