/**
 * TEST ONLY. An in-memory EVM chain with one deployed TesseraAnchor (DESIGN.md §6) that
 * the wallet's anchoring queue sends to (AnchorChain). It keeps what the queue's
 * promises depend on: accounts with balances and nonces, a mempool, blocks, the
 * contract's revocation map (the first revoke of a receipt by an account records the
 * block; a repeat is a no-op), and Anchored/Revoked logs in the receipts.
 *
 * Transactions are not real RLP: `raw` is the 0x-hex of a JSON text naming chain id,
 * sender, nonce, contract and call, and `txHash` is keccak-256 of those bytes, so the
 * same call at the same nonce always gives the same transaction. Addresses are real
 * (secp256k1 public key, keccak-256, EIP-55), so they match viem's.
 *
 * Faults tests switch on: `down` (every node call throws as an unreachable node
 * does), `loseBroadcastAnswers` (the node takes the transaction, the answer is lost),
 * `revertNext` (the next mined transaction reverts), `automine` off (transactions wait
 * in the mempool until `mine()`), balances too low to pay for gas.
 */
import { secp256k1 } from '@noble/curves/secp256k1';
import { keccak_256 } from '@noble/hashes/sha3';
import { fromHex, fromUtf8, randomBytes, toHex, utf8 } from '../../src/core/encoding.ts';
import type { AnchorCall, AnchorChain, ChainTarget, MinedChainTransaction, SignedChainTransaction } from '../../src/core/ports.ts';
import type { Hex } from '../../src/protocol/receipt-proof.ts';

/** Gas of each call, near what TesseraAnchor costs on a real node. */
export const ANCHOR_GAS = 24_000;
export const REVOKE_GAS = 45_000;
/** Wei per gas (1 gwei): an anchor costs 24,000 gwei. */
export const GAS_PRICE = 1_000_000_000n;
export const ONE_ETH = 10n ** 18n;

/** What `raw` carries. */
interface TransactionBody {
  chainId: number;
  from: Hex;
  to: Hex;
  nonce: number;
  call: AnchorCall;
}

interface Account {
  balance: bigint;
  /** Transactions of this account mined so far (the next nonce a block accepts). */
  minedNonce: number;
}

interface PendingTransaction {
  txHash: Hex;
  body: TransactionBody;
}

export interface MemoryAnchorChainOptions {
  chainId?: number;
  rpcUrl?: string;
  /** Balance in wei an account has when the chain first sees it (the dev chain's funding); default 1 ETH. */
  initialBalance?: bigint;
}

const sameHex = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const gasOf = (call: AnchorCall) => (call.fn === 'anchor' ? ANCHOR_GAS : REVOKE_GAS);

/** The EIP-55 mixed-case form of a 20-byte address. */
export function checksumAddress(address: Hex): Hex {
  const lower = address.slice(2).toLowerCase();
  const hash = toHex(keccak_256(utf8(lower)));
  let out = '0x';
  for (let i = 0; i < lower.length; i++) out += Number.parseInt(hash[i]!, 16) >= 8 ? lower[i]!.toUpperCase() : lower[i]!;
  return out as Hex;
}

/** The Ethereum address of a secp256k1 private key: the last 20 bytes of keccak-256 of the uncompressed public key. */
export function addressOf(privateKey: Uint8Array): Hex {
  const publicKey = secp256k1.getPublicKey(privateKey, false).slice(1);
  return checksumAddress(`0x${toHex(keccak_256(publicKey).slice(12))}`);
}

export class MemoryAnchorChain implements AnchorChain {
  readonly id: number;
  readonly rpcUrl: string;
  /** The first TesseraAnchor deployment; `deployAnother()` adds more (each its own revocation map). */
  readonly contract: Hex = checksumAddress(`0x${toHex(randomBytes(20))}`);
  private readonly deployments = new Set<string>([this.contract.toLowerCase()]);
  /** Off: broadcast transactions wait in the mempool until `mine()`. */
  automine = true;
  /** Every node call throws as an unreachable node does. */
  down = false;
  /** The next this-many broadcasts reach the node (it keeps the transaction) but their answer is lost: the call throws. */
  loseBroadcastAnswers = 0;
  /** The next mined transaction reverts (its nonce and gas are spent, no log, no state change). */
  revertNext = false;
  /** Runs after the node took a broadcast transaction (and mined it, with automine), before the answer goes back. */
  afterBroadcast: (() => void) | null = null;
  /** Every broadcast call that reached the node (raw bytes), accepted or refused. */
  readonly broadcasts: Hex[] = [];

  private readonly initialBalance: bigint;
  private block = 0;
  private readonly accounts = new Map<string, Account>();
  private readonly mempool = new Map<string, PendingTransaction>();
  private readonly receipts = new Map<string, MinedChainTransaction>();
  /** Mined transactions in order, with the call each made. */
  private readonly history: { mined: MinedChainTransaction; call: AnchorCall }[] = [];
  private readonly revocations = new Map<string, number>();

