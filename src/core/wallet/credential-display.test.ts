import { createHash } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { OfferApprovalView } from '../../protocol/internal.ts';
import { createTestIssuer, issueSdJwtVc, type TestIssuer } from '../../../test/support/issuers.ts';
import type { TestPorts } from '../../../test/support/test-ports.ts';
import { WalletDriver } from '../../../test/support/wallet-driver.ts';
import type { Wallet } from './wallet.ts';

const REGISTRY = 'http://127.0.0.1:7001';
const VCT = 'http://127.0.0.1:7001/types/pid';
const metadata = JSON.stringify({
  vct: VCT,
  display: [{ locale: 'en', name: 'Person ID', rendering: { simple: { background_color: '#12107c', text_color: '#ffffff' } } }],
  claims: [{ path: ['given_name'], display: [{ locale: 'en', label: 'Given name' }], sd: 'always' }],
});
const integrity = (text: string) => `sha256-${createHash('sha256').update(text).digest('base64')}`;

let driver: WalletDriver;
let ports: TestPorts;
let wallet: Wallet;
let issuer: TestIssuer;
let holderJwk: JsonWebKey;

beforeEach(async () => {
  driver = await WalletDriver.created();
  ({ ports, wallet } = driver);
  await driver.login(REGISTRY);
  holderJwk = await driver.siteHolderJwk(REGISTRY);
  issuer = await createTestIssuer();
});

const pid = (claims: Record<string, unknown> = {}, disclosable = ['given_name']) =>
  issueSdJwtVc(issuer, { vct: VCT, holderJwk, claims: { given_name: 'Ada', ...claims }, disclosable });

/** Offers a credential, hands back the offer window's view, then approves it. */
async function offerAndApprove(credential: string): Promise<{ view: OfferApprovalView; id: string }> {
  const shown = ports.presenter.nextApproval();
  const kept = (await wallet.credentials()).intake.offer(REGISTRY, driver.requestId(), { credential });
  const approvalId = await shown;
  const view = ((await wallet.desk.lookup(approvalId)) as { approval: OfferApprovalView }).approval;
  await wallet.desk.resolve(approvalId, 'approve');
  return { view, id: (await kept).id };
}

const held = async (id: string) => (await (await wallet.credentials()).holdings.list()).find((c) => c.id === id);

describe('credential display from type metadata', () => {
  it('shows a connected site\'s offer with its labels and keeps the display', async () => {
    ports.fetcher.bodies.set(VCT, metadata);
    const { view, id } = await offerAndApprove(await pid({ 'vct#integrity': integrity(metadata) }));
    expect(view.credential.display?.claims).toEqual([{ path: ['given_name'], labels: [{ locale: 'en', label: 'Given name' }] }]);
    const kept = await held(id);
    expect(kept?.display).toEqual({ source: 'type-metadata', cards: [{ locale: 'en', name: 'Person ID', backgroundColor: '#12107c', textColor: '#ffffff' }], claims: view.credential.display?.claims });
    expect(kept?.displayNotes).toBeUndefined();
  });

  it('fetches nothing for a site that is not connected until the holder accepts', async () => {
    ports.fetcher.bodies.set(VCT, metadata);
    const grant = (await wallet.grants.listForSite(REGISTRY))[0]!;
    await wallet.grants.revokeAsSite(REGISTRY, grant.id);
    const { view, id } = await offerAndApprove(await pid());
    expect(view.credential.display).toBeUndefined();
    expect(ports.fetcher.requested.filter((u) => u === VCT)).toHaveLength(1); // at acceptance only
    expect((await held(id))?.display?.cards[0]?.name).toBe('Person ID');
  });

  it('keeps a credential whose metadata fails its integrity, without the metadata and with the reason', async () => {
    ports.fetcher.bodies.set(VCT, metadata);
    const { view, id } = await offerAndApprove(await pid({ 'vct#integrity': integrity('{"substituted":true}') }));
    expect(view.credential.display).toBeUndefined();
    const kept = await held(id);
    expect(kept?.display).toBeUndefined();
    expect(kept?.displayNotes).toEqual([expect.stringContaining(`${VCT} does not match its integrity`)]);
  });

  it('keeps a credential whose metadata cannot be fetched, and one whose claims break its sd rules, with notes', async () => {
    const unreachable = await offerAndApprove(await pid());
    expect((await held(unreachable.id))?.displayNotes).toEqual([expect.stringContaining('unreachable')]);
    ports.fetcher.bodies.set(VCT, metadata);
    const plain = await offerAndApprove(await pid({}, []));
    expect((await held(plain.id))?.displayNotes).toEqual(['given_name should be selectively disclosable by its type, but arrived always shown']);
  });

  it('reads type metadata on the dashboard import too', async () => {
    ports.fetcher.bodies.set(VCT, metadata);
    const view = await (await wallet.credentials()).intake.importCredential(await pid());
    expect(view.display?.cards[0]?.name).toBe('Person ID');
  });
});
