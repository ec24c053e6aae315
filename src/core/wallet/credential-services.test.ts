import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { digest } from '@sd-jwt/crypto-nodejs';
import { verifyPresentation } from 'did-jwt-vc';
import { Resolver } from 'did-resolver';
import { getResolver as getKeyDidResolver } from 'key-did-resolver';
import { importJWK, jwtVerify } from 'jose';
import { beforeEach, describe, expect, it } from 'vitest';
import type { CredentialsApprovalView, OfferApprovalView } from '../../protocol/internal.ts';
import { createTestIssuer, issueJwtVc, issueSdJwtVc, withTamperedSignature, type TestIssuer } from '../../../test/support/issuers.ts';
import { rejection } from '../../../test/support/rejection.ts';
import type { TestPorts } from '../../../test/support/test-ports.ts';
import { WalletDriver } from '../../../test/support/wallet-driver.ts';
import type { Wallet } from './wallet.ts';

const REGISTRY = 'http://127.0.0.1:7001';
const CITY = 'http://127.0.0.1:7002';
const resolver = new Resolver(getKeyDidResolver());

let driver: WalletDriver;
let ports: TestPorts;
let wallet: Wallet;
let issuer: TestIssuer;
let holderDid: string;
let holderJwk: JsonWebKey;
const requestId = () => driver.requestId();
const offer = (credential: string) => driver.keepOffer(REGISTRY, credential);

const pidQuery = (claims: string[][]) => ({
  response_type: 'vp_token',
  response_mode: 'dc_api',
  nonce: 'city-nonce-123456',
  dcql_query: { credentials: [{ id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: ['urn:eudi:pid:1'] }, claims: claims.map((path) => ({ path })) }] },
});

/** A one-time request for the resident card, as the city asks for it. */
const residentRequest = {
  response_type: 'vp_token',
  response_mode: 'dc_api',
  nonce: 'city-nonce-999999',
  dcql_query: { credentials: [{ id: 'resident', format: 'jwt_vc_json', meta: { type_values: [['ResidentCredential']] } }] },
};

beforeEach(async () => {
  driver = await WalletDriver.created();
  ({ ports, wallet } = driver);
  // The registry learns the holder's pairwise DID first, as a real issuer would.
  holderDid = (await driver.login(REGISTRY)).did;
  holderJwk = await driver.siteHolderJwk(REGISTRY);
  issuer = await createTestIssuer();
});

