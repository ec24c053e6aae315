import { describe, expect, it } from 'vitest';
import { base64UrlHashToHex, receiptHash } from '../src/core/anchoring/receipt-verification.ts';
import type { ReceiptProof } from '../src/protocol/receipt-proof.ts';
import { MemoryChainReader } from '../test/support/anchoring/memory-chain-reader.ts';
import { buildReceiptProof, withAnchor } from '../test/support/anchoring/receipt-proof-fixture.ts';
import { flipFirst } from '../test/support/anchoring/tampered-proofs.ts';
import { USAGE, parseVerifyReceiptArgs, readProofFile, runVerifyReceipt } from './verify-receipt-command.ts';

const RPC = 'http://127.0.0.1:8545';
const ACCOUNT = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC' as const;
const LOG_ID = `0x${'42'.repeat(32)}` as const;

async function anchored() {
  const chain = new MemoryChainReader();
  const { ledgerProof, grantId } = await buildReceiptProof();
  const tx = chain.anchor(ACCOUNT, LOG_ID, ledgerProof.treeSize, base64UrlHashToHex(ledgerProof.root));
  const proof = withAnchor(ledgerProof, { chainId: chain.id, contract: chain.contract, account: ACCOUNT, logId: LOG_ID, txHash: tx.txHash, blockNumber: tx.blockNumber });
  return { chain, proof, grantId };
}

/** Runs the command on `files` (name → content); what it printed and its exit code. */
async function run(argv: string[], files: Record<string, string>, chain: MemoryChainReader) {
  const out: string[] = [];
  const err: string[] = [];
  let chainCreated = false;
  const code = await runVerifyReceipt(argv, {
    readFile: async (path) => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
      return text;
    },
    chain: async () => {
      chainCreated = true;
      return chain;
    },
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, out, err, chainCreated };
}

