import { parseOpenid4vpAuthorizationResponse, type Openid4vpAuthorizationRequestDcApi } from '@openid4vc/openid4vp';
import { decodeSdJwt } from '@sd-jwt/decode';
import { digest } from '@sd-jwt/crypto-nodejs';
import { DcqlPresentationResult } from 'dcql';
import { verifyCredential, verifyPresentation } from 'did-jwt-vc';
import { compactDecrypt, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CredentialRecord } from '../credentials/types.ts';
import { matchDcql } from './dcql-match.ts';
import { SelectionError } from './errors.ts';
import { parseDcApiRequest, type ParsedRequest } from './openid4vp-request.ts';
import { createSdJwtIssuer, issueJwtVcRecord, issueSdJwtVcRecord, type SdJwtIssuer } from '../../../test/support/presentation/credentials.ts';
import { createDidKey, didKeyResolver } from '../../../test/support/presentation/keys.ts';
import { buildVpToken, createVpToken, type PresentationArgs } from './vp-token.ts';

const ORIGIN = 'http://127.0.0.1:8080';
const PID = 'urn:eu.europa.ec.eudi:pid:1';
const issuerKey = createDidKey();
const holder = createDidKey();
let sdIssuer: SdJwtIssuer;
let resident: CredentialRecord;
let resident2: CredentialRecord;
let pid: CredentialRecord;

const signerFor: PresentationArgs['signerFor'] = (binding) => {
  if (binding.kid !== holder.kid) throw new Error(`unexpected key ${binding.kid}`);
  return holder.signer();
};

function parse(data: Record<string, unknown>): Promise<ParsedRequest> {
  return parseDcApiRequest(
    { protocol: 'openid4vp-v1-unsigned', origin: ORIGIN, data: { response_type: 'vp_token', response_mode: 'dc_api', nonce: 'nonce-0001', ...data } },
    { resolver: didKeyResolver, now: Date.now() },
  );
}

const residentQuery = (extra: Record<string, unknown> = {}) => ({
  id: 'resident',
  format: 'jwt_vc_json',
  meta: { type_values: [['ResidentCredential']] },
  claims: [{ path: ['credentialSubject', 'given_name'] }],
  ...extra,
});
const pidQuery = (extra: Record<string, unknown> = {}) => ({
  id: 'pid',
  format: 'dc+sd-jwt',
  meta: { vct_values: [PID] },
  claims: [{ path: ['given_name'] }, { path: ['address', 'locality'] }],
  ...extra,
});

beforeAll(async () => {
  resident = await issueJwtVcRecord({
    issuer: issuerKey,
    holder,
    types: ['ResidentCredential'],
    subject: { given_name: 'Ada', family_name: 'Lovelace', age_over_18: true },
  });
  resident2 = await issueJwtVcRecord({ issuer: issuerKey, holder, types: ['ResidentCredential'], subject: { given_name: 'Ada' } });
  sdIssuer = await createSdJwtIssuer();
  pid = await issueSdJwtVcRecord({
    issuer: sdIssuer,
    holder,
    vct: PID,
    claims: {
      given_name: 'Ada',
      family_name: 'Lovelace',
      birthdate: '1815-12-10',
      address: { street_address: '12 St James Square', locality: 'London', country: 'GB' },
      nationalities: ['GB', 'FR'],
    },
    disclosureFrame: {
      _sd: ['given_name', 'family_name', 'birthdate', 'address', 'nationalities'],
      _sd_decoy: 2,
      address: { _sd: ['street_address', 'locality', 'country'] },
      nationalities: { _sd: [0, 1], _sd_decoy: 1 },
    },
    disclosable: () => true,
  });
});

/** Verifies an SD-JWT VC presentation as a verifier would (issuer signature, KB-JWT, nonce, sd_hash). */
async function verifySdJwt(presentation: string, nonce = 'nonce-0001') {
  const result = await sdIssuer.instance.verify(presentation, { keyBindingNonce: nonce });
  return { claims: result.payload as Record<string, unknown>, kb: result.kb };
}

