/**
 * The citizen journey, presenting: the city-services site (its own origin) asks through
 * the W3C Digital Credentials API for a name and an over-18 claim; the wallet shows the
 * site and each claim; the site receives a presentation bound to its origin and nonce
 * and verifies it with independent libraries (@sd-jwt/sd-jwt-vc, did-jwt-vc).
 * Signed requests made with @openid4vc/openid4vp are accepted; replayed, tampered or
 * mistyped ones, invalid DCQL and unsupported response modes are protocol errors
 * (`invalid_request`, no window); other protocols go to the browser untouched;
 * malformed calls are TypeErrors; a decline is NotAllowedError.
 *
 * One browser for the whole file. Set-up: the registry issues both credentials and the
 * wallet keeps them.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { CompactSign, importJWK } from 'jose';
import { requestInPage, waitForApprovalPage } from '../../scripts/lib/extension-browser.ts';
import { createEd25519Did } from '../../demo/registry/did-key.ts';
import { DEMO_RESIDENT, PID_VCT } from '../../demo/registry/issuer.ts';
import { SIGNED, UNSIGNED, dcqlQueryFor, type AuthorizationRequest } from '../../demo/city/requests.ts';
import { verifyJwtVcPresentation, verifySdJwtPresentation } from '../../demo/city/verifier.ts';
import { decodeJwtHeader, decodeJwtPayload } from '../../demo/verify.ts';
import { expectNoApprovalWindow, expectOk } from './support.ts';
import {
  closeStrayApprovals,
  dcGet,
  decide,
  decodeSdJwtPresentation,
  digital,
  expectDcOk,
  expectDcRejected,
  expectInvalidRequest,
  expectNoMatch,
  freshNonce,
  holdCredential,
  hostOf,
  makeSdJwtVc,
  newTestIssuer,
  issueOnRegistryPage,
  openPage,
  presentationsFor,
  startCitizenHarness,
  startDcGet,
  waitDcGet,
  type CitizenHarness,
} from './credential-support.ts';

let h: CitizenHarness;
let cityPage: Page;
let holder: string;
let pidId: string;
let residentId: string;
/** The PID presentation the site received in the journey (family_name withheld). */
let journey: { presentation: string; nonce: string };

beforeAll(async () => {
  h = await startCitizenHarness();
  const registryPage = await openPage(h.context, h.registry.url());
  holder = await issueOnRegistryPage(h.context, registryPage);
  const issued = h.registry.issuer.issued.filter((c) => c.holder === holder);
  const resident = issued.find((c) => c.kind === 'resident');
  const pid = issued.find((c) => c.kind === 'pid');
  if (!resident || !pid) throw new Error('the registry did not issue both credentials');
  residentId = await holdCredential(h.context, registryPage, resident.credential);
  pidId = await holdCredential(h.context, registryPage, pid.credential);
  await registryPage.close();
  cityPage = await openPage(h.context, h.city.url());
});

afterAll(async () => {
  await h?.close();
});

/** Clicks the city's "Verify with my digital ID" and returns the consent window. */
async function askFromCityPage(credential: 'pid' | 'resident', signed: boolean): Promise<Page> {
  await cityPage.getByTestId(`credential-${credential}`).check();
  await cityPage.getByTestId('signed-request').setChecked(signed);
  const approvalP = waitForApprovalPage(h.context);
  await cityPage.getByTestId('dc-request-button').click();
  const approval = await approvalP;
  await approval.getByTestId('approve').waitFor({ state: 'visible', timeout: 15_000 });
  return approval;
}

async function cityState(states: string[]): Promise<string> {
  await expect
    .poll(() => cityPage.getByTestId('dc-status').getAttribute('data-state'), { timeout: 30_000 })
    .toMatch(new RegExp(`^(${states.join('|')})$`));
  return (await cityPage.getByTestId('dc-status').getAttribute('data-state')) ?? '';
}

async function expectVerifiedOnPage(): Promise<void> {
  const state = await cityState(['verified', 'error', 'cancelled']);
  if (state !== 'verified') throw new Error(`the city did not verify: ${await cityPage.getByTestId('verify-error').textContent()}`);
  await cityPage.getByTestId('verified-claims').waitFor({ state: 'visible' });
}

