/**
 * The receipt proof checked by a verifier written from DESIGN.md §6 alone
 * (design-verifier.ts, none of the wallet's code) and by the wallet's own verifier,
 * on the development chain: the two must agree on a good proof, on each tampered
 * one, and before and after a revocation. This file imports nothing from src/
 * either: the proofs come from the support modules, made with the wallet's ledger.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevChain, type DevChain } from '../../scripts/lib/dev-chain.ts';
import { anchoredProofOnDevChain, fundedAccount, revokeReceipt, type ChainAccount } from '../support/anchoring/dev-chain-anchoring.ts';
import { TAMPER_CASES, flipFirst } from '../support/anchoring/tampered-proofs.ts';
import { walletVerdict } from '../support/anchoring/wallet-verdict.ts';
import { verifyAsDesigned } from './design-verifier.ts';

/** Every module specifier a source file imports: static imports and re-exports, side-effect, dynamic and required. */
function importedModules(source: string): string[] {
  const patterns = [
    /^\s*(?:import|export)\s[\w$*\s{},]*?\bfrom\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\s*\(\s*['"]([^'"]+)['"]/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]/g,
  ];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((match) => match[1]!));
}

const ALLOWED = /^(viem(\/.*)?|@noble\/hashes\/.+|@noble\/curves\/.+|canonicalize|node:.+)$/;

describe('the independent verifier', () => {
  it('imports only viem, @noble, canonicalize and Node built-ins: nothing of the wallet', async () => {
    const source = await readFile(new URL('./design-verifier.ts', import.meta.url), 'utf8');
    const modules = importedModules(source);
    expect(modules).toContain('viem');
    expect(modules.filter((name) => !ALLOWED.test(name))).toEqual([]);
    expect(source).not.toMatch(/src\//);
  });

  it('is compared by a test that imports nothing from src/ itself', async () => {
    const source = await readFile(new URL(import.meta.url), 'utf8');
    expect(importedModules(source).filter((name) => /(^|\/)src\//.test(name))).toEqual([]);
  });

  it('finds the imports it must refuse', () => {
    // Spelled without a literal path so this file's own check above does not see it.
    const dir = ['..', 'src'].join('/');
    const sample = [`import { a, type B } from '${dir}/a.ts';`, `import {\n  c,\n} from '${dir}/c.ts';`, `import '${dir}/d.ts';`, `export * from './e.ts';`, `const f = await import('${dir}/f.ts');`];
    expect(importedModules(sample.join('\n'))).toEqual(['../src/a.ts', '../src/c.ts', './e.ts', '../src/d.ts', '../src/f.ts']);
  });
});

describe('the independent verifier and the wallet agree on the development chain', () => {
  let chain: DevChain;
  let anchoring: ChainAccount;

  beforeAll(async () => {
    chain = await startDevChain();
    anchoring = await fundedAccount(chain);
  }, 120_000);

  afterAll(async () => {
    await chain?.stop();
  });

  const both = async (proof: unknown) => [await verifyAsDesigned(proof, chain.rpcUrl), await walletVerdict(proof, chain.rpcUrl)] as const;

  it('a good proof is valid to both, then revoked in the same block once the anchoring account revokes, not by a third party', async () => {
    const proof = await anchoredProofOnDevChain(chain, anchoring);
    const [design, wallet] = await both(proof);
    expect(design).toEqual({ verdict: 'valid', revokedAtBlock: null });
    expect(wallet).toEqual(design);

    const stranger = await fundedAccount(chain);
    await revokeReceipt(stranger, proof);
    expect(await both(proof)).toEqual([design, design]);

    const block = await revokeReceipt(anchoring, proof);
    const [designRevoked, walletRevoked] = await both(proof);
    expect(designRevoked).toEqual({ verdict: 'revoked', revokedAtBlock: block });
    expect(walletRevoked).toEqual(designRevoked);
  });

  it('a receipt whose grant has ended still verifies for both', async () => {
    const proof = await anchoredProofOnDevChain(chain, anchoring, { expiresAt: '2026-12-02T00:00:00.000Z' });
    expect((await both(proof)).map((v) => v.verdict)).toEqual(['valid', 'valid']);
  });

  describe('a tampered proof fails for both, at the same step', () => {
    for (const { name, tamper, failsAt } of TAMPER_CASES) {
      it(name, async () => {
        const proof = tamper(await anchoredProofOnDevChain(chain, anchoring));
        const [design, wallet] = await both(proof);
        expect(design).toMatchObject({ verdict: 'invalid', failedStep: failsAt });
        expect(wallet).toMatchObject({ verdict: 'invalid', failedStep: failsAt });
      });
    }

    it('a receipt with a signature that is not the holder’s (faithfully logged)', async () => {
      const proof = await anchoredProofOnDevChain(chain, anchoring, {
        receipt: ({ jwt }) => `${jwt.slice(0, jwt.lastIndexOf('.') + 1)}${flipFirst(jwt.slice(jwt.lastIndexOf('.') + 1))}`,
      });
      const [design, wallet] = await both(proof);
      expect(design).toMatchObject({ verdict: 'invalid', failedStep: 'receipt signature' });
      expect(wallet).toMatchObject({ verdict: 'invalid', failedStep: 'receipt signature' });
    });

    it('a larger treeSize, with the checkpoint rewritten to match: only the chain can tell', async () => {
      const proof = await anchoredProofOnDevChain(chain, anchoring);
      const larger = { ...proof, treeSize: proof.treeSize + 1, checkpoint: proof.checkpoint.replace(`\n${proof.treeSize}\n`, `\n${proof.treeSize + 1}\n`) };
      const [design, wallet] = await both(larger);
      expect(design).toMatchObject({ verdict: 'invalid', failedStep: 'anchor transaction' });
      expect(wallet).toMatchObject({ verdict: 'invalid', failedStep: 'anchor transaction' });
    });
  });
});
