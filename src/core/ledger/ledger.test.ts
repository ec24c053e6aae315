import { describe, expect, it } from 'vitest';
import { randomBytes } from '../encoding.ts';
import { EncryptedCollection } from '../storage/encrypted-collection.ts';
import { MemoryKeyValueStore } from '../storage/memory-store.ts';
import type { WriteOp } from '../ports.ts';
import { deriveVaultKeys } from '../vault/vault-keys.ts';
import { fromBase64Url } from './base64url.ts';
import { verifyCheckpoint } from './checkpoint.ts';
import { GENESIS_PREV, entryLeafHash, payloadDigest, type LedgerEntry, type LedgerKind } from './entry.ts';
import { Ledger } from './ledger.ts';
import { verifyConsistency, verifyInclusion } from './merkle-verify.ts';
import type { LedgerItem } from './records.ts';

async function setup() {
  const store = new MemoryKeyValueStore();
  const keys = await deriveVaultKeys(randomBytes(32));
  let clock = Date.parse('2026-12-01T21:12:00.806Z');
  const now = () => new Date((clock += 1000));
  const ledger = new Ledger(store, keys, { now });
  /** What the commit point does: the ops in one write, then `committed`. */
  const append = async (target: Ledger, ...items: LedgerItem[]) => {
    const { ops, entries } = await target.appendOps(items);
    await store.write(ops);
    target.committed(entries);
    return entries;
  };
  const entries = new EncryptedCollection<LedgerEntry>(store, 'ledger', keys);
  return { store, keys, now, ledger, append, entries };
}

const item = (i: number, kind: LedgerKind = 'grant.accessed'): LedgerItem => ({
  kind,
  subject: `grant-${i}`,
  payload: JSON.stringify({ origin: 'https://library.example', claims: ['$.address.city'], i }),
});

async function withEntries(count: number) {
  const context = await setup();
  for (let i = 0; i < count; i += 5) {
    await context.append(context.ledger, ...Array.from({ length: Math.min(5, count - i) }, (_, j) => item(i + j)));
  }
  return context;
}

describe('Ledger entries', () => {
  it('writes §4 entries chained by leaf hash, with the payload digest salted', async () => {
    const { ledger, append } = await setup();
    const [first, second] = await append(ledger, { kind: 'wallet.created', subject: 'wallet', payload: '{}' }, item(1));
    expect(first).toEqual({ v: 1, seq: 0, at: '2026-12-01T21:12:01.806Z', kind: 'wallet.created', subject: 'wallet', digest: expect.stringMatching(/^[\w-]{43}$/), prev: GENESIS_PREV });
    expect(second!.prev).toBe(Buffer.from(entryLeafHash(first!)).toString('base64url'));
    const [page0] = await ledger.page(0, 1);
    expect(page0!.payload).toBe('{}');
    expect(fromBase64Url(page0!.salt!)).toHaveLength(16);
    expect(payloadDigest(fromBase64Url(page0!.salt!), '{}')).toBe(first!.digest);
    expect(await ledger.size()).toBe(2);
    expect(await ledger.entry(1)).toEqual(second);
  });

  it('refuses an unknown kind and writes nothing for no items', async () => {
    const { ledger } = await setup();
    await expect(ledger.appendOps([{ kind: 'grant.stolen' as LedgerKind, subject: 's', payload: '' }])).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(ledger.appendOps([{ kind: 'grant.given', subject: 'lone \ud800', payload: '' }])).rejects.toMatchObject({ code: 'invalid_input' });
    expect(await ledger.appendOps([])).toEqual({ ops: [], entries: [] });
  });

  it('keeps entries, payloads and ids out of the clear', async () => {
    const { store, ledger, append } = await setup();
    await append(ledger, { kind: 'grant.given', subject: 'grant-secret-id', payload: 'https://secret-origin.example' });
    const raw = JSON.stringify(store.dump(), (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v));
    expect(raw).not.toContain('secret-origin');
    expect(raw).not.toContain('grant-secret-id');
    expect(raw).not.toContain('grant.given');
  });
});