  constructor(options: MemoryAnchorChainOptions = {}) {
    this.id = options.chainId ?? 31337;
    this.rpcUrl = new URL(options.rpcUrl ?? 'http://127.0.0.1:8545').href;
    this.initialBalance = options.initialBalance ?? ONE_ETH;
  }

  // ------------------------------------------------------------ test controls

  fund(address: Hex, wei: bigint): void {
    this.account(address).balance += wei;
  }

  /** Mines everything in the mempool, one transaction per block in nonce order; the mined ones. */
  mine(): MinedChainTransaction[] {
    const pending = [...this.mempool.values()].sort((a, b) => a.body.nonce - b.body.nonce);
    return pending.map((tx) => this.mineOne(tx));
  }

  /** The node forgets its mempool (restarted without persisting it): pending transactions are unknown again. */
  dropPending(): void {
    this.mempool.clear();
  }

  /** Transactions waiting in the mempool. */
  get pendingCount(): number {
    return this.mempool.size;
  }

  /** Every mined transaction, oldest first. */
  minedTransactions(): MinedChainTransaction[] {
    return this.history.map((h) => h.mined);
  }

  /** How many successful anchor(logId, treeSize, …) transactions were mined. */
  /** Deploys another TesseraAnchor on this chain and returns its address. */
  deployAnother(): Hex {
    const address = checksumAddress(`0x${toHex(randomBytes(20))}`);
    this.deployments.add(address.toLowerCase());
    return address;
  }

  minedAnchors(logId: Hex, treeSize: number): number {
    return this.history.filter((h) => h.mined.status === 'success' && h.call.fn === 'anchor' && sameHex(h.call.logId, logId) && h.call.treeSize === treeSize).length;
  }

  /** How many revoke(receiptHash) transactions were mined (successful, repeats included). */
  minedRevokes(receiptHash: Hex): number {
    return this.history.filter((h) => h.mined.status === 'success' && h.call.fn === 'revoke' && sameHex(h.call.receiptHash, receiptHash)).length;
  }

  /** The calls of every mined transaction, oldest first. */
  minedCalls(): AnchorCall[] {
    return this.history.map((h) => h.call);
  }

  // ------------------------------------------------------------ AnchorChain

  async address(privateKey: Uint8Array): Promise<Hex> {
    // Computed locally, as viem's account does: no node involved.
    return addressOf(privateKey);
  }

  async chainId(rpcUrl: string): Promise<number> {
    this.reachable(rpcUrl);
    return this.id;
  }

  async hasCode(rpcUrl: string, address: Hex): Promise<boolean> {
    this.reachable(rpcUrl);
    return this.deployments.has(address.toLowerCase());
  }

  async balance(rpcUrl: string, address: Hex): Promise<bigint> {
    this.reachable(rpcUrl);
    return this.account(address).balance;
  }

  async known(rpcUrl: string, txHash: Hex): Promise<boolean> {
    this.reachable(rpcUrl);
    return this.mempool.has(txHash.toLowerCase()) || this.receipts.has(txHash.toLowerCase());
  }

  async minedTransaction(rpcUrl: string, txHash: Hex): Promise<MinedChainTransaction | null> {
    this.reachable(rpcUrl);
    const mined = this.receipts.get(txHash.toLowerCase());
    return mined ? structuredClone(mined) : null;
  }

  async revokedAt(target: ChainTarget, by: Hex, receiptHash: Hex): Promise<number> {
    this.reachable(target.rpcUrl);
    if (!this.deployments.has(target.contract.toLowerCase())) throw new Error(`There is no TesseraAnchor at ${target.contract} on the chain at ${target.rpcUrl}.`);
    return this.revocations.get(revocationKey(target.contract, by, receiptHash)) ?? 0;
  }

  async prepare(target: ChainTarget, chainId: number, privateKey: Uint8Array, call: AnchorCall): Promise<SignedChainTransaction> {
    this.reachable(target.rpcUrl);
    if (chainId !== this.id) throw new Error(`The chain at ${target.rpcUrl} has chain id ${this.id}, not ${chainId}.`);
    if (!this.deployments.has(target.contract.toLowerCase())) throw new Error(`There is no contract at ${target.contract}: gas estimation failed.`);
    const from = addressOf(privateKey);
    const body: TransactionBody = { chainId, from, to: checksumAddress(target.contract), nonce: this.pendingNonce(from), call };
    const raw: Hex = `0x${toHex(utf8(JSON.stringify(body)))}`;
    return { txHash: hashOf(raw), raw, nonce: body.nonce };
  }

