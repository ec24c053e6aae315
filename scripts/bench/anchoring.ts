/**
 * The chain-anchoring part (issue 8, item 7; DESIGN.md §6), on a real development
 * chain (scripts/lib/dev-chain.ts: a hardhat node with TesseraAnchor deployed):
 *
 * - gas per anchored ledger entry when one anchor covers 1, 16, 256 or 4,096 new
 *   entries, against one transaction per entry (goal: ≥ 1,000× cheaper at 4,096);
 * - gas per revocation, the first and its no-op repeat, against an anchor's gas;
 * - the receipt proof's JSON size at 100,000 entries against 1,000;
 * - in the real browser with the built extension: the revoke click (the in-page
 *   `confirm`) until the chain's revokedAt(account, receiptHash) > 0, against the same
 *   click until the dashboard shows the grant revoked with anchoring off.
 *
 * Gas and sizes are deterministic (the same calldata costs the same gas); the timing
 * shares the machine's load, so it runs last and its rounds alternate.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { buildReceiptProof } from '../../test/support/anchoring/receipt-proof-fixture.ts';
import { startDevChain, type DevChain } from '../lib/dev-chain.ts';
import { benchAccount } from './anchoring-chain.ts';
import { GROWTHS, gasPerEntry, measureGas, type GasFigures } from './anchoring-gas.ts';
import { measureProofSize, type LoggedReceipt, type ProofSample } from './anchoring-proof.ts';
import { formatAnchoringTable, makeAnchoringRow, type AnchoringRow } from './anchoring-report.ts';
import type { RevokeTiming } from './anchoring-browser.ts';

const GAS_ROUNDS = 5;
const REVOCATIONS = 5;
const PROOF_SIZES = { baseline: 1_000, measured: 100_000 } as const;
const CHEAPER_PER_ENTRY_GOAL = 1_000;

export interface AnchoringBenchOptions {
  /** The built extension for the browser timing; null skips it. */
  extensionDir: string | null;
  /** Rounds of the browser timing (each: one revocation with the chain, one without). */
  timingRounds: number;
}

export interface AnchoringBenchResult {
  rows: AnchoringRow[];
  table: string;
  durationMs: number;
  chain: { rpcUrl: string; chainId: number; contract: string } | null;
  gas: GasFigures | null;
  proofs: ProofSample[];
  timing: RevokeTiming | null;
  method: Record<string, string>;
  notes: string[];
  /** The first measurement that failed (what was measured before it is kept). */
  failure: string | null;
}

const message = (error: unknown) => (error instanceof Error ? (error.stack ?? error.message) : String(error));