describe('receiving credentials', () => {
  it('verifies an offer, shows it, and keeps it on approval', async () => {
    const credential = await issueJwtVc(issuer, {
      subjectDid: holderDid,
      types: ['ResidentCredential'],
      claims: { given_name: 'Ada', family_name: 'Lovelace', age_over_18: true },
    });
    const shown = ports.presenter.nextApproval();
    const kept = (await wallet.credentials()).intake.offer(REGISTRY, requestId(), { credential });
    const approvalId = await shown;
    const lookup = await wallet.desk.lookup(approvalId);
    expect(lookup.state).toBe('pending');
    const view = (lookup as { approval: OfferApprovalView }).approval;
    expect(view.credential).toMatchObject({ format: 'jwt_vc_json', issuer: issuer.did, issuerTrusted: false, holderDid });
    expect(view.credential.claims.map((c) => c.path.join('.'))).toContain('credentialSubject.given_name');
    await wallet.desk.resolve(approvalId, 'approve');
    const { id } = await kept;
    const held = await (await wallet.credentials()).holdings.list();
    expect(held.map((c) => c.id)).toEqual([id]);
  });

  it('refuses a tampered credential at once, opening nothing and storing nothing', async () => {
    const credential = await issueJwtVc(issuer, { subjectDid: holderDid, claims: { given_name: 'Ada' } });
    const refused = await rejection((await wallet.credentials()).intake.offer(REGISTRY, requestId(), { credential: withTamperedSignature(credential) }));
    expect(refused.code).toBe('invalid_credential');
    expect(refused.message).toBe('invalid credential');
    expect(ports.presenter.opened).toHaveLength(1); // only the identity approval of beforeEach
    expect(await (await wallet.credentials()).holdings.list()).toEqual([]);
  });

  it('refuses a credential bound to a DID the wallet does not hold', async () => {
    const stranger = await createTestIssuer();
    const credential = await issueJwtVc(issuer, { subjectDid: stranger.did, claims: { given_name: 'Eve' } });
    expect(await rejection((await wallet.credentials()).intake.offer(REGISTRY, requestId(), { credential }))).toEqual({
      code: 'invalid_credential',
      message: 'invalid credential',
    });
  });

  it("cannot be used to probe which DIDs the wallet holds: another site's DID gets the answer a stranger's gets", async () => {
    // CITY is not connected; REGISTRY's DID is held by the wallet, but CITY may only bind to its own.
    const { intake } = await wallet.credentials();
    const boundToRegistry = await issueJwtVc(issuer, { subjectDid: holderDid, claims: { given_name: 'Ada' } });
    const boundToStranger = await issueJwtVc(issuer, { subjectDid: (await createTestIssuer()).did, claims: { given_name: 'Ada' } });
    const tampered = withTamperedSignature(boundToRegistry);
    const answers = await Promise.all([boundToRegistry, boundToStranger, tampered].map((credential) => rejection(intake.offer(CITY, requestId(), { credential }))));
    expect(new Set(answers.map((a) => JSON.stringify(a)))).toEqual(new Set([JSON.stringify({ code: 'invalid_credential', message: 'invalid credential' })]));
    expect(ports.presenter.opened.length).toBe(1); // only REGISTRY's login in beforeEach
    // The dashboard import, the holder's own action, stays precise and binds to any of the wallet's DIDs.
    await expect(intake.importCredential(boundToStranger)).rejects.toThrow(/does not hold/);
    await expect(intake.importCredential(boundToRegistry)).resolves.toMatchObject({ holderDid });
  });

  it('checks for a pending offer before verifying, so a bad offer cannot tell a pending one from a refusal', async () => {
    const { intake } = await wallet.credentials();
    const good = await issueJwtVc(issuer, { subjectDid: holderDid, claims: { given_name: 'Ada' } });
    const shown = ports.presenter.nextApproval();
    const first = intake.offer(REGISTRY, requestId(), { credential: good });
    const approvalId = await shown;
    expect((await rejection(intake.offer(REGISTRY, requestId(), { credential: 'garbage' }))).code).toBe('pending');
    await wallet.desk.resolve(approvalId, 'reject');
    expect((await rejection(first)).code).toBe('user_rejected');
  });

  it('flags unknown issuers and trusts listed ones', async () => {
    const id = await offer(await issueJwtVc(issuer, { subjectDid: holderDid, claims: { given_name: 'Ada' } }));
    const unlocked = await wallet.session.require();
    await unlocked.trust.add(issuer.did, 'Civic Registry');
    const [view] = await (await wallet.credentials()).holdings.list();
    expect(view).toMatchObject({ id, issuerTrusted: true, issuerLabel: 'Civic Registry' });
  });
});

