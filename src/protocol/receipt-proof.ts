/**
 * The receipt proof (DESIGN.md §6), modelled on C2SP tlog-proof: a consent receipt,
 * the `grant.given` ledger entry that commits to it, the entry's salt, its RFC 9162
 * inclusion path in the tree of `treeSize`, that tree's root, the signed checkpoint,
 * and the chain transaction that anchored the root. Hashes and the salt are base64url
 * without padding; `logId`, addresses and the tx hash 0x-hex; numbers JSON numbers.
 */
export type Hex = `0x${string}`;

export interface ReceiptProofEntry {
  v: 1;
  seq: number;
  at: string;
  kind: string;
  subject: string;
  digest: string;
  prev: string;
}

export interface ReceiptProofAnchor {
  chainId: number;
  contract: Hex;
  account: Hex;
  logId: Hex;
  txHash: Hex;
  blockNumber: number;
}

export interface ReceiptProof {
  v: 1;
  receipt: string;
  entry: ReceiptProofEntry;
  salt: string;
  leafIndex: number;
  treeSize: number;
  inclusion: string[];
  root: string;
  checkpoint: string;
  anchor: ReceiptProofAnchor;
}
