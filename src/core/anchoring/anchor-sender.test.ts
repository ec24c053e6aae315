import { privateKeyToAccount } from 'viem/accounts';
import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryAnchorChain } from '../../../test/support/memory-chain.ts';
import type { DomainEvent } from '../commit/domain-events.ts';
import { CommitPoint } from '../commit/unit-of-work.ts';
import { randomBytes, toBase64Url, toHex } from '../encoding.ts';
import { MemoryKeyValueStore } from '../storage/memory-store.ts';
import { fromBase64Url } from '../ledger/base64url.ts';
import { deriveVaultKeys } from '../vault/vault-keys.ts';
import { newAnchor, newRevocation } from './anchor-queue-items.ts';
import { receiptHash } from './receipt-hash.ts';
import { AnchorSender, callOf, rootHex, type SendContext } from './anchor-sender.ts';
import type { AnchorTransaction, AnchoringSettings } from './anchoring-records.ts';
import { AnchoringStore, initialAnchoringState } from './anchoring-store.ts';

const T0 = Date.parse('2026-12-01T12:00:00.000Z');
/** A receipt JWT of its own per grant (the contract keys revocations by its hash). */
const receiptOf = (grantId: string) => `eyJhbGciOiJFZERTQSJ9.${toBase64Url(new TextEncoder().encode(JSON.stringify({ iss: 'did:key:z', grant: grantId })))}.c2lnbmF0dXJl`;

let chain: MemoryAnchorChain;
let store: MemoryKeyValueStore;
let anchoring: AnchoringStore;
let commit: CommitPoint;
let events: DomainEvent[];
let clock: { now: number };
let sleeps: number;
let sender: AnchorSender;
let ctx: SendContext;
let settings: AnchoringSettings;

beforeEach(async () => {
  chain = new MemoryAnchorChain();
  store = new MemoryKeyValueStore();
  anchoring = new AnchoringStore(store, await deriveVaultKeys(randomBytes(32)));
  commit = new CommitPoint(store);
  events = [];
  commit.subscribe(async (published) => void events.push(...published));
  clock = { now: T0 };
  sleeps = 0;
  // The mining wait sleeps on this clock, so a pending transaction costs no real time.
  sender = new AnchorSender({
    chain,
    commit,
    unlocked: async () => true,
    now: () => clock.now,
    sleep: async (ms) => {
      sleeps++;
      clock.now += ms;
    },
  });
  const privateKey = randomBytes(32);
  ctx = {
    store: anchoring,
    account: { privateKey: toBase64Url(privateKey), address: await chain.address(privateKey), logId: `0x${toHex(randomBytes(32))}`, createdAt: new Date(T0).toISOString() },
  };
  settings = { ...initialAnchoringState().settings, enabled: true, rpcUrl: chain.rpcUrl, contract: chain.contract, chainId: chain.id };
  await store.write([await anchoring.stateOp({ ...initialAnchoringState(), settings, account: ctx.account })]);
});

async function queuedAnchor(size: number): Promise<AnchorTransaction> {
  const tx = newAnchor(settings, { size, root: toBase64Url(randomBytes(32)), note: `tessera.wallet/ledger/x\n${size}\nroot\n\n— key sig\n` }, clock.now)!;
  await store.write([await anchoring.transactionOp(tx)]);
  return tx;
}

async function queuedRevocation(grantId = 'grant-1'): Promise<AnchorTransaction> {
  const tx = (await newRevocation(settings, grantId, receiptOf(grantId), clock.now))!;
  await store.write([await anchoring.transactionOp(tx)]);
  return tx;
}

const stored = (id: string) => anchoring.transaction(id);

describe('the memory chain the sender is tested on', () => {
  it('derives the anchoring address as viem does', async () => {
    const key = randomBytes(32);
    expect(await chain.address(key)).toBe(privateKeyToAccount(`0x${toHex(key)}`).address);
  });
});

