import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSdJwt, getClaims } from '@sd-jwt/decode';
import { digest } from '@sd-jwt/crypto-nodejs';
import { verifySdJwtPresentation } from '../city/verifier.ts';
import { createEd25519Did, jwkFromDidKey, verifyEd25519 } from '../registry/did-key.ts';
import { decodeJwtHeader } from '../verify.ts';
import { loginPresentation, postAs, presentSdJwt } from '../research/wallet-fixture.ts';
import { ClinicIssuer, DEMO_CHILD, HEALTH_SUMMARY_CLAIMS, PEDIATRIC_HEALTH_VCT, ageBand, comingOfAgeDate, healthSummaryClaims } from './health-credential.ts';
import { startClinic, type ClinicServer } from './server.ts';

describe('the pediatric health summary\u2019s claims', () => {
  it('derives the generalised claims from the birth date', () => {
    const claims = healthSummaryClaims(DEMO_CHILD, new Date('2026-06-01T00:00:00Z'));
    expect(claims).toEqual({
      ...DEMO_CHILD,
      birth_year: 2019,
      age_band: '5-9',
      holder_relationship: 'parent',
      coming_of_age_date: '2037-04-12',
    });
    expect(claims.region).toBe('Aldmere North');
    expect(claims.diagnosis_codes).toEqual(['J45.909']);
  });

  it('bands ages by five years, never across coming of age', () => {
    const on = new Date('2026-04-12T00:00:00Z');
    expect(ageBand('2026-01-01', on)).toBe('0-4');
    expect(ageBand('2021-04-12', on)).toBe('5-9');
    expect(ageBand('2021-04-13', on)).toBe('0-4');
    expect(ageBand('2014-01-01', on)).toBe('10-14');
    expect(ageBand('2010-01-01', on)).toBe('15-17');
    expect(ageBand('2008-04-12', on)).toBe('18+');
    expect(() => ageBand('2027-01-01', on)).toThrow('the birth date is in the future');
  });

  it('comes of age on the 18th birthday (1 March for a 29 February birthday in a common year)', () => {
    expect(comingOfAgeDate('2019-04-12')).toBe('2037-04-12');
    expect(comingOfAgeDate('2008-02-29')).toBe('2026-03-01');
    expect(() => comingOfAgeDate('12/04/2019')).toThrow('birthdate must be YYYY-MM-DD');
  });
});

describe('ClinicIssuer.issue', () => {
  const clinic = new ClinicIssuer({ baseUrl: 'http://127.0.0.1:9' });
  const parent = createEd25519Did();

  it('issues a dc+sd-jwt bound to the parent\u2019s key, every claim selectively disclosable', async () => {
    const issued = await clinic.issue(parent.did);
    expect(decodeJwtHeader(issued.credential)).toMatchObject({ alg: 'EdDSA', typ: 'dc+sd-jwt', kid: clinic.kid });
    const decoded = await decodeSdJwt(issued.credential, digest);
    const payload = decoded.jwt.payload as Record<string, unknown>;
    expect(payload).toMatchObject({
      iss: clinic.did,
      vct: PEDIATRIC_HEALTH_VCT,
      cnf: { jwk: jwkFromDidKey(parent.did) },
      status: { status_list: { idx: issued.statusIndex, uri: 'http://127.0.0.1:9/status/token' } },
    });
    // Nothing about the child is readable without its disclosure.
    for (const name of HEALTH_SUMMARY_CLAIMS) expect(payload).not.toHaveProperty(name);
    expect(decoded.disclosures.map((d) => d.key).sort()).toEqual([...HEALTH_SUMMARY_CLAIMS].sort());
    const claims = (await getClaims(payload, decoded.disclosures, digest)) as Record<string, unknown>;
    expect(claims).toMatchObject({ ...healthSummaryClaims(DEMO_CHILD), age_band: '5-9', birth_year: 2019, coming_of_age_date: '2037-04-12' });
    const [h, p, s] = issued.credential.split('~')[0]!.split('.');
    expect(verifyEd25519(`${h}.${p}`, s!, clinic.key.publicKey)).toBe(true);
  });

  it('refuses a holder that is not an Ed25519 did:key, and issues nothing', async () => {
    const before = clinic.issued.length;
    await expect(clinic.issue('did:web:parent.example')).rejects.toThrow('not a did:key');
    expect(clinic.issued.length).toBe(before);
  });
});

