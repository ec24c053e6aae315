/**
 * TEST ONLY. An in-memory chain a receipt verifier reads (AnchorChainReader): one
 * deployed TesseraAnchor, transactions mined one per block, and the contract's
 * revocation map with the first-call-counts rule of DESIGN.md §6.
 */
import { randomBytes, toHex } from '../../../src/core/encoding.ts';
import type { AnchorChainReader, ChainTarget, MinedChainTransaction } from '../../../src/core/ports.ts';
import type { Hex } from '../../../src/protocol/receipt-proof.ts';

const randomHex = (bytes: number): Hex => `0x${toHex(randomBytes(bytes))}`;

export class MemoryChainReader implements AnchorChainReader {
  readonly contract: Hex = randomHex(20);
  /** Set to make every call throw, as an unreachable node does. */
  down = false;
  private block = 1;
  private readonly transactions = new Map<string, MinedChainTransaction>();
  private readonly revocations = new Map<string, number>();

  constructor(readonly id = 31337) {}

  /** Mines `from`'s anchor(logId, treeSize, root) to this chain's contract (or `contract`). */
  anchor(from: Hex, logId: Hex, treeSize: number, root: Hex, contract: Hex = this.contract): MinedChainTransaction {
    return this.mine({ from, to: contract, anchored: [{ contract, logId, treeSize, root }], revoked: [] });
  }

  /** Mines `from`'s revoke(receiptHash); only the first call by an account records a block. */
  revoke(from: Hex, receiptHash: Hex): MinedChainTransaction {
    const key = `${from.toLowerCase()}:${receiptHash.toLowerCase()}`;
    const first = !this.revocations.has(key);
    const tx = this.mine({ from, to: this.contract, anchored: [], revoked: first ? [{ contract: this.contract, by: from, receiptHash }] : [] });
    if (first) this.revocations.set(key, tx.blockNumber);
    return tx;
  }

  /** Mines a transaction that reverted (no events). */
  reverted(from: Hex): MinedChainTransaction {
    return this.mine({ from, to: this.contract, anchored: [], revoked: [], status: 'reverted' });
  }

  async chainId(): Promise<number> {
    this.reachable();
    return this.id;
  }

  async hasCode(_rpcUrl: string, address: Hex): Promise<boolean> {
    this.reachable();
    return address.toLowerCase() === this.contract.toLowerCase();
  }

  async minedTransaction(_rpcUrl: string, txHash: Hex): Promise<MinedChainTransaction | null> {
    this.reachable();
    return this.transactions.get(txHash.toLowerCase()) ?? null;
  }

  async revokedAt(target: ChainTarget, by: Hex, receiptHash: Hex): Promise<number> {
    this.reachable();
    if (target.contract.toLowerCase() !== this.contract.toLowerCase()) throw new Error(`no contract at ${target.contract}`);
    return this.revocations.get(`${by.toLowerCase()}:${receiptHash.toLowerCase()}`) ?? 0;
  }

  private mine(tx: Omit<MinedChainTransaction, 'txHash' | 'blockNumber' | 'status' | 'gasUsed'> & { status?: MinedChainTransaction['status'] }): MinedChainTransaction {
    const mined: MinedChainTransaction = { status: 'success', ...tx, txHash: randomHex(32), blockNumber: ++this.block, gasUsed: 24_000 };
    this.transactions.set(mined.txHash, mined);
    return mined;
  }

  private reachable() {
    if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:8545');
  }
}
