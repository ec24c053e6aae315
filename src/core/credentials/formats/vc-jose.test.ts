import { beforeAll, describe, expect, it } from 'vitest';
import {
  createTestHolder,
  createTestIssuer,
  fakeHolderKeys,
  issueVcJose2,
  peekJwt,
  signJwt,
  testResolver,
  withEditedPayload,
  withTamperedSignature,
  type TestHolder,
  type TestIssuer,
} from '../../../../test/support/issuers.ts';
import { verifyCredential } from '../verify-credential.ts';
import type { CredentialDeps } from './binding.ts';

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);

let issuer: TestIssuer;
let p256Issuer: TestIssuer;
let other: TestIssuer;
let holder: TestHolder;
let stranger: TestHolder;
let deps: CredentialDeps;

beforeAll(async () => {
  [issuer, p256Issuer, other, holder, stranger] = await Promise.all([
    createTestIssuer(),
    createTestIssuer({ keyType: 'P-256' }),
    createTestIssuer({ method: 'jwk' }),
    createTestHolder(),
    createTestHolder({ keyType: 'P-256' }),
  ]);
  deps = { resolver: testResolver(), holderKeys: fakeHolderKeys([holder]), now: NOW };
});

const issue = (overrides: Partial<Parameters<typeof issueVcJose2>[1]> = {}, by: TestIssuer = issuer) =>
  issueVcJose2(by, {
    subjectDid: holder.did,
    claims: { given_name: 'Ada', degree: { type: 'BachelorDegree', name: 'Physics' } },
    types: ['UniversityDegreeCredential'],
    validFrom: '2025-01-01T00:00:00Z',
    validUntil: '2030-01-01T00:00:00Z',
    ...overrides,
  });

