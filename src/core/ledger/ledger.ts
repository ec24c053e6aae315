import { DomainError } from '../errors.ts';
import { randomBytes, toBase64Url } from '../encoding.ts';
import { Mutex } from '../mutex.ts';
import type { KeyValueStore, WriteOp } from '../ports.ts';
import type { VaultKeys } from '../vault/vault-keys.ts';
import { fromBase64Url } from './base64url.ts';
import { checkChain, type ChainHead } from './chain.ts';
import { SALT_BYTES, entryLeafHash, hasLoneSurrogate, isLedgerKind, ledgerTime, payloadDigest, type LedgerEntry } from './entry.ts';
import { LedgerCheckpoints } from './ledger-checkpoints.ts';
import { LedgerStore } from './ledger-store.ts';
import { MerkleTree } from './merkle-tree.ts';
import { HEAD_ID, type LedgerItem } from './records.ts';

export interface TimelineEntry {
  entry: LedgerEntry;
  /** null once the user deleted it ("deleted by you"). */
  payload: string | null;
  /** base64url; null with the payload. */
  salt: string | null;
}

export type LedgerVerification =
  | { ok: true; size: number; root: string }
  | { ok: false; firstBadIndex: number; reason: string };

export interface EntryProof {
  entry: LedgerEntry;
  salt: string | null;
  leafIndex: number;
  treeSize: number;
  inclusion: string[];
  root: string;
}

/** The checkpoints' log origin (C2SP): this wallet's activity ledger, named by its key. */
export const ledgerLogOrigin = (publicKey: string) => `tessera.wallet/ledger/${publicKey.slice(0, 16)}`;

export interface LedgerOptions {
  now?: () => Date;
  /** Signed-note key name of the ledger key, fixed when the key is generated. */
  keyName?: string;
}

/**
 * The activity ledger (DESIGN.md §4) over the KeyValueStore port, everything
 * encrypted: `ledger/<seq>` the entry, `ledgerPayloads/<seq>` its payload and salt,
 * `ledgerMeta/head` the size and last leaf hash.
 *
 * Appends are the caller's transaction: `appendOps` returns the writes, the caller
 * commits them with its own. The caller MUST serialise appends (hold one ledger lock
 * from `appendOps` until its write has finished), since two appends computed from
 * the same head would both claim the next seq. The head in the store is the truth:
 * `appendOps` reads it each time, and the in-memory Merkle tree is only a cache that
 * every read checks against it (size and last leaf), so a transaction that failed
 * leaves nothing wrong in memory. `committed(entries)` just spares a reload.
 */
export class Ledger {
  private readonly records: LedgerStore;
  private readonly now: () => Date;
  private readonly checkpoints: LedgerCheckpoints;
  private readonly loading = new Mutex();
  private cache: MerkleTree | null = null;

  constructor(store: KeyValueStore, keys: VaultKeys, options: LedgerOptions = {}) {
    this.records = new LedgerStore(store, keys);
    this.now = options.now ?? (() => new Date());
    this.checkpoints = new LedgerCheckpoints(this.records, options.keyName ?? 'tessera-ledger', this.now);
  }

  /** The writes that append `items`, in order, after the stored head; and the entries they make. */
  async appendOps(items: readonly LedgerItem[]): Promise<{ ops: WriteOp[]; entries: LedgerEntry[] }> {
    for (const item of items) {
      // JCS refuses lone surrogates, so a subject must be well-formed Unicode.
      if (!isLedgerKind(item.kind) || typeof item.subject !== 'string' || hasLoneSurrogate(item.subject) || typeof item.payload !== 'string') {
        throw new DomainError('invalid_input', `Not a ledger event: ${String(item.kind)}`);
      }
    }
    if (items.length === 0) return { ops: [], entries: [] };
    const head = await this.records.head();
    const at = ledgerTime(this.now());
    const ops: WriteOp[] = [];
    const entries: LedgerEntry[] = [];
    let { size: seq, last: prev } = head;
    for (const item of items) {
      const salt = randomBytes(SALT_BYTES);
      const entry: LedgerEntry = { v: 1, seq, at, kind: item.kind, subject: item.subject, digest: payloadDigest(salt, item.payload), prev };
      ops.push(await this.records.entries.putOp(String(seq), entry));
      ops.push(await this.records.payloads.putOp(String(seq), { v: 1, seq, salt: toBase64Url(salt), payload: item.payload }));
      entries.push(entry);
      prev = toBase64Url(entryLeafHash(entry));
      seq++;
    }
    ops.push(await this.records.meta.putOp(HEAD_ID, { v: 1, size: seq, last: prev }));
    return { ops, entries };
  }

