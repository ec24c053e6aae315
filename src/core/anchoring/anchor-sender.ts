import type { Hex } from '../../protocol/receipt-proof.ts';
import type { CommitPoint } from '../commit/unit-of-work.ts';
import { toHex } from '../encoding.ts';
import { fromBase64Url } from '../ledger/base64url.ts';
import type { AnchorCall, AnchorChain, MinedChainTransaction } from '../ports.ts';
import { retryDelayMs } from './anchor-policy.ts';
import type { AnchorTransaction, AnchoringAccount } from './anchoring-records.ts';
import type { AnchoringStore } from './anchoring-store.ts';

/** The lock of the anchoring state record (read-modify-writes of it are serialised). */
export const ANCHORING_STATE_LOCK = 'anchoring:state';
export const anchorTxLock = (id: string) => `anchor-tx:${id}`;

/** How long one pass waits for a sent transaction to be mined before leaving it to the next pass. */
const MINING_WAIT_MS = 4_000;
const MINING_POLL_MS = 250;
/** A transaction still pending after that is looked at again this much later. */
const PENDING_CHECK_MS = 30_000;

export interface AnchorSenderDeps {
  chain: AnchorChain;
  commit: CommitPoint;
  now: () => number;
  /** Whether the wallet is still unlocked (a mined transaction's ledger entry needs it). */
  unlocked: () => Promise<boolean>;
  sleep?: (ms: number) => Promise<void>;
}

export interface SendContext {
  store: AnchoringStore;
  account: AnchoringAccount;
}

/**
 * Moves one queued transaction towards the chain (DESIGN.md §6), so that nothing is
 * lost and nothing is sent twice:
 * - a transaction is signed once and the signed form is stored before the first
 *   broadcast; every later attempt looks its hash up first and re-broadcasts the same
 *   bytes (same nonce), so a send that errored after reaching the node cannot become a
 *   second transaction;
 * - an anchor for a size the chain already has is dropped unsent; a revocation the
 *   contract already records for this account is settled from the chain;
 * - a failure to reach the node leaves the transaction queued with the next attempt
 *   time (backoff); a transaction the chain reverted is `failed` (the user may retry).
 * Each outcome is stored through the commit point; a mined one also writes its
 * `anchor.sent` ledger entry in the same transaction.
 */
export class AnchorSender {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly deps: AnchorSenderDeps) {
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** One attempt at `tx`; returns the transaction as stored afterwards (undefined once dropped). */
  async advance(ctx: SendContext, tx: AnchorTransaction): Promise<AnchorTransaction | undefined> {
    try {
      if (tx.signed) {
        const mined = await this.deps.chain.minedTransaction(tx.rpcUrl, tx.signed.txHash);
        if (mined) return await this.settle(ctx, tx, mined);
        if (tx.state === 'sent' && (await this.deps.chain.known(tx.rpcUrl, tx.signed.txHash))) return await this.awaitMining(ctx, tx);
      } else {
        // undefined: dropped (the chain has that size); null: not on chain, send it.
        const done = await this.alreadyOnChain(ctx, tx);
        if (done !== null) return done;
      }
      const signed = tx.signed ?? (await this.sign(ctx, tx));
      const ready = tx.signed ? tx : await this.save(ctx, { ...tx, signed });
      try {
        await this.deps.chain.broadcast(ready.rpcUrl, signed.raw);
      } catch (error) {
        // The signed bytes may be stale (their nonce taken by another transaction of this
        // account): sign afresh next time, unless the node has ours after all.
        if (await this.deps.chain.known(ready.rpcUrl, signed.txHash).catch(() => false)) return await this.awaitMining(ctx, { ...ready, state: 'sent' });
        const fresh = await this.deps.chain.prepare(target(ready), ready.chainId, privateKeyOf(ctx), callOf(ctx, ready)).catch(() => null);
        const next = fresh && fresh.nonce >= signed.nonce ? { ...ready, signed: fresh } : ready;
        throw Object.assign(asError(error), { pendingTx: next });
      }
      return await this.awaitMining(ctx, await this.save(ctx, { ...ready, state: 'sent', lastError: null, nextAttemptAt: null }));
    } catch (error) {
      const latest = (error as { pendingTx?: AnchorTransaction }).pendingTx ?? (await ctx.store.transaction(tx.id)) ?? tx;
      return this.failedAttempt(ctx, latest, error);
    }
  }

  /** Whether the chain already has what `tx` would send (then it is settled or dropped without a transaction). */
  private async alreadyOnChain(ctx: SendContext, tx: AnchorTransaction): Promise<AnchorTransaction | undefined | null> {
    if (tx.kind === 'anchor') {
      const state = await ctx.store.state();
      if (state.lastAnchor && tx.treeSize !== null && state.lastAnchor.treeSize >= tx.treeSize) {
        await this.deps.commit.run(async (unit) => unit.write(await ctx.store.transactionDeleteOp(tx.id)), { lock: [anchorTxLock(tx.id)] });
        return undefined;
      }
      return null;
    }
    const block = await this.deps.chain.revokedAt(target(tx), ctx.account.address, tx.receiptHash!);
    if (block === 0) return null;
    return this.save(ctx, { ...tx, state: 'confirmed', blockNumber: block, lastError: null, nextAttemptAt: null });
  }

