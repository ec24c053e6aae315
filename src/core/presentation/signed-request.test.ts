import { describe, expect, it } from 'vitest';
import { MAX_REQUEST_OBJECT_LIFETIME_SECONDS, verifyRequestObject } from './signed-request.ts';
import { createDidKey, didKeyResolver } from '../../../test/support/presentation/keys.ts';
import { createSignedDcApiRequest, signRequestObject } from '../../../test/support/presentation/verifier.ts';
import { protocolRefusal } from '../../../test/support/protocol-refusal.ts';

const ORIGIN = 'https://verifier.example';
const verifier = createDidKey();
const payload = {
  response_type: 'vp_token',
  response_mode: 'dc_api',
  nonce: 'nonce-0001',
  dcql_query: { credentials: [{ id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: ['urn:eu.europa.ec.eudi:pid:1'] } }] },
  expected_origins: [ORIGIN],
};

const verify = (request: string, now = Date.now()) => verifyRequestObject({ request }, { origin: ORIGIN, now, resolver: didKeyResolver });
/** A request object signed now with these time claims (undefined drops the claim). */
const signedWith = (times: { iat?: unknown; exp?: unknown; nbf?: unknown }) => signRequestObject(verifier, { ...payload, ...times });
const nowSeconds = () => Math.floor(Date.now() / 1000);

const refusal = protocolRefusal;

describe('signed request validity times', () => {
  it('accepts a request with iat now and a short exp, as the library makes it', async () => {
    const { request } = await createSignedDcApiRequest({ verifier, payload, expiresInSeconds: 300 });
    expect((await verify(request)).clientId).toBe(`decentralized_identifier:${verifier.did}`);
    const now = nowSeconds();
    await expect(verify(await signedWith({ iat: now, exp: now + MAX_REQUEST_OBJECT_LIFETIME_SECONDS }))).resolves.toBeTruthy();
  });

  it('refuses a request without exp', async () => {
    expect(await refusal(verify(await signedWith({ exp: undefined })))).toBe('request object has no exp');
    expect(await refusal(verify(await signedWith({ exp: undefined, iat: undefined })))).toBe('request object has no exp');
  });

  it('refuses a request valid for more than an hour after its iat', async () => {
    const now = nowSeconds();
    expect(await refusal(verify(await signedWith({ iat: now, exp: now + MAX_REQUEST_OBJECT_LIFETIME_SECONDS + 1 })))).toBe(
      'request object is valid for more than 60 minutes (exp - iat = 3601 s)',
    );
    // An old iat with a far exp is refused too, though "now" is inside the window.
    expect(await refusal(verify(await signedWith({ iat: now - 30 * 24 * 3600, exp: now + 60 })))).toMatch(/^request object is valid for more than 60 minutes/);
    const { request } = await createSignedDcApiRequest({ verifier, payload, expiresInSeconds: 2 * 3600 });
    expect(await refusal(verify(request))).toBe('request object is valid for more than 60 minutes (exp - iat = 7200 s)');
  });

  it('without iat, accepts an exp within the hour and refuses a later one', async () => {
    const now = nowSeconds();
    await expect(verify(await signedWith({ iat: undefined, exp: now + 600 }))).resolves.toBeTruthy();
    expect(await refusal(verify(await signedWith({ iat: undefined, exp: now + 2 * 3600 })))).toBe(
      'request object has no iat and expires more than 60 minutes from now',
    );
  });

  it('refuses an iat in the future beyond a minute of clock skew', async () => {
    const now = nowSeconds();
    await expect(verify(await signedWith({ iat: now + 30, exp: now + 300 }))).resolves.toBeTruthy();
    expect(await refusal(verify(await signedWith({ iat: now + 600, exp: now + 900 })))).toBe(
      `request object iat ${new Date((now + 600) * 1000).toISOString()} is in the future`,
    );
  });

  it('refuses expired requests and time claims that are not numbers, without crashing on huge ones', async () => {
    const now = nowSeconds();
    expect(await refusal(verify(await signedWith({ iat: now - 600, exp: now - 1 })))).toBe(
      `request object expired at ${new Date((now - 1) * 1000).toISOString()}`,
    );
    expect(await refusal(verify(await signedWith({ exp: String(now + 60) })))).toBe('request object exp must be a number');
    expect(await refusal(verify(await signedWith({ iat: 'now' })))).toBe('request object iat must be a number');
    expect(await refusal(verify(await signedWith({ nbf: null })))).toBe('request object nbf must be a number');
    expect(await refusal(verify(await signedWith({ nbf: 1e300 })))).toBe('request object is not valid before 1e+300 (seconds since 1970)');
    expect(await refusal(verify(await signedWith({ iat: 1e300, exp: 1e300 + 60 })))).toBe('request object iat 1e+300 (seconds since 1970) is in the future');
  });
});
