/**
 * did:web issuers, end to end: the issuer's key is in a did.json served over real HTTPS
 * on loopback (a test CA made with openssl at test time, trusted by this Chromium
 * through its SPKI hash), and the holder imports its credential in the dashboard.
 * - a document whose `id` is the DID: the credential is verified and kept;
 * - a document whose `id` is another DID: refused, naming both;
 * - a did:web whose host speaks only plain http: refused, and the wallet never fell
 *   back to http (the http server saw no request);
 * - offered by a site that is not connected (its login revoked): nothing is fetched
 *   before the decision (the window says the issuer is checked on accepting); on
 *   approval the document is fetched, the signature checked and the credential kept;
 * - a signed OpenID4VP request (DC API) whose client_id is a did:web of the page's own
 *   host is verified against that document and its window names the client; the same
 *   client_id asked from a page of another host is refused before any fetch.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ed25519 } from '@noble/curves/ed25519';
import { CompactSign, importJWK } from 'jose';
import { SIGNED } from '../../demo/city/requests.ts';
import { approveIn, requestIdentity, requestInPage, waitForApprovalPage } from '../../scripts/lib/extension-browser.ts';
import { createTestCa, startHttpsTestServer, type HttpsTestServer } from '../support/loopback-ca.ts';
import { decide, digital, expectDcRejected, expectInvalidRequest, dcGet, makeJwtVc, startDcGet, waitDcGet, type TestIssuer } from './credential-support.ts';
import { expectOk, openDashboard, openSite, type Harness, startHarness } from './support.ts';

/** Documents the HTTPS server serves, by path. */
const documents = new Map<string, unknown>();
let https: HttpsTestServer;
let plainHttp: Server;
let plainHttpRequests = 0;
let h: Harness;
let dashboard: Page;
let holderDid: string;

/** An Ed25519 issuer whose DID is `did` (its key `#key-1`), and its DID document. */
function didWebIssuer(did: string): { issuer: TestIssuer; document: (id?: string) => unknown } {
  const secretKey = ed25519.utils.randomSecretKey();
  const kid = `${did}#key-1`;
  const x = Buffer.from(ed25519.getPublicKey(secretKey)).toString('base64url');
  const issuer: TestIssuer = {
    did,
    kid,
    secretKey,
    sign: (data) => Buffer.from(ed25519.sign(new TextEncoder().encode(data), secretKey)).toString('base64url'),
  };
  const document = (id = did) => ({
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
    id,
    verificationMethod: [{ id: kid, type: 'JsonWebKey2020', controller: did, publicKeyJwk: { kty: 'OKP', crv: 'Ed25519', x } }],
    assertionMethod: [kid],
  });
  return { issuer, document };
}

async function importCredential(credential: string): Promise<string> {
  await dashboard.getByTestId('import-credential-text').fill(credential);
  await dashboard.getByTestId('import-credential').click();
  const result = dashboard.getByTestId('import-result');
  await expect.poll(async () => (await result.textContent())?.trim() ?? '', { timeout: 20_000 }).not.toBe('');
  return (await result.textContent()) ?? '';
}

beforeAll(async () => {
  const ca = createTestCa();
  https = await startHttpsTestServer(ca, (req, res) => {
    if (req.url === '/verifier-page') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>verifier</title><p>verifier</p>');
      return;
    }
    const document = documents.get(req.url ?? '');
    if (!document) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/did+json', 'cache-control': 'max-age=60' }).end(JSON.stringify(document));
  });
  plainHttp = createServer((_req, res) => {
    plainHttpRequests++;
    res.writeHead(500).end();
  });
  await new Promise<void>((resolve) => plainHttp.listen(0, '127.0.0.1', resolve));
  h = await startHarness({ serverCount: 1, onboarded: true, args: [ca.chromiumArg] });
  const site = await openSite(h.context, h.servers[0]!.url('127.0.0.1', '/plain'));
  const pending = requestIdentity(site);
  await approveIn(await waitForApprovalPage(h.context));
  holderDid = expectOk(await pending).did;
  dashboard = await openDashboard(h);
}, 90_000);

afterAll(async () => {
  await h?.close();
  await https?.close();
  await new Promise<void>((resolve) => (plainHttp ? plainHttp.close(() => resolve()) : resolve()));
});

describe('a did:web issuer', () => {
  test('whose document at /.well-known/did.json is its own: the imported credential is verified and kept', async () => {
    const did = `did:web:127.0.0.1%3A${https.port}`;
    const { issuer, document } = didWebIssuer(did);
    documents.set('/.well-known/did.json', document());
    const credential = await makeJwtVc(issuer, { subject: holderDid, types: ['VerifiableCredential', 'GuildMembership'], claims: { member: 'M-77' } });

    const result = await importCredential(credential);
    expect(result).not.toMatch(/Not imported/);
    const card = dashboard.locator('[data-testid^="credential-"]', { hasText: 'GuildMembership' }).first();
    await card.waitFor({ timeout: 15_000 });
    expect(https.requests).toContain('/.well-known/did.json');
  });

  test('whose document (at a path) names another DID: refused with both DIDs, nothing kept', async () => {
    const did = `did:web:127.0.0.1%3A${https.port}:guilds:impostor`;
    const { issuer, document } = didWebIssuer(did);
    const other = `did:web:127.0.0.1%3A${https.port}:guilds:real`;
    documents.set('/guilds/impostor/did.json', document(other));
    const before = await dashboard.locator('[data-testid^="credential-status-"]').count();
    const credential = await makeJwtVc(issuer, { subject: holderDid, types: ['VerifiableCredential', 'ImpostorCard'], claims: { member: 'X-1' } });

    const result = await importCredential(credential);
    expect(result).toMatch(/Not imported/);
    expect(result).toContain(`/guilds/impostor/did.json`);
    expect(result).toContain(other);
    expect(result).toContain(`not ${did}`);
    expect(https.requests).toContain('/guilds/impostor/did.json');
    expect(await dashboard.locator('[data-testid^="credential-status-"]').count()).toBe(before);
    expect(await dashboard.locator('[data-testid^="credential-"]', { hasText: 'ImpostorCard' }).count()).toBe(0);
  });

  test('whose host serves plain http only: refused as unfetchable, never fetched over http', async () => {
    const { port } = plainHttp.address() as AddressInfo;
    const did = `did:web:127.0.0.1%3A${port}`;
    const { issuer } = didWebIssuer(did);
    const credential = await makeJwtVc(issuer, { subject: holderDid, types: ['VerifiableCredential', 'PlainCard'], claims: { member: 'P-1' } });

    const result = await importCredential(credential);
    expect(result).toMatch(/Not imported/);
    expect(result).toContain(`https://127.0.0.1:${port}/.well-known/did.json`);
    expect(plainHttpRequests).toBe(0);
  });
});