function lastVerification() {
  const v = h.city.verifications.at(-1);
  if (!v) throw new Error('the city verified nothing');
  return v;
}

const checkbox = (approval: Page, path: string) => approval.getByTestId(`claim-${path}`);

describe('the citizen journey on the city site', () => {
  test('asked for a name and over-18, the wallet shows the site and each claim; with family_name withheld the site verifies the rest and never sees it', async () => {
    const approval = await askFromCityPage('pid', false);
    await expect.poll(() => approval.getByTestId('approval-origin').textContent()).toContain(hostOf(h.cityOrigin));
    expect(await approval.getByTestId('client-id').count()).toBe(0);
    for (const path of ['given_name', 'family_name', 'age_over_18']) {
      expect(await checkbox(approval, path).isChecked(), `${path} should be shared by default`).toBe(true);
      expect(await checkbox(approval, path).isEnabled(), `${path} can be withheld (SD-JWT)`).toBe(true);
    }
    // Claims not asked for may be listed (to add), but are not shared by default.
    for (const prefix of ['birthdate', 'nationalities']) {
      const boxes = approval.locator(`[data-testid^="claim-${prefix}"]`);
      for (let i = 0; i < (await boxes.count()); i++) expect(await boxes.nth(i).isChecked(), `${prefix} was not asked for`).toBe(false);
    }
    // The single matching credential answers (radios appear only when there is a choice).
    const candidates = approval.locator('[data-testid^="candidate-pid-"]');
    if ((await candidates.count()) > 0) expect(await approval.getByTestId(`candidate-pid-${pidId}`).isChecked()).toBe(true);

    await checkbox(approval, 'family_name').uncheck();
    expect(await checkbox(approval, 'family_name').isChecked()).toBe(false);
    await decide(approval, 'approve');

    await expectVerifiedOnPage();
    expect(await cityPage.getByTestId('verified-claim-given_name').textContent()).toBe('Mara');
    expect(await cityPage.getByTestId('verified-claim-age_over_18').textContent()).toBe('Yes');
    expect(await cityPage.getByTestId('verified-claim-family_name').count()).toBe(0);
    expect(await cityPage.getByTestId('withheld-claims').textContent()).toContain('Family name');

    // What the site received.
    const v = lastVerification();
    expect(v).toMatchObject({ ok: true, origin: h.cityOrigin, signed: false });
    const answer = v.answers?.[0];
    expect(answer).toMatchObject({ queryId: 'pid', format: 'dc+sd-jwt', issuer: h.registry.did, types: [PID_VCT], status: 'valid' });
    expect(Object.keys(answer?.claims ?? {}).sort()).toEqual(['age_over_18', 'given_name']);
    expect(answer?.missing).toEqual(['family_name']);
    const [presentation] = presentationsFor(v.response, 'pid') as [string];
    expect(JSON.stringify(v.response)).not.toContain('Quillfeather');
    const decoded = decodeSdJwtPresentation(presentation);
    expect(decoded.disclosedNames.sort()).toEqual(['age_over_18', 'given_name']);
    expect(decoded.issuerPayload.iss).toBe(h.registry.did);
    expect(decoded.kbHeader.typ).toBe('kb+jwt');
    expect(decoded.kbPayload).toMatchObject({ aud: `origin:${h.cityOrigin}`, nonce: answer?.nonce, sd_hash: decoded.expectedSdHash });
    expect(typeof decoded.kbPayload.iat).toBe('number');
    journey = { presentation, nonce: answer?.nonce ?? '' };
  });

  test('the presentation verifies with @sd-jwt/sd-jwt-vc, and fails for another nonce or another origin', async () => {
    const ok = await verifySdJwtPresentation(journey.presentation, {
      origin: h.cityOrigin,
      nonce: journey.nonce,
      trustedIssuers: [h.registry.did],
    });
    expect(ok.claims).toEqual({ given_name: 'Mara', age_over_18: true });
    await expect(verifySdJwtPresentation(journey.presentation, { origin: h.cityOrigin, nonce: freshNonce() })).rejects.toThrow(/nonce/i);
    await expect(verifySdJwtPresentation(journey.presentation, { origin: h.city.origin('localhost'), nonce: journey.nonce })).rejects.toThrow(/aud/i);
    await expect(verifySdJwtPresentation(journey.presentation, { origin: 'https://evil.example', nonce: journey.nonce })).rejects.toThrow(/aud/i);
    // Adding back a disclosure the holder withheld breaks the key binding's sd_hash.
    const pid = h.registry.issuer.issued.find((c) => c.holder === holder && c.kind === 'pid');
    const familyDisclosure = pid?.credential.split('~').find((d) => d && Buffer.from(d, 'base64url').toString('utf8').includes('family_name'));
    expect(familyDisclosure).toBeTruthy();
    const parts = journey.presentation.split('~');
    const widened = [...parts.slice(0, -1), familyDisclosure, parts.at(-1)].join('~');
    await expect(verifySdJwtPresentation(widened, { origin: h.cityOrigin, nonce: journey.nonce })).rejects.toThrow(/sd_hash/i);
    // And the site will not take it for a request of its own with another nonce.
    const other = await h.city.createRequest(h.cityOrigin, { credential: 'pid' });
    const replay = await h.city.verifyResponse(other.requestId, { vp_token: { pid: [journey.presentation] } }, h.cityOrigin);
    expect(replay.ok).toBe(false);
    expect(replay.error).toMatch(/nonce/i);
  });

  test('the resident card (jwt_vc_json): every claim it carries is listed, shared and fixed; the VP verifies with did-jwt-vc and not for another nonce or origin', async () => {
    const approval = await askFromCityPage('resident', false);
    await expect.poll(() => approval.getByTestId('approval-origin').textContent()).toContain(hostOf(h.cityOrigin));
    const candidates = approval.locator('[data-testid^="candidate-resident-"]');
    if ((await candidates.count()) > 0) expect(await approval.getByTestId(`candidate-resident-${residentId}`).isChecked()).toBe(true);
    for (const path of [
      'credentialSubject.given_name',
      'credentialSubject.family_name',
      'credentialSubject.age_over_18',
      'credentialSubject.birthdate', // not asked for, but the whole credential leaves
      'credentialSubject.address.locality',
    ]) {
      expect(await checkbox(approval, path).isChecked(), `${path} leaves with the credential`).toBe(true);
      expect(await checkbox(approval, path).isDisabled(), `${path} cannot be withheld in a JWT VC`).toBe(true);
    }
    await decide(approval, 'approve');
    await expectVerifiedOnPage();
    expect(await cityPage.getByTestId('verified-claim-family_name').textContent()).toBe('Quillfeather');
    expect(await cityPage.getByTestId('verified-claim-birthdate').count()).toBe(1);

    const v = lastVerification();
    const answer = v.answers?.[0];
    expect(answer).toMatchObject({ queryId: 'resident', format: 'jwt_vc_json', issuer: h.registry.did, holder, status: 'valid' });
    const [vp] = presentationsFor(v.response, 'resident') as [string];
    expect(decodeJwtHeader(vp).alg).toBe('EdDSA');
    const payload = decodeJwtPayload(vp);
    expect(payload).toMatchObject({ iss: holder, aud: `origin:${h.cityOrigin}`, nonce: answer?.nonce });
    const nonce = answer?.nonce ?? '';
    await verifyJwtVcPresentation(vp, { origin: h.cityOrigin, nonce, trustedIssuers: [h.registry.did] });
    await expect(verifyJwtVcPresentation(vp, { origin: h.cityOrigin, nonce: freshNonce() })).rejects.toThrow(/challenge|nonce/i);
    await expect(verifyJwtVcPresentation(vp, { origin: h.city.origin('localhost'), nonce })).rejects.toThrow(/aud|domain/i);
  });

  test('wallet_requestCredentials through window.tessera takes the same data and gives the same answer; the site accepts it once', async () => {
    const request = await h.city.createRequest(h.cityOrigin, { credential: 'pid' });
    const approvalP = waitForApprovalPage(h.context);
    const outcomeP = requestInPage(cityPage, { method: 'wallet_requestCredentials', params: request.data }, { timeoutMs: 60_000 });
    const approval = await approvalP;
    await expect.poll(() => approval.getByTestId('approval-origin').textContent()).toContain(hostOf(h.cityOrigin));
    await decide(approval, 'approve');
    const value = expectOk(await outcomeP);
    const [presentation] = presentationsFor(value, 'pid') as [string];
    expect(decodeSdJwtPresentation(presentation).disclosedNames.sort()).toEqual(['age_over_18', 'family_name', 'given_name']);
    const first = await h.city.verifyResponse(request.requestId, value, h.cityOrigin);
    expect(first.ok, first.error).toBe(true);
    expect(first.answers?.[0]?.claims).toEqual({ given_name: 'Mara', family_name: 'Quillfeather', age_over_18: true });
    const again = await h.city.verifyResponse(request.requestId, value, h.cityOrigin);
    expect(again.ok).toBe(false);
    expect(again.error).toMatch(/already used|unknown request/);
  });

  test('declining in the wallet → NotAllowedError; the site shows a cancelled flow', async () => {
    const approval = await askFromCityPage('pid', false);
    await decide(approval, 'reject');
    expect(await cityState(['cancelled', 'error', 'verified'])).toBe('cancelled');
    expect(await cityPage.getByTestId('verify-error').textContent()).toMatch(/cancelled/);

    const request = await h.city.createRequest(h.cityOrigin, { credential: 'resident' });
    const approvalP = waitForApprovalPage(h.context);
    const handle = await startDcGet(cityPage, digital(UNSIGNED, request.data));
    await decide(await approvalP, 'reject');
    expectDcRejected(await waitDcGet(handle), 'NotAllowedError');
  });
});