describe('AnchorSender: a transaction from queued to confirmed', () => {
  it('signs once, stores the signed form before broadcasting, and confirms with the new last anchor and an anchor.sent event', async () => {
    const tx = await queuedAnchor(12);
    const atBroadcast: (AnchorTransaction | undefined)[] = [];
    const broadcast = chain.broadcast.bind(chain);
    chain.broadcast = async (rpcUrl, raw) => {
      atBroadcast.push(await stored(tx.id));
      return broadcast(rpcUrl, raw);
    };
    const done = await sender.advance(ctx, tx);
    expect(atBroadcast).toHaveLength(1);
    expect(atBroadcast[0]?.signed?.raw).toBe(chain.broadcasts[0]);
    const [mined] = chain.minedTransactions();
    expect(done).toMatchObject({ state: 'confirmed', blockNumber: mined!.blockNumber, signed: { txHash: mined!.txHash }, lastError: null });
    expect(await stored(tx.id)).toEqual(done);
    expect(chain.minedCalls()).toEqual([{ fn: 'anchor', logId: ctx.account.logId, treeSize: 12, root: rootHex(tx.root!) }]);
    const state = await anchoring.state();
    expect(state.lastAnchor).toMatchObject({ treeSize: 12, root: tx.root, checkpoint: tx.checkpoint, account: ctx.account.address, logId: ctx.account.logId, txHash: mined!.txHash, blockNumber: mined!.blockNumber, chainId: chain.id });
    // Its own anchor.sent entry follows the anchored size: the policy does not count it.
    expect(state.ownEntries).toBe(1);
    expect(events).toEqual([expect.objectContaining({ type: 'anchor.sent', transactionId: tx.id, kind: 'anchor', txHash: mined!.txHash, treeSize: 12, root: tx.root })]);
  });

  it('sends a revocation of SHA-256(receipt) and counts its entry as the wallet’s own', async () => {
    const tx = await queuedRevocation();
    const done = await sender.advance(ctx, tx);
    expect(done?.state).toBe('confirmed');
    expect(chain.minedCalls()).toEqual([{ fn: 'revoke', receiptHash: receiptHash(receiptOf('grant-1')) }]);
    expect(await chain.revokedAt({ rpcUrl: chain.rpcUrl, contract: chain.contract }, ctx.account.address, tx.receiptHash!)).toBe(done!.blockNumber);
    expect((await anchoring.state()).ownEntries).toBe(1);
    expect(events).toMatchObject([{ type: 'anchor.sent', kind: 'revoke', grantId: 'grant-1' }]);
  });

  it('leaves a transaction the chain has not mined yet `sent`, and settles it on a later attempt without sending it again', async () => {
    chain.automine = false;
    const tx = await queuedAnchor(3);
    const pending = await sender.advance(ctx, tx);
    expect(pending?.state).toBe('sent');
    expect(sleeps).toBeGreaterThan(0);
    expect(await stored(tx.id)).toMatchObject({ state: 'sent', attempts: 0 });
    // Still pending: the next attempt finds it known and waits again, sending nothing.
    expect((await sender.advance(ctx, pending!))?.state).toBe('sent');
    chain.mine();
    expect((await sender.advance(ctx, (await stored(tx.id))!))?.state).toBe('confirmed');
    expect(chain.broadcasts).toHaveLength(1);
    expect(chain.minedAnchors(ctx.account.logId, 3)).toBe(1);
  });

  it('waits a bounded number of polls for mining even when its clock does not move', async () => {
    chain.automine = false;
    let polls = 0;
    const frozen = new AnchorSender({ chain, unlocked: async () => true, commit, now: () => T0, sleep: async () => void polls++ });
    const pending = await frozen.advance(ctx, await queuedAnchor(3));
    expect(pending?.state).toBe('sent');
    expect(polls).toBeGreaterThan(0);
    expect(polls).toBeLessThanOrEqual(16);
  });

  it('sends the same bytes again when the node forgot a sent transaction (dropped from its mempool)', async () => {
    chain.automine = false;
    const tx = await queuedAnchor(3);
    const sent = (await sender.advance(ctx, tx))!;
    chain.dropPending();
    chain.automine = true;
    const done = await sender.advance(ctx, sent);
    expect(done).toMatchObject({ state: 'confirmed', signed: sent.signed });
    expect(chain.broadcasts).toEqual([sent.signed!.raw, sent.signed!.raw]);
    expect(chain.minedTransactions()).toHaveLength(1);
  });
});

