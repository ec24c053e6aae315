import type { AnchorTransaction, AnchoringState } from './anchoring-records.ts';

/**
 * When the ledger's root goes to the chain (DESIGN.md §6): every N entries, or every
 * T minutes when entries were added, or on demand. The wallet's own `anchor.sent`
 * entries are not counted, so an anchor never causes the next one by itself.
 */
export function unanchoredEntries(state: AnchoringState, ledgerSize: number): number {
  return Math.max(0, ledgerSize - (state.lastAnchor?.treeSize ?? 0) - state.ownEntries);
}

/** An anchor is queued or on its way: the next one waits for it (one anchor in flight). */
export const anchorInFlight = (queue: readonly AnchorTransaction[]): boolean =>
  queue.some((tx) => tx.kind === 'anchor' && (tx.state === 'queued' || tx.state === 'sent'));

export type AnchorReason = 'entries' | 'time' | 'demand';

/** Whether an anchor of `ledgerSize` should be queued now, and why; null when not. */
export function anchorDue(
  state: AnchoringState,
  queue: readonly AnchorTransaction[],
  ledgerSize: number,
  now: number,
  onDemand = false,
): AnchorReason | null {
  const { settings } = state;
  if (!settings.enabled || ledgerSize === 0 || anchorInFlight(queue)) return null;
  // Never the same size twice: the chain already has it.
  if (state.lastAnchor && ledgerSize <= state.lastAnchor.treeSize) return null;
  if (onDemand) return 'demand';
  const added = unanchoredEntries(state, ledgerSize);
  if (added === 0) return null;
  if (added >= settings.everyEntries) return 'entries';
  const since = state.lastQueuedAt ? Date.parse(state.lastQueuedAt) : null;
  if (since === null || now - since >= settings.everyMinutes * 60_000) return 'time';
  return null;
}

/** Backoff after the n-th failed attempt (1-based): 30 s, 1, 2, 4, 8, 16, then 30 minutes. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30 * 60_000, 30_000 * 2 ** Math.max(0, attempts - 1));
}
