/**
 * TEST ONLY. Puts a receipt proof's root on the development chain (scripts/lib/dev-chain.ts)
 * the way the wallet's anchoring account would, with viem directly: a fresh secp256k1
 * account, funded by the chain's deployer, sends anchor(logId, treeSize, root) and
 * later revoke(SHA-256(receipt)). The anchored proof is built with the wallet's own
 * ledger code (receipt-proof-fixture.ts).
 */
import { createClient, defineChain, http, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { waitForTransactionReceipt, writeContract } from 'viem/actions';
import { receiptHash } from '../../../src/core/anchoring/receipt-verification.ts';
import { TESSERA_ANCHOR_ABI } from '../../../src/core/anchoring/tessera-anchor-artifact.ts';
import { toHex } from '../../../src/core/encoding.ts';
import { fromBase64Url } from '../../../src/core/ledger/base64url.ts';
import type { ReceiptProof } from '../../../src/protocol/receipt-proof.ts';
import type { DevChain } from '../../../scripts/lib/dev-chain.ts';
import { buildReceiptProof, withAnchor, type ReceiptProofOptions } from './receipt-proof-fixture.ts';

const ONE_ETH = 10n ** 18n;

/** A funded account on the development chain that sends TesseraAnchor calls. */
export interface ChainAccount {
  address: Hex;
  /** Sends anchor(logId, treeSize, root); resolves once mined, with the tx hash and block. */
  anchor(logId: Hex, treeSize: number, root: Hex): Promise<{ txHash: Hex; blockNumber: number }>;
  /** Sends revoke(receiptHash); resolves with the block it was mined in. */
  revoke(receiptHash: Hex): Promise<number>;
}

export async function fundedAccount(devChain: DevChain): Promise<ChainAccount> {
  const account = privateKeyToAccount(generatePrivateKey());
  await devChain.fund(account.address, ONE_ETH);
  const chain = defineChain({
    id: devChain.chainId,
    name: 'Tessera development chain',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [devChain.rpcUrl] } },
  });
  const client = createClient({ account, chain, transport: http(devChain.rpcUrl), pollingInterval: 50 });
  const mined = async (hash: Hex) => {
    const receipt = await waitForTransactionReceipt(client, { hash });
    if (receipt.status !== 'success') throw new Error(`transaction ${hash} ${receipt.status}`);
    return { txHash: hash, blockNumber: Number(receipt.blockNumber) };
  };
  return {
    address: account.address,
    anchor: async (logId, treeSize, root) =>
      mined(await writeContract(client, { address: devChain.contract, abi: TESSERA_ANCHOR_ABI, functionName: 'anchor', args: [logId, BigInt(treeSize), root], account, chain })),
    revoke: async (hash) =>
      (await mined(await writeContract(client, { address: devChain.contract, abi: TESSERA_ANCHOR_ABI, functionName: 'revoke', args: [hash], account, chain }))).blockNumber,
  };
}

/** A receipt proof from the wallet's ledger whose root `account` anchored on the development chain. */
export async function anchoredProofOnDevChain(devChain: DevChain, account: ChainAccount, options: ReceiptProofOptions = {}): Promise<ReceiptProof> {
  const { ledgerProof } = await buildReceiptProof(options);
  const logId: Hex = `0x${toHex(crypto.getRandomValues(new Uint8Array(32)))}`;
  const { txHash, blockNumber } = await account.anchor(logId, ledgerProof.treeSize, `0x${toHex(fromBase64Url(ledgerProof.root))}`);
  return withAnchor(ledgerProof, { chainId: devChain.chainId, contract: devChain.contract, account: account.address, logId, txHash, blockNumber });
}

/** `account` revokes the proof's receipt; the block it was mined in. */
export const revokeReceipt = (account: ChainAccount, proof: ReceiptProof): Promise<number> => account.revoke(receiptHash(proof.receipt));