describe('vc+jwt (VC 2.0, VC-JOSE-COSE)', () => {
  it('accepts a jose-signed VC 2.0 credential; the payload is the document', async () => {
    const raw = await issue({
      issuerObject: { name: 'Example University' },
      status: [
        { kind: 'bitstring', purpose: 'revocation', index: 12, listUrl: 'https://uni.example/status/3' },
        { kind: 'bitstring', purpose: 'suspension', index: 13, listUrl: 'https://uni.example/status/4' },
      ],
    });
    const verified = await verifyCredential(raw, deps);

    expect(verified.format).toBe('vc+jwt');
    expect(verified.raw).toBe(raw);
    expect(verified.issuer).toBe(issuer.did);
    expect(verified.types).toEqual(['VerifiableCredential', 'UniversityDegreeCredential']);
    expect(verified.vct).toBeNull();
    expect(verified.document).toEqual(peekJwt(raw).payload);
    expect(verified.document.issuer).toEqual({ id: issuer.did, name: 'Example University' });
    expect(verified.validFrom).toBe('2025-01-01T00:00:00.000Z');
    expect(verified.validUntil).toBe('2030-01-01T00:00:00.000Z');
    expect(verified.issuedAt).toBeNull();
    expect(verified.holder).toEqual(holder.binding);
    expect(verified.status).toEqual([
      { kind: 'bitstring', purpose: 'revocation', index: 12, listUrl: 'https://uni.example/status/3' },
      { kind: 'bitstring', purpose: 'suspension', index: 13, listUrl: 'https://uni.example/status/4' },
    ]);
    expect(verified.claims).toEqual([
      { path: ['credentialSubject', 'id'], value: holder.did, disclosable: false },
      { path: ['credentialSubject', 'given_name'], value: 'Ada', disclosable: false },
      { path: ['credentialSubject', 'degree', 'type'], value: 'BachelorDegree', disclosable: false },
      { path: ['credentialSubject', 'degree', 'name'], value: 'Physics', disclosable: false },
    ]);
  });

  it('accepts ES256 (did:jwk), typ vc+ld+json+jwt, application/vc+jwt and a cty', async () => {
    for (const header of [{}, { typ: 'vc+ld+json+jwt' }, { typ: 'application/vc+jwt', cty: 'vc' }]) {
      const verified = await verifyCredential(await issue({ header }, p256Issuer), deps);
      expect(verified.format).toBe('vc+jwt');
      expect(verified.issuer).toBe(p256Issuer.did);
    }
  });

  it('reads issuedAt from iat and checks JWT exp alongside validUntil', async () => {
    const iat = NOW / 1000 - 100;
    const verified = await verifyCredential(await issue({ credential: { iat } }), deps);
    expect(verified.issuedAt).toBe(new Date(iat * 1000).toISOString());
    await expect(verifyCredential(await issue({ credential: { exp: NOW / 1000 - 3600 } }), deps)).rejects.toMatchObject({
      code: 'expired',
    });
  });

  describe('refuses', () => {
    it('a tampered signature byte', async () => {
      await expect(verifyCredential(withTamperedSignature(await issue()), deps)).rejects.toMatchObject({
        code: 'bad_signature',
        message: expect.stringContaining("The issuer's signature does not verify"),
      });
    });

    it('an edited payload', async () => {
      const raw = withEditedPayload(await issue(), (p) => {
        p.validUntil = '2099-01-01T00:00:00Z';
      });
      await expect(verifyCredential(raw, deps)).rejects.toMatchObject({ code: 'bad_signature' });
    });

    it('a kid of another DID', async () => {
      await expect(verifyCredential(await issue({ header: { kid: other.kid } }), deps)).rejects.toMatchObject({
        code: 'bad_signature',
        message: `The key ${other.kid} does not belong to ${issuer.did}`,
      });
    });

    it('a kid that is not a method of the issuer DID', async () => {
      await expect(verifyCredential(await issue({ header: { kid: `${issuer.did}#nope` } }), deps)).rejects.toMatchObject({
        code: 'bad_signature',
        message: `${issuer.did} has no verification method ${issuer.did}#nope`,
      });
    });

    it('an algorithm that does not fit the key', async () => {
      const raw = await signJwt(
        p256Issuer,
        peekJwt(await issue({}, p256Issuer)).payload,
        { typ: 'vc+jwt', alg: 'ES256' },
      );
      const edited = raw.replace(/^[^.]+/, Buffer.from(JSON.stringify({ alg: 'EdDSA', kid: p256Issuer.kid, typ: 'vc+jwt' })).toString('base64url'));
      await expect(verifyCredential(edited, deps)).rejects.toMatchObject({
        code: 'bad_signature',
        message: `The credential is signed with EdDSA, but the issuer key ${p256Issuer.kid} is a P-256 key`,
      });
    });

    it('an expired credential (validUntil), naming the date', async () => {
      await expect(verifyCredential(await issue({ validUntil: '2025-05-01T00:00:00Z' }), deps)).rejects.toMatchObject({
        code: 'expired',
        message: 'The credential expired on 2025-05-01T00:00:00.000Z',
      });
    });

    it('a credential not yet valid (validFrom), naming the date', async () => {
      await expect(verifyCredential(await issue({ validFrom: '2025-07-01T00:00:00Z' }), deps)).rejects.toMatchObject({
        code: 'not_yet_valid',
        message: 'The credential is not valid until 2025-07-01T00:00:00.000Z',
      });
    });

    it('a validFrom that is not a date-time', async () => {
      await expect(verifyCredential(await issue({ validFrom: 'yesterday' }), deps)).rejects.toMatchObject({
        code: 'malformed',
        message: "'validFrom' is not a date-time such as 2025-01-31T12:00:00Z",
      });
    });

    it('a credential bound to a DID the wallet does not hold', async () => {
      await expect(verifyCredential(await issue({ subjectDid: stranger.did }), deps)).rejects.toMatchObject({
        code: 'not_bound',
        message: `The credential is bound to ${stranger.did}, which this wallet does not hold`,
      });
    });

    it('a VC 1.1 credential typed vc+jwt', async () => {
      const raw = await issue({ credential: { '@context': ['https://www.w3.org/2018/credentials/v1'] } });
      await expect(verifyCredential(raw, deps)).rejects.toMatchObject({
        code: 'unsupported_format',
        message: expect.stringContaining('must use VC Data Model 2.0'),
      });
    });

    it('an iss that is not the issuer', async () => {
      await expect(verifyCredential(await issue({ credential: { iss: other.did } }), deps)).rejects.toMatchObject({
        code: 'malformed',
        message: `The JWT issuer 'iss' (${other.did}) differs from the credential issuer (${issuer.did})`,
      });
    });

    it('an unknown content type', async () => {
      await expect(verifyCredential(await issue({ header: { cty: 'text/plain' } }), deps)).rejects.toMatchObject({
        code: 'unsupported_format',
      });
    });

    it('several subjects', async () => {
      const raw = await issue({ credential: { credentialSubject: [{ id: holder.did }, { id: stranger.did }] } });
      await expect(verifyCredential(raw, deps)).rejects.toMatchObject({ code: 'unsupported_format' });
    });
  });
});