describe('signed requests (openid4vp-v1-signed)', () => {
  let plainOther: Page;
  beforeAll(async () => {
    plainOther = await openPage(h.context, h.city.url('localhost', '/plain'));
  });
  afterAll(async () => {
    await plainOther?.close();
    await closeStrayApprovals(h.context);
  });

  /** A JWS over `payload` by `key` with `header` (jose), for requests the library would not make. */
  async function signWithJose(payload: Record<string, unknown>, header: Record<string, unknown>, key = h.city.key): Promise<string> {
    const privateKey = await importJWK({ ...key.privateJwk }, 'EdDSA');
    return await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: 'EdDSA', ...header })
      .sign(privateKey);
  }

  function freshPayload(overrides: Partial<AuthorizationRequest> & Record<string, unknown> = {}): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    return {
      response_type: 'vp_token',
      response_mode: 'dc_api',
      client_id: h.city.clientId,
      expected_origins: [h.cityOrigin],
      nonce: freshNonce(),
      dcql_query: dcqlQueryFor('pid'),
      iat: now,
      exp: now + 300,
      ...overrides,
    };
  }

  test('a request signed with @openid4vc/openid4vp is accepted: the consent shows the verified client_id; the answer is still bound to the origin', async () => {
    const made = await h.city.createRequest(h.cityOrigin, { credential: 'pid', signed: true });
    const jws = made.data.request as string;
    expect(decodeJwtHeader(jws)).toMatchObject({ typ: 'oauth-authz-req+jwt', alg: 'EdDSA', kid: h.city.key.kid });
    expect(decodeJwtPayload(jws)).toMatchObject({ client_id: h.city.clientId, expected_origins: [h.cityOrigin], response_mode: 'dc_api' });

    const approval = await askFromCityPage('pid', true);
    await expect.poll(() => approval.getByTestId('client-id').textContent()).toContain(h.city.key.did);
    await decide(approval, 'approve');
    await expectVerifiedOnPage();
    const v = lastVerification();
    expect(v).toMatchObject({ ok: true, signed: true });
    const [presentation] = presentationsFor(v.response, 'pid') as [string];
    const kb = decodeSdJwtPresentation(presentation).kbPayload;
    expect(kb.aud).toBe(`origin:${h.cityOrigin}`); // never the client_id (OpenID4VP 1.0 §A.4)
  });

  test('replayed from an origin outside expected_origins → invalid_request, and no window', async () => {
    const made = await h.city.createRequest(h.cityOrigin, { credential: 'pid', signed: true });
    await expectNoApprovalWindow(h.context, async () => {
      // http://localhost:<city port> is the same server, but another origin.
      expectInvalidRequest(await dcGet(plainOther, digital(SIGNED, made.data)), /origin/i);
      // …and the registry's origin (another port).
      const registryPlain = await openPage(h.context, h.registry.url('127.0.0.1', '/plain'));
      expectInvalidRequest(await dcGet(registryPlain, digital(SIGNED, made.data)), /origin/i);
      await registryPlain.close();
    });
  });

  test('a tampered request (payload changed under the signature, or signature bytes changed) → invalid_request, and no window', async () => {
    const made = await h.city.createRequest(h.cityOrigin, { credential: 'pid', signed: true });
    const [header, payload, signature] = (made.data.request as string).split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    claims.expected_origins = [h.cityOrigin, h.city.origin('localhost')];
    const widened = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    const flipped = signature.slice(0, 20) + (signature[20] === 'A' ? 'B' : 'A') + signature.slice(21);
    await expectNoApprovalWindow(h.context, async () => {
      expectInvalidRequest(await dcGet(cityPage, digital(SIGNED, { request: widened })), /signature/i);
      expectInvalidRequest(await dcGet(plainOther, digital(SIGNED, { request: widened })));
      expectInvalidRequest(await dcGet(cityPage, digital(SIGNED, { request: `${header}.${payload}.${flipped}` })), /signature/i);
    });
  });

  test('a wrong or missing typ → invalid_request, and no window', async () => {
    await expectNoApprovalWindow(h.context, async () => {
      for (const typ of ['JWT', 'oauth-authz-req+jwt-not', undefined]) {
        const header = typ === undefined ? { kid: h.city.key.kid } : { typ, kid: h.city.key.kid };
        const jws = await signWithJose(freshPayload(), header);
        expectInvalidRequest(await dcGet(cityPage, digital(SIGNED, { request: jws })), /typ/i);
      }
    });
  });

  test('other failed checks (expired, kid of another DID, outer client_id differing, no expected_origins) → invalid_request, and no window', async () => {
    const stranger = createEd25519Did();
    const good = await signWithJose(freshPayload(), { typ: 'oauth-authz-req+jwt', kid: h.city.key.kid });
    const cases: { name: string; data: Record<string, unknown>; description?: RegExp }[] = [
      {
        name: 'expired',
        data: { request: await signWithJose(freshPayload({ exp: Math.floor(Date.now() / 1000) - 60 }), { typ: 'oauth-authz-req+jwt', kid: h.city.key.kid }) },
        description: /exp/i,
      },
      {
        name: 'signed by a key of another DID',
        data: { request: await signWithJose(freshPayload(), { typ: 'oauth-authz-req+jwt', kid: stranger.kid }, stranger) },
      },
      {
        name: "the client's kid, another key's signature",
        data: { request: await signWithJose(freshPayload(), { typ: 'oauth-authz-req+jwt', kid: h.city.key.kid }, stranger) },
        description: /signature/i,
      },
      { name: 'outer client_id differs', data: { request: good, client_id: `decentralized_identifier:${stranger.did}` }, description: /client_id/ },
      {
        name: 'no expected_origins',
        data: { request: await signWithJose(freshPayload({ expected_origins: undefined }), { typ: 'oauth-authz-req+jwt', kid: h.city.key.kid }) },
        description: /expected_origins/,
      },
    ];
    // Sanity: the same request, well formed, is accepted (a window opens; declined).
    const approvalP = waitForApprovalPage(h.context);
    const handle = await startDcGet(cityPage, digital(SIGNED, { request: good }));
    await decide(await approvalP, 'reject');
    expectDcRejected(await waitDcGet(handle), 'NotAllowedError');

    await expectNoApprovalWindow(h.context, async () => {
      for (const c of cases) {
        try {
          expectInvalidRequest(await dcGet(cityPage, digital(SIGNED, c.data)), c.description);
        } catch (error) {
          throw new Error(`${c.name}: ${(error as Error).message}`);
        }
      }
    });
  });
});

