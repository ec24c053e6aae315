/**
 * The real command (`npx tsx cli/verify-receipt.ts`, as `npm run verify-receipt`
 * runs it) against a development chain, with a receipt proof from the wallet's
 * ledger whose root this test anchors from a funded account.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReceiptProof } from '../src/protocol/receipt-proof.ts';
import { startDevChain, type DevChain } from '../scripts/lib/dev-chain.ts';
import { anchoredProofOnDevChain, fundedAccount, revokeReceipt, type ChainAccount } from '../test/support/anchoring/dev-chain-anchoring.ts';
import { flipFirst } from '../test/support/anchoring/tampered-proofs.ts';

const root = resolve(import.meta.dirname, '..');

function verifyReceipt(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile('npx', ['tsx', 'cli/verify-receipt.ts', ...args], { cwd: root, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

// Each run starts tsx and viem afresh: seconds each on the shared two cores.
describe('npm run verify-receipt on the development chain', { timeout: 180_000 }, () => {
  let chain: DevChain;
  let anchoring: ChainAccount;
  let dir: string;
  let proof: ReceiptProof;
  let grantId = 0;

  /** Writes the dashboard's download form of `p` (or the bare proof) to a file; its path. */
  const proofFile = async (p: ReceiptProof, form: 'download' | 'bare' = 'download') => {
    const file = join(dir, `proof-${++grantId}.json`);
    await writeFile(file, JSON.stringify(form === 'download' ? { grantId: `grant-${grantId}`, receipt: p.receipt, receiptProof: p } : p, null, 2));
    return file;
  };

  beforeAll(async () => {
    [chain, dir] = await Promise.all([startDevChain(), mkdtemp(join(tmpdir(), 'verify-receipt-'))]);
    anchoring = await fundedAccount(chain);
    proof = await anchoredProofOnDevChain(chain, anchoring);
  }, 120_000);

  afterAll(async () => {
    await chain?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('exits 0 for an anchored receipt, printing each check and the verdict; a third party’s revoke does not count', async () => {
    const file = await proofFile(proof);
    const { code, stdout, stderr } = await verifyReceipt(file, '--rpc', chain.rpcUrl);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`${file}: a dashboard receipt download (grant grant-${grantId}); verifying its receiptProof`);
    expect(lines).toHaveLength(11);
    expect(lines.slice(1, 10).every((line) => line.startsWith('✓ '))).toBe(true);
    expect(lines[7]).toBe(`✓ chain id: the node at ${chain.rpcUrl} is chain ${chain.chainId}`);
    expect(lines[8]).toMatch(new RegExp(`^✓ anchor transaction: ${proof.anchor.txHash} succeeded in block ${proof.anchor.blockNumber}, sent by ${proof.anchor.account}`, 'i'));
    expect(lines[10]).toBe('VERIFIED: every check holds; the grant is not revoked');

    const stranger = await fundedAccount(chain);
    await revokeReceipt(stranger, proof);
    const afterStranger = await verifyReceipt(await proofFile(proof, 'bare'), '--rpc', chain.rpcUrl);
    expect(afterStranger.code).toBe(0);
    expect(afterStranger.stdout).toContain(': a bare receiptProof\n');
  });

  it('exits 1 naming the first failed check for a tampered salt, path or root', async () => {
    const cases: [ReceiptProof, string][] = [
      [{ ...proof, salt: flipFirst(proof.salt) }, 'digest'],
      [{ ...proof, inclusion: proof.inclusion.map((hash, i) => (i === 0 ? flipFirst(hash) : hash)) }, 'inclusion'],
      [{ ...proof, root: flipFirst(proof.root) }, 'inclusion'],
    ];
    for (const [tampered, check] of cases) {
      const { code, stdout } = await verifyReceipt(await proofFile(tampered), '--rpc', chain.rpcUrl);
      expect(code).toBe(1);
      expect(stdout).toContain(`\n✗ ${check}: `);
      expect(stdout.trimEnd().split('\n').at(-1)).toMatch(new RegExp(`^FAILED at ${check}: `));
    }
  });

  it('exits 1 for a usage error, a missing file and a file that is not JSON', async () => {
    const usage = await verifyReceipt(await proofFile(proof));
    expect(usage).toMatchObject({ code: 1, stdout: '' });
    expect(usage.stderr).toBe('verify-receipt: no --rpc <url> given: the proof is checked against a chain node\nusage: npm run verify-receipt -- <file> --rpc <url>\n');
    const missing = await verifyReceipt(join(dir, 'missing.json'), '--rpc', chain.rpcUrl);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^verify-receipt: cannot read \S+missing.json: ENOENT/);
    const notJson = join(dir, 'not.json');
    await writeFile(notJson, 'receipt: yes');
    const bad = await verifyReceipt(notJson, '--rpc', chain.rpcUrl);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^verify-receipt: \S+not.json: not JSON \(/);
  });

  // Last: it revokes the shared proof's receipt.
  it('exits 2 with the block once the anchoring account revoked the grant', async () => {
    const block = await revokeReceipt(anchoring, proof);
    const { code, stdout } = await verifyReceipt(await proofFile(proof), '--rpc', chain.rpcUrl);
    expect(code).toBe(2);
    const lines = stdout.trimEnd().split('\n');
    expect(lines.at(-2)).toBe(`✓ revocation: revoked in block ${block} by the anchoring account ${anchoring.address}`);
    expect(lines.at(-1)).toBe(`REVOKED: every check holds; the grant was revoked in block ${block}`);
  });
});
