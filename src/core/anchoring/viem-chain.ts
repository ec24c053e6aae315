/**
 * The chain client of DESIGN.md §6 on viem, with minimal imports: one `createClient`
 * and `http` transport per RPC URL and the individual actions used, so the worker's
 * chain.js carries only what anchoring needs. Used by the wallet (loaded on demand in
 * the service worker) and by the CLI.
 */
import { createClient, decodeEventLog, encodeFunctionData, getAddress, http, keccak256, type Client, type Hex } from 'viem';
import {
  estimateFeesPerGas,
  estimateGas,
  getBalance,
  getChainId,
  getCode,
  getGasPrice,
  getTransaction,
  getTransactionCount,
  getTransactionReceipt,
  readContract,
  sendRawTransaction,
} from 'viem/actions';
import { privateKeyToAddress, signTransaction } from 'viem/accounts';
import type { AnchorCall, AnchorChain, ChainTarget, MinedChainTransaction, SignedChainTransaction } from '../ports.ts';
import { TESSERA_ANCHOR_ABI } from './tessera-anchor-artifact.ts';
import { assertRpcUrl, checkedAddress, checkedBytes32, checkedHex, privateKeyHex } from './viem-chain-checks.ts';
import { hasErrorNamed, nodeMessage, readableError } from './viem-chain-errors.ts';

