import { beforeAll, describe, expect, it } from 'vitest';
import {
  createTestHolder,
  createTestIssuer,
  fakeHolderKeys,
  issueJwtVc,
  issueSdJwtVc,
  issueVcJose2,
  signJwt,
  testResolver,
  type TestHolder,
  type TestIssuer,
} from '../../../test/support/issuers.ts';
import { MAX_CREDENTIAL_LENGTH } from './types.ts';
import { verifyCredential, type CredentialDeps } from './verify-credential.ts';

let issuer: TestIssuer;
let holder: TestHolder;
let deps: CredentialDeps;

beforeAll(async () => {
  [issuer, holder] = await Promise.all([createTestIssuer(), createTestHolder()]);
  deps = { resolver: testResolver(), holderKeys: fakeHolderKeys([holder]), now: Date.now() };
});

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

describe('verifyCredential', () => {
  it('detects each format', async () => {
    const jwtVc = await issueJwtVc(issuer, { subjectDid: holder.did, claims: { a: 1 } });
    const vcJose = await issueVcJose2(issuer, { subjectDid: holder.did, claims: { a: 1 } });
    const sdJwt = await issueSdJwtVc(issuer, { vct: 'urn:t', holderJwk: holder.publicJwk, claims: { a: 1 }, disclosable: ['a'] });
    expect((await verifyCredential(jwtVc, deps)).format).toBe('jwt_vc_json');
    expect((await verifyCredential(vcJose, deps)).format).toBe('vc+jwt');
    expect((await verifyCredential(sdJwt, deps)).format).toBe('dc+sd-jwt');
  });

  it('ignores surrounding whitespace (a pasted credential) and stores it trimmed', async () => {
    const raw = await issueJwtVc(issuer, { subjectDid: holder.did, claims: { a: 1 } });
    expect((await verifyCredential(`\n  ${raw}\n`, deps)).raw).toBe(raw);
  });

  describe('refuses', () => {
    it('an oversize input before parsing it', async () => {
      const raw = 'a'.repeat(MAX_CREDENTIAL_LENGTH + 1);
      await expect(verifyCredential(raw, deps)).rejects.toMatchObject({
        name: 'CredentialError',
        code: 'too_large',
        message: `The credential is ${MAX_CREDENTIAL_LENGTH + 1} characters long; Tessera accepts at most ${MAX_CREDENTIAL_LENGTH}`,
      });
    });

    it.each([
      ['', 'The credential is empty'],
      ['hello world', 'The credential contains whitespace; a compact JWT or SD-JWT has none'],
      ['garbage', "The credential is not a JWT: expected three base64url parts separated by '.', found 1"],
      ['a.b', "The credential is not a JWT: expected three base64url parts separated by '.', found 2"],
      ['!!!.e30.c2ln', 'The JWT header of the credential is not valid base64url'],
      [`${b64('{not json')}.e30.c2ln`, 'The JWT header of the credential is not valid JSON'],
      [`${b64('[1]')}.e30.c2ln`, 'The JWT header of the credential is not a JSON object'],
      [`${b64({ alg: 'EdDSA' })}.${b64('nope')}.c2ln`, 'The JWT payload of the credential is not valid JSON'],
      [`${b64({ alg: 'EdDSA' })}.${Buffer.from([0xff, 0xfe]).toString('base64url')}.c2ln`, 'The JWT payload of the credential is not valid UTF-8 text'],
    ])('garbage %j as malformed', async (raw, message) => {
      await expect(verifyCredential(raw, deps)).rejects.toMatchObject({ code: 'malformed', message });
    });

    it('a JWT with an unknown typ', async () => {
      const raw = await signJwt(issuer, { iss: issuer.did, vc: {} }, { typ: 'openid4vci-proof+jwt' });
      await expect(verifyCredential(raw, deps)).rejects.toMatchObject({
        code: 'unsupported_format',
        message: expect.stringContaining('A JWT of type "openid4vci-proof+jwt" is not a credential format Tessera accepts'),
      });
    });

    it('a JWT that is not a credential', async () => {
      const raw = await signJwt(issuer, { iss: issuer.did, sub: holder.did }, { typ: 'JWT' });
      await expect(verifyCredential(raw, deps)).rejects.toMatchObject({
        code: 'unsupported_format',
        message: "This JWT is not a verifiable credential: it has no 'vc' claim",
      });
      const vp = await signJwt(issuer, { iss: issuer.did, vp: {} }, { typ: 'JWT' });
      await expect(verifyCredential(vp, deps)).rejects.toMatchObject({ code: 'unsupported_format', message: expect.stringContaining('presentation') });
    });

    it('a VC 2.0 payload without typ vc+jwt', async () => {
      const raw = await signJwt(issuer, { '@context': ['https://www.w3.org/ns/credentials/v2'], issuer: issuer.did }, { typ: 'JWT' });
      await expect(verifyCredential(raw, deps)).rejects.toMatchObject({ code: 'unsupported_format', message: expect.stringContaining('"vc+jwt"') });
    });

    it('JSON credentials, JWEs, SD-JWTs without typ, and unsupported algorithms', async () => {
      await expect(verifyCredential('{"@context":[],"proof":{}}', deps)).rejects.toMatchObject({ code: 'unsupported_format' });
      await expect(verifyCredential('a.b.c.d.e', deps)).rejects.toMatchObject({
        code: 'unsupported_format',
        message: 'The credential is an encrypted JWT (JWE); offer it unencrypted',
      });
      await expect(verifyCredential(`${b64({ alg: 'EdDSA' })}.e30.c2ln~`, deps)).rejects.toMatchObject({
        code: 'unsupported_format',
        message: 'The SD-JWT has no typ; an SD-JWT VC has typ "dc+sd-jwt"',
      });
      const hs = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ iss: issuer.did, vc: { '@context': ['https://www.w3.org/2018/credentials/v1'] } })}.c2ln`;
      await expect(verifyCredential(hs, deps)).rejects.toMatchObject({
        code: 'unsupported_format',
        message: 'The signature algorithm HS256 is not supported; Tessera accepts EdDSA, Ed25519, ES256',
      });
    });

    it('a JWT without a signature', async () => {
      const raw = `${b64({ alg: 'EdDSA', typ: 'vc+jwt' })}.${b64({})}.`;
      await expect(verifyCredential(raw, deps)).rejects.toMatchObject({
        code: 'bad_signature',
        message: 'The credential is not signed (its JWT has no signature)',
      });
    });

    it('never returns a partial result: holder keys are not consulted before the signature verifies', async () => {
      let asked = 0;
      const holderKeys = {
        byDid: async () => {
          asked++;
          return holder.binding;
        },
        byJwk: async () => {
          asked++;
          return holder.binding;
        },
      };
      const raw = await issueJwtVc(issuer, { subjectDid: holder.did, claims: { a: 1 }, header: { kid: `${issuer.did}#x` } });
      await expect(verifyCredential(raw, { ...deps, holderKeys })).rejects.toMatchObject({ code: 'bad_signature' });
      expect(asked).toBe(0);
    });
  });
});