export async function runAnchoringBench(options: AnchoringBenchOptions, log: (line: string) => void): Promise<AnchoringBenchResult> {
  const started = performance.now();
  const notes: string[] = [];
  let failure: string | null = null;
  const fail = (what: string, error: unknown) => {
    const text = `${what}: ${message(error)}`;
    failure ??= text;
    notes.push(`anchoring ${text.split('\n')[0]}`);
    log(`anchoring: ${text}`);
  };

  log('anchoring: starting the development chain (hardhat node, TesseraAnchor deployed)');
  let devChain: DevChain | null = null;
  let gas: GasFigures | null = null;
  const proofs: ProofSample[] = [];
  let timing: RevokeTiming | null = null;
  try {
    devChain = await startDevChain({ startTimeoutMs: 120_000 });
    log(`anchoring: chain ${devChain.chainId} at ${devChain.rpcUrl}, contract ${devChain.contract}`);
    const receipts = await consentReceipts(REVOCATIONS);
    try {
      gas = await measureGas(devChain, receipts.map((r) => r.receipt), GAS_ROUNDS, log);
    } catch (error) {
      fail('gas', error);
    }
    try {
      const account = await benchAccount(devChain);
      proofs.push(await measureProofSize(devChain, account, PROOF_SIZES.baseline, receipts[0]!, log));
      proofs.push(await measureProofSize(devChain, account, PROOF_SIZES.measured, receipts[1]!, log));
    } catch (error) {
      fail('proof size', error);
    }
    if (options.extensionDir) {
      try {
        const { measureRevokeToMined } = await import('./anchoring-browser.ts');
        log(`anchoring: revoke → Revoked mined, in Chromium (load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
        timing = await measureRevokeToMined(devChain, options.extensionDir, options.timingRounds, log);
        notes.push(...timing.notes);
      } catch (error) {
        fail('revoke → mined timing', error);
      }
    } else {
      notes.push('anchoring: no built extension given, the revoke → mined timing was skipped');
    }
  } catch (error) {
    fail('development chain', error);
  } finally {
    await devChain?.stop();
  }

  const rows = anchoringRows(gas, proofs, timing);
  return {
    rows,
    table: formatAnchoringTable(rows),
    durationMs: Math.round(performance.now() - started),
    chain: devChain && { rpcUrl: devChain.rpcUrl, chainId: devChain.chainId, contract: devChain.contract },
    gas,
    proofs,
    timing,
    method: {
      chain: 'hardhat node (Hardhat 2, automine) on 127.0.0.1 with TesseraAnchor deployed (scripts/lib/dev-chain.ts); transactions signed and sent by the wallet’s chain client (createViemAnchorChain: gas estimated, EIP-1559 fees)',
      gasPerEntry: `a core Ledger (in-memory store, real encryption) grows by ${GROWTHS.join(', ')} entries in turn, ${GAS_ROUNDS} rounds; after each growth its signed head (size, root) is anchored; gasUsed from the receipt ÷ the growth. Baseline: one anchor per entry (growth 1)`,
      revocation: `revoke(SHA-256(receipt)) of ${REVOCATIONS} real consent receipts, then the same again (a no-op by the contract); gasUsed from the receipts; baseline: the gas of an anchor after one entry`,
      proofSize: `UTF-8 bytes of JSON.stringify(receiptProof) (DESIGN §6), the grant.given entry at seq ⌊n/2⌋ of a core Ledger of n entries, anchored on the chain and verified by core's verifier; ${PROOF_SIZES.measured.toLocaleString('en')} against ${PROOF_SIZES.baseline.toLocaleString('en')}`,
      revokeToMined:
        'Chromium (headless), built extension, a data grant from the demo library per measurement, the dashboard reloaded at Access and in front; Node clock from right before the (forced, already visible and enabled) Playwright click on the in-page `confirm` of `revoke-<id>`; with anchoring on (no anchor due: every 100,000 entries / 7 days) until revokedAt(anchoring account, SHA-256(receipt)) > 0, polled every 20 ms with viem; baseline with anchoring off until the dashboard shows the grant revoked (MutationObserver in the page); alternating, first round discarded',
    },
    notes,
    failure,
  };
}

/** Real consent receipts (createConsentReceipt, signed by a pairwise did:key) with their grant ids. */
async function consentReceipts(count: number): Promise<LoggedReceipt[]> {
  const made: LoggedReceipt[] = [];
  for (let i = 0; i < count; i++) {
    const { ledgerProof, grantId } = await buildReceiptProof({ before: 0, after: 0 });
    made.push({ receipt: ledgerProof.receipt, grantId });
  }
  return made;
}

function anchoringRows(gas: GasFigures | null, proofs: readonly ProofSample[], timing: RevokeTiming | null): AnchoringRow[] {
  const rows: AnchoringRow[] = [];
  if (gas) {
    const perEntryBaseline = gasPerEntry(gas.anchors, 1);
    for (const growth of GROWTHS) {
      rows.push(
        makeAnchoringRow({
          id: `anchor-gas-per-entry-${growth}`,
          metric: `gas per ledger entry, one anchor per ${growth.toLocaleString('en')} ${growth === 1 ? 'entry' : 'entries'} vs a tx per entry`,
          unit: 'gas',
          tessera: gasPerEntry(gas.anchors, growth),
          baseline: perEntryBaseline,
          ratioOf: 'baseline/tessera',
          ...(growth === GROWTHS[GROWTHS.length - 1] ? { minRatio: CHEAPER_PER_ENTRY_GOAL, goalText: `≥ ${CHEAPER_PER_ENTRY_GOAL.toLocaleString('en')}× cheaper` } : {}),
        }),
      );
    }
    const anchorGas = gas.anchors.filter((a) => a.growth === 1).map((a) => a.gasUsed);
    if (gas.revocations.length > 0) {
      rows.push(
        makeAnchoringRow({ id: 'revoke-gas', metric: 'gas per revocation (first revoke) vs an anchor', unit: 'gas', tessera: gas.revocations.map((r) => r.firstGasUsed), baseline: anchorGas }),
        makeAnchoringRow({ id: 'revoke-repeat-gas', metric: 'repeat revocation (a no-op) vs an anchor', unit: 'gas', tessera: gas.revocations.map((r) => r.repeatGasUsed), baseline: anchorGas }),
      );
    }
  }
  const at = (n: number) => proofs.find((p) => p.treeSize === n);
  const measured = at(PROOF_SIZES.measured);
  const baseline = at(PROOF_SIZES.baseline);
  if (measured && baseline) {
    rows.push(
      makeAnchoringRow({
        id: 'receipt-proof-bytes',
        metric: `receipt proof JSON at ${PROOF_SIZES.measured.toLocaleString('en')} entries vs ${PROOF_SIZES.baseline.toLocaleString('en')}`,
        unit: 'B',
        tessera: [measured.jsonBytes],
        baseline: [baseline.jsonBytes],
      }),
    );
  }
  if (timing && timing.chain.length > 0 && timing.dashboard.length > 0) {
    rows.push(
      makeAnchoringRow({
        id: 'revoke-to-mined',
        metric: 'revoke click → Revoked mined vs → dashboard shows revoked (no chain)',
        unit: 'ms',
        tessera: timing.chain.map((s) => s.minedMs),
        baseline: timing.dashboard.map((s) => s.shownMs),
      }),
      makeAnchoringRow({
        id: 'revoke-shown-anchoring-on',
        metric: 'the same click → dashboard shows revoked, anchoring on vs off',
        unit: 'ms',
        tessera: timing.chain.map((s) => s.shownMs),
        baseline: timing.dashboard.map((s) => s.shownMs),
      }),
    );
  }
  return rows;
}

// `tsx scripts/bench/anchoring.ts` runs the Node measurements alone (no browser).
if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await runAnchoringBench({ extensionDir: null, timingRounds: 0 }, (line) => console.log(line));
  console.log(result.table);
  for (const note of result.notes) console.log(`note: ${note}`);
  process.exitCode = result.failure ? 1 : 0;
}
