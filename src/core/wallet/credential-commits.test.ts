/**
 * A credential change and the ledger entry that records it are one transaction
 * (DESIGN.md §4): a worker stopped between the two can never leave a credential the log
 * does not know of, or a log entry for a change that did not land.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createTestIssuer, issueJwtVc, type TestIssuer } from '../../../test/support/issuers.ts';
import type { TestPorts } from '../../../test/support/test-ports.ts';
import { WalletDriver } from '../../../test/support/wallet-driver.ts';
import type { WriteOp } from '../ports.ts';
import type { Wallet } from './wallet.ts';

const REGISTRY = 'http://127.0.0.1:7001';

let driver: WalletDriver;
let ports: TestPorts;
let wallet: Wallet;
let issuer: TestIssuer;
let holderDid: string;
let writes: WriteOp[][];

beforeEach(async () => {
  driver = await WalletDriver.created();
  ({ ports, wallet } = driver);
  holderDid = (await driver.login(REGISTRY)).did;
  issuer = await createTestIssuer();
  writes = [];
  const original = ports.store.write.bind(ports.store);
  ports.store.write = async (ops) => {
    writes.push([...ops]);
    return original(ops);
  };
});

/** The store writes that touched `collection`. */
const writesTo = (collection: string) => writes.filter((ops) => ops.some((op) => op.collection === collection));
const alsoLedger = (ops: WriteOp[]) => ops.some((op) => op.collection === 'ledger');

describe('credential changes commit with their ledger entries', () => {
  it('receiving: the credential page and the credential.received entry are one write', async () => {
    const credential = await issueJwtVc(issuer, { subjectDid: holderDid, types: ['LibraryCard'], claims: { member: 'A-1' } });
    const { intake, holdings } = await wallet.credentials();
    // The first read of an empty wallet writes its (empty) page directory: not a change.
    await holdings.list();
    writes = [];
    await intake.importCredential(credential);
    const touched = writesTo('credentials');
    expect(touched).toHaveLength(1);
    expect(touched.every(alsoLedger)).toBe(true);
  });

  it('deleting: the page and the credential.deleted entry are one write', async () => {
    const credential = await issueJwtVc(issuer, { subjectDid: holderDid, types: ['LibraryCard'], claims: { member: 'A-2' } });
    const { intake, holdings } = await wallet.credentials();
    const kept = await intake.importCredential(credential);
    writes = [];
    await holdings.delete(kept.id);
    const touched = writesTo('credentials');
    expect(touched).toHaveLength(1);
    expect(alsoLedger(touched[0]!)).toBe(true);
  });

  it('trusting and distrusting an issuer: the trust record and the trust.changed entry are one write', async () => {
    const { holdings } = await wallet.credentials();
    await holdings.trustIssuer(issuer.did, 'Registry');
    await holdings.distrustIssuer(issuer.did);
    const touched = writesTo('trust');
    expect(touched).toHaveLength(2);
    expect(touched.every(alsoLedger)).toBe(true);
    // Distrusting an issuer that is not trusted writes nothing and logs nothing.
    writes = [];
    await holdings.distrustIssuer(issuer.did);
    expect(writes).toEqual([]);
  });

  it('a failed write leaves neither the credential nor its entry', async () => {
    const credential = await issueJwtVc(issuer, { subjectDid: holderDid, types: ['LibraryCard'], claims: { member: 'A-3' } });
    const { intake, holdings } = await wallet.credentials();
    const ledgerBefore = await (await wallet.session.require()).ledger.size();
    const original = ports.store.write;
    ports.store.write = async (ops) => {
      if (ops.some((op) => op.collection === 'credentials')) throw new Error('disk full');
      return original(ops);
    };
    await expect(intake.importCredential(credential)).rejects.toThrow();
    ports.store.write = original;
    expect(await holdings.list()).toEqual([]);
    expect(await (await wallet.session.require()).ledger.size()).toBe(ledgerBefore);
  });
});
