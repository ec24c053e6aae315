import { beforeAll, describe, expect, it } from 'vitest';
import { CredentialError } from '../errors.ts';
import {
  createTestHolder,
  createTestIssuer,
  fakeHolderKeys,
  issueJwtVc,
  signJwt,
  testResolver,
  withEditedPayload,
  withTamperedSignature,
  type TestHolder,
  type TestIssuer,
} from '../../../../test/support/issuers.ts';
import type { DidResolver } from '../types.ts';
import { verifyCredential } from '../verify-credential.ts';
import type { CredentialDeps } from './binding.ts';

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
const nowS = NOW / 1000;
const DAY = 86_400;

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
    createTestIssuer(),
    createTestHolder(),
    createTestHolder(),
  ]);
  deps = { resolver: testResolver(), holderKeys: fakeHolderKeys([holder]), now: NOW };
});

const issue = (overrides: Partial<Parameters<typeof issueJwtVc>[1]> = {}, by: TestIssuer = issuer) =>
  issueJwtVc(by, {
    subjectDid: holder.did,
    claims: { given_name: 'Ada', birth: { year: 1990, place: 'Berlin' }, nationalities: ['DE', 'FR'] },
    types: ['ResidentCredential'],
    iat: nowS - DAY,
    nbf: nowS - DAY,
    exp: nowS + 365 * DAY,
    ...overrides,
  });

/** A VC-JWT that did-jwt-vc would refuse to create, signed directly with jose. */
const signVc = (vc: Record<string, unknown>) =>
  signJwt(
    issuer,
    {
      iss: issuer.did,
      sub: holder.did,
      vc: {
        '@context': ['https://www.w3.org/2018/credentials/v1'],
        type: ['VerifiableCredential'],
        credentialSubject: { given_name: 'Ada' },
        ...vc,
      },
    },
    { typ: 'JWT' },
  );

