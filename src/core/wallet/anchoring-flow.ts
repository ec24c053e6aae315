import type { AnchoringView } from '../../protocol/anchoring-views.ts';
import type { Hex } from '../../protocol/receipt-proof.ts';
import { anchorDue, unanchoredEntries } from '../anchoring/anchor-policy.ts';
import { newAnchor, sameTarget } from '../anchoring/anchor-queue-items.ts';
import { ANCHORING_STATE_LOCK, AnchorSender, anchorTxLock } from '../anchoring/anchor-sender.ts';
import type { AnchorTransaction, AnchoringAccount, AnchoringSettings } from '../anchoring/anchoring-records.ts';
import { consistencyFrom } from '../anchoring/anchor-consistency.ts';
import { newAnchoringAccount } from '../anchoring/anchoring-account.ts';
import { toAnchoringView } from '../anchoring/anchoring-view.ts';
import type { DomainEvent } from '../commit/domain-events.ts';
import { describeValue } from '../describe.ts';
import { DomainError } from '../errors.ts';
import type { AnchorChain } from '../ports.ts';
import type { FlowContext } from './flow-context.ts';
import type { UnlockedWallet } from './wallet-session.ts';

/** How a node says the account cannot pay (geth, Hardhat, viem's own wording all include it). */
const INSUFFICIENT_FUNDS = /insufficient funds/i;

export interface AnchoringInput {
  enabled: boolean;
  rpcUrl?: string;
  contract?: string;
  everyEntries: number;
  everyMinutes: number;
}

/**
 * Optional chain anchoring (DESIGN.md §6): the settings and account, the policy that
 * queues the ledger's root, the sender that works the queue after each commit, on the
 * scheduler's alarms and on demand, and receipt proofs against the last anchor.
 * Sending needs the anchoring key, so the queue waits while the wallet is locked.
 */
export class AnchoringFlow {
  private readonly sender: AnchorSender | null;
  private running: Promise<void> | null = null;
  private again = false;
  /**
   * Anchoring is off (known since the last read): nothing can become due until the
   * settings change, so a commit costs no read. Null when not known yet.
   */
  private off: boolean | null = null;
  /** Bumped by every settings change, so a pass that read the old settings cannot mark anchoring off. */
  private settingsVersion = 0;

  constructor(private readonly ctx: FlowContext) {
    const { chain, now } = ctx.ports;
    const unlocked = async () => (await ctx.session.current()) !== null;
    this.sender = chain ? new AnchorSender({ chain, commit: ctx.commit, now, unlocked }) : null;
  }

  async view(): Promise<AnchoringView> {
    const wallet = await this.ctx.session.require();
    const [state, queue, ledgerSize] = await Promise.all([wallet.anchoring.state(), wallet.anchoring.transactions(), wallet.ledger.size()]);
    let balanceWei: string | null = null;
    let balanceError: string | null = null;
    const chain = this.ctx.ports.chain;
    if (state.settings.enabled && state.settings.rpcUrl && state.account && chain) {
      try {
        balanceWei = (await chain.balance(state.settings.rpcUrl, state.account.address)).toString();
      } catch (error) {
        balanceError = messageOf(error);
      }
    }
    if (balanceWei !== null && balanceWei !== '0') await this.fundsArrived(wallet, queue);
    return toAnchoringView(state, queue, ledgerSize, { balanceWei, balanceError });
  }

