/**
 * Grants by origin (issue 7, item 8): `wallet_getGrants` for one site when the wallet
 * holds 10,000 grants of 500 sites, through the site's own record (its grant ids) on
 * the IndexedDB adapter over fake-indexeddb with real encryption — against decrypting
 * every grant and filtering, in the same process. Goal: ≤ 20 ms.
 */
import { IDBFactory } from 'fake-indexeddb';
import { performance } from 'node:perf_hooks';
import { IndexedDbKeyValueStore } from '../../src/background/adapters/indexeddb-store.ts';
import type { WriteOp } from '../../src/core/ports.ts';
import { Wallet } from '../../src/core/wallet/wallet.ts';
import { makeTestPorts } from '../../test/support/test-ports.ts';
import { median, round } from './stats.ts';

const GRANTS = 10_000;
const SITES = 500;
const ROUNDS = 15;

export interface GrantsBenchResult {
  grants: number;
  sites: number;
  bySiteMs: number;
  decryptAllMs: number;
  ratio: number;
  goalMs: 20;
  met: boolean;
}

export async function runGrantsBench(log: (line: string) => void): Promise<GrantsBenchResult> {
  const ports = { ...makeTestPorts(), store: new IndexedDbKeyValueStore(new IDBFactory(), 'tessera-bench-grants') };
  const wallet = new Wallet(ports);
  await wallet.locking.create('bench password 1');
  const unlocked = await wallet.session.require();
  log(`grants by origin: writing ${GRANTS.toLocaleString('en')} grants of ${SITES} sites`);
  const origins = Array.from({ length: SITES }, (_, i) => `https://site-${i}.example`);
  const perSite = GRANTS / SITES;
  for (const [s, origin] of origins.entries()) {
    const ops: WriteOp[] = [];
    const ids: string[] = [];
    for (let g = 0; g < perSite; g++) {
      const { grant, op } = await unlocked.grants.newIdentityGrant({ origin, did: `did:key:z6Mkbench${s}`, requestHash: 'h', presentationHash: 'p' });
      ids.push(grant.id);
      ops.push(op);
    }
    const record = { origin, did: `did:key:z6Mkbench${s}`, kid: `did:key:z6Mkbench${s}#k`, keyRef: `bench-${s}`, createdAt: new Date().toISOString(), identityGrantId: ids.at(-1) ?? null, grantIds: ids };
    ops.push(await unlocked.pairwise.saveOp(record));
    await ports.store.write(ops);
  }
  const target = origins[SITES / 2]!;
  const bySite: number[] = [];
  const decryptAll: number[] = [];
  for (let round_ = 0; round_ < ROUNDS; round_++) {
    let started = performance.now();
    const mine = await wallet.grants.listForSite(target);
    bySite.push(performance.now() - started);
    started = performance.now();
    const filtered = (await unlocked.grants.list()).filter((g) => g.requester.origin === target);
    decryptAll.push(performance.now() - started);
    if (mine.length !== perSite || filtered.length !== perSite) throw new Error(`grants by origin: expected ${perSite}, got ${mine.length} and ${filtered.length}`);
  }
  const result: GrantsBenchResult = {
    grants: GRANTS,
    sites: SITES,
    bySiteMs: round(median(bySite)),
    decryptAllMs: round(median(decryptAll)),
    ratio: round(median(bySite) / median(decryptAll), 3),
    goalMs: 20,
    met: median(bySite) <= 20,
  };
  log(`grants by origin at ${GRANTS.toLocaleString('en')}: ${result.bySiteMs} ms through the site's record vs ${result.decryptAllMs} ms decrypting all (goal ≤ 20 ms ${result.met ? '✓' : '✗'})`);
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await runGrantsBench(console.log)));
}