describe('presenting credentials', () => {
  beforeEach(async () => {
    await offer(
      await issueSdJwtVc(issuer, {
        vct: 'urn:eudi:pid:1',
        holderJwk,
        claims: { given_name: 'Ada', family_name: 'Lovelace', age_over_18: true, birthdate: '1815-12-10' },
        disclosable: ['given_name', 'family_name', 'age_over_18', 'birthdate'],
      }),
    );
  });

  it('answers a DCQL request with only the chosen disclosures and a key-binding JWT for the origin and nonce', async () => {
    const shown = ports.presenter.nextApproval();
    const answer = (await wallet.credentials()).presentation.request(CITY, requestId(), 'openid4vp-v1-unsigned', pidQuery([['given_name'], ['age_over_18']]));
    const approvalId = await shown;
    const lookup = (await wallet.desk.lookup(approvalId)) as { approval: CredentialsApprovalView };
    const [query] = lookup.approval.queries;
    const candidate = query!.candidates[0]!;
    expect(candidate.claims.filter((c) => c.requested).map((c) => c.path.join('.')).sort()).toEqual(['age_over_18', 'given_name']);
    // The user withholds age_over_18.
    await wallet.desk.resolve(approvalId, 'approve', {
      queries: { pid: { credentialId: candidate.credential.id, claims: [['given_name']] } },
    });
    const result = (await answer) as { vp_token: Record<string, string[]> };
    const presentation = result.vp_token.pid![0]!;
    const verifier = new SDJwtVcInstance({
      hasher: digest,
      verifier: async (data, signature) => {
        const jwk = await importJWK(issuer.publicJwk, 'EdDSA');
        return (await jwtVerify(`${data}.${signature}`, jwk).then(() => true).catch(() => false)) as boolean;
      },
      kbVerifier: async (data, signature, payload) => {
        const cnf = (payload as { cnf: { jwk: JsonWebKey } }).cnf.jwk;
        return jwtVerify(`${data}.${signature}`, await importJWK(cnf, 'EdDSA')).then(() => true, () => false);
      },
    });
    const verified = await verifier.verify(presentation, { requiredClaimKeys: ['given_name'], keyBindingNonce: 'city-nonce-123456' });
    expect(verified.payload.given_name).toBe('Ada');
    expect(verified.payload).not.toHaveProperty('age_over_18');
    expect(verified.kb?.payload).toMatchObject({ aud: `origin:${CITY}`, nonce: 'city-nonce-123456' });
  });

  it('answers invalid_request without a window for an invalid DCQL query', async () => {
    const opened = ports.presenter.opened.length;
    const data = { ...pidQuery([['given_name']]), dcql_query: { credentials: [{ id: 'pid', format: 'nope' }] } };
    const result = await (await wallet.credentials()).presentation.request(CITY, requestId(), 'openid4vp-v1-unsigned', data);
    expect(result).toMatchObject({ error: 'invalid_request' });
    expect((result as { error_description: string }).error_description).toMatch(/format/);
    expect(ports.presenter.opened.length).toBe(opened);
  });

  it('asks the user even when nothing matches, and the decline is a plain 4001', async () => {
    const shown = ports.presenter.nextApproval();
    const data = { ...pidQuery([['given_name']]), dcql_query: { credentials: [{ id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: ['urn:other'] } }] } };
    const answer = (await wallet.credentials()).presentation.request(CITY, requestId(), 'openid4vp-v1-unsigned', data);
    const approvalId = await shown;
    const lookup = (await wallet.desk.lookup(approvalId)) as { approval: CredentialsApprovalView };
    expect(lookup.approval.queries[0]?.candidates).toEqual([]);
    await wallet.desk.resolve(approvalId, 'reject');
    expect((await rejection(answer)).code).toBe('user_rejected');
  });

  it('fetches nothing while a request or an offer is merely on screen; the status is checked once the user approves', async () => {
    const listUrl = 'http://127.0.0.1:7001/status/never-fetched-before-consent';
    const status = [{ kind: 'bitstring' as const, purpose: 'revocation' as const, index: 7, listUrl }];
    const jwt = await issueJwtVc(issuer, { subjectDid: holderDid, types: ['ResidentCredential'], claims: { given_name: 'Ada' }, status });
    const { intake, presentation } = await wallet.credentials();
    // The offer comes from a site whose grant has ended: verified and shown, not fetched.
    const registryGrant = (await wallet.grants.listForSite(REGISTRY))[0]!;
    await wallet.grants.revokeAsSite(REGISTRY, registryGrant.id);
    const shownOffer = ports.presenter.nextApproval();
    const kept = intake.offer(REGISTRY, requestId(), { credential: jwt });
    const offerId = await shownOffer;
    const offerView = (await wallet.desk.lookup(offerId)) as { approval: OfferApprovalView };
    expect(offerView.approval.credential.status).toMatchObject({ state: 'unknown', reason: 'checked when you accept it' });
    await wallet.desk.lookup(offerId);
    expect(ports.fetcher.requested.filter((u) => u === listUrl)).toEqual([]);
    await wallet.desk.resolve(offerId, 'approve');
    const { id } = await kept;
    expect(ports.fetcher.requested.filter((u) => u === listUrl)).toHaveLength(1);
    // A request from a site: viewing it many times fetches nothing; approving re-checks.
    const before = ports.fetcher.requested.length;
    const shown = ports.presenter.nextApproval();
    const data = residentRequest;
    const answer = presentation.request(CITY, requestId(), 'openid4vp-v1-unsigned', data);
    const approvalId = await shown;
    for (let i = 0; i < 3; i++) await wallet.desk.lookup(approvalId);
    expect(ports.fetcher.requested.length).toBe(before);
    await wallet.desk.resolve(approvalId, 'approve', { queries: { resident: { credentialId: id, claims: [] } }, acceptUnknownStatus: true });
    expect(ports.fetcher.requested.length).toBeGreaterThan(before);
    await answer;
  });

  it('shares a credential whose status is unknown only after the user accepts the warning', async () => {
    const jwt = await issueJwtVc(issuer, {
      subjectDid: holderDid,
      types: ['ResidentCredential'],
      claims: { given_name: 'Ada' },
      status: [{ kind: 'bitstring', purpose: 'revocation', index: 5, listUrl: 'http://127.0.0.1:7001/status/unreachable' }],
    });
    const id = await offer(jwt);
    const shown = ports.presenter.nextApproval();
    const data = residentRequest;
    const answer = (await wallet.credentials()).presentation.request(CITY, requestId(), null, data);
    const approvalId = await shown;
    const lookup = (await wallet.desk.lookup(approvalId)) as { approval: CredentialsApprovalView };
    expect(lookup.approval.queries[0]?.candidates[0]?.credential.status.state).toBe('unknown');
    const selection = { queries: { resident: { credentialId: id, claims: [['credentialSubject', 'given_name']] } } };
    await expect(wallet.desk.resolve(approvalId, 'approve', selection)).rejects.toThrow(/confirm the warning/);
    await wallet.desk.resolve(approvalId, 'approve', { ...selection, acceptUnknownStatus: true });
    const result = (await answer) as { vp_token: Record<string, string[]> };
    const vp = await verifyPresentation(result.vp_token.resident![0]!, resolver, { challenge: 'city-nonce-999999', domain: `origin:${CITY}` });
    expect(vp.verified).toBe(true);
    await expect(verifyPresentation(result.vp_token.resident![0]!, resolver, { challenge: 'other-nonce', domain: `origin:${CITY}` })).rejects.toThrow();
  });
});

