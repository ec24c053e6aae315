import { exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { parseDcApiRequest } from './openid4vp-request.ts';
import { createDidKey, didKeyResolver } from '../../../test/support/presentation/keys.ts';
import { createSignedDcApiRequest, signRequestObject } from '../../../test/support/presentation/verifier.ts';
import { protocolRefusal } from '../../../test/support/protocol-refusal.ts';

const ORIGIN = 'http://127.0.0.1:8080';
const OTHER_ORIGIN = 'http://127.0.0.2:8080';
const verifier = createDidKey();
const deps = () => ({ resolver: didKeyResolver, now: Date.now() });

const dcqlQuery = {
  credentials: [
    {
      id: 'pid',
      format: 'jwt_vc_json',
      meta: { type_values: [['ResidentCredential']] },
      claims: [{ path: ['credentialSubject', 'given_name'] }],
    },
  ],
};
const unsignedData = { response_type: 'vp_token', response_mode: 'dc_api', nonce: 'nonce-0001', dcql_query: dcqlQuery };
const signedPayload = { ...unsignedData, expected_origins: [ORIGIN] };

const unsigned = (data: unknown, origin = ORIGIN) => parseDcApiRequest({ protocol: 'openid4vp-v1-unsigned', data, origin }, deps());
const signed = (data: unknown, origin = ORIGIN) => parseDcApiRequest({ protocol: 'openid4vp-v1-signed', data, origin }, deps());

const refusal = protocolRefusal;

describe('unsigned requests (openid4vp-v1-unsigned)', () => {
  it('accepts a well-formed request, ignoring client_id and expected_origins', async () => {
    const parsed = await unsigned({ ...unsignedData, client_id: 'decentralized_identifier:did:example:x', expected_origins: ['https://x'] });
    expect(parsed).toMatchObject({
      protocol: 'openid4vp-v1-unsigned',
      origin: ORIGIN,
      nonce: 'nonce-0001',
      responseMode: 'dc_api',
      clientId: null,
      encryption: null,
    });
    expect(parsed.dcqlQuery.credentials[0]).toMatchObject({ id: 'pid', require_cryptographic_holder_binding: true, multiple: false });
  });

  it('refuses missing or wrong parameters with a precise invalid_request', async () => {
    const { response_type: _rt, ...noResponseType } = unsignedData;
    expect(await refusal(unsigned(noResponseType))).toBe('response_type is missing');
    expect(await refusal(unsigned({ ...unsignedData, response_type: 'code' }))).toBe('response_type must be vp_token, not code');
    expect(await refusal(unsigned({ ...unsignedData, response_mode: 'direct_post' }))).toBe(
      'response_mode must be dc_api or dc_api.jwt, not direct_post',
    );
    const { nonce: _n, ...noNonce } = unsignedData;
    expect(await refusal(unsigned(noNonce))).toBe('nonce is missing');
    const { dcql_query: _q, ...noQuery } = unsignedData;
    expect(await refusal(unsigned(noQuery))).toBe('dcql_query is missing');
    expect(await refusal(unsigned({ ...unsignedData, transaction_data: ['e30'] }))).toBe('transaction_data is not supported');
    expect(await refusal(unsigned('not an object'))).toBe('request data must be a JSON object');
  });

  it('names the problem in an invalid DCQL query', async () => {
    const bad = (query: unknown) => refusal(unsigned({ ...unsignedData, dcql_query: query }));
    expect(await bad({ credentials: [{ id: 'pid', format: 'ldp_vp', meta: {} }] })).toMatch(
      /^dcql_query: credentials\[0\]\.format: Invalid type: Expected .* but received "ldp_vp"$/,
    );
    expect(await bad({ credentials: [{ id: 'pid', format: 'jwt_vc_json', meta: {} }] })).toBe(
      'dcql_query: credentials[0].meta.type_values: Invalid key: Expected "type_values" but received undefined',
    );
    expect(await bad({ credentials: [] })).toBe('dcql_query: credentials: Array must be non-empty and have length of at least 1');
    expect(await bad({ credentials: [{ id: 'a b', format: 'dc+sd-jwt', meta: {} }] })).toMatch(/^dcql_query: credentials\[0\]\.id: Invalid format/);
    expect(
      await bad({
        credentials: [
          { id: 'pid', format: 'dc+sd-jwt', meta: {} },
          { id: 'pid', format: 'dc+sd-jwt', meta: {} },
        ],
      }),
    ).toBe('dcql_query: Duplicate credential query ids found: pid');
    expect(await bad({ credentials: [{ id: 'pid', format: 'dc+sd-jwt', meta: {} }], credential_sets: [{ options: [['other']] }] })).toBe(
      "dcql_query: Credential set contains undefined credential id 'other'",
    );
    expect(
      await bad({ credentials: [{ id: 'pid', format: 'dc+sd-jwt', meta: {}, claims: [{ id: 'a', path: ['x'] }], claim_sets: [['a', 'b']] }] }),
    ).toBe("dcql_query: credentials[0].claim_sets: claim id 'b' not defined in claims");
    expect(await bad('{"credentials":[]}')).toBe('dcql_query must be a JSON object');
  });

  it('dc_api.jwt: picks the verifier encryption key and enc, or refuses', async () => {
    const { publicKey } = await generateKeyPair('ECDH-ES', { crv: 'P-256' });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'enc-1', use: 'enc', alg: 'ECDH-ES' };
    const signingKey = { ...jwk, kid: 'sig-1', use: 'sig' };
    const parsed = await unsigned({
      ...unsignedData,
      response_mode: 'dc_api.jwt',
      client_metadata: { jwks: { keys: [signingKey, jwk] }, encrypted_response_enc_values_supported: ['A192GCM', 'A256GCM'] },
    });
    expect(parsed.encryption).toMatchObject({ alg: 'ECDH-ES', enc: 'A256GCM', kid: 'enc-1', jwk: { kty: 'EC', crv: 'P-256', x: jwk.x } });

    const defaultEnc = await unsigned({ ...unsignedData, response_mode: 'dc_api.jwt', client_metadata: { jwks: { keys: [jwk] } } });
    expect(defaultEnc.encryption?.enc).toBe('A128GCM');

    expect(await refusal(unsigned({ ...unsignedData, response_mode: 'dc_api.jwt' }))).toBe(
      'response_mode dc_api.jwt needs an encryption key in client_metadata.jwks',
    );
    const { alg: _alg, ...noAlg } = jwk;
    expect(await refusal(unsigned({ ...unsignedData, response_mode: 'dc_api.jwt', client_metadata: { jwks: { keys: [noAlg] } } }))).toMatch(
      /^client_metadata\.jwks has no usable encryption key/,
    );
    expect(
      await refusal(
        unsigned({
          ...unsignedData,
          response_mode: 'dc_api.jwt',
          client_metadata: { jwks: { keys: [jwk] }, encrypted_response_enc_values_supported: ['A192GCM'] },
        }),
      ),
    ).toBe('none of encrypted_response_enc_values_supported (A192GCM) is supported; use A128GCM or A256GCM');
  });
});