describe('createVpToken: jwt_vc_json', () => {
  it('wraps the credential in a VP JWT that did-jwt-vc verifies for this nonce and origin only', async () => {
    const request = await parse({ dcql_query: { credentials: [residentQuery()] } });
    const vpToken = await createVpToken({ request, choices: [{ queryId: 'resident', record: resident }], signerFor, now: Date.now() });
    expect(Object.keys(vpToken)).toEqual(['resident']);
    expect(vpToken.resident).toHaveLength(1);
    const vp = vpToken.resident![0]!;

    const verified = await verifyPresentation(vp, didKeyResolver, { challenge: 'nonce-0001', domain: `origin:${ORIGIN}` });
    expect(verified.verified).toBe(true);
    expect(verified.issuer).toBe(holder.did);
    const payload = decodeJwt(vp);
    expect(payload.aud).toBe(`origin:${ORIGIN}`); // one string, not an array
    expect(payload).toMatchObject({ iss: holder.did, nonce: 'nonce-0001', vp: { type: ['VerifiablePresentation'], holder: holder.did, verifiableCredential: [resident.raw] } });
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(300);
    expect(decodeProtectedHeader(vp)).toEqual({ alg: 'EdDSA', typ: 'JWT', kid: holder.kid });
    // The credential inside is the issuer's, untouched, and bound to the presenting DID.
    const inner = await verifyCredential(resident.raw, didKeyResolver);
    expect(inner.payload.sub).toBe(holder.did);

    await expect(verifyPresentation(vp, didKeyResolver, { challenge: 'nonce-9999', domain: `origin:${ORIGIN}` })).rejects.toThrow(/challenge|nonce/i);
    await expect(verifyPresentation(vp, didKeyResolver, { challenge: 'nonce-0001', domain: 'origin:http://127.0.0.2:8080' })).rejects.toThrow(/domain|aud/i);
  });

  it('returns the bare credential when the query does not require holder binding', async () => {
    const request = await parse({ dcql_query: { credentials: [residentQuery({ require_cryptographic_holder_binding: false })] } });
    const vpToken = await createVpToken({ request, choices: [{ queryId: 'resident', record: resident }], signerFor, now: Date.now() });
    expect(vpToken).toEqual({ resident: [resident.raw] });
  });

  it('multiple: one presentation per chosen credential; otherwise only one', async () => {
    const multiple = await parse({ dcql_query: { credentials: [residentQuery({ multiple: true })] } });
    const choices = [
      { queryId: 'resident', record: resident },
      { queryId: 'resident', record: resident2 },
    ];
    const vpToken = await createVpToken({ request: multiple, choices, signerFor, now: Date.now() });
    expect(vpToken.resident).toHaveLength(2);
    const single = await parse({ dcql_query: { credentials: [residentQuery()] } });
    await expect(createVpToken({ request: single, choices, signerFor, now: Date.now() })).rejects.toThrow(new SelectionError("'resident' accepts one credential only"));
  });
});