describe('Ledger verification', () => {
  it('verifies a chain and reports the root the tree computes', async () => {
    const { ledger } = await withEntries(23);
    const result = await ledger.verify();
    expect(result).toEqual({ ok: true, size: 23, root: await ledger.root() });
  });

  it.each([0, 7, 22])('names entry %i when its content is changed in the store', async (index) => {
    const { ledger, entries } = await withEntries(23);
    const stored = (await entries.get(String(index)))!;
    await entries.put(String(index), { ...stored, subject: 'someone-else' });
    expect(await ledger.verify()).toMatchObject({ ok: false, firstBadIndex: index });
  });

  it.each([0, 7, 22])('names entry %i when its prev link is changed in the store', async (index) => {
    const { ledger, entries } = await withEntries(23);
    const stored = (await entries.get(String(index)))!;
    await entries.put(String(index), { ...stored, prev: 'B'.repeat(43) });
    expect(await ledger.verify()).toMatchObject({ ok: false, firstBadIndex: index });
  });

  it('names an entry whose ciphertext is damaged or that is removed', async () => {
    const { store, ledger, entries } = await withEntries(12);
    const damaged = (await entries.putOp('4', (await entries.get('4'))!)) as Extract<WriteOp, { type: 'put' }>;
    const sealed = (await store.get('ledger', damaged.key)) as { ct: Uint8Array };
    sealed.ct[3]! ^= 1;
    await store.write([{ ...damaged, value: sealed }]);
    expect(await ledger.verify()).toMatchObject({ ok: false, firstBadIndex: 4 });
    await store.write([await entries.deleteOp('4')]);
    expect(await ledger.verify()).toMatchObject({ ok: false, firstBadIndex: 4 });
  });

  it('names an entry whose seq is swapped with another', async () => {
    const { ledger, entries } = await withEntries(12);
    const five = (await entries.get('5'))!;
    await entries.put('5', { ...five, seq: 6 });
    expect(await ledger.verify()).toMatchObject({ ok: false, firstBadIndex: 5 });
  });

  it('refuses to build proofs over a damaged ledger', async () => {
    const { store, keys, entries } = await withEntries(8);
    const stored = (await entries.get('3'))!;
    await entries.put('3', { ...stored, kind: 'grant.revoked' });
    const fresh = new Ledger(store, keys);
    await expect(fresh.root()).rejects.toMatchObject({ code: 'internal' });
  });

  it('names a payload that no longer matches its digest', async () => {
    const { store, keys, ledger } = await withEntries(6);
    const payloads = new EncryptedCollection<{ v: 1; seq: number; salt: string; payload: string }>(store, 'ledgerPayloads', keys);
    const stored = (await payloads.get('2'))!;
    await payloads.put('2', { ...stored, payload: 'rewritten history' });
    expect(await ledger.verify()).toMatchObject({ ok: false, firstBadIndex: 2 });
  });

  it('a deleted payload keeps the chain verifying and the roots and proofs unchanged', async () => {
    const { store, ledger } = await withEntries(10);
    const rootBefore = await ledger.root();
    const proofBefore = await ledger.inclusionProof(3, 10);
    await store.write(await ledger.deletePayloadOps(3));
    expect(await ledger.verify()).toEqual({ ok: true, size: 10, root: rootBefore });
    expect(await ledger.root()).toBe(rootBefore);
    expect(await ledger.inclusionProof(3, 10)).toEqual(proofBefore);
    const page = await ledger.page(2, 3);
    expect(page.map((p) => p.payload === null)).toEqual([false, true, false]);
    expect(page[1]!.entry.seq).toBe(3);
    await expect(ledger.deletePayloadOps(10)).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('Ledger proofs', () => {
  it('gives inclusion proofs for any entry at any size that verify, and fail when tampered', async () => {
    const { ledger, entries } = await withEntries(21);
    for (const size of [1, 2, 5, 8, 13, 21]) {
      const root = fromBase64Url(await ledger.root(size));
      for (let seq = 0; seq < size; seq += 3) {
        const proof = (await ledger.inclusionProof(seq, size)).map(fromBase64Url);
        const leaf = entryLeafHash((await entries.get(String(seq)))!);
        expect(verifyInclusion(seq, size, leaf, proof, root)).toBe(true);
        const tampered = { ...(await entries.get(String(seq)))!, kind: 'grant.revoked' as const };
        expect(verifyInclusion(seq, size, entryLeafHash(tampered), proof, root)).toBe(false);
      }
    }
  });

  it('gives the receiptProof members of an entry, which verify as §6 says', async () => {
    const { ledger, append } = await withEntries(9);
    const [given] = await append(ledger, { kind: 'grant.given', subject: 'grant-x', payload: 'eyJhbGciOiJFUzI1NiJ9.e30.sig' });
    await append(ledger, item(11), item(12));
    const proof = await ledger.entryProof(given!.seq, 11);
    expect(proof).toMatchObject({ entry: given, leafIndex: 9, treeSize: 11, root: await ledger.root(11) });
    expect(payloadDigest(fromBase64Url(proof.salt!), 'eyJhbGciOiJFUzI1NiJ9.e30.sig')).toBe(proof.entry.digest);
    const leaf = entryLeafHash(proof.entry);
    expect(verifyInclusion(proof.leafIndex, proof.treeSize, leaf, proof.inclusion.map(fromBase64Url), fromBase64Url(proof.root))).toBe(true);
    await expect(ledger.entryProof(12, 11)).rejects.toMatchObject({ code: 'invalid_input' });
  });

  it('gives consistency proofs between sizes that verify, and fail against another root', async () => {
    const { ledger } = await withEntries(21);
    for (const [m, n] of [[1, 21], [4, 13], [8, 21], [13, 13], [20, 21]] as const) {
      const proof = (await ledger.consistencyProof(m, n)).map(fromBase64Url);
      const [rm, rn] = [fromBase64Url(await ledger.root(m)), fromBase64Url(await ledger.root(n))];
      expect(verifyConsistency(m, n, rm, rn, proof)).toBe(true);
      if (m !== n) expect(verifyConsistency(m, n, fromBase64Url(await ledger.root(m + 1)), rn, proof)).toBe(false);
    }
    await expect(ledger.consistencyProof(3, 22)).rejects.toMatchObject({ code: 'invalid_input' });
  });
});

describe('Ledger across failures and instances', () => {
  it('a write that throws mid-append leaves no partial entry and the next append continues the chain', async () => {
    const { store, ledger, append } = await withEntries(4);
    const rootBefore = await ledger.root();
    const realWrite = store.write.bind(store);
    // The worker dies during the commit: the transaction never lands (IndexedDB aborts it).
    store.write = async () => {
      throw new Error('worker stopped');
    };
    const { ops } = await ledger.appendOps([item(90), item(91)]);
    await expect(store.write(ops)).rejects.toThrow('worker stopped');
    store.write = realWrite;
    expect(await ledger.size()).toBe(4);
    expect(await ledger.root()).toBe(rootBefore);
    expect((await store.getAll('ledger')).length).toBe(4);
    expect((await store.getAll('ledgerPayloads')).length).toBe(4);
    const [next] = await append(ledger, item(5));
    expect(next!.seq).toBe(4);
    expect(await ledger.verify()).toMatchObject({ ok: true, size: 5 });
  });

  it('committed() for a transaction that did not land cannot corrupt what the ledger reports', async () => {
    const { ledger, append } = await withEntries(4);
    const rootBefore = await ledger.root();
    const proofBefore = await ledger.inclusionProof(3);
    const { entries } = await ledger.appendOps([item(90)]);
    ledger.committed(entries); // misuse: nothing was written
    expect(await ledger.size()).toBe(4);
    expect(await ledger.root()).toBe(rootBefore);
    expect(await ledger.inclusionProof(3)).toEqual(proofBefore);
    const [next] = await append(ledger, item(4));
    expect(next!.seq).toBe(4);
    expect(await ledger.verify()).toMatchObject({ ok: true, size: 5 });
  });

  it('a new Ledger over the same store continues where the last one stopped', async () => {
    const { store, keys, ledger, append, now } = await withEntries(9);
    const root = await ledger.root();
    const again = new Ledger(store, keys, { now });
    expect(await again.size()).toBe(9);
    expect(await again.root()).toBe(root);
    const [next] = await append(again, item(9));
    expect(next!.seq).toBe(9);
    expect(next!.prev).toBe(Buffer.from(entryLeafHash((await ledger.entry(8))!)).toString('base64url'));
    // The first instance's cache is behind the store: it catches up instead of answering stale.
    expect(await ledger.size()).toBe(10);
    expect(await ledger.root()).toBe(await again.root());
    expect(await ledger.root(9)).toBe(root);
  });
});

describe('Ledger checkpoints', () => {
  it('a rewrite that keeps the chain whole is caught by the latest checkpoint', async () => {
    const { store, keys, ledger, entries } = await withEntries(6);
    await ledger.checkpoint('tessera.example/ledger/abc');
    // Rewrite entry 2 and re-chain everything after it, head included (needs the vault key).
    const meta = new EncryptedCollection<{ v: 1; size: number; last: string }>(store, 'ledgerMeta', keys);
    let prev = (await entries.get('1'))!;
    let prevLeaf = Buffer.from(entryLeafHash(prev)).toString('base64url');
    for (let seq = 2; seq < 6; seq++) {
      const stored = (await entries.get(String(seq)))!;
      const rewritten = { ...stored, prev: prevLeaf, subject: seq === 2 ? 'forged' : stored.subject };
      await entries.put(String(seq), rewritten);
      prev = rewritten;
      prevLeaf = Buffer.from(entryLeafHash(prev)).toString('base64url');
    }
    await meta.put('head', { v: 1, size: 6, last: prevLeaf });
    const result = await new Ledger(store, keys).verify();
    expect(result).toMatchObject({ ok: false, firstBadIndex: 5 });
    expect(result.ok === false && result.reason).toContain('checkpoint');
  });

  it('signs the current size and root with a ledger key kept in the store', async () => {
    const { store, keys, ledger } = await withEntries(7);
    const note = await ledger.checkpoint('tessera.example/ledger/abc');
    const { name, publicKey } = await ledger.publicKey();
    const checkpoint = verifyCheckpoint(note, fromBase64Url(publicKey));
    expect(checkpoint).toMatchObject({ origin: 'tessera.example/ledger/abc', size: 7, keyName: name });
    expect(Buffer.from(checkpoint!.root).toString('base64url')).toBe(await ledger.root());
    expect(await ledger.latestCheckpoint()).toBe(note);
    // The same key after a restart: generated once.
    expect(await new Ledger(store, keys).publicKey()).toEqual({ name, publicKey });
    expect(JSON.stringify(store.dump())).not.toContain(publicKey);
  });
});
