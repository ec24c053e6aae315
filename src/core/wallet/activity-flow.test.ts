import { sha256 } from '@noble/hashes/sha2';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RequestDataAccessParams } from '../../protocol/rpc.ts';
import { createTestIssuer, issueJwtVc } from '../../../test/support/issuers.ts';
import { toBase64Url, utf8 } from '../encoding.ts';
import { fromBase64Url } from '../ledger/base64url.ts';
import type { LedgerEntry } from '../ledger/entry.ts';
import { EncryptedCollection } from '../storage/encrypted-collection.ts';
import type { WriteOp } from '../ports.ts';
import type { TestPorts } from '../../../test/support/test-ports.ts';
import { WalletDriver } from '../../../test/support/wallet-driver.ts';
import type { Wallet } from './wallet.ts';

const REGISTRY = 'http://127.0.0.1:7001';
const LIBRARY = 'http://127.0.0.1:7003';
let driver: WalletDriver;
let ports: TestPorts;
let wallet: Wallet;
let credentialId: string;

const residency: RequestDataAccessParams = {
  purpose: 'dpv:ServiceProvision',
  nonce: 'library-nonce-0001',
  duration_days: 365,
  dcql_query: { credentials: [{ id: 'residency', format: 'jwt_vc_json', meta: { type_values: [['ResidentCredential']] } }] },
};

async function grant() {
  const { dataAccess } = await wallet.credentials();
  return driver.withApproval(
    () => dataAccess.request(LIBRARY, driver.requestId(), residency),
    (id) => wallet.desk.resolve(id, 'approve', { queries: { residency: { credentialId, claims: [] } } }),
  );
}

beforeEach(async () => {
  driver = await WalletDriver.created();
  ({ ports, wallet } = driver);
  const identity = await driver.login(REGISTRY);
  const jwt = await issueJwtVc(await createTestIssuer(), { subjectDid: identity.did, types: ['ResidentCredential'], claims: { given_name: 'Ada', city: 'Aldmere' } });
  credentialId = await driver.keepOffer(REGISTRY, jwt);
});

describe('the activity ledger', () => {
  it('records every change as it happens, newest first, with what it says and never a claim value', async () => {
    const { grant: given, receipt } = await grant();
    const { dataAccess } = await wallet.credentials();
    await dataAccess.access(LIBRARY, { grantId: given.id, nonce: 'access-nonce-0001' });
    await wallet.grants.revokeAsHolder(given.id);
    const { entries, total } = await wallet.activity.list({ offset: 0, limit: 50 });
    expect(entries.map((e) => e.kind)).toEqual([
      'grant.revoked',
      'grant.accessed',
      'credential.presented',
      'grant.given',
      'credential.received',
      'identity.login',
      'grant.given',
      'wallet.created',
    ]);
    expect(total).toBe(8);
    expect(entries[3]).toMatchObject({ subject: given.id, origin: LIBRARY, payload: { receipt, purposes: ['dpv:ServiceProvision'] } });
    expect(entries[2]?.payload).toMatchObject({ origin: LIBRARY, credentials: [{ types: ['VerifiableCredential', 'ResidentCredential'] }] });
    expect(JSON.stringify(entries)).not.toContain('Ada');
    expect(JSON.stringify(entries)).not.toContain('Aldmere');
    // Filters by site and by kind.
    expect((await wallet.activity.list({ offset: 0, limit: 50, origin: LIBRARY })).entries.map((e) => e.kind)).toEqual([
      'grant.revoked',
      'grant.accessed',
      'credential.presented',
      'grant.given',
    ]);
    expect((await wallet.activity.list({ offset: 0, limit: 50, kind: 'grant.given' })).total).toBe(2);
  });

  it("commits a grant's entries in the same transaction as the grant", async () => {
    const writes: WriteOp[][] = [];
    const write = ports.store.write.bind(ports.store);
    ports.store.write = async (ops) => {
      writes.push([...ops]);
      return write(ops);
    };
    await grant();
    const withGrant = writes.filter((ops) => ops.some((op) => op.collection === 'grants'));
    expect(withGrant).toHaveLength(1);
    expect(withGrant[0]!.filter((op) => op.collection === 'ledger')).toHaveLength(2); // grant.given, credential.presented
    expect(withGrant[0]!.some((op) => op.collection === 'ledgerMeta')).toBe(true);
  });

  it("commits to the receipt: the grant.given digest is SHA-256(salt ‖ receipt)", async () => {
    const { receipt } = await grant();
    const wallet_ = await wallet.session.require();
    const page = await wallet_.ledger.page(0, await wallet_.ledger.size());
    const given = page.find((t) => t.payload === receipt)!;
    const salt = fromBase64Url(given.salt!);
    expect(salt).toHaveLength(16);
    expect(given.entry.digest).toBe(toBase64Url(sha256(new Uint8Array([...salt, ...utf8(receipt)]))));
  });

  it('reports a tampered stored entry at its index', async () => {
    await grant();
    expect(await wallet.activity.verify()).toMatchObject({ ok: true, size: 6 });
    const unlocked = await wallet.session.require();
    const entries = new EncryptedCollection<LedgerEntry>(ports.store, 'ledger', unlocked.keys);
    const third = (await entries.get('2'))!;
    await entries.put('2', { ...third, subject: 'someone-else' });
    expect(await wallet.activity.verify()).toMatchObject({ ok: false, firstBadIndex: 2 });
  });

  it("keeps the chain, root and integrity when the holder deletes an entry's payload", async () => {
    await grant();
    const before = await wallet.activity.verify();
    await wallet.activity.deletePayload(1);
    const after = await wallet.activity.verify();
    expect(after).toMatchObject({ ok: true, size: 6 });
    expect(after.ok && before.ok && after.root === before.root).toBe(true);
    const entry = (await wallet.activity.list({ offset: 0, limit: 50 })).entries.find((e) => e.seq === 1);
    expect(entry).toMatchObject({ deleted: true, payload: null });
  });

  it('leaves no partial entry when the transaction fails, and the next change continues the chain', async () => {
    const write = ports.store.write.bind(ports.store);
    let fail = true;
    ports.store.write = async (ops) => {
      if (fail && ops.some((op) => op.collection === 'ledger')) throw new Error('worker stopped');
      return write(ops);
    };
    const size = async () => (await wallet.session.require()).ledger.size();
    const before = await size();
    await expect(wallet.grants.revokeAsHolder((await wallet.grants.listForHolder())[0]!.id)).rejects.toThrow('worker stopped');
    expect(await size()).toBe(before);
    expect((await wallet.grants.listForHolder())[0]?.status).toBe('active');
    fail = false;
    await wallet.grants.revokeAsHolder((await wallet.grants.listForHolder())[0]!.id);
    expect(await size()).toBe(before + 1);
    expect(await wallet.activity.verify()).toMatchObject({ ok: true, size: before + 1 });
  });

  it('exports everything the wallet knows with a signed checkpoint, and no key material', async () => {
    await grant();
    const exported = await wallet.activity.exportData();
    expect(exported).toMatchObject({ format: 'tessera-export/1', ledger: { integrity: { ok: true, size: 6 } } });
    expect((exported.ledger as { integrity: { checkpoint: string } }).integrity.checkpoint).toMatch(/^tessera\.wallet\/ledger\/\S+\n6\n\S+\n\n— /);
    expect((exported.credentials as unknown[]).length).toBe(1);
    expect((exported.grants as unknown[]).length).toBe(2);
    expect((exported.activity as unknown[]).length).toBe(6);
    expect(JSON.stringify(exported)).not.toMatch(/privateKeyHex|"d":/);
  });
});
