/**
 * The size of a receipt proof (DESIGN.md §6) as the ledger grows: a real core Ledger
 * of n entries with a real consent receipt logged as its `grant.given` entry in the
 * middle (seq ⌊n/2⌋; any leaf of the tree's left complete subtree has the same path
 * length), the wallet's signed head anchored on the development chain, and the proof
 * put together as the wallet does (core/anchoring/receipt-proofs.ts: Ledger.entryProof
 * against the anchored size, the anchor's checkpoint and transaction). Each proof is
 * checked with core's verifier against the chain before it is measured. The size is
 * the UTF-8 bytes of its JSON (compact, as the wallet sends it in wallet_getGrants).
 */
import { gzipSync } from 'node:zlib';
import { base64UrlHashToHex, verifyReceiptProof } from '../../src/core/anchoring/receipt-verification.ts';
import { randomBytes, toHex, utf8 } from '../../src/core/encoding.ts';
import type { Hex, ReceiptProof } from '../../src/protocol/receipt-proof.ts';
import type { DevChain } from '../lib/dev-chain.ts';
import type { BenchAccount } from './anchoring-chain.ts';
import { benchLedger } from './anchoring-ledger.ts';

export interface ProofSample {
  treeSize: number;
  leafIndex: number;
  /** Hashes in the inclusion path. */
  pathLength: number;
  jsonBytes: number;
  gzipBytes: number;
  receiptBytes: number;
  checkpointBytes: number;
  /** Milliseconds to grow the ledger to this size (appends through Ledger). */
  buildMs: number;
}

export interface LoggedReceipt {
  receipt: string;
  grantId: string;
}

export async function measureProofSize(
  devChain: DevChain,
  account: BenchAccount,
  treeSize: number,
  logged: LoggedReceipt,
  log: (line: string) => void,
): Promise<ProofSample> {
  if (!Number.isSafeInteger(treeSize) || treeSize < 1) throw new Error(`a proof needs a tree of at least 1 entry, not ${treeSize}`);
  log(`receipt proof: a ledger of ${treeSize.toLocaleString('en')} entries…`);
  const started = performance.now();
  const { ledger, grow, append } = await benchLedger();
  await grow(Math.floor(treeSize / 2));
  const seq = await append({ kind: 'grant.given', subject: logged.grantId, payload: logged.receipt });
  await grow(treeSize - seq - 1);
  const buildMs = performance.now() - started;

  const head = await ledger.signedHead();
  if (head.size !== treeSize) throw new Error(`the ledger has ${head.size} entries, not ${treeSize}`);
  const logId: Hex = `0x${toHex(randomBytes(32))}`;
  const anchored = await account.send({ fn: 'anchor', logId, treeSize: head.size, root: base64UrlHashToHex(head.root) });
  const entry = await ledger.entryProof(seq, head.size);
  if (entry.salt === null) throw new Error('the receipt entry has no salt');
  const proof: ReceiptProof = {
    v: 1,
    receipt: logged.receipt,
    entry: entry.entry,
    salt: entry.salt,
    leafIndex: entry.leafIndex,
    treeSize: entry.treeSize,
    inclusion: entry.inclusion,
    root: entry.root,
    checkpoint: head.note,
    anchor: { chainId: devChain.chainId, contract: devChain.contract, account: account.address, logId, txHash: anchored.txHash, blockNumber: anchored.blockNumber },
  };
  const verdict = await verifyReceiptProof(proof, account.chain, devChain.rpcUrl);
  if (!verdict.ok || verdict.revokedAtBlock !== null) {
    throw new Error(`the proof at ${treeSize} does not verify: ${verdict.firstFailure ?? 'revoked'} (${JSON.stringify(verdict.checks.find((c) => c.ok === false) ?? null)})`);
  }
  const json = utf8(JSON.stringify(proof));
  const sample: ProofSample = {
    treeSize,
    leafIndex: seq,
    pathLength: proof.inclusion.length,
    jsonBytes: json.length,
    gzipBytes: gzipSync(json, { level: 9 }).length,
    receiptBytes: utf8(proof.receipt).length,
    checkpointBytes: utf8(proof.checkpoint).length,
    buildMs: Math.round(buildMs),
  };
  log(`receipt proof at ${treeSize.toLocaleString('en')}: ${sample.jsonBytes} B JSON (${sample.pathLength} hashes in the path, verified against the chain), ledger built in ${(buildMs / 1000).toFixed(1)} s`);
  return sample;
}