  async broadcast(rpcUrl: string, raw: Hex): Promise<Hex> {
    this.reachable(rpcUrl);
    this.broadcasts.push(raw);
    const txHash = hashOf(raw);
    // A node that already has it (pending or mined) is no error.
    if (this.mempool.has(txHash) || this.receipts.has(txHash)) return this.answer(txHash);
    const body = decode(raw);
    if (body.chainId !== this.id) throw new Error(`invalid chain id ${body.chainId}: the node is chain ${this.id}`);
    const account = this.account(body.from);
    if (body.nonce < account.minedNonce) throw new Error(`nonce too low: the account's next nonce is ${account.minedNonce}, the transaction has ${body.nonce}`);
    const pending = this.pendingNonce(body.from);
    if (body.nonce < pending) throw new Error(`replacement transaction underpriced (nonce ${body.nonce} is pending)`);
    if (body.nonce > pending) throw new Error(`nonce too high: the account's next nonce is ${pending}, the transaction has ${body.nonce}`);
    const cost = BigInt(gasOf(body.call)) * GAS_PRICE + this.pendingCost(body.from);
    if (account.balance < cost) throw new Error(`insufficient funds for gas * price + value: balance ${account.balance}, tx cost ${cost}`);
    const tx = { txHash, body };
    this.mempool.set(txHash, tx);
    if (this.automine) this.mineOne(tx);
    this.afterBroadcast?.();
    return this.answer(txHash);
  }

  // ------------------------------------------------------------ internals

  private answer(txHash: Hex): Hex {
    if (this.loseBroadcastAnswers > 0) {
      this.loseBroadcastAnswers--;
      throw new Error(`The chain at ${this.rpcUrl} did not answer (the connection closed before the reply).`);
    }
    return txHash;
  }

  private mineOne(tx: PendingTransaction): MinedChainTransaction {
    const { body } = tx;
    const account = this.account(body.from);
    this.mempool.delete(tx.txHash);
    account.minedNonce++;
    const gasUsed = gasOf(body.call);
    account.balance -= BigInt(gasUsed) * GAS_PRICE;
    const blockNumber = ++this.block;
    const reverted = this.revertNext;
    this.revertNext = false;
    const mined: MinedChainTransaction = {
      txHash: tx.txHash,
      status: reverted ? 'reverted' : 'success',
      blockNumber,
      from: body.from,
      to: body.to,
      gasUsed,
      anchored: [],
      revoked: [],
    };
    if (!reverted && body.call.fn === 'anchor') {
      mined.anchored.push({ contract: body.to, logId: body.call.logId, treeSize: body.call.treeSize, root: body.call.root });
    }
    if (!reverted && body.call.fn === 'revoke') {
      const key = revocationKey(body.to, body.from, body.call.receiptHash);
      // The contract's rule: the first call by an account records the block and emits; a repeat does nothing.
      if (!this.revocations.has(key)) {
        this.revocations.set(key, blockNumber);
        mined.revoked.push({ contract: body.to, by: body.from, receiptHash: body.call.receiptHash });
      }
    }
    this.receipts.set(tx.txHash, mined);
    this.history.push({ mined, call: body.call });
    return mined;
  }

  private account(address: Hex): Account {
    const key = address.toLowerCase();
    let account = this.accounts.get(key);
    if (!account) {
      account = { balance: this.initialBalance, minedNonce: 0 };
      this.accounts.set(key, account);
    }
    return account;
  }

  /** The next nonce counting the mempool (what `eth_getTransactionCount(…, 'pending')` answers). */
  private pendingNonce(address: Hex): number {
    let nonce = this.account(address).minedNonce;
    const taken = new Set([...this.mempool.values()].filter((tx) => sameHex(tx.body.from, address)).map((tx) => tx.body.nonce));
    while (taken.has(nonce)) nonce++;
    return nonce;
  }

  private pendingCost(address: Hex): bigint {
    return [...this.mempool.values()].filter((tx) => sameHex(tx.body.from, address)).reduce((sum, tx) => sum + BigInt(gasOf(tx.body.call)) * GAS_PRICE, 0n);
  }

  private reachable(rpcUrl: string): void {
    let asked: string;
    try {
      asked = new URL(rpcUrl).href;
    } catch {
      throw new Error(`The chain's RPC URL ${JSON.stringify(rpcUrl)} is not a URL.`);
    }
    if (this.down || asked !== this.rpcUrl) throw new Error(`The chain at ${rpcUrl} did not answer (connect ECONNREFUSED).`);
  }
}

const revocationKey = (contract: Hex, by: Hex, receiptHash: Hex) => `${contract.toLowerCase()}:${by.toLowerCase()}:${receiptHash.toLowerCase()}`;
const hashOf = (raw: Hex): Hex => `0x${toHex(keccak_256(fromHex(raw.slice(2))))}`;

function decode(raw: Hex): TransactionBody {
  try {
    return JSON.parse(fromUtf8(fromHex(raw.slice(2)))) as TransactionBody;
  } catch {
    throw new Error('rlp: the raw transaction does not decode');
  }
}
