/** What the dashboard shows of chain anchoring (DESIGN.md §6) and the settings it sends. */
import type { Hex } from './receipt-proof.ts';

export type AnchorTransactionKind = 'anchor' | 'revoke';

/**
 * One transaction of the anchoring queue. `queued`: not yet sent (or its send failed
 * and it waits for `nextAttemptAt`); `sent`: the node has it, not yet mined;
 * `confirmed`: mined and succeeded; `failed`: mined and reverted, or refused by the
 * node for a reason a retry cannot fix (the user may retry it).
 */
export type AnchorTransactionState = 'queued' | 'sent' | 'confirmed' | 'failed';

export interface AnchorTransactionView {
  id: string;
  kind: AnchorTransactionKind;
  state: AnchorTransactionState;
  /** Anchors: the ledger size and root (base64url) it anchors. */
  treeSize: number | null;
  root: string | null;
  /** Revocations: the grant and SHA-256 of its receipt (0x-hex). */
  grantId: string | null;
  receiptHash: Hex | null;
  txHash: Hex | null;
  blockNumber: number | null;
  attempts: number;
  /** When the next attempt is due (queued after a failure), else null. */
  nextAttemptAt: string | null;
  /** The last error, in words, else null. */
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AnchoringSettingsView {
  enabled: boolean;
  rpcUrl: string | null;
  contract: Hex | null;
  /** Read from the RPC when the settings were saved. */
  chainId: number | null;
  /** Anchor when this many entries were added since the last anchor. */
  everyEntries: number;
  /** … or when this many minutes passed with entries added since. */
  everyMinutes: number;
}

export interface AnchoringView {
  settings: AnchoringSettingsView;
  /** The anchoring account (created on first use), null until then. */
  account: { address: Hex; logId: Hex } | null;
  /** The account's balance in wei (decimal string), null when unknown (not enabled, RPC unreachable). */
  balanceWei: string | null;
  balanceError: string | null;
  ledgerSize: number;
  /** The last anchor mined, null before the first. */
  lastAnchor: { treeSize: number; root: string; txHash: Hex; blockNumber: number; at: string } | null;
  /** Entries the chain has not yet seen anchored. */
  unanchoredEntries: number;
  /** Every transaction not yet confirmed, then the latest confirmed ones (newest first). */
  transactions: AnchorTransactionView[];
}

export const ANCHOR_EVERY_ENTRIES_DEFAULT = 16;
export const ANCHOR_EVERY_MINUTES_DEFAULT = 60;
export const ANCHOR_EVERY_ENTRIES_MAX = 100_000;
export const ANCHOR_EVERY_MINUTES_MIN = 1;
export const ANCHOR_EVERY_MINUTES_MAX = 7 * 24 * 60;
