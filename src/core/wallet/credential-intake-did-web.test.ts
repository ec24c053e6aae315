import { beforeEach, describe, expect, it } from 'vitest';
import type { OfferApprovalView } from '../../protocol/internal.ts';
import { createTestKey, issueSdJwtVc, type TestIssuer } from '../../../test/support/issuers.ts';
import type { TestPorts } from '../../../test/support/test-ports.ts';
import { WalletDriver } from '../../../test/support/wallet-driver.ts';
import type { HttpResponse } from '../ports.ts';
import type { Wallet } from './wallet.ts';

const SITE = 'https://shop.example';
const DID = 'did:web:issuer.example.org:issuers:shop';
const DID_URL = 'https://issuer.example.org/issuers/shop/did.json';

let driver: WalletDriver;
let ports: TestPorts;
let wallet: Wallet;
let issuer: TestIssuer;
let holderJwk: JsonWebKey;

beforeEach(async () => {
  driver = await WalletDriver.created();
  ({ ports, wallet } = driver);
  await driver.login(SITE);
  holderJwk = await driver.siteHolderJwk(SITE);
  const key = await createTestKey({ keyType: 'P-256' });
  issuer = { ...key, did: DID, kid: `${DID}#key-1` };
  serveDocument({ id: DID, verificationMethod: [{ id: '#key-1', type: 'JsonWebKey2020', controller: DID, publicKeyJwk: key.publicJwk }], assertionMethod: ['#key-1'] });
});

/** The in-memory fetcher answers the DID document as application/did+json. */
function serveDocument(document: unknown): void {
  ports.fetcher.bodies.set(DID_URL, JSON.stringify(document));
  const plain = ports.fetcher.get.bind(ports.fetcher);
  ports.fetcher.get = async (url, limits, options): Promise<HttpResponse & { contentType: null }> => ({ ...(await plain(url, limits, options)), contentType: (url === DID_URL ? 'application/did+json' : null) as null, headers: {} });
}

const credential = () => issueSdJwtVc(issuer, { vct: 'https://shop.example/loyalty', holderJwk, claims: { level: 'gold' }, disclosable: [] });
const didFetches = () => ports.fetcher.requested.filter((url) => url === DID_URL).length;

async function disconnect(): Promise<void> {
  const grant = (await wallet.grants.listForSite(SITE))[0]!;
  await wallet.grants.revokeAsSite(SITE, grant.id);
}

/** Offers, reads the window, and checks nothing was fetched for the DID until the decision. */
async function offer(raw: string) {
  const shown = ports.presenter.nextApproval();
  const answer = (await wallet.credentials()).intake.offer(SITE, driver.requestId(), { credential: raw });
  answer.catch(() => undefined);
  const approvalId = await shown;
  const view = ((await wallet.desk.lookup(approvalId)) as { approval: OfferApprovalView }).approval;
  return { approvalId, view, answer, fetchesBeforeDecision: didFetches() };
}

describe('a site offers a credential from a did:web issuer', () => {
  it('a never-connected site: the issuer is resolved only on acceptance, then verified and kept', async () => {
    await disconnect();
    const { approvalId, view, answer, fetchesBeforeDecision } = await offer(await credential());
    expect(fetchesBeforeDecision).toBe(0);
    expect(view.credential.issuer).toBe(DID);
    expect(view.credential.issuerCheck).toBe('when-accepted');
    await wallet.desk.resolve(approvalId, 'approve');
    const { id } = await answer;
    expect(didFetches()).toBe(1);
    const kept = (await (await wallet.credentials()).holdings.list()).find((c) => c.id === id);
    expect(kept).toMatchObject({ issuer: DID });
    expect(kept?.issuerCheck).toBeUndefined();
  });

  it('a never-connected site: a document with a wrong id refuses the credential on acceptance and keeps nothing', async () => {
    await disconnect();
    serveDocument({ id: 'did:web:elsewhere.example', verificationMethod: [] });
    const { approvalId, answer, fetchesBeforeDecision } = await offer(await credential());
    expect(fetchesBeforeDecision).toBe(0);
    await wallet.desk.resolve(approvalId, 'approve').catch(() => undefined);
    await expect(answer).rejects.toThrow('invalid credential');
    expect(await (await wallet.credentials()).holdings.list()).toEqual([]);
  });

  it('a connected site: the issuer is resolved before the window', async () => {
    const { view, fetchesBeforeDecision } = await offer(await credential());
    expect(fetchesBeforeDecision).toBe(1);
    expect(view.credential.issuerCheck).toBeUndefined();
  });

  it('the holder’s import says precisely why a did:web issuer is refused', async () => {
    serveDocument({ id: 'did:web:elsewhere.example', verificationMethod: [] });
    await expect((await wallet.credentials()).intake.importCredential(await credential())).rejects.toThrow(
      `Cannot resolve ${DID}: invalidDidDocument: the document at ${DID_URL} is for "did:web:elsewhere.example", not ${DID}`,
    );
  });
});