describe('a did:web issuer of a credential a site offers', () => {
  test('a site that is not connected: the document is fetched only once the holder accepts', async () => {
    // The site logs in (so the wallet holds a DID for it), then gives its grant up: no longer connected.
    const site = await openSite(h.context, h.servers[0]!.url('localhost', '/plain'));
    const login = requestIdentity(site);
    await approveIn(await waitForApprovalPage(h.context));
    const siteDid = expectOk(await login).did;
    type Grant = { id: string; kind: string; status: string };
    const grants = expectOk(await requestInPage<Grant[]>(site, { method: 'wallet_getGrants' }));
    for (const grant of grants.filter((g) => g.status === 'active')) {
      expectOk(await requestInPage(site, { method: 'wallet_revokeGrant', params: { grantId: grant.id } }));
    }

    const did = `did:web:127.0.0.1%3A${https.port}:offers`;
    const { issuer, document } = didWebIssuer(did);
    documents.set('/offers/did.json', document());
    const credential = await makeJwtVc(issuer, { subject: siteDid, types: ['VerifiableCredential', 'OfferedPass'], claims: { pass: 'O-9' } });
    const approvalP = waitForApprovalPage(h.context);
    const outcome = requestInPage<{ id: string }>(site, { method: 'wallet_offerCredential', params: { credential } }, { timeoutMs: 30_000 });
    const approval = await approvalP;
    await approval.getByTestId('issuer-check-deferred').waitFor({ timeout: 15_000 });
    expect(await approval.getByTestId('offer-issuer').textContent()).toContain(did);
    expect(https.requests).not.toContain('/offers/did.json');

    await approveIn(approval);
    const { id } = expectOk(await outcome);
    expect(https.requests).toContain('/offers/did.json');
    await dashboard.reload();
    await dashboard.getByTestId(`credential-${id}`).waitFor({ timeout: 15_000 });
  });
});

describe('a verifier whose client_id is a did:web', () => {
  async function signedRequest(origin: string, path: string): Promise<{ jws: string; did: string }> {
    const did = `did:web:127.0.0.1%3A${https.port}:${path}`;
    const { issuer, document } = didWebIssuer(did);
    documents.set(`/${path}/did.json`, document());
    const publicJwk = (document() as { verificationMethod: { publicKeyJwk: Record<string, string> }[] }).verificationMethod[0]!.publicKeyJwk;
    const key = await importJWK({ ...publicJwk, d: Buffer.from(issuer.secretKey).toString('base64url') }, 'EdDSA');
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      response_type: 'vp_token',
      response_mode: 'dc_api',
      client_id: `decentralized_identifier:${did}`,
      expected_origins: [origin],
      nonce: Buffer.from(ed25519.utils.randomSecretKey()).toString('base64url'),
      dcql_query: {
        credentials: [{ id: 'guild', format: 'jwt_vc_json', meta: { type_values: [['GuildMembership']] }, claims: [{ path: ['credentialSubject', 'member'] }] }],
      },
      iat: now,
      exp: now + 300,
    };
    const jws = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: 'EdDSA', typ: 'oauth-authz-req+jwt', kid: issuer.kid })
      .sign(key);
    return { jws, did };
  }

  test('on the page\'s own host: resolved over https, the window names the verified client', async () => {
    const page = await openSite(h.context, https.url('/verifier-page'));
    const { jws, did } = await signedRequest(`https://${https.host}`, 'verifier');
    const approvalP = waitForApprovalPage(h.context);
    const handle = await startDcGet(page, digital(SIGNED, { request: jws }));
    const approval = await approvalP;
    await expect.poll(() => approval.getByTestId('client-id').textContent(), { timeout: 15_000 }).toContain(did);
    expect(https.requests).toContain('/verifier/did.json');
    await decide(approval, 'reject');
    expectDcRejected(await waitDcGet(handle), 'NotAllowedError');
    await page.close();
  });

  test('asked from a page of another host: refused before any fetch', async () => {
    const origin = h.servers[0]!.url('127.0.0.1', '/plain');
    const page = await openSite(h.context, origin);
    const { jws } = await signedRequest(new URL(origin).origin, 'elsewhere');
    expectInvalidRequest(await dcGet(page, digital(SIGNED, { request: jws })), /before you decide/);
    expect(https.requests).not.toContain('/elsewhere/did.json');
    await page.close();
  });
});