describe('parseVerifyReceiptArgs', () => {
  it('takes one file and --rpc <url> in any order, also as --rpc=<url>', () => {
    expect(parseVerifyReceiptArgs(['proof.json', '--rpc', RPC])).toEqual({ help: false, file: 'proof.json', rpcUrl: RPC });
    expect(parseVerifyReceiptArgs(['--rpc', RPC, 'proof.json'])).toEqual({ help: false, file: 'proof.json', rpcUrl: RPC });
    expect(parseVerifyReceiptArgs([`--rpc=${RPC}`, 'proof.json'])).toEqual({ help: false, file: 'proof.json', rpcUrl: RPC });
    expect(parseVerifyReceiptArgs(['--help'])).toEqual({ help: true });
  });

  it('says what is wrong with the command line', () => {
    const error = (argv: string[]) => {
      try {
        parseVerifyReceiptArgs(argv);
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(error([])).toBe('no proof file given');
    expect(error(['proof.json'])).toBe('no --rpc <url> given: the proof is checked against a chain node');
    expect(error(['proof.json', '--rpc'])).toBe('--rpc needs the JSON-RPC URL of a chain node, e.g. --rpc http://127.0.0.1:8545');
    expect(error(['proof.json', '--rpc', '--verbose'])).toBe('--rpc needs the JSON-RPC URL of a chain node, e.g. --rpc http://127.0.0.1:8545');
    expect(error(['proof.json', '--rpc', RPC, '--rpc', RPC])).toBe('--rpc is given twice');
    expect(error(['a.json', 'b.json', '--rpc', RPC])).toBe('one proof file at a time (got a.json and b.json)');
    expect(error(['proof.json', '--rpc', RPC, '--json'])).toBe('unknown option --json');
    expect(error(['proof.json', '--rpc', 'localhost:8545'])).toBe('--rpc localhost:8545 is not an http(s) JSON-RPC URL');
    expect(error(['proof.json', '--rpc', 'not a url'])).toBe('--rpc not a url is not a URL');
  });
});

describe('readProofFile', () => {
  it('takes the dashboard download or a bare receiptProof, and says which', async () => {
    const { proof, grantId } = await anchored();
    expect(readProofFile(JSON.stringify({ grantId, receipt: proof.receipt, receiptProof: proof }))).toEqual({ form: 'download', grantId, proof });
    expect(readProofFile(JSON.stringify(proof))).toEqual({ form: 'bare', proof });
  });

  it('refuses text that is not JSON, a download not anchored yet, and a download whose two receipts differ', async () => {
    const { proof, grantId } = await anchored();
    expect(() => readProofFile('{"v":1,')).toThrow(/^not JSON \(/);
    expect(() => readProofFile(JSON.stringify({ grantId, receipt: proof.receipt, receiptProof: null }))).toThrow(
      `a receipt download of grant ${grantId} without a receipt proof: the wallet had not anchored the grant yet (download it again once it has)`,
    );
    expect(() => readProofFile(JSON.stringify({ grantId, receipt: `${proof.receipt}x`, receiptProof: proof }))).toThrow('a receipt download whose receipt is not the one its receiptProof proves');
  });
});

describe('runVerifyReceipt', () => {
  it('prints each check, then VERIFIED, and exits 0', async () => {
    const { chain, proof, grantId } = await anchored();
    const { code, out, err } = await run(['receipt.json', '--rpc', RPC], { 'receipt.json': JSON.stringify({ grantId, receipt: proof.receipt, receiptProof: proof }) }, chain);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out[0]).toBe(`receipt.json: a dashboard receipt download (grant ${grantId}); verifying its receiptProof`);
    expect(out.slice(1, -1).map((line) => line.slice(0, line.indexOf(':')))).toEqual([
      '✓ proof shape',
      '✓ entry kind',
      '✓ digest',
      '✓ inclusion',
      '✓ checkpoint',
      '✓ receipt signature',
      '✓ chain id',
      '✓ anchor transaction',
      '✓ revocation',
    ]);
    expect(out.at(-1)).toBe('VERIFIED: every check holds; the grant is not revoked');
  });

  it('exits 2 with the block once the anchoring account revoked the grant', async () => {
    const { chain, proof } = await anchored();
    const revoke = chain.revoke(ACCOUNT, receiptHash(proof.receipt));
    const { code, out } = await run(['proof.json', `--rpc=${RPC}`], { 'proof.json': JSON.stringify(proof) }, chain);
    expect(code).toBe(2);
    expect(out[0]).toBe('proof.json: a bare receiptProof');
    expect(out.at(-2)).toBe(`✓ revocation: revoked in block ${revoke.blockNumber} by the anchoring account ${ACCOUNT}`);
    expect(out.at(-1)).toBe(`REVOKED: every check holds; the grant was revoked in block ${revoke.blockNumber}`);
  });

  it('exits 1 naming the first failed check, the later ones marked not run', async () => {
    const { chain, proof } = await anchored();
    const tampered: ReceiptProof = { ...proof, salt: flipFirst(proof.salt) };
    const { code, out } = await run(['proof.json', '--rpc', RPC], { 'proof.json': JSON.stringify(tampered) }, chain);
    expect(code).toBe(1);
    expect(out[3]).toMatch(/^✗ digest: SHA-256\(salt ‖ receipt\) is \S+, not the entry’s digest/);
    expect(out.slice(4, -1)).toEqual(['inclusion', 'checkpoint', 'receipt signature', 'chain id', 'anchor transaction', 'revocation'].map((name) => `- ${name}: not run: digest failed`));
    expect(out.at(-1)).toMatch(/^FAILED at digest: SHA-256\(salt ‖ receipt\) is/);
  });

  it('exits 1 for a usage error, an unreadable file or bad JSON, without touching the chain', async () => {
    const { chain } = await anchored();
    expect(await run(['--rpc', RPC], {}, chain)).toEqual({ code: 1, out: [], err: ['verify-receipt: no proof file given', USAGE], chainCreated: false });
    expect(await run(['missing.json', '--rpc', RPC], {}, chain)).toEqual({
      code: 1,
      out: [],
      err: ["verify-receipt: cannot read missing.json: ENOENT: no such file or directory, open 'missing.json'"],
      chainCreated: false,
    });
    const bad = await run(['bad.json', '--rpc', RPC], { 'bad.json': 'not json' }, chain);
    expect(bad).toMatchObject({ code: 1, out: [], chainCreated: false });
    expect(bad.err[0]).toMatch(/^verify-receipt: bad.json: not JSON \(/);
  });

  it('prints the usage and exits 0 for --help', async () => {
    const { chain } = await anchored();
    const { code, out } = await run(['--help'], {}, chain);
    expect(code).toBe(0);
    expect(out[0]).toBe(USAGE);
  });
});