  /**
   * Saves the settings. Turning anchoring on checks the chain first (the chain id is
   * read from the RPC, the contract must have code there) and creates the anchoring
   * account on first use; revocations of receipts made while it was off are queued
   * (by the anchoring enricher, in the same transaction).
   */
  async save(input: AnchoringInput): Promise<AnchoringView> {
    const wallet = await this.ctx.session.require();
    const chain = this.requireChain();
    const stored = (await wallet.anchoring.state()).settings;
    if (input.enabled && input.rpcUrl === undefined) throw new DomainError('invalid_input', 'rpcUrl: required to turn anchoring on.');
    if (input.enabled && input.contract === undefined) throw new DomainError('invalid_input', 'contract: required to turn anchoring on.');
    const rpcUrl = input.rpcUrl === undefined ? stored.rpcUrl : checkRpcUrl(input.rpcUrl);
    const contract = input.contract === undefined ? stored.contract : (input.contract.toLowerCase() as Hex);
    let chainId = stored.chainId;
    if (input.enabled && rpcUrl && contract) {
      chainId = await chain.chainId(rpcUrl).catch((error: unknown) => {
        throw new DomainError('invalid_input', `rpcUrl: ${messageOf(error)}`);
      });
      const hasCode = await chain.hasCode(rpcUrl, contract).catch((error: unknown) => {
        throw new DomainError('invalid_input', `rpcUrl: ${messageOf(error)}`);
      });
      if (!hasCode) throw new DomainError('invalid_input', `contract: there is no contract at ${contract} on chain ${chainId}.`);
    }
    const settings: AnchoringSettings = { enabled: input.enabled, rpcUrl, contract, chainId, everyEntries: input.everyEntries, everyMinutes: input.everyMinutes };
    const account = input.enabled ? await this.accountOf(wallet, chain) : null;
    await this.ctx.commit.run(
      async (unit) => {
        const state = await wallet.anchoring.state();
        const moved = state.settings.chainId !== settings.chainId || state.settings.contract !== settings.contract;
        // Another chain or contract has none of this wallet's anchors: start over there
        // (the enricher queues every earlier revocation for it in this transaction).
        const fresh = moved ? { lastAnchor: null, ownEntries: 0, lastQueuedAt: null } : {};
        unit.write(await wallet.anchoring.stateOp({ ...state, ...fresh, settings, account: state.account ?? account }));
        if (moved) {
          for (const tx of await wallet.anchoring.transactions()) {
            if (tx.state !== 'queued' && tx.state !== 'sent') continue;
            unit.write(await wallet.anchoring.transactionOp({ ...tx, state: 'failed', lastError: 'Anchoring now goes to another chain or contract.', nextAttemptAt: null }));
          }
        }
        unit.emit({ type: 'anchoring.changed', settings });
      },
      { lock: [ANCHORING_STATE_LOCK] },
    );
    // Stored: from now on a pass reads the new settings.
    this.settingsVersion++;
    this.off = null;
    void this.kick();
    // `every` keeps an existing period: cancel first, so a new T takes effect.
    await this.ctx.ports.scheduler.cancel('anchoring');
    if (settings.enabled) await this.ctx.ports.scheduler.every('anchoring', settings.everyMinutes);
    return this.view();
  }

  /**
   * The stored settings were replaced from outside this flow (a restore from a backup):
   * forget what is cached, set the period alarm as they say, and work the queue once.
   */
  async resume(): Promise<void> {
    const wallet = await this.ctx.session.require();
    const { settings } = await wallet.anchoring.state();
    this.settingsVersion++;
    this.off = null;
    await this.ctx.ports.scheduler.cancel('anchoring');
    if (settings.enabled) await this.ctx.ports.scheduler.every('anchoring', settings.everyMinutes);
    void this.kick();
  }

  /**
   * The account has ether now: what waited for it goes at once instead of at its
   * backoff (a new account always meets its first anchor unfunded).
   */
  private async fundsArrived(wallet: UnlockedWallet, queue: readonly AnchorTransaction[]): Promise<void> {
    const waiting = queue.filter((tx) => tx.state === 'queued' && tx.nextAttemptAt !== null && INSUFFICIENT_FUNDS.test(tx.lastError ?? ''));
    if (waiting.length === 0) return;
    await this.ctx.commit.run(async (unit) => {
      for (const tx of waiting) {
        const current = await wallet.anchoring.transaction(tx.id);
        if (current?.state === 'queued') unit.write(await wallet.anchoring.transactionOp({ ...current, nextAttemptAt: null }));
      }
    }, { lock: waiting.map((tx) => anchorTxLock(tx.id)) });
    void this.kick();
  }

  /** "Anchor now": queues an anchor of the whole ledger (unless the chain has it) and starts sending. */
  async anchorNow(): Promise<AnchoringView> {
    const wallet = await this.ctx.session.require();
    const state = await wallet.anchoring.state();
    if (!state.settings.enabled) throw new DomainError('invalid_request', 'Chain anchoring is off: turn it on in the settings first.');
    const size = await wallet.ledger.size();
    // Only the wallet's own anchor entries since: nothing the holder did is missing from the chain.
    if (state.lastAnchor && unanchoredEntries(state, size) === 0) {
      throw new DomainError('invalid_request', `The chain already has the whole activity log (${state.lastAnchor.treeSize} entries and the record of anchoring them).`);
    }
    await this.queueAnchor(wallet, true);
    this.kick();
    return this.view();
  }

  /** Retries one waiting or failed transaction now (a failed one is signed afresh); a confirmed one is left as it is. */
  async retry(transactionId: string): Promise<AnchoringView> {
    const wallet = await this.ctx.session.require();
    await this.ctx.commit.run(
      async (unit) => {
        const tx = await wallet.anchoring.transaction(transactionId);
        if (!tx) throw new DomainError('not_found', 'No such anchoring transaction.');
        // Already mined (the wallet sent it meanwhile): nothing to retry, and nothing wrong.
        if (tx.state === 'confirmed') return;
        const fresh = tx.state === 'failed' ? { signed: null, state: 'queued' as const } : {};
        unit.write(await wallet.anchoring.transactionOp({ ...tx, ...fresh, nextAttemptAt: null }));
      },
      { lock: [anchorTxLock(transactionId)] },
    );
    this.kick();
    return this.view();
  }

