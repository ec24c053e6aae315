import type { AnchorTransactionKind, AnchorTransactionState, AnchoringSettingsView } from '../../protocol/anchoring-views.ts';
import type { Hex, ReceiptProofAnchor } from '../../protocol/receipt-proof.ts';

/**
 * What the vault keeps for chain anchoring (DESIGN.md §6), all sealed by
 * EncryptedCollection: one state record, one record per queued transaction, and an
 * index from a data grant to the ledger entry that commits to its receipt.
 */

/** As the dashboard shows them (chain id read from the RPC when saved). */
export type AnchoringSettings = AnchoringSettingsView;

/** The anchoring account (secp256k1): it pays for and signs every anchor and revocation. */
export interface AnchoringAccount {
  /** base64url of the 32-byte private key. */
  privateKey: string;
  address: Hex;
  /** Random per wallet: names this wallet's log in every Anchored event. */
  logId: Hex;
  createdAt: string;
}

/**
 * A mined anchor: the proofs of every entry below `treeSize` are built against it
 * (its chain members are a receipt proof's `anchor`).
 */
export interface ConfirmedAnchor extends ReceiptProofAnchor {
  treeSize: number;
  /** base64url. */
  root: string;
  /** The signed checkpoint of this size and root. */
  checkpoint: string;
  at: string;
}

/** `anchoring/state`. */
export interface AnchoringState {
  v: 1;
  settings: AnchoringSettings;
  account: AnchoringAccount | null;
  lastAnchor: ConfirmedAnchor | null;
  /**
   * The wallet's own `anchor.sent` entries after the last anchor's size: the policy
   * does not count them, so an anchor never causes the next one by itself.
   */
  ownEntries: number;
  /** When the last anchor was queued (for the every-T-minutes rule). */
  lastQueuedAt: string | null;
}

/** `anchorQueue/<id>`: one transaction, from queued to confirmed. */
export interface AnchorTransaction {
  v: 1;
  id: string;
  kind: AnchorTransactionKind;
  state: AnchorTransactionState;
  /** Where it goes (fixed when queued: a settings change does not redirect it). */
  rpcUrl: string;
  contract: Hex;
  chainId: number;
  treeSize: number | null;
  root: string | null;
  checkpoint: string | null;
  grantId: string | null;
  receiptHash: Hex | null;
  /**
   * Anchors after the first: the RFC 9162 consistency proof (base64url) from the last
   * anchored size and root to this one, checked before it was queued.
   */
  consistency?: { fromSize: number; fromRoot: string; proof: string[] } | null;
  /** Set once signed, before the first broadcast: a retry looks it up before sending again. */
  signed: { txHash: Hex; raw: Hex; nonce: number } | null;
  blockNumber: number | null;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

/** `receiptEntries/<grant id>`: the seq of the `grant.given` entry whose payload is the grant's receipt. */
export interface ReceiptEntryRecord {
  v: 1;
  grantId: string;
  seq: number;
}

export const STATE_ID = 'state';