describe('protocol errors, malformed calls and other protocols', () => {
  test('invalid DCQL → invalid_request naming the problem, and no window', async () => {
    const base = { response_type: 'vp_token', response_mode: 'dc_api' };
    const pidQuery = dcqlQueryFor('pid').credentials[0];
    const cases: { name: string; data: Record<string, unknown>; description: RegExp }[] = [
      { name: 'no dcql_query', data: { ...base, nonce: freshNonce() }, description: /dcql_query/ },
      { name: 'no credential queries', data: { ...base, nonce: freshNonce(), dcql_query: { credentials: [] } }, description: /dcql_query.*credentials/ },
      {
        name: 'unknown format',
        data: { ...base, nonce: freshNonce(), dcql_query: { credentials: [{ ...pidQuery, format: 'pdf-scan' }] } },
        description: /dcql_query.*format/,
      },
      {
        name: 'claim path not an array',
        data: { ...base, nonce: freshNonce(), dcql_query: { credentials: [{ ...pidQuery, claims: [{ path: 'given_name' }] }] } },
        description: /dcql_query.*path/,
      },
      {
        name: 'claim_sets naming undefined claims',
        data: {
          ...base,
          nonce: freshNonce(),
          dcql_query: { credentials: [{ ...pidQuery, claims: [{ id: 'a', path: ['given_name'] }], claim_sets: [['a', 'zz']] }] },
        },
        description: /dcql_query.*claim/,
      },
    ];
    await expectNoApprovalWindow(h.context, async () => {
      for (const c of cases) {
        try {
          expectInvalidRequest(await dcGet(cityPage, digital(UNSIGNED, c.data)), c.description);
        } catch (error) {
          throw new Error(`${c.name}: ${(error as Error).message}`);
        }
      }
    });
  });

  test('an unsupported response_mode (dc_api.jwt without keys, direct_post) → invalid_request, and no window', async () => {
    await expectNoApprovalWindow(h.context, async () => {
      for (const mode of ['dc_api.jwt', 'direct_post']) {
        const data = { response_type: 'vp_token', response_mode: mode, nonce: freshNonce(), dcql_query: dcqlQueryFor('pid') };
        expectInvalidRequest(await dcGet(cityPage, digital(UNSIGNED, data)), /response_mode/);
      }
    });
  });

  test('another protocol goes to the browser\'s own navigator.credentials.get, untouched; Tessera does not answer', async () => {
    // Record what reaches the native implementation. If this script runs before the
    // wallet's hook is installed, the hook's "native" is the recorder.
    const page = await h.context.newPage();
    await page.addInitScript(`(() => {
      const c = navigator.credentials;
      if (!c) return;
      const original = c.get.bind(c);
      const calls = [];
      const recorder = function get(options) {
        try { calls.push(JSON.parse(JSON.stringify(options))); } catch { calls.push('unserialisable'); }
        return original(options);
      };
      Object.defineProperty(c, 'get', { value: recorder, writable: true, configurable: true });
      window.__nativeCalls = calls;
      window.__recorder = recorder;
    })()`);
    await page.goto(h.city.url('127.0.0.1', '/plain'));
    await page.waitForFunction('typeof window.tessera === "object" && window.tessera !== null');
    const walletWrapsRecorder = (await page.evaluate('navigator.credentials.get !== window.__recorder')) as boolean;
    const nativeCalls = async () => (await page.evaluate('window.__nativeCalls.length')) as number;

    const mdoc = digital('org-iso-mdoc', { deviceRequest: 'omMBZXZlcnNpb24=', encryptionInfo: 'gmVkY2FwaQ==' });
    const outcome = await expectNoApprovalWindow(h.context, () => dcGet(page, mdoc, { timeoutMs: 3_000 }));
    if (outcome.ok) {
      // Whatever the browser answers, it is not an answer from Tessera.
      const data = outcome.value?.data as { vp_token?: unknown; error?: unknown } | undefined;
      expect(data?.vp_token).toBeUndefined();
      expect(data?.error).toBeUndefined();
    } else if (!outcome.pending) {
      expect(outcome.error.name).not.toBe('UnknownError');
    }
    if (walletWrapsRecorder) {
      expect(await nativeCalls(), 'the org-iso-mdoc call reached the browser').toBe(1);
      expect(await page.evaluate('window.__nativeCalls[0]')).toEqual(mdoc);
      // …while an OpenID4VP call does not (Tessera answers it: here, a protocol error).
      expectInvalidRequest(await dcGet(page, digital(UNSIGNED, { response_type: 'vp_token', response_mode: 'dc_api', nonce: freshNonce() })));
      expect(await nativeCalls()).toBe(1);
    }
    await page.close();
  });

  test('a malformed call (no requests array, a request without protocol or data) → TypeError, and no window', async () => {
    const data = { response_type: 'vp_token', response_mode: 'dc_api', nonce: freshNonce(), dcql_query: dcqlQueryFor('pid') };
    const cases: { name: string; options: unknown }[] = [
      { name: 'digital without requests', options: { digital: {} } },
      { name: 'requests not an array', options: { digital: { requests: { protocol: UNSIGNED, data } } } },
      { name: 'a request without data', options: { digital: { requests: [{ protocol: UNSIGNED }] } } },
      { name: 'a request without protocol', options: { digital: { requests: [{ data }] } } },
    ];
    await expectNoApprovalWindow(h.context, async () => {
      for (const c of cases) {
        try {
          expectDcRejected(await dcGet(cityPage, c.options, { timeoutMs: 10_000 }), 'TypeError');
        } catch (error) {
          throw new Error(`${c.name}: ${(error as Error).message}`);
        }
      }
    });
  });

  test('no held credential matches → NotAllowedError', async () => {
    const query = dcqlQueryFor('pid');
    const other = { credentials: [{ ...query.credentials[0], meta: { vct_values: ['https://elsewhere.example/driving-licence'] } }] };
    await expectNoMatch(h.context, cityPage, digital(UNSIGNED, { response_type: 'vp_token', response_mode: 'dc_api', nonce: freshNonce(), dcql_query: other }));
  });
});

