/**
 * did:web issuers over HTTPS on loopback: a test CA made at run time
 * (test/support/test-ca.ts), the browser trusting it by SPKI, DID documents served by
 * node:https. A credential from a did:web issuer offered by the registry (a connected
 * site) is kept and verified; a document with a wrong id, and one served over plain
 * http, are refused with the precise reason in the dashboard's import. A signed
 * OpenID4VP request whose client_id is a did:web on the page's own HTTPS host is
 * verified (its window opens); one naming a did:web on another host is refused
 * before any window, without a fetch.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { ed25519 } from '@noble/curves/ed25519';
import { CompactSign, importJWK } from 'jose';
import { SIGNED } from '../../demo/city/requests.ts';
import { requestInPage, waitForApprovalPage } from '../../scripts/lib/extension-browser.ts';
import { startDocumentServer, type TestDocumentServer } from '../support/https-test-server.ts';
import { makeTestCertificates } from '../support/test-ca.ts';
import { expectOk } from './support.ts';
import {
  decide,
  digital,
  dcGet,
  expectDcRejected,
  expectInvalidRequest,
  freshNonce,
  startDcGet,
  waitDcGet,
  issueOnRegistryPage,
  makeJwtVc,
  newTestIssuer,
  openDashboard,
  openPage,
  startCitizenHarness,
  type CitizenHarness,
  type TestIssuer,
} from './credential-support.ts';

let h: CitizenHarness;
let https: TestDocumentServer;
let http: TestDocumentServer;
let registryPage: Page;
let holder: string;

const encodedHost = (server: TestDocumentServer) => `127.0.0.1%3A${server.port}`;

/** A did:web issuer whose Ed25519 key (JsonWebKey2020) is published at `server`'s `path`; `id` overrides the document's id. */
function webIssuer(server: TestDocumentServer, segments: string[], id?: string): TestIssuer {
  const key = newTestIssuer();
  const did = ['did:web', encodedHost(server), ...segments].join(':');
  const kid = `${did}#key-1`;
  const x = Buffer.from(ed25519.getPublicKey(key.secretKey)).toString('base64url');
  server.serve(`/${segments.join('/')}/did.json`, {
    body: JSON.stringify({
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
      id: id ?? did,
      verificationMethod: [{ id: kid, type: 'JsonWebKey2020', controller: did, publicKeyJwk: { kty: 'OKP', crv: 'Ed25519', x } }],
      assertionMethod: [kid],
    }),
    headers: { 'cache-control': 'max-age=300' },
  });
  return { ...key, did, kid };
}

beforeAll(async () => {
  const certificates = makeTestCertificates();
  https = await startDocumentServer(certificates);
  http = await startDocumentServer();
  h = await startCitizenHarness({ args: [`--ignore-certificate-errors-spki-list=${certificates.spkiHashes.join(',')}`] });
  registryPage = await openPage(h.context, h.registry.url());
  holder = await issueOnRegistryPage(h.context, registryPage);
});

afterAll(async () => {
  await h?.close();
  await https?.close();
  await http?.close();
});

async function importInDashboard(credential: string): Promise<string> {
  const dashboard = await openDashboard(h);
  try {
    await dashboard.getByTestId('import-credential-text').fill(credential);
    await dashboard.getByTestId('import-credential').click();
    await expect.poll(() => dashboard.getByTestId('import-result').textContent(), { timeout: 15_000 }).toMatch(/\S/);
    return (await dashboard.getByTestId('import-result').textContent()) ?? '';
  } finally {
    await dashboard.close();
  }
}

describe('did:web issuers', () => {
  test('a site offers a credential from a did:web issuer served over HTTPS: it is resolved, verified and kept', async () => {
    const issuer = webIssuer(https, ['issuers', 'library']);
    const credential = await makeJwtVc(issuer, { subject: holder });
    const approvalP = waitForApprovalPage(h.context);
    const outcomeP = requestInPage<{ id: string }>(registryPage, { method: 'wallet_offerCredential', params: { credential } }, { timeoutMs: 30_000 });
    const approval = await approvalP;
    await expect.poll(() => approval.getByTestId('offer-issuer').textContent(), { timeout: 15_000 }).toContain(issuer.did);
    await decide(approval, 'approve');
    const { id } = expectOk(await outcomeP);
    expect(https.requested).toContain('/issuers/library/did.json');
    const dashboard = await openDashboard(h);
    await expect.poll(() => dashboard.getByTestId(`credential-status-${id}`).count(), { timeout: 15_000 }).toBe(1);
    await dashboard.close();
  });

  test('a document whose id is another DID is refused, and the import says so', async () => {
    const issuer = webIssuer(https, ['issuers', 'impostor'], `did:web:${encodedHost(https)}:issuers:someone-else`);
    const text = await importInDashboard(await makeJwtVc(issuer, { subject: holder }));
    expect(text).toMatch(/Not imported/);
    expect(text).toContain(`is for "did:web:${encodedHost(https)}:issuers:someone-else", not ${issuer.did}`);
  });

  test('a document served over plain http is never read: did:web is https only', async () => {
    const issuer = webIssuer(http, ['issuers', 'plain']);
    const text = await importInDashboard(await makeJwtVc(issuer, { subject: holder }));
    expect(text).toMatch(/Not imported/);
    expect(text).toContain(`https://127.0.0.1:${http.port}/issuers/plain/did.json could not be fetched`);
    expect(http.requested).toEqual([]);
  });
});

describe('did:web verifiers (signed OpenID4VP requests)', () => {
  /** A request object for the held library card, signed by `verifier` as its client. */
  async function signedRequest(verifier: TestIssuer, origin: string): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      response_type: 'vp_token',
      response_mode: 'dc_api',
      client_id: `decentralized_identifier:${verifier.did}`,
      expected_origins: [origin],
      nonce: freshNonce(),
      dcql_query: { credentials: [{ id: 'card', format: 'jwt_vc_json', meta: { type_values: [['LibraryCardCredential']] }, claims: [{ path: ['credentialSubject', 'given_name'] }] }] },
      iat: now,
      exp: now + 300,
    };
    const key = await importJWK({ kty: 'OKP', crv: 'Ed25519', x: Buffer.from(ed25519.getPublicKey(verifier.secretKey)).toString('base64url'), d: Buffer.from(verifier.secretKey).toString('base64url') }, 'EdDSA');
    return await new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ alg: 'EdDSA', typ: 'oauth-authz-req+jwt', kid: verifier.kid }).sign(key);
  }

  test('a client_id did:web on the page’s own host is resolved and the request verified; one on another host is refused before any window', async () => {
    https.serve('/verify', { body: '<!doctype html><title>Verifier</title><p>verifier</p>', contentType: 'text/html' });
    const page = await openPage(h.context, `${https.origin}/verify`);
    const verifier = webIssuer(https, ['verifiers', 'library']);
    const approvalP = waitForApprovalPage(h.context);
    const handle = await startDcGet(page, digital(SIGNED, { request: await signedRequest(verifier, https.origin) }));
    await decide(await approvalP, 'reject');
    expectDcRejected(await waitDcGet(handle), 'NotAllowedError');
    expect(https.requested).toContain('/verifiers/library/did.json');

    const elsewhere = webIssuer(http, ['verifiers', 'elsewhere']);
    const outcome = await dcGet(page, digital(SIGNED, { request: await signedRequest(elsewhere, https.origin) }));
    expect(http.requested).toEqual([]);
    expectInvalidRequest(outcome, /is not on https:\/\/127\.0\.0\.1:\d+'s host, so it is not resolved before you decide/);
    await page.close();
  });
});
