import { describe, expect, it } from 'vitest';
import { fromBase64, fromHex, toHex } from '../encoding.ts';
import { EMPTY_ROOT, leafHash } from './merkle-hash.ts';
import { MerkleTree } from './merkle-tree.ts';
import { verifyConsistency, verifyInclusion } from './merkle-verify.ts';
import probes from './testdata/transparency-dev-merkle-probes.json' with { type: 'json' };

// Test vector DATA from transparency-dev/merkle testonly/constants.go (commit
// 417fb0c3, Apache-2.0), the RFC 6962 reference tree of 8 leaves: leaf inputs (hex)
// and the root of every prefix, sizes 0..8.
const LEAF_INPUTS = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

const referenceTree = () => new MerkleTree(LEAF_INPUTS.map((hex) => leafHash(fromHex(hex))));
const b64 = (text: string | null | undefined) => fromBase64(text ?? '');
const b64List = (list: readonly string[] | null) => (list ?? []).map(b64);

interface InclusionProbe { leafIdx: number; treeSize: number; root: string; leafHash: string; proof: string[] | null; desc: string; wantErr: boolean; file: string }
interface ConsistencyProbe { size1: number; size2: number; root1: string; root2: string; proof: string[] | null; desc: string; wantErr: boolean; file: string }

describe('RFC 6962 / 9162 reference tree (transparency-dev vectors)', () => {
  it('computes the root of every prefix', () => {
    const tree = referenceTree();
    expect(toHex(EMPTY_ROOT)).toBe(ROOTS[0]);
    for (let size = 0; size <= 8; size++) expect(toHex(tree.root(size))).toBe(ROOTS[size]);
  });

  it('builds the same roots leaf by leaf', () => {
    const tree = new MerkleTree();
    LEAF_INPUTS.forEach((hex, i) => {
      tree.append(leafHash(fromHex(hex)));
      expect(toHex(tree.root())).toBe(ROOTS[i + 1]);
    });
  });

  it.each((probes.inclusion as InclusionProbe[]).map((p) => [p.file, p] as const))('inclusion probe %s', (_file, probe) => {
    const ok = verifyInclusion(probe.leafIdx, probe.treeSize, b64(probe.leafHash), b64List(probe.proof), b64(probe.root));
    expect(ok).toBe(!probe.wantErr);
  });

  it.each((probes.consistency as ConsistencyProbe[]).map((p) => [p.file, p] as const))('consistency probe %s', (_file, probe) => {
    const ok = verifyConsistency(probe.size1, probe.size2, b64(probe.root1), b64(probe.root2), b64List(probe.proof));
    // One deliberate difference: transparency-dev accepts equal sizes with equal roots
    // of any length ("don't care"); a root here must be a 32-byte hash.
    const rootsAreHashes = b64(probe.root1).length === 32 && b64(probe.root2).length === 32;
    expect(ok).toBe(!probe.wantErr && rootsAreHashes);
  });

  it('generates exactly the proofs of the happy-path probes', () => {
    const tree = referenceTree();
    // Directories 0-4 are proofs over the reference tree above; the others use other trees.
    const overReference = (file: string) => /^(inclusion|consistency)\/[0-4]\//.test(file);
    const happyInclusion = (probes.inclusion as InclusionProbe[]).filter((p) => !p.wantErr && overReference(p.file));
    const happyConsistency = (probes.consistency as ConsistencyProbe[]).filter((p) => !p.wantErr && overReference(p.file));
    expect(happyInclusion.length).toBeGreaterThan(3);
    expect(happyConsistency.length).toBeGreaterThan(3);
    for (const p of happyInclusion) {
      expect(tree.inclusionProof(p.leafIdx, p.treeSize).map(toHex)).toEqual(b64List(p.proof).map(toHex));
      expect(toHex(tree.root(p.treeSize))).toBe(toHex(b64(p.root)));
    }
    for (const p of happyConsistency) {
      expect(tree.consistencyProof(p.size1, p.size2).map(toHex)).toEqual(b64List(p.proof).map(toHex));
    }
  });
});

describe('MerkleTree proofs on larger trees', () => {
  const tree = new MerkleTree(Array.from({ length: 300 }, (_, i) => leafHash(new Uint8Array([i & 0xff, i >> 8]))));

  it('every inclusion proof verifies at many sizes, and fails when any hash or the index is changed', () => {
    for (const size of [1, 2, 3, 7, 8, 9, 100, 255, 256, 257, 300]) {
      const root = tree.root(size);
      for (let index = 0; index < size; index += Math.max(1, Math.floor(size / 13))) {
        const proof = tree.inclusionProof(index, size);
        expect(verifyInclusion(index, size, tree.leaf(index), proof, root)).toBe(true);
        if (size > 1) {
          expect(verifyInclusion((index + 1) % size, size, tree.leaf(index), proof, root)).toBe(false);
          const bent = proof.map((h) => h.slice());
          bent[bent.length - 1]![0]! ^= 1;
          expect(verifyInclusion(index, size, tree.leaf(index), bent, root)).toBe(false);
          expect(verifyInclusion(index, size, tree.leaf(index), proof.slice(0, -1), root)).toBe(false);
        }
      }
    }
  });

  it('every consistency proof verifies, and fails when tampered or the sizes swap', () => {
    for (const [m, n] of [[1, 300], [2, 3], [7, 8], [8, 9], [100, 257], [256, 300], [299, 300], [300, 300], [0, 5]] as const) {
      const proof = m === 0 ? [] : tree.consistencyProof(m, n);
      expect(verifyConsistency(m, n, tree.root(m), tree.root(n), proof)).toBe(true);
      if (proof.length > 0) {
        const bent = proof.map((h) => h.slice());
        bent[0]![5]! ^= 0x10;
        expect(verifyConsistency(m, n, tree.root(m), tree.root(n), bent)).toBe(false);
        expect(verifyConsistency(m, n, tree.root(m), tree.root(m), proof)).toBe(false);
        expect(verifyConsistency(m + 1, n, tree.root(m), tree.root(n), proof)).toBe(false);
      }
    }
  });

  it('refuses sizes beyond the tree and leaves outside the size', () => {
    expect(() => tree.root(301)).toThrow();
    expect(() => tree.inclusionProof(5, 5)).toThrow();
    expect(() => tree.consistencyProof(0, 5)).toThrow();
    expect(() => tree.consistencyProof(6, 5)).toThrow();
  });

  it('truncates back to an earlier size with the same roots', () => {
    const copy = new MerkleTree(Array.from({ length: 300 }, (_, i) => tree.leaf(i)));
    copy.truncate(129);
    expect(copy.size).toBe(129);
    expect(toHex(copy.root())).toBe(toHex(tree.root(129)));
    copy.append(tree.leaf(129));
    expect(toHex(copy.root())).toBe(toHex(tree.root(130)));
  });
});
