import { beforeEach, describe, expect, it } from 'vitest';
import type { DataAccessApprovalView } from '../../protocol/internal.ts';
import { createTestIssuer, issueJwtVc, type TestKey } from '../../../test/support/issuers.ts';
import { issueAccreditation, researchRequest, signRequesterVp } from '../../../test/support/research.ts';
import { rejection } from '../../../test/support/rejection.ts';
import { WalletDriver } from '../../../test/support/wallet-driver.ts';
import type { CredentialServices } from './credential-services.ts';
import type { Wallet } from './wallet.ts';

const REGISTRY = 'http://127.0.0.1:7001';
const PORTAL = 'http://127.0.0.1:7301';

let driver: WalletDriver;
let wallet: Wallet;
let services: CredentialServices;
let body: TestKey;

beforeEach(async () => {
  driver = await WalletDriver.created();
  ({ wallet } = driver);
  services = await wallet.credentials();
  body = await createTestIssuer();
});

const ledger = async (kind: string) => (await wallet.activity.list({ offset: 0, limit: 100, kind })).entries.map((e) => e.payload);

describe('the accreditation list', () => {
  it('adds and removes bodies, each change with its accreditor.changed entry', async () => {
    expect(await services.research.addAccreditor(` ${body.did} `, 'Aldmere Research Ethics Board')).toMatchObject([{ did: body.did, label: 'Aldmere Research Ethics Board' }]);
    expect(await services.research.accreditors()).toHaveLength(1);
    expect(await services.research.removeAccreditor(body.did)).toEqual([]);
    // Removing a body that is not on the list changes nothing and logs nothing.
    expect(await services.research.removeAccreditor(body.did)).toEqual([]);
    expect((await ledger('accreditor.changed')).reverse()).toEqual([
      { did: body.did, trusted: true },
      { did: body.did, trusted: false },
    ]);
  });

  it('refuses a DID or label that is not one, writing nothing', async () => {
    expect((await rejection(services.research.addAccreditor('not-a-did', 'Board'))).code).toBe('invalid_input');
    expect((await rejection(services.research.addAccreditor(body.did, '   '))).code).toBe('invalid_input');
    expect(await services.research.accreditors()).toEqual([]);
    expect(await ledger('accreditor.changed')).toEqual([]);
  });

  it('is apart from the credential issuers: a trusted issuer is not an accreditation body, nor the reverse', async () => {
    const { holdings } = services;
    await holdings.trustIssuer(body.did, 'Aldmere Research Ethics Board');
    const requester = await createTestIssuer();
    const accreditation = await issueAccreditation(body, requester.did, { origins: [PORTAL] });
    const nonce = 'research-nonce-0001';
    const vp = await signRequesterVp(requester, { origin: PORTAL, nonce, credentials: [accreditation] });
    const shown = driver.ports.presenter.nextApproval();
    const pending = services.dataAccess.request(PORTAL, driver.requestId(), researchRequest({ nonce, requester: vp }));
    pending.catch(() => undefined);
    const approvalId = await shown;
    const lookup = await wallet.desk.lookup(approvalId);
    const view = (lookup as { approval: DataAccessApprovalView }).approval;
    expect(view.requester).toMatchObject({ verified: false, reason: `The accreditation is issued by ${body.did}, which is not on your list of accreditation bodies.` });
    await wallet.desk.resolve(approvalId, 'reject');
    await services.research.addAccreditor(requester.did, 'Another board');
    expect((await (await wallet.session.require()).trust.list()).map((t) => t.did)).toEqual([body.did]);
    expect((await services.research.accreditors()).map((a) => a.did)).toEqual([requester.did]);
  });
});

describe('the data-category policy', () => {
  const categories = [
    { name: 'health', typePatterns: ['Health', 'Medical'] },
    { name: 'finance', typePatterns: ['Bank'] },
  ];

  it('starts with health, sensitive; a revision round-trips', async () => {
    const initial = await services.research.policy();
    expect(initial.sensitive).toEqual(['health']);
    expect(initial.categories.map((c) => c.name)).toEqual(['health']);
    expect(await services.research.setPolicy(categories, ['health', 'finance'])).toEqual({ categories, sensitive: ['health', 'finance'] });
    expect(await services.research.policy()).toEqual({ categories, sensitive: ['health', 'finance'] });
  });

  it('refuses a duplicate category or an undefined sensitive one, and keeps the policy as it was', async () => {
    await services.research.setPolicy(categories, ['health']);
    const duplicate = await rejection(services.research.setPolicy([...categories, { name: 'finance', typePatterns: ['Card'] }], ['health']));
    expect(duplicate).toEqual({ code: 'invalid_input', message: "categories: 'finance' is listed twice" });
    const undefinedSensitive = await rejection(services.research.setPolicy(categories, ['genetic']));
    expect(undefinedSensitive).toEqual({ code: 'invalid_input', message: "sensitive: 'genetic' is not one of the categories" });
    expect(await services.research.policy()).toEqual({ categories, sensitive: ['health'] });
  });

  it("sets a credential's categories by hand, refuses an unknown one, and goes back to automatic", async () => {
    const identity = await driver.login(REGISTRY);
    const jwt = await issueJwtVc(await createTestIssuer(), { subjectDid: identity.did, types: ['ResidentCredential'], claims: { given_name: 'Ada' } });
    const id = await driver.keepOffer(REGISTRY, jwt);
    expect(await services.research.setCredentialCategories(id, ['health'])).toMatchObject({ id, categories: ['health'], categoriesSetByUser: true });
    expect(await rejection(services.research.setCredentialCategories(id, ['astrology']))).toEqual({ code: 'invalid_input', message: "categories: 'astrology' is not a defined category" });
    expect((await services.holdings.list()).find((c) => c.id === id)).toMatchObject({ categories: ['health'], categoriesSetByUser: true });
    expect(await services.research.setCredentialCategories(id, null)).toMatchObject({ categories: [], categoriesSetByUser: false });
    expect((await rejection(services.research.setCredentialCategories('no-such-credential', ['health']))).code).toBe('not_found');
  });
});