  /** After the caller's transaction with `appendOps`' writes succeeded: extends the cached tree. */
  committed(entries: readonly LedgerEntry[]): void {
    const tree = this.cache;
    if (!tree || entries.length === 0 || entries[0]!.seq !== tree.size) return;
    const last = tree.size === 0 ? undefined : toBase64Url(tree.leaf(tree.size - 1));
    if (last !== undefined && entries[0]!.prev !== last) return;
    for (const entry of entries) tree.append(entryLeafHash(entry));
  }

  async size(): Promise<number> {
    return (await this.records.head()).size;
  }

  /** base64url MTH of the first `size` entries (default: all). */
  async root(size?: number): Promise<string> {
    const tree = await this.tree();
    return toBase64Url(tree.root(size ?? tree.size));
  }

  /** base64url RFC 9162 inclusion path of entry `seq` in the tree of `size` (default: current). */
  async inclusionProof(seq: number, size?: number): Promise<string[]> {
    const tree = await this.tree();
    return tree.inclusionProof(seq, size ?? tree.size).map(toBase64Url);
  }

  /** base64url RFC 9162 consistency proof from size `first` to `second` (default: current). */
  async consistencyProof(first: number, second?: number): Promise<string[]> {
    const tree = await this.tree();
    return tree.consistencyProof(first, second ?? tree.size).map(toBase64Url);
  }

  /**
   * The §6 receiptProof members for entry `seq` in the tree of `size` (default:
   * current): the entry, its salt (null once deleted), the inclusion path and root.
   */
  async entryProof(seq: number, size?: number): Promise<EntryProof> {
    const tree = await this.tree();
    const treeSize = size ?? tree.size;
    const inclusion = tree.inclusionProof(seq, treeSize).map(toBase64Url);
    const [item] = await this.page(seq, 1);
    if (!item) throw new DomainError('not_found', `No activity ledger entry ${seq}.`);
    return { entry: item.entry, salt: item.salt, leafIndex: seq, treeSize, inclusion, root: toBase64Url(tree.root(treeSize)) };
  }

  async entry(seq: number): Promise<LedgerEntry | undefined> {
    return this.records.entries.get(String(seq));
  }

  /** Entries `from` … `from + count - 1` (clipped to the size), oldest first, with payloads. */
  async page(from: number, count: number): Promise<TimelineEntry[]> {
    const size = await this.size();
    const end = Math.min(size, Math.max(0, from) + Math.max(0, count));
    const seqs = Array.from({ length: Math.max(0, end - Math.max(0, from)) }, (_, i) => Math.max(0, from) + i);
    return Promise.all(
      seqs.map(async (seq) => {
        const [entry, payload] = await Promise.all([this.records.entries.get(String(seq)), this.records.payloads.get(String(seq))]);
        if (!entry) throw new DomainError('internal', `Activity ledger entry ${seq} is missing.`);
        return { entry, payload: payload?.payload ?? null, salt: payload?.salt ?? null };
      }),
    );
  }

  /** The write that deletes entry `seq`'s payload and salt; the entry itself stays. */
  async deletePayloadOps(seq: number): Promise<WriteOp[]> {
    if (!Number.isSafeInteger(seq) || seq < 0 || seq >= (await this.size())) {
      throw new DomainError('not_found', `No activity ledger entry ${seq}.`);
    }
    return [await this.records.payloads.deleteOp(String(seq))];
  }