describe('jwt_vc_json (VC-JWT 1.1)', () => {
  it('accepts a did-jwt-vc credential and reconstructs the VC per VC-JWT 1.1', async () => {
    const raw = await issue({
      jti: 'urn:uuid:5e0ad2a6-8f4b-4c3c-9a0e-5d0b7d4b4c11',
      status: [{ kind: 'bitstring', purpose: 'revocation', index: 94567, listUrl: 'https://issuer.example/status/1' }],
    });
    const verified = await verifyCredential(raw, deps);

    expect(verified.format).toBe('jwt_vc_json');
    expect(verified.raw).toBe(raw);
    expect(verified.issuer).toBe(issuer.did);
    expect(verified.types).toEqual(['VerifiableCredential', 'ResidentCredential']);
    expect(verified.vct).toBeNull();
    expect(verified.holder).toEqual(holder.binding);
    expect(verified.issuedAt).toBe(new Date((nowS - DAY) * 1000).toISOString());
    expect(verified.validFrom).toBe(new Date((nowS - DAY) * 1000).toISOString());
    expect(verified.validUntil).toBe(new Date((nowS + 365 * DAY) * 1000).toISOString());
    expect(verified.status).toEqual([
      { kind: 'bitstring', purpose: 'revocation', index: 94567, listUrl: 'https://issuer.example/status/1' },
    ]);
    expect(verified.document).toEqual({
      '@context': ['https://www.w3.org/2018/credentials/v1'],
      id: 'urn:uuid:5e0ad2a6-8f4b-4c3c-9a0e-5d0b7d4b4c11',
      type: ['VerifiableCredential', 'ResidentCredential'],
      issuer: issuer.did,
      issuanceDate: verified.validFrom,
      expirationDate: verified.validUntil,
      credentialSubject: {
        id: holder.did,
        given_name: 'Ada',
        birth: { year: 1990, place: 'Berlin' },
        nationalities: ['DE', 'FR'],
      },
      credentialStatus: [
        {
          id: 'https://issuer.example/status/1#94567',
          type: 'BitstringStatusListEntry',
          statusPurpose: 'revocation',
          statusListIndex: '94567',
          statusListCredential: 'https://issuer.example/status/1',
        },
      ],
    });
    expect(verified.claims).toEqual([
      { path: ['credentialSubject', 'id'], value: holder.did, disclosable: false },
      { path: ['credentialSubject', 'given_name'], value: 'Ada', disclosable: false },
      { path: ['credentialSubject', 'birth', 'year'], value: 1990, disclosable: false },
      { path: ['credentialSubject', 'birth', 'place'], value: 'Berlin', disclosable: false },
      { path: ['credentialSubject', 'nationalities', 0], value: 'DE', disclosable: false },
      { path: ['credentialSubject', 'nationalities', 1], value: 'FR', disclosable: false },
    ]);
  });

  it('accepts a P-256 (ES256) issuer with a did:jwk', async () => {
    const verified = await verifyCredential(await issue({}, p256Issuer), deps);
    expect(verified.issuer).toBe(p256Issuer.did);
    expect(verified.holder.did).toBe(holder.did);
  });

  it('keeps an issuer object and sets its id from iss; no dates when the JWT has none', async () => {
    const raw = await issue({ nbf: undefined, exp: undefined, vc: { issuer: { name: 'City Registry' } } });
    const verified = await verifyCredential(raw, deps);
    expect(verified.document.issuer).toEqual({ name: 'City Registry', id: issuer.did });
    expect(verified.validFrom).toBeNull();
    expect(verified.validUntil).toBeNull();
    expect(verified.document).not.toHaveProperty('expirationDate');
  });

  it('binds by credentialSubject.id when there is no sub', async () => {
    const raw = await signJwt(
      issuer,
      {
        iss: issuer.did,
        vc: {
          '@context': ['https://www.w3.org/2018/credentials/v1'],
          type: 'VerifiableCredential',
          credentialSubject: { id: holder.did, over_18: true },
        },
      },
      { typ: 'JWT' },
    );
    const verified = await verifyCredential(raw, deps);
    expect(verified.holder).toEqual(holder.binding);
    expect(verified.types).toEqual(['VerifiableCredential']);
    expect(verified.claims).toContainEqual({ path: ['credentialSubject', 'over_18'], value: true, disclosable: false });
  });

  it('allows 60 seconds of clock skew', async () => {
    await expect(verifyCredential(await issue({ exp: nowS - 50 }), deps)).resolves.toBeTruthy();
    await expect(verifyCredential(await issue({ nbf: nowS + 50 }), deps)).resolves.toBeTruthy();
  });

  describe('refuses', () => {
    it('a tampered signature byte', async () => {
      const raw = withTamperedSignature(await issue());
      await expect(verifyCredential(raw, deps)).rejects.toMatchObject({
        name: 'CredentialError',
        code: 'bad_signature',
        message: expect.stringMatching(/signature does not verify .*altered or not signed by did:key:/),
      });
    });

    it('an edited payload', async () => {
      const raw = withEditedPayload(await issue(), (p) => {
        (p.vc as { credentialSubject: Record<string, unknown> }).credentialSubject.given_name = 'Eve';
      });
      await expect(verifyCredential(raw, deps)).rejects.toMatchObject({ code: 'bad_signature' });
    });

    it('a credential whose iss was swapped to another DID', async () => {
      const raw = withEditedPayload(await issue({ header: { kid: other.kid } }), (p) => {
        p.iss = other.did;
      });
      await expect(verifyCredential(raw, deps)).rejects.toMatchObject({
        code: 'bad_signature',
        message: expect.stringContaining(`not signed by ${other.did}`),
      });
    });

    it('a kid of another DID', async () => {
      const raw = await issue({ header: { kid: other.kid } });
      await expect(verifyCredential(raw, deps)).rejects.toMatchObject({
        code: 'bad_signature',
        message: `The key ${other.kid} does not belong to ${issuer.did}`,
      });
    });

    it('an expired credential, naming the date', async () => {
      const raw = await issue({ exp: nowS - 3600 });
      await expect(verifyCredential(raw, deps)).rejects.toMatchObject({
        code: 'expired',
        message: `The credential expired on ${new Date((nowS - 3600) * 1000).toISOString()}`,
      });
    });

    it('a credential not yet valid, naming the date', async () => {
      const raw = await issue({ nbf: nowS + DAY });
      await expect(verifyCredential(raw, deps)).rejects.toMatchObject({
        code: 'not_yet_valid',
        message: `The credential is not valid until ${new Date((nowS + DAY) * 1000).toISOString()}`,
      });
    });

    it('a credential bound to a DID the wallet does not hold', async () => {
      const raw = await issue({ subjectDid: stranger.did });
      await expect(verifyCredential(raw, deps)).rejects.toMatchObject({
        code: 'not_bound',
        message: `The credential is bound to ${stranger.did}, which this wallet does not hold`,
      });
    });

    it('a credential with no subject', async () => {
      const raw = await signJwt(issuer, {
        iss: issuer.did,
        vc: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiableCredential'], credentialSubject: { a: 1 } },
      });
      await expect(verifyCredential(raw, deps)).rejects.toMatchObject({ code: 'not_bound', message: expect.stringContaining('names no subject') });
    });

    it('sub and credentialSubject.id that disagree', async () => {
      const raw = await issue({ vc: { credentialSubject: { id: stranger.did, given_name: 'Ada' } } });
      await expect(verifyCredential(raw, deps)).rejects.toMatchObject({
        code: 'malformed',
        message: `The JWT subject 'sub' (${holder.did}) differs from vc.credentialSubject.id (${stranger.did})`,
      });
    });

    it('an issuer that cannot be resolved', async () => {
      const resolver: DidResolver = {
        resolve: async () => ({ didDocument: null, didResolutionMetadata: { error: 'notFound' } }),
      };
      await expect(verifyCredential(await issue(), { ...deps, resolver })).rejects.toMatchObject({
        code: 'unresolvable_issuer',
        message: `Cannot resolve ${issuer.did}: notFound`,
      });
    });

    it('a resolver that fails', async () => {
      const resolver: DidResolver = {
        resolve: async () => {
          throw new Error('network down');
        },
      };
      await expect(verifyCredential(await issue(), { ...deps, resolver })).rejects.toMatchObject({
        code: 'unresolvable_issuer',
        message: `Cannot resolve the issuer ${issuer.did}: network down`,
      });
    });

    it('an issuer that is not a DID', async () => {
      const raw = withEditedPayload(await issue(), (p) => {
        p.iss = 'https://issuer.example';
      });
      await expect(verifyCredential(raw, deps)).rejects.toMatchObject({
        code: 'unresolvable_issuer',
        message: expect.stringContaining("'https://issuer.example' is not a DID"),
      });
    });

    it('an unsigned (alg none) credential', async () => {
      const raw = await issue();
      const [, payload] = raw.split('.');
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      await expect(verifyCredential(`${header}.${payload}.`, deps)).rejects.toMatchObject({ code: 'bad_signature' });
    });

    it('a VC 2.0 credential inside a vc claim', async () => {
      const raw = await signVc({ '@context': ['https://www.w3.org/ns/credentials/v2'] });
      await expect(verifyCredential(raw, deps)).rejects.toMatchObject({
        code: 'unsupported_format',
        message: expect.stringContaining('typ "vc+jwt"'),
      });
    });

    it('a credential without the VerifiableCredential type', async () => {
      const raw = await signVc({ type: ['ResidentCredential'] });
      await expect(verifyCredential(raw, deps)).rejects.toMatchObject({
        code: 'malformed',
        message: 'vc.type does not include VerifiableCredential',
      });
    });

    it('with a CredentialError every time', async () => {
      const error = await verifyCredential(withTamperedSignature(await issue()), deps).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CredentialError);
    });
  });
});