/** `{ a: { a: … } }` `depth` levels deep, built without recursion. */
function nestedObject(depth: number): Record<string, unknown> {
  const top: Record<string, unknown> = {};
  let at = top;
  for (let i = 1; i < depth; i++) {
    const next: Record<string, unknown> = {};
    at.a = next;
    at = next;
  }
  return top;
}

describe('bounds: what is stored with the approval stays small and shallow', () => {
  it('keeps of client_metadata only the encryption key and enc it uses', async () => {
    const { publicKey } = await generateKeyPair('ECDH-ES', { crv: 'P-256' });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'enc-1', alg: 'ECDH-ES', x5c: ['MIIB'.repeat(100)] };
    const clientMetadata = { jwks: { keys: [jwk] }, client_name: 'Verifier', logo_uri: 'https://v.example/logo.png', vp_formats_supported: { jwt_vc_json: {} } };
    for (const responseMode of ['dc_api', 'dc_api.jwt']) {
      const parsed = await unsigned({ ...unsignedData, response_mode: responseMode, client_metadata: clientMetadata });
      const stored = JSON.stringify(parsed);
      for (const dropped of ['client_name', 'logo_uri', 'vp_formats_supported', 'x5c', 'MIIB', 'clientMetadata']) expect(stored).not.toContain(dropped);
      expect(parsed.encryption === null).toBe(responseMode === 'dc_api');
    }
  });

  it('refuses 10,000-deep nesting anywhere in the request with invalid_request naming the field', async () => {
    const deep = nestedObject(10_000);
    expect(await refusal(unsigned({ ...unsignedData, client_metadata: deep }))).toBe(
      `data.client_metadata${'.a'.repeat(31)}: is nested deeper than 32 levels`,
    );
    expect(await refusal(unsigned({ ...unsignedData, extension: [deep] }))).toBe(`data.extension[0]${'.a'.repeat(30)}: is nested deeper than 32 levels`);
    const purposeQuery = { ...dcqlQuery, credential_sets: [{ options: [['pid']], purpose: deep }] };
    expect(await refusal(unsigned({ ...unsignedData, dcql_query: purposeQuery }))).toMatch(
      /^data\.dcql_query\.credential_sets\[0\]\.purpose(\.a)+: is nested deeper than 32 levels$/,
    );
    // Within the request bound but deeper than a DCQL query needs.
    const shallowerPurpose = { ...dcqlQuery, credential_sets: [{ options: [['pid']], purpose: nestedObject(10) }] };
    expect(await refusal(unsigned({ ...unsignedData, dcql_query: shallowerPurpose }))).toBe(
      `dcql_query.credential_sets[0].purpose${'.a'.repeat(5)}: is nested deeper than 8 levels`,
    );
  });

  it('refuses 100,000-element arrays and a request over 64 KiB with invalid_request', async () => {
    const many = Array.from({ length: 100_000 }, (_, i) => ({ id: `q${i}`, format: 'dc+sd-jwt' }));
    expect(await refusal(unsigned({ ...unsignedData, dcql_query: { credentials: many } }))).toBe(
      'data.dcql_query.credentials: has more than 1024 members',
    );
    const keys = Array.from({ length: 100_000 }, () => ({ kty: 'EC' }));
    expect(await refusal(unsigned({ ...unsignedData, response_mode: 'dc_api.jwt', client_metadata: { jwks: { keys } } }))).toBe(
      'data.client_metadata.jwks.keys: has more than 1024 members',
    );
    expect(await refusal(unsigned({ ...unsignedData, padding: 'x'.repeat(64 * 1024) }))).toBe('data: is too large (over 64 KiB as JSON)');
    expect(await refusal(unsigned({ ...unsignedData, nonce: 'n'.repeat(2049) }))).toBe('nonce is longer than 2048 characters');
  });

  it('bounds what a signed request object decodes to', async () => {
    const { request } = await createSignedDcApiRequest({ verifier, payload: { ...signedPayload, client_metadata: nestedObject(40) } });
    expect(await refusal(signed({ request }))).toBe(`request.client_metadata${'.a'.repeat(31)}: is nested deeper than 32 levels`);
  });
});