  private sign(ctx: SendContext, tx: AnchorTransaction) {
    return this.deps.chain.prepare(target(tx), tx.chainId, privateKeyOf(ctx), callOf(ctx, tx));
  }

  /** Polls a sent transaction for a little while; still pending, it stays `sent` for the next pass. */
  private async awaitMining(ctx: SendContext, tx: AnchorTransaction): Promise<AnchorTransaction> {
    const deadline = this.deps.now() + MINING_WAIT_MS;
    // Bounded by the polls too: the injected clock need not move while the pass sleeps (a test's fixed clock).
    for (let poll = 1; ; poll++) {
      const mined = await this.deps.chain.minedTransaction(tx.rpcUrl, tx.signed!.txHash);
      if (mined) return this.settle(ctx, tx, mined);
      // Not mined yet: look again at the next check, not on every commit meanwhile.
      if (this.deps.now() >= deadline || poll >= MINING_WAIT_MS / MINING_POLL_MS) {
        return this.save(ctx, { ...tx, state: 'sent', nextAttemptAt: new Date(this.deps.now() + PENDING_CHECK_MS).toISOString() });
      }
      await this.sleep(MINING_POLL_MS);
    }
  }

  /** A mined transaction: confirmed (with its ledger entry, and for an anchor the new last anchor) or failed. */
  private async settle(ctx: SendContext, tx: AnchorTransaction, mined: MinedChainTransaction): Promise<AnchorTransaction> {
    const at = new Date(this.deps.now()).toISOString();
    if (mined.status !== 'success') {
      return this.save(ctx, { ...tx, state: 'failed', blockNumber: mined.blockNumber, lastError: 'The chain reverted the transaction.', nextAttemptAt: null });
    }
    const done: AnchorTransaction = { ...tx, state: 'confirmed', blockNumber: mined.blockNumber, lastError: null, nextAttemptAt: null, updatedAt: at };
    await this.deps.commit.run(
      async (unit) => {
        // The `anchor.sent` entry needs the unlocked ledger: locked meanwhile, the
        // transaction stays as it is and the next pass (after unlock) finds it mined.
        if (!(await this.deps.unlocked())) throw new Error('The wallet locked before the transaction was recorded.');
        const state = await ctx.store.state();
        const next = { ...state, ownEntries: state.ownEntries + 1 };
        if (tx.kind === 'anchor' && tx.treeSize !== null && tx.treeSize > (state.lastAnchor?.treeSize ?? 0)) {
          next.lastAnchor = {
            treeSize: tx.treeSize,
            root: tx.root!,
            checkpoint: tx.checkpoint!,
            chainId: tx.chainId,
            contract: tx.contract,
            account: ctx.account.address,
            logId: ctx.account.logId,
            txHash: mined.txHash,
            blockNumber: mined.blockNumber,
            at,
          };
          // Only this anchor's own entry follows its size so far (others are counted).
          next.ownEntries = 1;
        }
        unit.write(await ctx.store.transactionOp(done), await ctx.store.stateOp(next));
        unit.emit({
          type: 'anchor.sent',
          transactionId: tx.id,
          kind: tx.kind,
          chainId: tx.chainId,
          contract: tx.contract,
          txHash: mined.txHash,
          blockNumber: mined.blockNumber,
          treeSize: tx.treeSize,
          root: tx.root,
          grantId: tx.grantId,
          consistency: tx.consistency ? { fromSize: tx.consistency.fromSize, proof: tx.consistency.proof } : null,
        });
      },
      { lock: [ANCHORING_STATE_LOCK, anchorTxLock(tx.id)] },
    );
    return done;
  }

  private async failedAttempt(ctx: SendContext, tx: AnchorTransaction, error: unknown): Promise<AnchorTransaction> {
    const attempts = tx.attempts + 1;
    const next = new Date(this.deps.now() + retryDelayMs(attempts)).toISOString();
    return this.save(ctx, { ...tx, state: tx.state === 'sent' ? 'sent' : 'queued', attempts, nextAttemptAt: next, lastError: asError(error).message });
  }

  private async save(ctx: SendContext, tx: AnchorTransaction): Promise<AnchorTransaction> {
    const stored = { ...tx, updatedAt: new Date(this.deps.now()).toISOString() };
    await this.deps.commit.run(async (unit) => unit.write(await ctx.store.transactionOp(stored)), { lock: [anchorTxLock(tx.id)] });
    return stored;
  }
}

const target = (tx: AnchorTransaction) => ({ rpcUrl: tx.rpcUrl, contract: tx.contract });
const privateKeyOf = (ctx: SendContext) => fromBase64Url(ctx.account.privateKey);
const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/** The TesseraAnchor call a queued transaction makes. */
export function callOf(ctx: SendContext, tx: AnchorTransaction): AnchorCall {
  if (tx.kind === 'anchor') return { fn: 'anchor', logId: ctx.account.logId, treeSize: tx.treeSize!, root: rootHex(tx.root!) };
  return { fn: 'revoke', receiptHash: tx.receiptHash! };
}

/** A base64url root as the contract's bytes32. */
export const rootHex = (root: string): Hex => `0x${toHex(fromBase64Url(root))}`;
