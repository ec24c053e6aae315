import type { AnchorTransactionView, AnchoringView } from '../../protocol/anchoring-views.ts';
import { unanchoredEntries } from './anchor-policy.ts';
import type { AnchorTransaction, AnchoringState } from './anchoring-records.ts';

/** Confirmed transactions the dashboard lists after the open ones. */
const RECENT_CONFIRMED = 10;

/**
 * What the dashboard shows of anchoring: settings, account, balance, the last anchor,
 * what is not yet anchored, and the queue (every open transaction, newest first, then
 * the latest confirmed ones). Never the account's key.
 */
export function toAnchoringView(
  state: AnchoringState,
  queue: readonly AnchorTransaction[],
  ledgerSize: number,
  balance: { balanceWei: string | null; balanceError: string | null },
): AnchoringView {
  const open = queue.filter((tx) => tx.state !== 'confirmed').reverse();
  const confirmed = queue.filter((tx) => tx.state === 'confirmed').reverse().slice(0, RECENT_CONFIRMED);
  const last = state.lastAnchor;
  return {
    settings: { ...state.settings },
    account: state.account ? { address: state.account.address, logId: state.account.logId } : null,
    ...balance,
    ledgerSize,
    lastAnchor: last ? { treeSize: last.treeSize, root: last.root, txHash: last.txHash, blockNumber: last.blockNumber, at: last.at } : null,
    unanchoredEntries: unanchoredEntries(state, ledgerSize),
    transactions: [...open, ...confirmed].map(toTransactionView),
  };
}

function toTransactionView(tx: AnchorTransaction): AnchorTransactionView {
  return {
    id: tx.id,
    kind: tx.kind,
    state: tx.state,
    treeSize: tx.treeSize,
    root: tx.root,
    grantId: tx.grantId,
    receiptHash: tx.receiptHash,
    txHash: tx.signed?.txHash ?? null,
    blockNumber: tx.blockNumber,
    attempts: tx.attempts,
    nextAttemptAt: tx.nextAttemptAt,
    lastError: tx.lastError,
    createdAt: tx.createdAt,
    updatedAt: tx.updatedAt,
  };
}
