import { describe, expect, it } from 'vitest';
import { parseDcApiRequest } from './openid4vp-request.ts';
import { createDidKey, didKeyResolver } from '../../../test/support/presentation/keys.ts';
import { createSignedDcApiRequest, signRequestObject } from '../../../test/support/presentation/verifier.ts';
import { protocolRefusal } from '../../../test/support/protocol-refusal.ts';

/**
 * `verifier_info` (OpenID4VP 1.0 §5.1): the verifier's attestations, read only from a
 * signed request; the first `jwt_vc_json` one is the accreditation the wallet checks
 * against the client_id DID (DESIGN.md §8). Kept apart from openid4vp-request.test.ts,
 * which is near the file-size limit.
 */

const ORIGIN = 'http://127.0.0.1:8080';
const verifier = createDidKey();
const deps = () => ({ resolver: didKeyResolver, now: Date.now() });
const dcqlQuery = { credentials: [{ id: 'pid', format: 'jwt_vc_json', meta: { type_values: [['ResidentCredential']] } }] };
const unsignedData = { response_type: 'vp_token', response_mode: 'dc_api', nonce: 'nonce-0001', dcql_query: dcqlQuery };
const signedPayload = { ...unsignedData, expected_origins: [ORIGIN] };
const ACCREDITATION = 'eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJkaWQ6a2V5OnoxIn0.c2ln';

const signedWith = async (verifierInfo: unknown) =>
  parseDcApiRequest({ protocol: 'openid4vp-v1-signed', data: { request: await signRequestObject(verifier, { ...signedPayload, verifier_info: verifierInfo }) }, origin: ORIGIN }, deps());

describe('verifier_info: the accreditation of a signed request', () => {
  it('takes the data of the first jwt_vc_json attestation, passing over other formats and non-string data', async () => {
    const parsed = await signedWith([
      { format: 'x509_attr', data: 'MIIB' },
      { format: 'jwt_vc_json', data: { not: 'a string' } },
      { format: 'jwt_vc_json', data: ACCREDITATION },
      { format: 'jwt_vc_json', data: 'second.jwt.ignored' },
    ]);
    expect(parsed.verifierAccreditation).toBe(ACCREDITATION);
    expect(parsed.clientId).toBe(`decentralized_identifier:${verifier.did}`);
  });

  it('is null without verifier_info, or with attestations none of which is a jwt_vc_json string', async () => {
    const { request } = await createSignedDcApiRequest({ verifier, payload: signedPayload });
    expect((await parseDcApiRequest({ protocol: 'openid4vp-v1-signed', data: { request }, origin: ORIGIN }, deps())).verifierAccreditation).toBeNull();
    expect((await signedWith([{ format: 'dc+sd-jwt', data: ACCREDITATION }])).verifierAccreditation).toBeNull();
  });

  it('ignores the verifier_info of an unsigned request, even a well-formed one, and does not check it', async () => {
    const unsigned = (verifierInfo: unknown) =>
      parseDcApiRequest({ protocol: 'openid4vp-v1-unsigned', data: { ...unsignedData, verifier_info: verifierInfo }, origin: ORIGIN }, deps());
    expect((await unsigned([{ format: 'jwt_vc_json', data: ACCREDITATION }])).verifierAccreditation).toBeNull();
    expect((await unsigned('not an array')).verifierAccreditation).toBeNull();
  });

  it('refuses a verifier_info that is not a non-empty array of at most 4 objects with a format, naming what is wrong', async () => {
    const refusal = async (verifierInfo: unknown) => protocolRefusal(signedWith(verifierInfo));
    const attestation = { format: 'jwt_vc_json', data: ACCREDITATION };
    expect(await refusal('eyJ...')).toBe('verifier_info must be a non-empty array');
    expect(await refusal({ format: 'jwt_vc_json', data: ACCREDITATION })).toBe('verifier_info must be a non-empty array');
    expect(await refusal(null)).toBe('verifier_info must be a non-empty array');
    expect(await refusal([])).toBe('verifier_info must be a non-empty array');
    expect(await refusal(Array.from({ length: 5 }, () => attestation))).toBe('verifier_info has more than 4 attestations');
    expect((await signedWith(Array.from({ length: 4 }, () => attestation))).verifierAccreditation).toBe(ACCREDITATION);
    expect(await refusal([attestation, 'eyJ...'])).toBe('verifier_info[1] must be an object with a format');
    expect(await refusal([{ data: ACCREDITATION }])).toBe('verifier_info[0] must be an object with a format');
    expect(await refusal([attestation, { format: 7, data: ACCREDITATION }])).toBe('verifier_info[1] must be an object with a format');
    expect(await refusal([[attestation]])).toBe('verifier_info[0] must be an object with a format');
  });
});