  /** Commit subscriber: anything the ledger recorded may make an anchor due; a revocation is queued to send. */
  readonly onCommitted = async (events: readonly DomainEvent[]): Promise<void> => {
    // Its own confirmations do not wake it (the pass that wrote them is still running).
    if (events.every((e) => e.type === 'anchor.sent' || e.type === 'wallet.locked')) return;
    // A revocation was just queued: should this worker stop before its pass is done,
    // the alarm still wakes one to send it (a pass sets the alarm to what it leaves).
    if (!this.off && events.some((e) => e.type === 'grant.revoked' || e.type === 'anchoring.changed')) {
      await this.ctx.ports.scheduler.once('anchoring-retry', 0.5);
    }
    this.kick();
  };

  /** Works the queue now, once; a call while a pass runs makes it run once more after. */
  kick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.pass();
        } while (this.again);
      } catch (error) {
        console.error('Tessera: anchoring pass failed', error);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async pass(): Promise<void> {
    if (this.off || !this.sender) return;
    const version = this.settingsVersion;
    const wallet = await this.ctx.session.current();
    if (!wallet) return;
    const state = await wallet.anchoring.state();
    // Off: nothing goes to the chain (what is queued waits until it is turned on again).
    if (version === this.settingsVersion) this.off = !state.settings.enabled;
    if (!state.settings.enabled || !state.account) return;
    await this.queueAnchor(wallet, false);
    const now = this.ctx.ports.now();
    const context = { store: wallet.anchoring, account: state.account };
    let nextDue: number | null = null;
    for (const queued of await wallet.anchoring.transactions()) {
      if (!sameTarget(queued, state.settings)) continue;
      const open = queued.state === 'sent' || queued.state === 'queued';
      const due = open && (queued.nextAttemptAt === null || Date.parse(queued.nextAttemptAt) <= now);
      if (!due) {
        if (open) nextDue = Math.min(nextDue ?? Infinity, Date.parse(queued.nextAttemptAt!));
        continue;
      }
      const after = await this.sender.advance(context, queued);
      if (after?.state === 'sent') nextDue = Math.min(nextDue ?? Infinity, now + 30_000);
      if (after?.state === 'queued') {
        nextDue = Math.min(nextDue ?? Infinity, Date.parse(after.nextAttemptAt!));
        // The node is unreachable or refusing: the rest would fail the same way (and keep their nonce order).
        break;
      }
    }
    if (nextDue !== null) await this.ctx.ports.scheduler.once('anchoring-retry', Math.max(0.5, (nextDue - this.ctx.ports.now()) / 60_000));
  }

  /** Queues an anchor of the current ledger when the policy (or the user) says so. */
  private async queueAnchor(wallet: UnlockedWallet, onDemand: boolean): Promise<void> {
    await this.ctx.commit.run(
      async (unit) => {
        const [state, queue, size] = await Promise.all([wallet.anchoring.state(), wallet.anchoring.transactions(), wallet.ledger.size()]);
        const now = this.ctx.ports.now();
        if (!anchorDue(state, queue, size, now, onDemand)) return;
        const head = await wallet.ledger.signedHead();
        const queued = newAnchor(state.settings, head, now);
        if (!queued || sameTarget(await wallet.anchoring.transaction(queued.id), state.settings)) return;
        // Successive anchors must describe one append-only log: the new tree has to
        // extend the anchored one, or the wallet refuses to put it on the chain.
        const consistency = state.lastAnchor ? await consistencyFrom(wallet.ledger, state.lastAnchor, head) : null;
        const tx: AnchorTransaction = state.lastAnchor && !consistency
          ? { ...queued, state: 'failed', lastError: `The activity log no longer extends the one anchored at ${state.lastAnchor.treeSize} entries (consistency proof failed): not anchored.` }
          : { ...queued, consistency };
        unit.write(await wallet.anchoring.transactionOp(tx), await wallet.anchoring.stateOp({ ...state, lastQueuedAt: new Date(now).toISOString() }));
      },
      { lock: [ANCHORING_STATE_LOCK] },
    );
  }

  private async accountOf(wallet: UnlockedWallet, chain: AnchorChain): Promise<AnchoringAccount> {
    return (await wallet.anchoring.state()).account ?? newAnchoringAccount(chain, this.ctx.ports.now());
  }

  private requireChain(): AnchorChain {
    const chain = this.ctx.ports.chain;
    if (!chain) throw new DomainError('invalid_request', 'This build of the wallet has no chain client.');
    return chain;
  }
}

const messageOf = (error: unknown) => describeValue(error instanceof Error ? error.message : error, 200);

/** The RPC is the user's choice (their own node, a provider): http or https, nothing else. */
function checkRpcUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DomainError('invalid_input', 'rpcUrl: must be a URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new DomainError('invalid_input', 'rpcUrl: must be an http: or https: URL.');
  if (url.username || url.password) throw new DomainError('invalid_input', 'rpcUrl: must not carry a user name or password.');
  return url.href;
}
