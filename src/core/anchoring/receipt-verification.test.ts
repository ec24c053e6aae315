import { describe, expect, it } from 'vitest';
import { buildReceiptProof, withAnchor, type ReceiptProofOptions } from '../../../test/support/anchoring/receipt-proof-fixture.ts';
import { MemoryChainReader } from '../../../test/support/anchoring/memory-chain-reader.ts';
import { TAMPER_CASES, flipFirst, otherAddress } from '../../../test/support/anchoring/tampered-proofs.ts';
import type { ReceiptProof } from '../../protocol/receipt-proof.ts';
import { randomBytes, toBase64, toHex } from '../encoding.ts';
import { encodeSignedJwt } from '../identity/jwt.ts';
import { fromBase64Url } from '../ledger/base64url.ts';
import { RECEIPT_CHECKS, base64UrlHashToHex, receiptHash, receiptProofShapeError, verifyReceiptProof } from './receipt-verification.ts';

const RPC = 'http://127.0.0.1:8545';
const ACCOUNT = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' as const;

async function anchoredProof(options: ReceiptProofOptions = {}) {
  const chain = new MemoryChainReader();
  const { ledgerProof, holderDid } = await buildReceiptProof(options);
  const logId = `0x${toHex(randomBytes(32))}` as const;
  const tx = chain.anchor(ACCOUNT, logId, ledgerProof.treeSize, base64UrlHashToHex(ledgerProof.root));
  const proof = withAnchor(ledgerProof, { chainId: chain.id, contract: chain.contract, account: ACCOUNT, logId, txHash: tx.txHash, blockNumber: tx.blockNumber });
  return { chain, proof, holderDid };
}

const clone = (proof: ReceiptProof): ReceiptProof => structuredClone(proof);