describe('signed requests (openid4vp-v1-signed), made by @openid4vc/openid4vp', () => {
  it('accepts a request signed by a decentralized_identifier verifier, from an expected origin', async () => {
    const data = await createSignedDcApiRequest({ verifier, payload: signedPayload });
    const parsed = await signed(data);
    expect(parsed).toMatchObject({ protocol: 'openid4vp-v1-signed', clientId: `decentralized_identifier:${verifier.did}`, nonce: 'nonce-0001' });
    // The outer client_id may also be absent.
    expect((await signed({ request: data.request })).clientId).toBe(`decentralized_identifier:${verifier.did}`);
  });

  it('refuses the same request replayed from an origin outside expected_origins', async () => {
    const data = await createSignedDcApiRequest({ verifier, payload: signedPayload });
    expect(await refusal(signed(data, OTHER_ORIGIN))).toBe(`origin ${OTHER_ORIGIN} is not in expected_origins`);
    // Plain string comparison: no normalisation (trailing slash, default port, case).
    expect(await refusal(signed(data, `${ORIGIN}/`))).toBe(`origin ${ORIGIN}/ is not in expected_origins`);
  });

  it('refuses a request without expected_origins (signed with jose: the library will not create one)', async () => {
    expect(await refusal(signed({ request: await signRequestObject(verifier, unsignedData) }))).toBe('signed request has no expected_origins');
    expect(await refusal(signed({ request: await signRequestObject(verifier, { ...unsignedData, expected_origins: [] }) }))).toBe(
      'expected_origins must be a non-empty array of strings',
    );
    // A request object not valid yet is refused too (exp rules: signed-request.test.ts).
    const nbf = Math.floor(Date.now() / 1000) + 3600;
    expect(await refusal(signed({ request: await signRequestObject(verifier, { ...signedPayload, nbf }) }))).toMatch(/^request object is not valid before /);
  });

  it('refuses a tampered signature or payload', async () => {
    const { request } = await createSignedDcApiRequest({ verifier, payload: signedPayload });
    const [header, payload, signature] = request.split('.') as [string, string, string];
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    expect(await refusal(signed({ request: `${header}.${payload}.${flipped}` }))).toBe('request object signature does not verify');

    const forged = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    forged.expected_origins = [OTHER_ORIGIN];
    const forgedPayload = Buffer.from(JSON.stringify(forged)).toString('base64url');
    expect(await refusal(signed({ request: `${header}.${forgedPayload}.${signature}` }, OTHER_ORIGIN))).toBe(
      'request object signature does not verify',
    );
  });

  it('refuses a request signed by a key of another DID', async () => {
    const impostor = createDidKey();
    const data = await createSignedDcApiRequest({
      verifier: { ...impostor, kid: verifier.kid },
      payload: { ...signedPayload, client_id: `decentralized_identifier:${verifier.did}` },
    });
    expect(await refusal(signed(data))).toBe('request object signature does not verify');
    const otherKid = await createSignedDcApiRequest({ verifier, payload: signedPayload, header: { kid: impostor.kid } });
    expect(await refusal(signed(otherKid))).toBe(`request object kid ${impostor.kid}: The key ${impostor.kid} does not belong to ${verifier.did}`);
  });

  it('refuses a wrong typ', async () => {
    const data = await createSignedDcApiRequest({ verifier, payload: signedPayload, header: { typ: 'JWT' } });
    expect(await refusal(signed(data))).toBe('request object typ must be oauth-authz-req+jwt');
  });

  it('refuses an expired request', async () => {
    const data = await createSignedDcApiRequest({ verifier, payload: signedPayload, expiresInSeconds: -60 });
    expect(await refusal(signed(data))).toMatch(/^request object expired at \d{4}-/);
  });

  it('refuses an outer client_id that differs from the signed one', async () => {
    const data = await createSignedDcApiRequest({ verifier, payload: signedPayload });
    expect(await refusal(signed({ ...data, client_id: 'decentralized_identifier:did:key:z6Mkother' }))).toBe(
      `client_id outside the request object (decentralized_identifier:did:key:z6Mkother) differs from the signed client_id (decentralized_identifier:${verifier.did})`,
    );
  });

  it('refuses client_id prefixes other than decentralized_identifier', async () => {
    const x509 = await createSignedDcApiRequest({ verifier, payload: { ...signedPayload, client_id: 'x509_san_dns:verifier.example' } });
    expect(await refusal(signed(x509))).toBe('client_id prefix x509_san_dns is not supported');
    const preRegistered = await createSignedDcApiRequest({ verifier, payload: { ...signedPayload, client_id: 'my-client' } });
    expect(await refusal(signed(preRegistered))).toBe('client_id my-client has no client identifier prefix; pre-registered clients are not supported');
  });

  it('validates the signed payload like an unsigned request', async () => {
    const data = await createSignedDcApiRequest({
      verifier,
      payload: { ...signedPayload, dcql_query: { credentials: [{ id: 'pid', format: 'jwt_vc_json', meta: {} }] } },
    });
    expect(await refusal(signed(data))).toBe(
      'dcql_query: credentials[0].meta.type_values: Invalid key: Expected "type_values" but received undefined',
    );
  });

  it('refuses a signed request without a request object', async () => {
    expect(await refusal(signed(unsignedData))).toBe('signed request has no request object (data.request)');
    expect(await refusal(signed({ request: 'a.b' }))).toBe('request object is not a compact JWS');
  });
});
