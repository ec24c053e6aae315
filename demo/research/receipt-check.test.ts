import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReceiptProof, withAnchor } from '../../test/support/anchoring/receipt-proof-fixture.ts';
import { MemoryChainReader } from '../../test/support/anchoring/memory-chain-reader.ts';
import { base64UrlHashToHex, receiptHash } from '../../src/core/anchoring/receipt-verification.ts';
import type { ReceiptProof } from '../../src/protocol/receipt-proof.ts';
import { startClinic, type ClinicServer } from '../clinic/server.ts';
import { consentReceipt, postAs, presentSdJwt, testWallet } from './wallet-fixture.ts';
import { checkReceiptOnChain } from './receipt-check.ts';
import { startResearch, type ResearchServer } from './server.ts';
import { RESEARCH_PURPOSES } from './study.ts';

const RPC = 'http://127.0.0.1:8545';
const ACCOUNT = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' as const;

/** `receipt` in a real ledger proof (the wallet's own code), anchored on `chain`. */
async function anchored(chain: MemoryChainReader, receipt?: string): Promise<ReceiptProof> {
  const { ledgerProof } = await buildReceiptProof(receipt ? { receipt: () => receipt } : {});
  const logId = `0x${'ab'.repeat(32)}` as const;
  const tx = chain.anchor(ACCOUNT, logId, ledgerProof.treeSize, base64UrlHashToHex(ledgerProof.root));
  return withAnchor(ledgerProof, { chainId: chain.id, contract: chain.contract, account: ACCOUNT, logId, txHash: tx.txHash, blockNumber: tx.blockNumber });
}

describe('checkReceiptOnChain (the verify-receipt logic)', () => {
  it('answers valid, then revoked with the block once the anchoring account revokes, with the command\u2019s lines', async () => {
    const chain = new MemoryChainReader();
    const proof = await anchored(chain);
    const valid = await checkReceiptOnChain(proof, proof.receipt, RPC, chain);
    expect(valid).toMatchObject({ verdict: 'valid', revokedAtBlock: null, failedCheck: null, rpcUrl: RPC });
    expect(valid.lines.at(-1)).toBe('VERIFIED: every check holds; the grant is not revoked');
    expect(valid.checks).toHaveLength(9);

    const revocation = chain.revoke(ACCOUNT, receiptHash(proof.receipt));
    const revoked = await checkReceiptOnChain(proof, proof.receipt, RPC, chain);
    expect(revoked).toMatchObject({ verdict: 'revoked', revokedAtBlock: revocation.blockNumber, failedCheck: null });
    expect(revoked.lines.at(-1)).toBe(`REVOKED: every check holds; the grant was revoked in block ${revocation.blockNumber}`);
  });

  it('answers failed naming the check, for a tampered proof or a node that does not answer', async () => {
    const chain = new MemoryChainReader();
    const proof = await anchored(chain);
    const tampered = { ...proof, salt: proof.salt.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) };
    expect(await checkReceiptOnChain(tampered, proof.receipt, RPC, chain)).toMatchObject({ verdict: 'failed', failedCheck: 'digest' });
    chain.down = true;
    const down = await checkReceiptOnChain(proof, proof.receipt, RPC, chain);
    expect(down).toMatchObject({ verdict: 'failed', failedCheck: 'chain id' });
  });

  it('uses the viem client by default (as the CLI does): a node that does not answer fails the chain id check', async () => {
    const proof = await anchored(new MemoryChainReader());
    const verdict = await checkReceiptOnChain(proof, proof.receipt, 'http://127.0.0.1:1');
    expect(verdict).toMatchObject({ verdict: 'failed', failedCheck: 'chain id' });
    expect(verdict.checks.find((c) => c.check === 'chain id')!.detail).toMatch(/^the node at http:\/\/127\.0\.0\.1:1 did not answer/);
  });

  it('refuses, before asking the chain, a proof of a receipt other than the one held', async () => {
    const chain = new MemoryChainReader();
    const proof = await anchored(chain);
    chain.down = true;
    await expect(checkReceiptOnChain(proof, 'another.receipt.jwt', RPC, chain)).rejects.toThrow('the proof is not of the consent receipt the portal holds');
    await expect(checkReceiptOnChain(null, 'x', RPC, chain)).rejects.toThrow('the proof is not of the consent receipt');
  });
});

describe('POST /api/receipt-check', () => {
  const chain = new MemoryChainReader();
  const wallet = testWallet();
  let clinic: ClinicServer;
  let research: ResearchServer;
  let grantId: string;
  let receipt: string;
  beforeAll(async () => {
    clinic = await startClinic();
    research = await startResearch({ trustedIssuers: [clinic.did], chain });
    const credential = (await clinic.issue(wallet.holder.did)).credential;
    const { requestId, params } = await research.ask({ mode: 'none' });
    grantId = randomUUID();
    receipt = await consentReceipt(wallet.pairwise, { origin: research.origin(), grantId, purposes: [...RESEARCH_PURPOSES], claimPaths: [['age_band'], ['region'], ['diagnosis_codes']] });
    const vp = await presentSdJwt(wallet.holder, credential, ['age_band', 'region', 'diagnosis_codes'], research.origin(), params.nonce);
    const granted = await postAs(research.origin(), research.url('127.0.0.1', '/api/grant'), { requestId, answer: { grant: { id: grantId, did: wallet.pairwise.did }, receipt, vp_token: { child_health: [vp] } } });
    expect(granted.status).toBe(200);
  });
  afterAll(async () => {
    await Promise.all([research.close(), clinic.close()]);
  });

  const check = (body: Record<string, unknown>) => postAs(research.origin(), research.url('127.0.0.1', '/api/receipt-check'), { grantId, ...body });

  it('needs a chain node and a proof, and says which is missing', async () => {
    expect(await check({})).toEqual({ status: 400, data: { error: 'rpcUrl must be the http(s) URL of a chain node (the portal has none configured)' } });
    expect(await check({ rpcUrl: 'file:///etc/passwd' })).toMatchObject({ status: 400 });
    expect(await check({ rpcUrl: RPC })).toEqual({ status: 409, data: { error: 'the wallet has not anchored this grant yet: there is no receipt proof to check' } });
    expect((await check({ grantId: 'unknown', rpcUrl: RPC })).status).toBe(404);
  });

  it('checks the proof of the receipt it holds, keeps the proof, and sees the revocation later without it', async () => {
    const proof = await anchored(chain, receipt);
    const valid = await check({ receiptProof: proof, rpcUrl: RPC });
    expect(valid).toMatchObject({ status: 200, data: { verdict: 'valid', revokedAtBlock: null } });
    const revocation = chain.revoke(ACCOUNT, receiptHash(receipt));
    const revoked = await check({ rpcUrl: RPC });
    expect(revoked).toMatchObject({ status: 200, data: { verdict: 'revoked', revokedAtBlock: revocation.blockNumber } });
    expect(research.portal.grants.get(research.origin(), grantId)).toMatchObject({ receiptProof: proof, lastCheck: { verdict: 'revoked' } });
  });

  it('refuses the proof of another receipt', async () => {
    const other = await anchored(chain);
    const refused = await check({ receiptProof: other, rpcUrl: RPC });
    expect(refused).toEqual({ status: 400, data: { error: 'the proof is not of the consent receipt the portal holds for this grant' } });
  });
});