describe('verifyReceiptProof', () => {
  it('passes every check, in the §6 order, for a receipt anchored and not revoked', async () => {
    const { chain, proof, holderDid } = await anchoredProof();
    const result = await verifyReceiptProof(proof, chain, RPC);
    expect(result.checks.map((c) => c.check)).toEqual([...RECEIPT_CHECKS]);
    expect(result.checks.filter((c) => c.ok !== true)).toEqual([]);
    expect(result).toMatchObject({ ok: true, firstFailure: null, revokedAtBlock: null });
    const detail = (name: string) => result.checks.find((c) => c.check === name)!.detail;
    expect(detail('receipt signature')).toContain(holderDid);
    expect(detail('checkpoint')).toMatch(/not checked/);
    expect(detail('revocation')).toMatch(/^not revoked/);
  });

  it('reports the block of a revocation by the anchoring account, and keeps the first one', async () => {
    const { chain, proof } = await anchoredProof();
    const revoke = chain.revoke(ACCOUNT, receiptHash(proof.receipt));
    chain.revoke(ACCOUNT, receiptHash(proof.receipt));
    const result = await verifyReceiptProof(proof, chain, RPC);
    expect(result).toMatchObject({ ok: true, firstFailure: null, revokedAtBlock: revoke.blockNumber });
    expect(result.checks.at(-1)).toEqual({ check: 'revocation', ok: true, detail: `revoked in block ${revoke.blockNumber} by the anchoring account ${ACCOUNT}` });
  });

  it('does not count a revocation by anyone but the anchoring account', async () => {
    const { chain, proof } = await anchoredProof();
    chain.revoke(otherAddress(ACCOUNT), receiptHash(proof.receipt));
    expect(await verifyReceiptProof(proof, chain, RPC)).toMatchObject({ ok: true, revokedAtBlock: null });
  });

  it('hashes the receipt JWT as ASCII with SHA-256 for revokedAt', () => {
    // SHA-256("abc"), FIPS 180-2 appendix B.1.
    expect(receiptHash('abc')).toBe('0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('accepts a receipt whose grant has ended: it still proves what was agreed', async () => {
    const { chain, proof } = await anchoredProof({ expiresAt: '2026-12-02T00:00:00.000Z' });
    const result = await verifyReceiptProof(proof, chain, RPC);
    expect(result.ok).toBe(true);
    expect(result.checks.find((c) => c.check === 'receipt signature')!.detail).toMatch(/ended at 2026-12-02T00:00:00.000Z, and the receipt still proves what was agreed/);
  });

  it('verifies a receipt at leaf 0 of a one-entry tree (an empty path)', async () => {
    const { chain, proof } = await anchoredProof({ before: 0, after: 0 });
    expect(proof.inclusion).toEqual([]);
    expect(proof.entry.prev).toBe('A'.repeat(43));
    expect(await verifyReceiptProof(proof, chain, RPC)).toMatchObject({ ok: true });
  });

  describe('a tampered proof fails with its reason', () => {
    for (const { name, tamper, failsAt } of TAMPER_CASES) {
      it(name, async () => {
        const { chain, proof } = await anchoredProof();
        const result = await verifyReceiptProof(tamper(clone(proof)), chain, RPC);
        expect(result).toMatchObject({ ok: false, firstFailure: failsAt, revokedAtBlock: null });
        const index = RECEIPT_CHECKS.indexOf(failsAt as never);
        expect(result.checks.slice(0, index).every((c) => c.ok === true)).toBe(true);
        expect(result.checks[index]!.ok).toBe(false);
        expect(result.checks.slice(index + 1).every((c) => c.ok === null && c.detail === `not run: ${failsAt} failed`)).toBe(true);
      });
    }

    it('says what each tamper broke', async () => {
      const { chain, proof } = await anchoredProof();
      const detailOf = async (tampered: ReceiptProof) => (await verifyReceiptProof(tampered, chain, RPC)).checks.find((c) => c.ok === false)!.detail;
      expect(await detailOf({ ...proof, salt: flipFirst(proof.salt) })).toMatch(/^SHA-256\(salt ‖ receipt\) is \S+, not the entry’s digest/);
      expect(await detailOf({ ...proof, root: flipFirst(proof.root) })).toMatch(new RegExp(`gives the root ${proof.root}, not ${flipFirst(proof.root)}`));
      expect(await detailOf({ ...proof, treeSize: proof.treeSize - 1 })).toMatch(/does not fit leaf 5 in a tree of 8/);
      expect(await detailOf({ ...proof, anchor: { ...proof.anchor, account: otherAddress(ACCOUNT) } })).toBe(
        `the transaction was sent by ${ACCOUNT}, not by the proof’s account ${otherAddress(ACCOUNT)}`,
      );
    });

    it('entry kind: a proof built on an entry that is not grant.given', async () => {
      const { chain, proof } = await anchoredProof();
      const result = await verifyReceiptProof({ ...proof, entry: { ...proof.entry, kind: 'grant.accessed' } }, chain, RPC);
      expect(result.firstFailure).toBe('entry kind');
      expect(result.checks[1]!.detail).toMatch(/"grant.accessed" entry, not grant.given/);
    });

    it('inclusion: a leafIndex other than the entry’s seq', async () => {
      const { chain, proof } = await anchoredProof();
      const result = await verifyReceiptProof({ ...proof, leafIndex: proof.leafIndex + 1 }, chain, RPC);
      expect(result.checks.find((c) => c.check === 'inclusion')).toMatchObject({ ok: false, detail: 'leafIndex 6 is not the entry’s seq 5' });
    });

    it('checkpoint: a larger treeSize that the path still fits is caught by the checkpoint, then by the anchor', async () => {
      const { chain, proof } = await anchoredProof();
      // Leaf 5 has the same path in trees of 9 and 10 leaves, so the root still comes out.
      const larger = { ...proof, treeSize: proof.treeSize + 1 };
      const atCheckpoint = await verifyReceiptProof(larger, chain, RPC);
      expect(atCheckpoint.firstFailure).toBe('checkpoint');
      expect(atCheckpoint.checks[4]!.detail).toBe(`the checkpoint names size "9", not the proof’s treeSize 10`);
      const note = proof.checkpoint.replace('\n9\n', '\n10\n');
      const atAnchor = await verifyReceiptProof({ ...larger, checkpoint: note }, chain, RPC);
      expect(atAnchor.firstFailure).toBe('anchor transaction');
      expect(atAnchor.checks[7]!.detail).toMatch(/^the transaction’s Anchored\(0x[0-9a-f]{64}, 9, 0x[0-9a-f]{64}\) is not Anchored\(0x[0-9a-f]{64}, 10, /);
    });

    it('checkpoint: a note naming another root', async () => {
      const { chain, proof } = await anchoredProof();
      const other = toBase64(fromBase64Url(flipFirst(proof.root)));
      const note = proof.checkpoint.replace(toBase64(fromBase64Url(proof.root)), other);
      const result = await verifyReceiptProof({ ...proof, checkpoint: note }, chain, RPC);
      expect(result.firstFailure).toBe('checkpoint');
      expect(result.checks[4]!.detail).toContain(`names root "${other}"`);
    });

    it('receipt signature: a logged receipt whose signature is not the holder’s', async () => {
      const { chain, proof } = await anchoredProof({
        receipt: ({ jwt }) => {
          const [header, payload, signature] = jwt.split('.') as [string, string, string];
          return `${header}.${payload}.${flipFirst(signature)}`;
        },
      });
      const result = await verifyReceiptProof(proof, chain, RPC);
      expect(result.firstFailure).toBe('receipt signature');
      expect(result.checks[5]!.detail).toMatch(/signature does not verify with did:key:z6Mk\S+#z6Mk/);
    });

    it('receipt signature: iss not the vc issuer, not a ConsentReceipt, an unresolvable DID', async () => {
      const failure = async (edit: (payload: Record<string, any>) => void) => {
        const { chain, proof } = await anchoredProof({
          receipt: ({ jwt, signer }) => {
            const payload = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());
            edit(payload);
            return encodeSignedJwt(signer, payload);
          },
        });
        const result = await verifyReceiptProof(proof, chain, RPC);
        expect(result.firstFailure).toBe('receipt signature');
        return result.checks[5]!.detail;
      };
      expect(await failure((p) => (p.vc.issuer = 'did:key:z6Mkother'))).toMatch(/vc.issuer \(the string "did:key:z6Mkother"\) is not its iss did:key:/);
      expect(await failure((p) => (p.vc.type = ['VerifiableCredential']))).toBe('the receipt’s vc.type (["VerifiableCredential"]) does not include ConsentReceipt');
      expect(await failure((p) => (p.iss = p.vc.issuer = 'did:web:holder.example'))).toMatch(/only did:key and did:jwk are resolved offline, not did:web/);
      expect(await failure((p) => delete p.vc)).toBe('the receipt has no vc claim: it is not a consent receipt credential');
    });

    it('receipt signature: the vc issuer may be an object with an id', async () => {
      const { chain, proof } = await anchoredProof({
        receipt: ({ jwt, signer }) => {
          const payload = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());
          payload.vc.issuer = { id: payload.iss };
          return encodeSignedJwt(signer, payload);
        },
      });
      expect(await verifyReceiptProof(proof, chain, RPC)).toMatchObject({ ok: true });
    });

    it('anchor transaction: unknown, reverted, in another block, from another contract, of another log', async () => {
      const { chain, proof } = await anchoredProof();
      const first = async (p: ReceiptProof) => (await verifyReceiptProof(p, chain, RPC)).checks.find((c) => c.ok === false);
      const unknown = `0x${'ab'.repeat(32)}` as const;
      expect(await first({ ...proof, anchor: { ...proof.anchor, txHash: unknown } })).toEqual({
        check: 'anchor transaction',
        ok: false,
        detail: `the transaction ${unknown} is not mined on this chain (pending or unknown to the node)`,
      });
      const reverted = chain.reverted(ACCOUNT);
      expect((await first({ ...proof, anchor: { ...proof.anchor, txHash: reverted.txHash, blockNumber: reverted.blockNumber } }))!.detail).toMatch(/reverted$/);
      expect((await first({ ...proof, anchor: { ...proof.anchor, blockNumber: proof.anchor.blockNumber + 1 } }))!.detail).toMatch(/in block \d+, not in block \d+ as the proof says/);
      const elsewhere = chain.anchor(ACCOUNT, proof.anchor.logId, proof.treeSize, base64UrlHashToHex(proof.root), otherAddress(chain.contract));
      expect((await first({ ...proof, anchor: { ...proof.anchor, txHash: elsewhere.txHash, blockNumber: elsewhere.blockNumber } }))!.detail).toBe(
        `the transaction has no Anchored event from the contract ${chain.contract}`,
      );
      expect((await first({ ...proof, anchor: { ...proof.anchor, logId: `0x${'11'.repeat(32)}` } }))!.check).toBe('anchor transaction');
    });

    it('chain id: a node of another chain', async () => {
      const { proof } = await anchoredProof();
      const result = await verifyReceiptProof(proof, new MemoryChainReader(1), RPC);
      expect(result.checks[6]).toEqual({ check: 'chain id', ok: false, detail: `the node at ${RPC} is chain 1, but the receipt was anchored on chain 31337` });
    });

    it('a node that does not answer fails the first chain check with its error', async () => {
      const { chain, proof } = await anchoredProof();
      chain.down = true;
      const result = await verifyReceiptProof(proof, chain, RPC);
      expect(result.firstFailure).toBe('chain id');
      expect(result.checks[6]!.detail).toBe(`the node at ${RPC} did not answer: connect ECONNREFUSED 127.0.0.1:8545`);
    });
  });

  describe('proof shape', () => {
    it('refuses what is not a receipt proof, naming the member and its encoding', async () => {
      const { chain, proof } = await anchoredProof();
      const cases: [unknown, string][] = [
        ['nope', 'the receipt proof is not a JSON object (it is the string "nope")'],
        [{ ...proof, v: 2 }, 'v must be the number 1 (it is the number 2)'],
        [{ ...proof, receipt: 'a.b' }, "receipt must be a compact JWT: three non-empty base64url parts separated by '.' (it has 2 parts)"],
        [{ ...proof, entry: { ...proof.entry, at: '2026-12-01T21:12:00Z' } }, 'entry.at must be ISO 8601 UTC with milliseconds, e.g. 2026-12-01T21:12:00.806Z (it is the string "2026-12-01T21:12:00Z")'],
        [{ ...proof, entry: { ...proof.entry, extra: 1 } }, 'entry has the member "extra", which a ledger entry (DESIGN §4) does not have'],
        [{ ...proof, entry: { ...proof.entry, digest: `${proof.entry.digest}=` } }, 'entry.digest must be a 32-byte hash as 43 characters of unpadded base64url (it is the string "' + proof.entry.digest + '=")'],
        [{ ...proof, salt: Buffer.from(fromBase64Url(proof.salt)).toString('base64') }, expect.stringMatching(/^salt must be 16 bytes as 22 characters of unpadded base64url/)],
        [{ ...proof, salt: proof.salt.slice(0, 21) + (proof.salt.endsWith('B') ? 'C' : 'B') }, expect.stringMatching(/^salt must be 16 bytes/)],
        [{ ...proof, leafIndex: '5' }, 'leafIndex must be a non-negative integer (it is the string "5")'],
        [{ ...proof, treeSize: 0 }, 'treeSize must be a positive integer (it is the number 0)'],
        [{ ...proof, inclusion: [...proof.inclusion.slice(0, 2), 'short'] }, 'inclusion[2] must be a 32-byte hash as 43 characters of unpadded base64url (it is the string "short")'],
        [{ ...proof, root: undefined }, 'root must be a 32-byte hash as 43 characters of unpadded base64url (it is missing)'],
        [{ ...proof, checkpoint: 7 }, 'checkpoint must be the signed note as a string (it is the number 7)'],
        [{ ...proof, anchor: { ...proof.anchor, chainId: 31337.5 } }, 'anchor.chainId must be a positive integer (it is the number 31337.5)'],
        [{ ...proof, anchor: { ...proof.anchor, account: ACCOUNT.slice(0, 41) } }, `anchor.account must be a 0x-hex address of 20 bytes (it is the string "${ACCOUNT.slice(0, 41)}")`],
        [{ ...proof, anchor: { ...proof.anchor, txHash: proof.anchor.txHash.slice(2) } }, expect.stringMatching(/^anchor.txHash must be 32 bytes as 0x-hex/)],
        [{ ...proof, anchor: { ...proof.anchor, blockNumber: null } }, 'anchor.blockNumber must be a non-negative integer (it is null)'],
      ];
      for (const [input, message] of cases) {
        expect(receiptProofShapeError(input)).toEqual(message);
        const result = await verifyReceiptProof(input, chain, RPC);
        expect(result.checks[0]).toEqual({ check: 'proof shape', ok: false, detail: message });
        expect(result.checks.slice(1).every((c) => c.ok === null)).toBe(true);
      }
    });

    it('accepts the proof it was given, and the 0x-hex members in either case', async () => {
      const { chain, proof } = await anchoredProof();
      expect(receiptProofShapeError(proof)).toBeNull();
      const upper = { ...proof, anchor: { ...proof.anchor, account: ACCOUNT.toLowerCase() as `0x${string}`, contract: `0x${proof.anchor.contract.slice(2).toUpperCase()}` as const } };
      expect(await verifyReceiptProof(upper, chain, RPC)).toMatchObject({ ok: true });
    });
  });
});