  /**
   * Reloads everything from the store and recomputes the chain (seq order, prev
   * links, the head) and the root; checks each remaining payload against its digest.
   * Names the first bad entry. A deleted payload is not an error.
   */
  async verify(): Promise<LedgerVerification> {
    let head: ChainHead;
    try {
      head = await this.records.head();
    } catch {
      return { ok: false, firstBadIndex: 0, reason: 'the ledger head is unreadable' };
    }
    const entries = await this.records.loadEntries(head.size);
    const chain = checkChain(entries, head);
    const payloads = await this.records.loadPayloads(head.size);
    const badPayload = payloads.findIndex((record, seq) => {
      if (record === undefined) return false;
      const entry = entries[seq];
      return record === null || !entry || record.seq !== seq || payloadDigest(fromBase64Url(record.salt), record.payload) !== entry.digest;
    });
    if (badPayload >= 0 && (chain.ok || badPayload < chain.firstBadIndex)) {
      return { ok: false, firstBadIndex: badPayload, reason: `entry ${badPayload}: payload does not match its digest` };
    }
    if (!chain.ok) return chain;
    // A rewrite that kept the chain whole still cannot match an earlier signed checkpoint.
    const checkpoint = await this.checkpoints.mismatch(chain.tree);
    if (checkpoint) return { ok: false, firstBadIndex: checkpoint.size === 0 ? 0 : checkpoint.size - 1, reason: checkpoint.reason };
    this.cache = chain.tree;
    return { ok: true, size: chain.size, root: chain.root };
  }

  /** The ledger key's public half (base64url), generating the key on first use. */
  publicKey(): Promise<{ name: string; publicKey: string }> {
    return this.checkpoints.publicKey();
  }

  /** Signs the current size and root as a C2SP checkpoint for `origin` and keeps it as the latest. */
  async checkpoint(origin: string): Promise<string> {
    return this.checkpoints.sign(origin, await this.tree());
  }

  /**
   * Signs a checkpoint of the ledger as it is now, under its own log origin, and
   * gives its size and root with it (what an anchor puts on the chain).
   */
  async signedHead(): Promise<{ note: string; size: number; root: string }> {
    const tree = await this.tree();
    // Read before the first await: a commit may extend the cached tree meanwhile.
    const size = tree.size;
    const root = tree.root(size);
    const note = await this.checkpoints.signHead(ledgerLogOrigin((await this.publicKey()).publicKey), size, root);
    return { note, size, root: toBase64Url(root) };
  }

  /** The latest signed checkpoint (for the export), if any. */
  latestCheckpoint(): Promise<string | undefined> {
    return this.checkpoints.latest();
  }

  /** The cached tree if it matches the stored head; else caught up or rebuilt from the store. */
  private tree(): Promise<MerkleTree> {
    return this.loading.run(async () => {
      const head = await this.records.head();
      const cached = this.cache;
      if (cached && cached.size <= head.size) {
        if (cached.size === head.size && lastLeaf(cached) === head.last) return cached;
        if (await this.catchUp(cached, head)) return cached;
      }
      const check = checkChain(await this.records.loadEntries(head.size), head);
      if (!check.ok) throw new DomainError('internal', `The activity ledger failed its integrity check (${check.reason}).`);
      this.cache = check.tree;
      return check.tree;
    });
  }

  /** Appends entries the store has beyond the cache, if they chain onto it. */
  private async catchUp(tree: MerkleTree, head: ChainHead): Promise<boolean> {
    if (head.size - tree.size > 1000) return false;
    const start = tree.size;
    const missing = await Promise.all(
      Array.from({ length: head.size - start }, (_, i) => this.records.entries.get(String(start + i)).catch(() => undefined)),
    );
    const leaves: Uint8Array[] = [];
    let prev = lastLeaf(tree);
    for (const [i, entry] of missing.entries()) {
      if (!entry || entry.seq !== start + i || entry.prev !== prev) return false;
      const leaf = entryLeafHash(entry);
      leaves.push(leaf);
      prev = toBase64Url(leaf);
    }
    if (prev !== head.last) return false;
    for (const leaf of leaves) tree.append(leaf);
    return true;
  }
}

const lastLeaf = (tree: MerkleTree): string => (tree.size === 0 ? 'A'.repeat(43) : toBase64Url(tree.leaf(tree.size - 1)));