describe('createVpToken: dc+sd-jwt', () => {
  it('discloses exactly the requested claims by default, with a KB-JWT that @sd-jwt/sd-jwt-vc verifies', async () => {
    const request = await parse({ dcql_query: { credentials: [pidQuery()] } });
    const vpToken = await createVpToken({ request, choices: [{ queryId: 'pid', record: pid }], signerFor, now: Date.now() });
    const presentation = vpToken.pid![0]!;

    const { claims, kb } = await verifySdJwt(presentation);
    expect(kb?.payload).toMatchObject({ aud: `origin:${ORIGIN}`, nonce: 'nonce-0001' });
    expect(kb?.header).toEqual({ alg: 'EdDSA', typ: 'kb+jwt' });
    expect(claims.given_name).toBe('Ada');
    expect(claims.address).toEqual({ locality: 'London' }); // the parent's disclosure came along, not its siblings
    for (const withheld of ['family_name', 'birthdate', 'nationalities']) expect(claims).not.toHaveProperty(withheld);

    // sd_hash covers `<issuer-jwt>~<disclosure>~…~` including the trailing ~.
    const sdJwt = presentation.slice(0, presentation.lastIndexOf('~') + 1);
    const expectedHash = Buffer.from(digest(sdJwt, 'sha-256')).toString('base64url');
    expect(kb?.payload.sd_hash).toBe(expectedHash);
    expect(sdJwt.split('~').filter(Boolean)).toHaveLength(4); // issuer JWT + given_name + address + locality

    await expect(verifySdJwt(presentation, 'nonce-9999')).rejects.toThrow(/nonce/i);
  });

  it('lets the holder withhold a requested claim and add another', async () => {
    const request = await parse({ dcql_query: { credentials: [pidQuery()] } });
    const vpToken = await createVpToken({
      request,
      choices: [{ queryId: 'pid', record: pid, disclose: [['family_name'], ['nationalities', 1], ['address', 'locality']] }],
      signerFor,
      now: Date.now(),
    });
    const { claims } = await verifySdJwt(vpToken.pid![0]!);
    expect(claims).not.toHaveProperty('given_name');
    expect(claims).toMatchObject({ family_name: 'Lovelace', nationalities: ['FR'], address: { locality: 'London' } });
  });

  it('a requested object leaves whole', async () => {
    const request = await parse({ dcql_query: { credentials: [pidQuery({ claims: [{ path: ['address'] }] })] } });
    const vpToken = await createVpToken({ request, choices: [{ queryId: 'pid', record: pid }], signerFor, now: Date.now() });
    const { claims } = await verifySdJwt(vpToken.pid![0]!);
    expect(claims.address).toEqual({ street_address: '12 St James Square', locality: 'London', country: 'GB' });
  });

  it('without required holder binding: the selected disclosures and no KB-JWT', async () => {
    const request = await parse({ dcql_query: { credentials: [pidQuery({ require_cryptographic_holder_binding: false })] } });
    const vpToken = await createVpToken({ request, choices: [{ queryId: 'pid', record: pid }], signerFor, now: Date.now() });
    const presentation = vpToken.pid![0]!;
    expect(presentation.endsWith('~')).toBe(true);
    expect((await decodeSdJwt(presentation, digest)).kbJwt).toBeUndefined();
    const result = await sdIssuer.instance.verify(presentation);
    expect(result.payload).toMatchObject({ given_name: 'Ada', address: { locality: 'London' } });
    expect(result.payload).not.toHaveProperty('family_name');
  });

  it('refuses a claim the credential does not have', async () => {
    const request = await parse({ dcql_query: { credentials: [pidQuery()] } });
    await expect(
      createVpToken({ request, choices: [{ queryId: 'pid', record: pid, disclose: [['shoe_size']] }], signerFor, now: Date.now() }),
    ).rejects.toThrow('The credential has no claim ["shoe_size"]');
  });
});