describe('a choice of credentials', () => {
  test('when two held credentials match, the consent window offers both; the one chosen answers', async () => {
    const second = await h.registry.issuer.issuePid(holder, { ...DEMO_RESIDENT, given_name: 'Marianne' });
    const registryPlain = await openPage(h.context, h.registry.url('127.0.0.1', '/plain'));
    const secondId = await holdCredential(h.context, registryPlain, second.credential);
    await registryPlain.close();

    const approval = await askFromCityPage('pid', false);
    const first = approval.getByTestId(`candidate-pid-${pidId}`);
    const other = approval.getByTestId(`candidate-pid-${secondId}`);
    await other.waitFor({ timeout: 10_000 });
    expect(await first.count()).toBe(1);
    expect(await approval.locator('[data-testid^="candidate-pid-"]').count()).toBe(2);
    await other.check();
    expect(await other.isChecked()).toBe(true);
    expect(await first.isChecked()).toBe(false);
    await decide(approval, 'approve');
    await expectVerifiedOnPage();
    expect(await cityPage.getByTestId('verified-claim-given_name').textContent()).toBe('Marianne');
    const [presentation] = presentationsFor(lastVerification().response, 'pid') as [string];
    expect(presentation.split('~')[0]).toBe(second.credential.split('~')[0]);
  });
});

