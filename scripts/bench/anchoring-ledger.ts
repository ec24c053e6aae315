/**
 * The anchoring part's ledger: a real core Ledger over the in-memory store with vault
 * keys made as the ledger tests make them, grown the way the commit point writes
 * (appendOps → one store write → committed), in transactions of up to 100 entries.
 */
import { randomBytes } from '../../src/core/encoding.ts';
import type { LedgerKind } from '../../src/core/ledger/entry.ts';
import { Ledger } from '../../src/core/ledger/ledger.ts';
import type { LedgerItem } from '../../src/core/ledger/records.ts';
import { MemoryKeyValueStore } from '../../src/core/storage/memory-store.ts';
import { deriveVaultKeys } from '../../src/core/vault/vault-keys.ts';

const BATCH = 100;
const KINDS: LedgerKind[] = ['grant.accessed', 'credential.presented', 'identity.login', 'credential.received'];

export interface BenchLedger {
  ledger: Ledger;
  /** Appends `count` activity entries like the wallet's (an origin, credential types, claim paths; no values). */
  grow(count: number): Promise<void>;
  /** Appends one item and returns the seq it got. */
  append(item: LedgerItem): Promise<number>;
}

export async function benchLedger(): Promise<BenchLedger> {
  const store = new MemoryKeyValueStore();
  const ledger = new Ledger(store, await deriveVaultKeys(randomBytes(32)));
  let next = 0;
  const write = async (items: LedgerItem[]) => {
    const { ops, entries } = await ledger.appendOps(items);
    await store.write(ops);
    ledger.committed(entries);
    return entries;
  };
  const activity = (i: number): LedgerItem => ({
    kind: KINDS[i % KINDS.length]!,
    subject: `grant-${i % 1009}`,
    payload: JSON.stringify({
      origin: `https://site-${i % 97}.example`,
      credentialTypes: ['VerifiableCredential', 'ResidentCredential'],
      claims: ['$.credentialSubject.address.locality'],
      i,
    }),
  });
  return {
    ledger,
    async grow(count) {
      if (!Number.isSafeInteger(count) || count < 0) throw new Error(`a ledger grows by a whole number of entries, not ${count}`);
      for (let done = 0; done < count; ) {
        const n = Math.min(BATCH, count - done);
        await write(Array.from({ length: n }, (_, j) => activity(next + j)));
        next += n;
        done += n;
      }
    },
    async append(item) {
      const [entry] = await write([item]);
      next++;
      return entry!.seq;
    },
  };
}