describe('the clinic server', () => {
  let server: ClinicServer;
  const parent = createEd25519Did();
  beforeAll(async () => {
    server = await startClinic();
  });
  afterAll(() => server.close());

  it('issues to the DID a verified login names, and refuses a replayed or foreign login', async () => {
    const origin = server.origin();
    const { nonce } = (await (await fetch(server.url('127.0.0.1', '/api/nonce'))).json()) as { nonce: string };
    const presentation = await loginPresentation(parent, origin, nonce);
    const issued = await postAs(origin, server.url('127.0.0.1', '/api/issue'), { presentation });
    expect(issued.status).toBe(200);
    expect(issued.data).toMatchObject({ holder: parent.did, issuer: server.did, credential: { holder: parent.did, revoked: false } });
    expect((await postAs(origin, server.url('127.0.0.1', '/api/issue'), { presentation })).status).toBe(401);
    const { nonce: fresh } = (await (await fetch(server.url('127.0.0.1', '/api/nonce'))).json()) as { nonce: string };
    const forOther = await loginPresentation(parent, 'http://127.0.0.1:1', fresh);
    const refused = await postAs(origin, server.url('127.0.0.1', '/api/issue'), { presentation: forOther });
    expect(refused.status).toBe(401);
    expect(String(refused.data.error)).toMatch(/^verification failed/);
    expect(server.issuer.issued.filter((c) => c.holder === parent.did)).toHaveLength(1);
  });

  it('serves a Token Status List in which revoking flips the summary\u2019s bit (seen by the city\u2019s SD-JWT verifier)', async () => {
    const issued = await server.issue(parent.did);
    const verifierOrigin = 'http://127.0.0.1:7';
    const present = () => presentSdJwt(parent, issued.credential, ['age_band', 'region', 'diagnosis_codes'], verifierOrigin, 'n-1');
    const valid = await verifySdJwtPresentation(await present(), { origin: verifierOrigin, nonce: 'n-1', trustedIssuers: [server.did] });
    expect(valid).toMatchObject({ status: 'valid', issuer: server.did, types: [PEDIATRIC_HEALTH_VCT] });
    expect(valid.claims).toEqual({ age_band: '5-9', region: 'Aldmere North', diagnosis_codes: ['J45.909'] });

    const revoked = await postAs(server.origin(), server.url('127.0.0.1', '/api/revoke'), { id: issued.id });
    expect(revoked).toEqual({ status: 200, data: { ok: true, id: issued.id, revoked: true } });
    expect(server.issuer.isRevoked(issued.id)).toBe(true);
    await expect(verifySdJwtPresentation(await present(), { origin: verifierOrigin, nonce: 'n-1' })).rejects.toThrow('the credential has been revoked by its issuer');
    expect((await postAs(server.origin(), server.url('127.0.0.1', '/api/revoke'), { id: 'nope' })).status).toBe(404);
  });

  it('refuses a child record it cannot use, naming the field', async () => {
    const origin = server.origin();
    const { nonce } = (await (await fetch(server.url('127.0.0.1', '/api/nonce'))).json()) as { nonce: string };
    const presentation = await loginPresentation(parent, origin, nonce);
    const bad = await postAs(origin, server.url('127.0.0.1', '/api/issue'), { presentation, child: { birthdate: '2099-01-01' } });
    expect(bad).toEqual({ status: 400, data: { error: 'child.birthdate is in the future' } });
  });
});