describe('AnchorSender: the node down or failing', () => {
  it('keeps a transaction queued with the error and the next attempt time, backing off', async () => {
    const tx = await queuedAnchor(5);
    chain.down = true;
    const first = await sender.advance(ctx, tx);
    expect(first).toMatchObject({ state: 'queued', attempts: 1, nextAttemptAt: new Date(T0 + 30_000).toISOString(), signed: null });
    expect(first?.lastError).toMatch(/^The chain at http:\/\/127\.0\.0\.1:8545\/ did not answer/);
    const second = await sender.advance(ctx, first!);
    expect(second).toMatchObject({ state: 'queued', attempts: 2, nextAttemptAt: new Date(T0 + 60_000).toISOString() });
    expect(await stored(tx.id)).toEqual(second);
    chain.down = false;
    expect((await sender.advance(ctx, second!))?.state).toBe('confirmed');
    expect(chain.minedAnchors(ctx.account.logId, 5)).toBe(1);
  });

  it('a broadcast that failed keeps its signed bytes: the next attempt sends the very same transaction', async () => {
    const tx = await queuedAnchor(5);
    // The node prepares (nonce, gas, fees) and then goes away before the broadcast.
    const prepare = chain.prepare.bind(chain);
    chain.prepare = async (...args) => {
      const signed = await prepare(...args);
      chain.down = true;
      return signed;
    };
    const failed = await sender.advance(ctx, tx);
    expect(failed).toMatchObject({ state: 'queued', attempts: 1 });
    expect(failed?.signed).not.toBeNull();
    chain.prepare = prepare;
    chain.down = false;
    const done = await sender.advance(ctx, failed!);
    expect(done?.signed?.txHash).toBe(failed!.signed!.txHash);
    expect(chain.minedTransactions().map((m) => m.txHash)).toEqual([failed!.signed!.txHash]);
  });

  it('the node took the transaction but its answer was lost: found by hash, never sent twice', async () => {
    const tx = await queuedAnchor(8);
    chain.loseBroadcastAnswers = 1;
    const done = await sender.advance(ctx, tx);
    expect(done?.state).toBe('confirmed');
    expect(chain.broadcasts).toHaveLength(1);
    expect(chain.minedAnchors(ctx.account.logId, 8)).toBe(1);
  });

  it('the answer was lost and the node went away: the next attempt finds the mined transaction by hash', async () => {
    const tx = await queuedAnchor(8);
    chain.loseBroadcastAnswers = 1;
    chain.afterBroadcast = () => {
      chain.down = true;
    };
    const failed = await sender.advance(ctx, tx);
    expect(failed).toMatchObject({ state: 'queued', attempts: 1 });
    chain.afterBroadcast = null;
    chain.down = false;
    const done = await sender.advance(ctx, failed!);
    expect(done?.state).toBe('confirmed');
    expect(chain.broadcasts).toHaveLength(1);
    expect(chain.minedTransactions()).toHaveLength(1);
  });

  it('an account that cannot pay stays queued, saying so, and goes once funded', async () => {
    chain = new MemoryAnchorChain({ initialBalance: 0n });
    sender = new AnchorSender({ chain, unlocked: async () => true, commit, now: () => clock.now, sleep: async () => {} });
    settings = { ...settings, rpcUrl: chain.rpcUrl, contract: chain.contract };
    const tx = await queuedRevocation();
    const failed = await sender.advance(ctx, tx);
    expect(failed).toMatchObject({ state: 'queued', attempts: 1 });
    expect(failed?.lastError).toMatch(/insufficient funds/);
    chain.fund(ctx.account.address, 10n ** 18n);
    expect((await sender.advance(ctx, failed!))?.state).toBe('confirmed');
    expect(chain.minedTransactions()).toHaveLength(1);
    expect(await chain.balance(chain.rpcUrl, ctx.account.address)).toBeLessThan(10n ** 18n);
  });

  it('signs afresh when its nonce was taken by another transaction of the account', async () => {
    const first = await queuedRevocation('grant-1');
    const second = await queuedRevocation('grant-2');
    // Both signed at nonce 0 (the node was down for the first broadcast of each).
    const prepare = chain.prepare.bind(chain);
    chain.prepare = async (...args) => {
      const signed = await prepare(...args);
      chain.down = true;
      return signed;
    };
    const a = (await sender.advance(ctx, first))!;
    chain.down = false;
    const b = (await sender.advance(ctx, second))!;
    expect([a.signed?.nonce, b.signed?.nonce]).toEqual([0, 0]);
    chain.prepare = prepare;
    chain.down = false;
    expect((await sender.advance(ctx, b))?.state).toBe('confirmed');
    // a's nonce 0 is now spent: the node refuses it, the sender re-signs at 1 and sends that next time.
    const refused = (await sender.advance(ctx, a))!;
    expect(refused).toMatchObject({ state: 'queued', signed: { nonce: 1 } });
    expect(refused.lastError).toMatch(/nonce too low/);
    expect((await sender.advance(ctx, refused))?.state).toBe('confirmed');
    expect(chain.minedRevokes(a.receiptHash!)).toBe(1);
    expect(chain.minedTransactions()).toHaveLength(2);
  });
});

describe('AnchorSender: nothing twice', () => {
  it('drops, unsent, an anchor of a size the chain already has', async () => {
    const older = await queuedAnchor(9);
    const head = await queuedAnchor(12);
    await sender.advance(ctx, head);
    expect((await anchoring.state()).lastAnchor?.treeSize).toBe(12);
    expect(await sender.advance(ctx, older)).toBeUndefined();
    expect(await stored(older.id)).toBeUndefined();
    expect(chain.broadcasts).toHaveLength(1);
  });

  it('settles from the chain a revocation the contract already records for this account', async () => {
    const tx = await queuedRevocation();
    const signed = await chain.prepare({ rpcUrl: chain.rpcUrl, contract: chain.contract }, chain.id, fromBase64Url(ctx.account.privateKey), callOf(ctx, tx));
    await chain.broadcast(chain.rpcUrl, signed.raw);
    const block = chain.minedTransactions()[0]!.blockNumber;
    const done = await sender.advance(ctx, tx);
    expect(done).toMatchObject({ state: 'confirmed', blockNumber: block });
    expect(chain.broadcasts).toHaveLength(1);
  });

  it('marks a reverted transaction failed with its block, and does not touch the last anchor', async () => {
    const tx = await queuedAnchor(4);
    chain.revertNext = true;
    const failed = await sender.advance(ctx, tx);
    expect(failed).toMatchObject({ state: 'failed', blockNumber: chain.minedTransactions()[0]!.blockNumber, lastError: 'The chain reverted the transaction.' });
    expect((await anchoring.state()).lastAnchor).toBeNull();
    expect(events).toEqual([]);
  });
});
