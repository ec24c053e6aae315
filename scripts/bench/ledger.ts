/**
 * The activity ledger's figures (issue 7, item 8), in this process on the in-memory
 * store with the real encryption (AES-256-GCM records, HMAC slot names):
 *
 * - append throughput, one entry per transaction as the commit point writes them
 *   (the first 10,000), then the rest in transactions of 100 entries;
 * - loading and decrypting every entry, and the full `Ledger.verify()` from the store;
 * - verification of the entries once in memory (JCS, leaf hash, prev links, shape,
 *   head, Merkle root) against the floor of plain SHA-256 over the same bytes: the
 *   leaf inputs 0x00 ‖ JCS(entry) alone (strict), and also with the n − 1 interior
 *   node inputs (65 bytes each) that any RFC 9162 root needs. The floor uses the
 *   same SHA-256 code as the verifier (core/ledger/sha256-fast.ts, the fastest of
 *   the three here for these small inputs); @noble/hashes and node:crypto's native
 *   SHA-256 over the leaf inputs are shown for scale;
 * - inclusion proof generation at the largest size, through the API (which reads and
 *   decrypts the head each time) and on the tree alone; every proof is checked.
 *
 * The machine may be shared: each comparison alternates verifier and floor over
 * several rounds and reports medians of both wall and CPU time (ratios on CPU
 * time; also the ratio of the fastest rounds, the least disturbed by other load).
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2';
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { randomBytes } from '../../src/core/encoding.ts';
import { fromBase64Url } from '../../src/core/ledger/base64url.ts';
import { checkChain } from '../../src/core/ledger/chain.ts';
import { verifyCheckpoint } from '../../src/core/ledger/checkpoint.ts';
import { entryBytes, entryLeafHash, type LedgerEntry, type LedgerKind } from '../../src/core/ledger/entry.ts';
import { LedgerStore } from '../../src/core/ledger/ledger-store.ts';
import { Ledger } from '../../src/core/ledger/ledger.ts';
import type { MerkleTree } from '../../src/core/ledger/merkle-tree.ts';
import { verifyConsistency, verifyInclusion } from '../../src/core/ledger/merkle-verify.ts';
import { nodeHashInto, sha256Fast } from '../../src/core/ledger/sha256-fast.ts';
import { MemoryKeyValueStore } from '../../src/core/storage/memory-store.ts';
import { deriveVaultKeys } from '../../src/core/vault/vault-keys.ts';
import { median, round, summarize } from './stats.ts';

export const LEDGER_SIZES = [10_000, 100_000] as const;
const ROUNDS = 7;
const PROOFS = 1_000;
const SINGLE_APPENDS = 10_000;
const BATCH = 100;
const KINDS: LedgerKind[] = ['grant.accessed', 'credential.presented', 'grant.given', 'identity.login', 'credential.received'];

class BenchFailure extends Error {}

/** A payload like the wallet's: origin, credential types, claim paths, purposes (no values). */
function payloadFor(i: number): string {
  return JSON.stringify({
    origin: `https://site-${i % 97}.example`,
    credentialTypes: ['VerifiableCredential', 'ResidencyCredential'],
    claims: ['$.credentialSubject.address.locality', '$.credentialSubject.address.country'],
    purposes: ['dpv:IdentityVerification'],
  });
}

interface Timing {
  wallMs: number;
  cpuMs: number;
}