describe('a status the wallet cannot check', () => {
  test('the consent window warns, and sharing needs accept-unknown-status', async () => {
    const issuer = newTestIssuer();
    const vct = 'https://issuer.example/credentials/library-card';
    const credential = await makeSdJwtVc(issuer, {
      holderDid: holder,
      vct,
      // A status list nobody serves: the wallet cannot confirm the credential is valid.
      claims: { given_name: 'Mara', card: 'LIB-7', status: { status_list: { idx: 3, uri: 'http://127.0.0.1:9/status/token' } } },
      disclose: ['given_name', 'card'],
    });
    const registryPlain = await openPage(h.context, h.registry.url('127.0.0.1', '/plain'));
    await holdCredential(h.context, registryPlain, credential);
    await registryPlain.close();

    const query = { credentials: [{ id: 'card', format: 'dc+sd-jwt', meta: { vct_values: [vct] }, claims: [{ path: ['card'] }] }] };
    const approvalP = waitForApprovalPage(h.context);
    const handle = await startDcGet(cityPage, digital(UNSIGNED, { response_type: 'vp_token', response_mode: 'dc_api', nonce: freshNonce(), dcql_query: query }));
    const approval = await approvalP;
    const accept = approval.getByTestId('accept-unknown-status');
    await accept.waitFor({ timeout: 15_000 });
    expect(await accept.isChecked()).toBe(false);
    expect(await approval.getByTestId('approve').isEnabled(), 'sharing a credential of unknown status needs the user\'s consent').toBe(false);
    await accept.check();
    await decide(approval, 'approve');
    const value = expectDcOk(await waitDcGet(handle));
    const [presentation] = presentationsFor(value.data, 'card') as [string];
    const decoded = decodeSdJwtPresentation(presentation);
    expect(decoded.disclosedNames).toEqual(['card']);
    expect(decoded.kbPayload.aud).toBe(`origin:${h.cityOrigin}`);
  });
});
