import { toBase64Url } from '../encoding.ts';
import { isBase64UrlOf } from './base64url.ts';
import { GENESIS_PREV, isLedgerEntry, writeLeafHashIfWellFormed, type LedgerEntry } from './entry.ts';
import { MerkleTree } from './merkle-tree.ts';

/** What the head record says: how many entries there are and the last one's leaf hash. */
export interface ChainHead {
  size: number;
  /** base64url leaf hash of entry size-1; GENESIS_PREV when empty. */
  last: string;
}

export type ChainCheck =
  | { ok: true; size: number; root: string; tree: MerkleTree }
  | { ok: false; firstBadIndex: number; reason: string };

/**
 * Recomputes the hash chain of `entries` (indexed by position, `undefined` where a
 * record is missing or unreadable) against the head, and the Merkle root. Pure: the
 * ledger runs it over what it loaded, the bench over entries in memory.
 *
 * Which index is bad when a link breaks: changing entry i (any member but `prev`)
 * changes its leaf hash, so only the link i → i+1 breaks; changing `prev` of entry i
 * breaks both i-1 → i and i → i+1. So when the first broken link is j → j+1 and the
 * next link j+1 → j+2 holds, entry j is named; when both break, entry j+1 is. The
 * head counts as the link after the last entry.
 */
export function checkChain(entries: ReadonlyArray<LedgerEntry | undefined>, head: ChainHead): ChainCheck {
  const tree = new MerkleTree();
  const count = Math.max(entries.length, head.size);
  for (let i = 0; i < count; i++) {
    const entry = entries[i];
    if (entry === undefined) return bad(i, i < head.size ? 'missing or unreadable' : 'beyond the head');
    // The leaf hash is written straight into the tree (no copy per entry); any
    // failure below returns, dropping the tree.
    if (!tree.appendWritten((buffer, offset) => writeLeafHashIfWellFormed(entry, buffer, offset))) {
      return bad(i, 'not a well-formed ledger entry');
    }
    if (entry.seq !== i) return bad(i, `out of order (seq ${entry.seq})`);
    if (i >= head.size) return bad(i, 'beyond the head');
    if (i === 0 ? entry.prev !== GENESIS_PREV : !isBase64UrlOf(entry.prev, tree.leafView(i - 1))) {
      if (i === 0) return bad(0, 'prev of the first entry is not zero');
      return bad(linkHolds(entries, i, tree.leaf(i), head) ? i - 1 : i, 'hash chain broken');
    }
  }
  const lastMatches = head.size === 0 ? head.last === GENESIS_PREV : isBase64UrlOf(head.last, tree.leafView(head.size - 1));
  if (!lastMatches) return bad(head.size - 1, 'does not match the head');
  return { ok: true, size: head.size, root: toBase64Url(tree.root()), tree };
}

/** Whether entry i's leaf hash is what its successor (or the head) recorded. */
function linkHolds(entries: ReadonlyArray<LedgerEntry | undefined>, i: number, leaf: Uint8Array, head: ChainHead): boolean {
  if (i === head.size - 1) return isBase64UrlOf(head.last, leaf);
  const next = entries[i + 1];
  return next !== undefined && isLedgerEntry(next) && isBase64UrlOf(next.prev, leaf);
}

const bad = (firstBadIndex: number, reason: string): ChainCheck => ({
  ok: false,
  firstBadIndex,
  reason: `entry ${firstBadIndex}: ${reason}`,
});
