import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCredential } from 'did-jwt-vc';
import { bitstringStatus } from '../city/verifier.ts';
import { createEd25519Did, verifyEd25519 } from '../registry/did-key.ts';
import { decodeJwtHeader, decodeJwtPayload, didKeyResolver } from '../verify.ts';
import { accreditationApplication } from '../research/study.ts';
import { postAs } from '../research/wallet-fixture.ts';
import { ACCREDITATION_TYPE, AccreditationBody } from './accreditation.ts';
import { startAccreditor, type AccreditorServer } from './server.ts';

const PORTAL = 'http://127.0.0.1:8086';
const institution = createEd25519Did().did;

describe('AccreditationBody.issue', () => {
  const body = new AccreditationBody({ baseUrl: 'http://127.0.0.1:9' });

  it('issues a ResearchAccreditation JWT VC of the contract\u2019s shape, signed by the body (did-jwt-vc verifies it)', async () => {
    const issued = await body.issue(institution, accreditationApplication([PORTAL]));
    expect(decodeJwtHeader(issued.credential)).toEqual({ alg: 'EdDSA', typ: 'JWT', kid: body.kid });
    expect(body.kid).toMatch(new RegExp(`^${body.did}#z`));
    const payload = decodeJwtPayload(issued.credential);
    expect(payload).toMatchObject({ iss: body.did, sub: institution, jti: `urn:uuid:${issued.id}` });
    expect(Number(payload.exp) - Number(payload.nbf)).toBe(365 * 86_400);
    expect(Math.abs(Number(payload.nbf) - Date.now() / 1000)).toBeLessThan(5);
    expect(payload.vc).toEqual({
      '@context': ['https://www.w3.org/2018/credentials/v1'],
      type: ['VerifiableCredential', ACCREDITATION_TYPE],
      issuer: body.did,
      credentialSubject: {
        id: institution,
        name: 'Aldmere Institute for Child Health',
        origins: [PORTAL],
        affiliationAndRole: 'researcher@aich.example',
        researcherStatus: 'bona fide researcher',
        studies: [
          {
            id: 'AICH-2026-014',
            title: 'Childhood asthma and air quality',
            ethicsApproval: 'AERB-2026-117',
            dataUses: ['duo:0000006', 'duo:0000007'],
            dataCategories: ['health'],
            claims: [['age_band'], ['region'], ['diagnosis_codes']],
            validUntil: '2027-12-31T00:00:00Z',
          },
        ],
      },
      credentialStatus: {
        id: `http://127.0.0.1:9/status/revocation#${issued.statusIndex}`,
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: String(issued.statusIndex),
        statusListCredential: 'http://127.0.0.1:9/status/revocation',
      },
    });
    const verified = await verifyCredential(issued.credential, didKeyResolver);
    expect(verified.issuer).toBe(body.did);
    expect(verified.payload.sub).toBe(institution);
  });

  it('adds AI model training to the study\u2019s data uses only when it is approved', async () => {
    const issued = await body.issue(institution, accreditationApplication([PORTAL], { aiTraining: true }));
    expect(issued.subject.studies[0]!.dataUses).toEqual(['duo:0000006', 'duo:0000007', 'tessera:AIModelTraining']);
  });

  it('refuses a malformed application naming the field, and issues nothing', async () => {
    const before = body.issued.length;
    const bad = (change: (a: Record<string, unknown>) => void) => {
      const application = structuredClone(accreditationApplication([PORTAL])) as unknown as Record<string, unknown>;
      change(application);
      return body.issue(institution, application as never);
    };
    await expect(bad((a) => (a.origins = ['http://127.0.0.1:8086/study']))).rejects.toThrow('origins[0] (http://127.0.0.1:8086/study) is not a web origin');
    await expect(bad((a) => (a.origins = []))).rejects.toThrow('origins must be a list of 1 to 32 entries');
    await expect(bad((a) => ((a.studies as { dataUses: string[] }[])[0]!.dataUses = ['general research']))).rejects.toThrow('studies[0].dataUses[0]');
    await expect(bad((a) => ((a.studies as { claims: unknown }[])[0]!.claims = [[]]))).rejects.toThrow('studies[0].claims[0]');
    await expect(bad((a) => ((a.studies as { validUntil: string }[])[0]!.validUntil = 'soon'))).rejects.toThrow('studies[0].validUntil (soon) is not a date-time');
    await expect(bad((a) => delete a.name)).rejects.toThrow('name must be a text');
    await expect(body.issue('not a did', accreditationApplication([PORTAL]))).rejects.toThrow('the subject must be a DID');
    await expect(body.issue(institution, accreditationApplication([PORTAL]), { validFrom: new Date(), validUntil: new Date(Date.now() - 1000) })).rejects.toThrow(
      'validUntil must be after validFrom',
    );
    expect(body.issued.length).toBe(before);
  });

  it('issues for a past year when asked (an accreditation that has expired): did-jwt-vc refuses it as expired, not as forged', async () => {
    const year = 365 * 86_400_000;
    const issued = await body.issue(institution, accreditationApplication([PORTAL]), { validFrom: new Date(Date.now() - 2 * year), validUntil: new Date(Date.now() - year) });
    await expect(verifyCredential(issued.credential, didKeyResolver)).rejects.toThrow(/expired/);
    const [header, payload, signature] = issued.credential.split('.');
    expect(verifyEd25519(`${header}.${payload}`, signature!, body.key.publicKey)).toBe(true);
  });
});