describe("the Veramo agent's data store", () => {
  it('is the same encrypted repository: the agent saves (verifying), reads and deletes what the wallet holds', async () => {
    const unlocked = await wallet.session.require();
    const agent = (await unlocked.agent()) as unknown as {
      dataStoreSaveVerifiableCredential(args: { verifiableCredential: unknown }): Promise<string>;
      dataStoreGetVerifiableCredential(args: { hash: string }): Promise<Record<string, unknown>>;
      dataStoreDeleteVerifiableCredential(args: { hash: string }): Promise<boolean>;
    };
    const jwt = await issueJwtVc(issuer, { subjectDid: holderDid, types: ['ResidentCredential'], claims: { given_name: 'Ada' } });
    const hash = await agent.dataStoreSaveVerifiableCredential({ verifiableCredential: { proof: { type: 'JwtProof2020', jwt } } });
    expect((await unlocked.credentials.get(hash))?.raw).toBe(jwt);
    const vc = await agent.dataStoreGetVerifiableCredential({ hash });
    expect(vc).toMatchObject({ credentialSubject: { id: holderDid, given_name: 'Ada' }, proof: { jwt } });
    await expect(
      agent.dataStoreSaveVerifiableCredential({ verifiableCredential: { proof: { type: 'JwtProof2020', jwt: withTamperedSignature(jwt) } } }),
    ).rejects.toThrow(/signature/i);
    expect(await agent.dataStoreDeleteVerifiableCredential({ hash })).toBe(true);
    expect(await unlocked.credentials.get(hash)).toBeUndefined();
  });
});