export interface ViemAnchorChainOptions {
  /** How long one JSON-RPC request waits for an answer (default 10 s); a call makes at most two attempts. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** One more attempt after a network failure, a timeout or an HTTP 5xx/429; the anchoring queue retries beyond that with backoff. */
const RETRY_COUNT = 1;

/**
 * Node answers to a broadcast of a transaction the node may already hold: geth's
 * "already known", Nethermind's and Hardhat's "known transaction", and "nonce too low"
 * once it is mined (Hardhat, geth). Each is checked by looking the hash up.
 */
const MAY_ALREADY_HAVE = /already known|known transaction|already imported|alreadyknown|nonce too low/i;

export function createViemAnchorChain(options: ViemAnchorChainOptions = {}): AnchorChain {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new Error(`The chain client's timeout must be a positive number of milliseconds, not ${timeoutMs}.`);
  const clients = new Map<string, Client>();

  /** One client per RPC URL: viem's request ids and caches stay per node. */
  const clientFor = (rpcUrl: string): Client => {
    let client = clients.get(rpcUrl);
    if (!client) {
      assertRpcUrl(rpcUrl);
      client = createClient({
        // A node that redirects is refused: the wallet talks to the URL the user set, nowhere else.
        transport: http(rpcUrl, { fetchOptions: { redirect: 'error' }, timeout: timeoutMs, retryCount: RETRY_COUNT, batch: false }),
      });
      clients.set(rpcUrl, client);
    }
    return client;
  };

  /** Runs one chain request and turns a failure into an Error a user can read. */
  const ask = async <T>(rpcUrl: string, what: string, request: (client: Client) => Promise<T>): Promise<T> => {
    try {
      return await request(clientFor(rpcUrl));
    } catch (error) {
      throw readableError(rpcUrl, what, error, timeoutMs);
    }
  };

  const transactionKnown = (rpcUrl: string, txHash: Hex): Promise<boolean> =>
    ask(rpcUrl, `looking up transaction ${txHash}`, async (client) => {
      try {
        await getTransaction(client, { hash: txHash });
        return true;
      } catch (error) {
        if (hasErrorNamed(error, 'TransactionNotFoundError')) return false;
        throw error;
      }
    });

  return {
    async chainId(rpcUrl) {
      return ask(rpcUrl, 'reading its chain id', (client) => getChainId(client));
    },

    async hasCode(rpcUrl, address) {
      const code = await ask(rpcUrl, `reading the code at ${address}`, (client) => getCode(client, { address: checkedAddress(address) }));
      return code !== undefined && code !== '0x';
    },

    async minedTransaction(rpcUrl, txHash) {
      const receipt = await ask(rpcUrl, `reading the receipt of ${txHash}`, async (client) => {
        try {
          return await getTransactionReceipt(client, { hash: txHash });
        } catch (error) {
          // Pending or unknown: the node has no receipt (yet).
          if (hasErrorNamed(error, 'TransactionReceiptNotFoundError')) return null;
          throw error;
        }
      });
      if (!receipt) return null;
      const mined: MinedChainTransaction = {
        txHash: receipt.transactionHash,
        status: receipt.status,
        blockNumber: Number(receipt.blockNumber),
        from: getAddress(receipt.from),
        to: receipt.to ? getAddress(receipt.to) : null,
        gasUsed: Number(receipt.gasUsed),
        anchored: [],
        revoked: [],
      };
      for (const log of receipt.logs) {
        const event = tesseraAnchorEvent(log.data, log.topics);
        // Every log comes from a contract; which one is for the caller to check, so each names it.
        const contract = getAddress(log.address);
        if (event?.eventName === 'Anchored') {
          mined.anchored.push({ contract, logId: event.args.logId, treeSize: Number(event.args.treeSize), root: event.args.root });
        } else if (event?.eventName === 'Revoked') {
          mined.revoked.push({ contract, by: getAddress(event.args.by), receiptHash: event.args.receiptHash });
        }
      }
      return mined;
    },

    async revokedAt(target, by, receiptHash) {
      const args = [checkedAddress(by), checkedBytes32(receiptHash, 'receiptHash')] as const;
      const contract = checkedAddress(target.contract);
      try {
        return Number(await readContract(clientFor(target.rpcUrl), { address: contract, abi: TESSERA_ANCHOR_ABI, functionName: 'revokedAt', args }));
      } catch (error) {
        if (hasErrorNamed(error, 'ContractFunctionZeroDataError')) {
          throw new Error(`There is no TesseraAnchor at ${contract} on the chain at ${target.rpcUrl} (revokedAt returned no data).`, { cause: error });
        }
        throw readableError(target.rpcUrl, `calling revokedAt on ${contract}`, error, timeoutMs);
      }
    },

    async address(privateKey) {
      return privateKeyToAddress(privateKeyHex(privateKey));
    },

    async balance(rpcUrl, address) {
      return ask(rpcUrl, `reading the balance of ${address}`, (client) => getBalance(client, { address: checkedAddress(address) }));
    },

    known: transactionKnown,

    async prepare(target: ChainTarget, chainId: number, privateKey: Uint8Array, call: AnchorCall): Promise<SignedChainTransaction> {
      if (!Number.isSafeInteger(chainId) || chainId <= 0) throw new Error(`A chain id is a positive integer, not ${chainId}.`);
      const key = privateKeyHex(privateKey);
      const from = privateKeyToAddress(key);
      const to = checkedAddress(target.contract);
      const data = encodeCall(call);
      const { nodeChainId, nonce, gas, fees } = await ask(target.rpcUrl, `preparing the ${call.fn} transaction`, async (client) => {
        const [nodeChainId, nonce, gas, fees] = await Promise.all([
          getChainId(client),
          getTransactionCount(client, { address: from, blockTag: 'pending' }),
          // Estimated every time (never a fixed limit): the node runs the call as `from` would send it.
          estimateGas(client, { account: from, to, data }),
          feesOf(client),
        ]);
        return { nodeChainId, nonce, gas, fees };
      });
      if (nodeChainId !== chainId) {
        throw new Error(`The chain at ${target.rpcUrl} has chain id ${nodeChainId}, not ${chainId}: the anchoring settings name another chain.`);
      }
      const raw = await signTransaction({ privateKey: key, transaction: { chainId, nonce, to, data, gas, ...fees } });
      return { txHash: keccak256(raw), raw, nonce };
    },

    async broadcast(rpcUrl, raw) {
      const txHash = keccak256(checkedHex(raw, 'raw transaction'));
      let answered: Hex;
      try {
        answered = await sendRawTransaction(clientFor(rpcUrl), { serializedTransaction: raw });
      } catch (error) {
        // Sent before (an earlier attempt reached the node, or it is mined already): not an error.
        if (MAY_ALREADY_HAVE.test(nodeMessage(error)) && (await transactionKnown(rpcUrl, txHash))) return txHash;
        throw readableError(rpcUrl, 'sending the transaction', error, timeoutMs);
      }
      if (answered.toLowerCase() !== txHash) {
        throw new Error(`The chain at ${rpcUrl} answered the transaction ${txHash} with another hash, ${answered}.`);
      }
      return txHash;
    },
  };
}

function encodeCall(call: AnchorCall): Hex {
  if (call.fn === 'anchor') {
    if (!Number.isSafeInteger(call.treeSize) || call.treeSize < 0) throw new Error(`An anchored tree size is a non-negative integer, not ${call.treeSize}.`);
    return encodeFunctionData({
      abi: TESSERA_ANCHOR_ABI,
      functionName: 'anchor',
      args: [checkedBytes32(call.logId, 'logId'), BigInt(call.treeSize), checkedBytes32(call.root, 'root')],
    });
  }
  if (call.fn === 'revoke') {
    return encodeFunctionData({ abi: TESSERA_ANCHOR_ABI, functionName: 'revoke', args: [checkedBytes32(call.receiptHash, 'receiptHash')] });
  }
  throw new Error(`Unknown TesseraAnchor call ${JSON.stringify((call as { fn?: unknown }).fn)}.`);
}

type Fees = { type: 'eip1559'; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } | { type: 'legacy'; gasPrice: bigint };

/** EIP-1559 fees where the chain has a base fee, the legacy gas price where it has none. */
async function feesOf(client: Client): Promise<Fees> {
  try {
    const { maxFeePerGas, maxPriorityFeePerGas } = await estimateFeesPerGas(client, { chain: null, type: 'eip1559' });
    return { type: 'eip1559', maxFeePerGas, maxPriorityFeePerGas };
  } catch (error) {
    if (!hasErrorNamed(error, 'Eip1559FeesNotSupportedError')) throw error;
    return { type: 'legacy', gasPrice: await getGasPrice(client) };
  }
}

/** An Anchored or Revoked log of TesseraAnchor, or null for any other log. */
function tesseraAnchorEvent(data: Hex, topics: readonly Hex[]) {
  if (topics.length === 0) return null;
  try {
    return decodeEventLog({ abi: TESSERA_ANCHOR_ABI, data, topics: topics as [Hex, ...Hex[]], strict: true });
  } catch {
    return null; // another event, or one that only shares a signature and does not decode
  }
}