describe('the accreditor server', () => {
  let server: AccreditorServer;
  beforeAll(async () => {
    server = await startAccreditor();
  });
  afterAll(() => server.close());

  it('serves its DID and a status list in which revoking flips the accreditation\u2019s bit', async () => {
    const info = (await (await fetch(server.url('127.0.0.1', '/api/body'))).json()) as Record<string, unknown>;
    expect(info).toEqual({ did: server.did, kid: server.body.kid, name: 'Aldmere Research Ethics Board', statusList: server.url('127.0.0.1', '/status/revocation') });
    const issued = await server.issue(institution, accreditationApplication([PORTAL]));
    const other = await server.issue(institution, accreditationApplication([PORTAL]));
    const entry = (await verifyCredential(issued.credential, didKeyResolver)).verifiableCredential.credentialStatus as unknown as Record<string, unknown>;
    const otherEntry = (await verifyCredential(other.credential, didKeyResolver)).verifiableCredential.credentialStatus as unknown as Record<string, unknown>;
    expect(await bitstringStatus(entry, server.did)).toBe(false);

    const revoked = await postAs(server.origin(), server.url('127.0.0.1', '/api/revoke'), { id: issued.id });
    expect(revoked).toEqual({ status: 200, data: { ok: true, id: issued.id, revoked: true } });
    expect(await bitstringStatus(entry, server.did)).toBe(true);
    expect(await bitstringStatus(otherEntry, server.did)).toBe(false);
    const listed = (await (await fetch(server.url('127.0.0.1', '/api/accreditations'))).json()) as { accreditations: { id: string; revoked: boolean }[] };
    expect(listed.accreditations.map((a) => [a.id, a.revoked])).toEqual([
      [other.id, false],
      [issued.id, true],
    ]);
  });

  it('refuses to revoke an unknown id or for another site\u2019s page, and changes nothing', async () => {
    const issued = await server.issue(institution, accreditationApplication([PORTAL]));
    expect((await postAs(server.origin(), server.url('127.0.0.1', '/api/revoke'), { id: 'no-such-id' })).status).toBe(404);
    const cross = await postAs('http://127.0.0.1:1', server.url('127.0.0.1', '/api/revoke'), { id: issued.id });
    expect(cross.status).toBe(403);
    expect(server.body.isRevoked(issued.id)).toBe(false);
  });

  it('issues over HTTP for a local script, and refuses a malformed application with a 400 naming the field', async () => {
    const ok = await fetch(server.url('127.0.0.1', '/api/issue'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subject: institution, accreditation: accreditationApplication([PORTAL]) }),
    });
    const made = (await ok.json()) as { id: string; credential: string; origins: string[] };
    expect(ok.status).toBe(200);
    expect(made.origins).toEqual([PORTAL]);
    expect((await verifyCredential(made.credential, didKeyResolver)).issuer).toBe(server.did);
    const bad = await postAs(server.origin(), server.url('127.0.0.1', '/api/issue'), { subject: institution, accreditation: { ...accreditationApplication([PORTAL]), origins: 'all' } });
    expect(bad).toEqual({ status: 400, data: { error: 'origins must be a list of 1 to 32 entries' } });
    const cross = await postAs('http://127.0.0.1:1', server.url('127.0.0.1', '/api/issue'), { subject: institution, accreditation: accreditationApplication([PORTAL]) });
    expect(cross.status).toBe(403);
  });
});