describe('buildVpToken: the DC API answer', () => {
  const dcqlQuery = { credentials: [residentQuery(), pidQuery()] };

  it('dc_api: a vp_token the @openid4vc/openid4vp verifier parses and DCQL finds satisfying', async () => {
    const request = await parse({ dcql_query: dcqlQuery });
    const match = matchDcql(request.dcqlQuery, [pid, resident]);
    expect(match.canBeSatisfied).toBe(true);
    const answer = await buildVpToken({
      request,
      choices: match.queries.map((query) => ({ queryId: query.queryId, record: query.candidates[0]! })),
      signerFor,
      now: Date.now(),
    });
    expect('vp_token' in answer).toBe(true);
    const vpToken = (answer as { vp_token: Record<string, string[]> }).vp_token;

    const parsed = await parseOpenid4vpAuthorizationResponse({
      authorizationResponse: answer,
      authorizationRequestPayload: { response_type: 'vp_token', response_mode: 'dc_api', nonce: 'nonce-0001', dcql_query: dcqlQuery } as Openid4vpAuthorizationRequestDcApi,
      origin: ORIGIN,
      callbacks: { verifyJwt: () => Promise.reject(new Error('unused')), decryptJwe: () => Promise.reject(new Error('unused')) },
    });
    expect(parsed.type).toBe('dcql');
    expect(parsed.expectedNonce).toBe('nonce-0001');

    // What the verifier extracts from each presentation satisfies the query.
    const vp = await verifyPresentation(vpToken.resident![0]!, didKeyResolver, { challenge: 'nonce-0001', domain: `origin:${ORIGIN}` });
    const vc = vp.verifiablePresentation.verifiableCredential![0]!;
    const { claims: pidClaims } = await verifySdJwt(vpToken.pid![0]!);
    const result = DcqlPresentationResult.fromDcqlPresentation(
      {
        resident: [{ credential_format: 'jwt_vc_json', type: vc.type as string[], claims: vc as never, cryptographic_holder_binding: true }],
        pid: [{ credential_format: 'dc+sd-jwt', vct: PID, claims: pidClaims as never, cryptographic_holder_binding: true }],
      },
      { dcqlQuery: request.dcqlQuery },
    );
    expect(result.can_be_satisfied).toBe(true);
  });

  it('dc_api.jwt: the response is a JWE to the verifier key (kid, ECDH-ES, enc from metadata)', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ECDH-ES', { crv: 'P-256', extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'verifier-enc', use: 'enc', alg: 'ECDH-ES' };
    const clientMetadata = { jwks: { keys: [jwk] }, encrypted_response_enc_values_supported: ['A256GCM'] };
    const request = await parse({ response_mode: 'dc_api.jwt', client_metadata: clientMetadata, dcql_query: { credentials: [residentQuery()] } });
    const answer = await buildVpToken({ request, choices: [{ queryId: 'resident', record: resident }], signerFor, now: Date.now() });
    expect(Object.keys(answer)).toEqual(['response']);
    const jwe = (answer as { response: string }).response;

    const { plaintext, protectedHeader } = await compactDecrypt(jwe, privateKey);
    expect(protectedHeader).toMatchObject({ alg: 'ECDH-ES', enc: 'A256GCM', kid: 'verifier-enc' });
    const payload = JSON.parse(new TextDecoder().decode(plaintext)) as { vp_token: Record<string, string[]> };
    expect(Object.keys(payload)).toEqual(['vp_token']);
    expect((await verifyPresentation(payload.vp_token.resident![0]!, didKeyResolver, { challenge: 'nonce-0001', domain: `origin:${ORIGIN}` })).verified).toBe(true);

    // The community verifier library decrypts and parses it too.
    const privateJwk = await exportJWK(privateKey);
    const parsed = await parseOpenid4vpAuthorizationResponse({
      authorizationResponse: answer,
      authorizationRequestPayload: {
        response_type: 'vp_token',
        response_mode: 'dc_api.jwt',
        nonce: 'nonce-0001',
        dcql_query: { credentials: [residentQuery()] },
        client_metadata: clientMetadata,
      } as Openid4vpAuthorizationRequestDcApi,
      origin: ORIGIN,
      callbacks: {
        verifyJwt: () => Promise.reject(new Error('unused')),
        decryptJwe: async (compact) => {
          const { plaintext: bytes } = await compactDecrypt(compact, privateKey);
          return { decrypted: true, payload: new TextDecoder().decode(bytes), decryptionJwk: privateJwk as never };
        },
      },
    });
    expect(parsed.type).toBe('dcql');
    expect(parsed.type === 'dcql' && parsed.dcql.presentations.resident).toEqual(payload.vp_token.resident);
  });

  it('refuses choices that do not fit the request', async () => {
    const request = await parse({ dcql_query: dcqlQuery });
    const now = Date.now();
    const build = (choices: PresentationArgs['choices']) => buildVpToken({ request, choices, signerFor, now });
    await expect(build([{ queryId: 'resident', record: resident }])).rejects.toThrow(new SelectionError('The chosen credentials do not satisfy the request'));
    await expect(build([{ queryId: 'other', record: resident }])).rejects.toThrow(new SelectionError("The request has no credential query 'other'"));
    await expect(
      build([
        { queryId: 'resident', record: pid },
        { queryId: 'pid', record: pid },
      ]),
    ).rejects.toThrow(/does not answer 'resident'/);
    const revoked = { ...resident, statusResult: { ...resident.statusResult, state: 'revoked' as const } };
    await expect(
      build([
        { queryId: 'resident', record: revoked },
        { queryId: 'pid', record: pid },
      ]),
    ).rejects.toThrow(/revoked/);
    await expect(
      build([
        { queryId: 'resident', record: resident, holderBinding: false },
        { queryId: 'pid', record: pid },
      ]),
    ).rejects.toThrow(/Holder binding/);
    const wrongSigner = () => createDidKey().signer();
    await expect(
      buildVpToken({ request: await parse({ dcql_query: { credentials: [residentQuery()] } }), choices: [{ queryId: 'resident', record: resident }], signerFor: wrongSigner, now }),
    ).rejects.toThrow(/is not the bound key/);
  });
});