function time(work: () => void): Timing {
  const cpu = process.cpuUsage();
  const start = performance.now();
  work();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

async function timeAsync(work: () => Promise<void>): Promise<Timing> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await work();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

const medianTiming = (samples: Timing[]): Timing & { minCpuMs: number } => ({
  wallMs: round(median(samples.map((s) => s.wallMs))),
  cpuMs: round(median(samples.map((s) => s.cpuMs))),
  minCpuMs: round(Math.min(...samples.map((s) => s.cpuMs))),
});

async function benchSize(n: number, inclusionAtThisSize: boolean, log: (line: string) => void): Promise<Record<string, unknown>> {
  const store = new MemoryKeyValueStore();
  const keys = await deriveVaultKeys(randomBytes(32));
  const ledger = new Ledger(store, keys);

  // 1. Appends: one per transaction (appendOps → one write → committed), then batches.
  log(`ledger ${n}: appending…`);
  const itemAt = (i: number) => ({ kind: KINDS[i % KINDS.length]!, subject: `grant-${i % 1009}`, payload: payloadFor(i) });
  const singles = Math.min(n, SINGLE_APPENDS);
  const single = await timeAsync(async () => {
    for (let i = 0; i < singles; i++) {
      const { ops, entries } = await ledger.appendOps([itemAt(i)]);
      await store.write(ops);
      ledger.committed(entries);
    }
  });
  const batched = await timeAsync(async () => {
    for (let i = singles; i < n; i += BATCH) {
      const { ops, entries } = await ledger.appendOps(Array.from({ length: Math.min(BATCH, n - i) }, (_, j) => itemAt(i + j)));
      await store.write(ops);
      ledger.committed(entries);
    }
  });
  if ((await ledger.size()) !== n) throw new BenchFailure(`ledger ${n}: size ${await ledger.size()} after appends`);
  const appendsPerSecond = round(singles / (single.wallMs / 1000), 0);
  const batchedPerSecond = n > singles ? round((n - singles) / (batched.wallMs / 1000), 0) : null;
  log(`ledger ${n}: ${appendsPerSecond} appends/s one per transaction (${round(single.wallMs / singles, 3)} ms each)` + (batchedPerSecond ? `, ${batchedPerSecond} entries/s in transactions of ${BATCH}` : ''));

  // 2. Load and decrypt every entry; then the full verify from the store.
  const records = new LedgerStore(store, keys);
  let loaded: Array<LedgerEntry | undefined> = [];
  const head = await records.head();
  const load = await timeAsync(async () => {
    loaded = await records.loadEntries(head.size);
  });
  if (loaded.length !== n || loaded.some((e) => e === undefined)) throw new BenchFailure(`ledger ${n}: load incomplete`);
  let fullResult: Awaited<ReturnType<Ledger['verify']>> | undefined;
  const full = await timeAsync(async () => {
    fullResult = await new Ledger(store, keys).verify();
  });
  if (!fullResult?.ok || fullResult.root !== (await ledger.root())) throw new BenchFailure(`ledger ${n}: verify() failed: ${JSON.stringify(fullResult)}`);
  log(`ledger ${n}: load+decrypt ${round(load.wallMs)} ms, full verify() from the store ${round(full.wallMs)} ms`);

  // 3. In-memory verification against the hashing floor, interleaved.
  const entries = loaded as LedgerEntry[];
  const leafInputs = entries.map((entry) => {
    const bytes = entryBytes(entry);
    const input = new Uint8Array(bytes.length + 1);
    input.set(bytes, 1);
    return input;
  });
  // Children for the n − 1 interior node hashes (64 bytes each; the contents do not
  // change the cost), hashed as SHA-256(0x01 ‖ left ‖ right) by the tree's routine.
  const children = Uint8Array.from({ length: 64 * (n - 1) }, (_, i) => (i * 131 + 7) & 0xff);
  const nodeOut = new Uint8Array(32);
  const verifySamples: Timing[] = [];
  const leafFloorSamples: Timing[] = [];
  const allFloorSamples: Timing[] = [];
  const nativeSamples: Timing[] = [];
  const nobleSamples: Timing[] = [];
  const expectedRoot = fullResult.root;
  let tree: MerkleTree | null = null;
  let sink = 0;
  for (let round_ = 0; round_ < ROUNDS; round_++) {
    verifySamples.push(
      time(() => {
        const result = checkChain(entries, head);
        if (!result.ok || result.root !== expectedRoot) throw new BenchFailure(`ledger ${n}: in-memory verification failed`);
        tree = result.tree;
      }),
    );
    leafFloorSamples.push(time(() => leafInputs.forEach((input) => (sink ^= sha256Fast(input)[0]!))));
    allFloorSamples.push(
      time(() => {
        for (const input of leafInputs) sink ^= sha256Fast(input)[0]!;
        for (let i = 0; i < n - 1; i++) nodeHashInto(children, 64 * i, children, 64 * i + 32, nodeOut, 0);
        sink ^= nodeOut[0]!;
      }),
    );
    nobleSamples.push(time(() => leafInputs.forEach((input) => (sink ^= nobleSha256(input)[0]!))));
    nativeSamples.push(time(() => leafInputs.forEach((input) => (sink ^= createHash('sha256').update(input).digest()[0]!))));
  }
  const verify = medianTiming(verifySamples);
  const leafFloor = medianTiming(leafFloorSamples);
  const allFloor = medianTiming(allFloorSamples);
  const native = medianTiming(nativeSamples);
  const noble = medianTiming(nobleSamples);
  const bytesHashed = leafInputs.reduce((sum, input) => sum + input.length, 0);
  const ratioLeaf = round(verify.cpuMs / leafFloor.cpuMs);
  const ratioAll = round(verify.cpuMs / allFloor.cpuMs);
  const ratioLeafMin = round(verify.minCpuMs / leafFloor.minCpuMs);
  log(
    `ledger ${n}: in-memory verify ${verify.wallMs} ms wall / ${verify.cpuMs} ms CPU; SHA-256 floor over the leaf inputs ` +
      `${leafFloor.cpuMs} ms CPU (ratio ${ratioLeaf}×; fastest rounds ${ratioLeafMin}×), over leaf + node inputs ${allFloor.cpuMs} ms CPU (ratio ${ratioAll}×); ` +
      `over the leaf inputs @noble/hashes ${noble.cpuMs} ms, node:crypto ${native.cpuMs} ms CPU`,
  );

  if (!tree) throw new BenchFailure('no tree');
  const figures: Record<string, unknown> = {
    entries: n,
    append: {
      onePerTransaction: { entries: singles, perSecond: appendsPerSecond, msEach: round(single.wallMs / singles, 3) },
      batched: batchedPerSecond ? { entries: n - singles, perTransaction: BATCH, perSecond: batchedPerSecond } : null,
    },
    loadAndDecryptMs: round(load.wallMs),
    fullVerifyFromStoreMs: round(full.wallMs),
    inMemoryVerify: verify,
    floor: {
      leafInputs: { ...leafFloor, bytes: bytesHashed, hashes: n },
      leafAndNodeInputs: { ...allFloor, bytes: bytesHashed + 65 * (n - 1), hashes: 2 * n - 1 },
      nobleLeafInputs: noble,
      nativeLeafInputs: native,
    },
    ratio: { overLeafFloor: ratioLeaf, overLeafFloorFastestRounds: ratioLeafMin, overLeafAndNodeFloor: ratioAll, goal: '≤ 2× the floor' },
    sink: sink & 1,
  };

  if (inclusionAtThisSize) figures.proofs = await benchProofs(ledger, tree!, n, entries, expectedRoot, log);
  return figures;
}

async function benchProofs(ledger: Ledger, tree: MerkleTree, n: number, entries: LedgerEntry[], root: string, log: (line: string) => void) {
  const rootBytes = fromBase64Url(root);
  const api: number[] = [];
  const seqs = Array.from({ length: PROOFS }, () => Math.floor(Math.random() * n));
  for (const seq of seqs) {
    const start = performance.now();
    const proof = await ledger.inclusionProof(seq, n);
    api.push(performance.now() - start);
    if (!verifyInclusion(seq, n, entryLeafHash(entries[seq]!), proof.map(fromBase64Url), rootBytes)) {
      throw new BenchFailure(`inclusion proof for ${seq} at ${n} does not verify`);
    }
  }
  // The tree alone (what the API does after reading the head), as verification built it.
  const treeOnly: number[] = [];
  for (const seq of seqs) {
    const start = performance.now();
    tree.inclusionProof(seq, n);
    treeOnly.push(performance.now() - start);
  }
  const consistency: number[] = [];
  for (let i = 0; i < 100; i++) {
    const m = 1 + Math.floor(Math.random() * (n - 1));
    const start = performance.now();
    const proof = await ledger.consistencyProof(m, n);
    consistency.push(performance.now() - start);
    if (!verifyConsistency(m, n, fromBase64Url(await ledger.root(m)), rootBytes, proof.map(fromBase64Url))) {
      throw new BenchFailure(`consistency proof ${m} → ${n} does not verify`);
    }
  }
  const note = await ledger.checkpoint('tessera.bench/ledger');
  if (verifyCheckpoint(note, fromBase64Url((await ledger.publicKey()).publicKey))?.size !== n) throw new BenchFailure('checkpoint does not verify');
  const apiSummary = summarize(api);
  log(
    `ledger ${n}: inclusion proof via the API median ${apiSummary.median} ms, p90 ${apiSummary.p90} ms, max ${apiSummary.max} ms; ` +
      `on the tree alone median ${round(median(treeOnly), 4)} ms (goal ≤ 5 ms)`,
  );
  return {
    inclusionViaApiMs: apiSummary,
    inclusionTreeOnlyMs: { ...summarize(treeOnly), median: round(median(treeOnly), 4) },
    consistencyViaApiMs: summarize(consistency),
    goal: 'inclusion proof ≤ 5 ms at 100,000',
  };
}

export async function runLedgerBench(log: (line: string) => void): Promise<Record<string, unknown>> {
  // LEDGER_SIZES=1000,5000 for a quick look; the figures are at 10,000 and 100,000.
  const fromEnv = (process.env.LEDGER_SIZES ?? '').split(',').map(Number).filter((v) => Number.isInteger(v) && v > 1);
  const sizes = fromEnv.length > 0 ? fromEnv : [...LEDGER_SIZES];
  const bySize: Record<string, unknown> = {};
  for (const n of sizes) bySize[String(n)] = await benchSize(n, n === sizes[sizes.length - 1], log);
  return { ledger: bySize, note: 'SHA-256 of core/ledger/sha256-fast.ts in verifier and floor; in-memory times are medians of 7 alternating rounds; ratios on CPU time' };
}

// `tsx scripts/bench/ledger.ts` runs it alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await runLedgerBench((line) => console.log(line));
  console.log(JSON.stringify(figures, null, 2));
}
