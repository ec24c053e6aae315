/**
 * A JWT credential leaves whole when presented, so every member outside
 * `credentialSubject` that is not envelope must be a listed claim (the consent window
 * shows the record's claims), and DCQL must still match by path.
 */
import { DcqlQuery } from 'dcql';
import { beforeAll, describe, expect, it } from 'vitest';
import { matchDcql } from '../../presentation/dcql-match.ts';
import { CredentialError } from '../errors.ts';
import { createTestHolder, createTestIssuer, fakeHolderKeys, signJwt, testResolver, type TestHolder, type TestIssuer } from '../../../../test/support/issuers.ts';
import type { CredentialRecord, VerifiedCredential } from '../types.ts';
import { verifyCredential } from '../verify-credential.ts';
import type { CredentialDeps } from './binding.ts';

/** 1 June 2025, noon UTC, in seconds; credentials are valid a day either side. */
const nowS = Date.UTC(2025, 5, 1, 12, 0, 0) / 1000;
const DAY = 86_400;

let issuer: TestIssuer, holder: TestHolder, deps: CredentialDeps;
beforeAll(async () => {
  [issuer, holder] = await Promise.all([createTestIssuer(), createTestHolder()]);
  deps = { now: nowS * 1000, resolver: testResolver(), holderKeys: fakeHolderKeys([holder]) };
});

/** Members outside credentialSubject that carry data about the holder or the issuance. */
const outsideMembers = {
  evidence: [{ type: ['DocumentVerification'], verifier: 'https://ca.example', evidenceDocument: 'Passport' }],
  termsOfUse: { type: 'IssuerPolicy', id: 'https://issuer.example/policy/7' },
  refreshService: { type: 'ManualRefreshService2018', id: 'https://issuer.example/refresh/ada' },
  nickname: 'Ace',
};

const envelopeMembers = {
  credentialSchema: { id: 'https://issuer.example/schema.json', type: 'JsonSchema' },
  credentialStatus: {
    id: 'https://issuer.example/status/1#5',
    type: 'BitstringStatusListEntry',
    statusPurpose: 'revocation',
    statusListIndex: '5',
    statusListCredential: 'https://issuer.example/status/1',
  },
};

const jwtDates = () => ({ iat: nowS - DAY, nbf: nowS - DAY, exp: nowS + DAY, jti: 'urn:uuid:0c1d5e4f-9a0e-4c3c-8f4b-5d0b7d4b4c11' });

/** A VC-JWT 1.1 signed directly, so it may carry JWT claims beside `vc`. */
const signJwtVc = (vc: Record<string, unknown>, beside: Record<string, unknown> = {}) =>
  signJwt(
    issuer,
    {
      iss: issuer.did,
      sub: holder.did,
      ...jwtDates(),
      ...beside,
      vc: {
        '@context': ['https://www.w3.org/2018/credentials/v1'],
        type: ['VerifiableCredential', 'ResidentCredential'],
        credentialSubject: { given_name: 'Ada' },
        ...vc,
      },
    },
    { typ: 'JWT' },
  );

const paths = (verified: VerifiedCredential) => verified.claims.map((claim) => claim.path);

const outsidePaths = [
  ['evidence', 0, 'type', 0],
  ['evidence', 0, 'verifier'],
  ['evidence', 0, 'evidenceDocument'],
  ['termsOfUse', 'type'],
  ['termsOfUse', 'id'],
  ['refreshService', 'type'],
  ['refreshService', 'id'],
  ['nickname'],
];

const record = (verified: VerifiedCredential): CredentialRecord => ({
  ...verified,
  id: 'c1',
  receivedAt: '2025-06-01T00:00:00.000Z',
  receivedFrom: 'import',
  statusResult: { state: 'valid', checkedAt: null, reason: null, nextCheckAt: null },
});

describe('claims outside credentialSubject', () => {
  it('jwt_vc_json: lists vc members, issuer extras and JWT claims beside vc; not the envelope', async () => {
    const raw = await signJwtVc(
      { ...outsideMembers, ...envelopeMembers, issuer: { name: 'Example Issuer', contact: 'desk@issuer.example' } },
      { aud: 'https://rp.example', membership: { level: 'gold' } },
    );
    const verified = await verifyCredential(raw, deps);
    expect(paths(verified)).toEqual([
      ['credentialSubject', 'id'],
      ['credentialSubject', 'given_name'],
      ...outsidePaths,
      ['issuer', 'contact'],
      ['aud'],
      ['membership', 'level'],
    ]);
    expect(verified.claims).toContainEqual({ path: ['evidence', 0, 'verifier'], value: 'https://ca.example', disclosable: false });
    expect(verified.claims).toContainEqual({ path: ['membership', 'level'], value: 'gold', disclosable: false });
  });

  it('jwt_vc_json: refuses a JWT claim beside vc named like a member of the credential', async () => {
    const raw = await signJwtVc(outsideMembers, { evidence: [{ verifier: 'https://other.example' }] });
    const error = await verifyCredential(raw, deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialError);
    expect(error).toMatchObject({
      code: 'malformed',
      message: "The JWT claim 'evidence' beside 'vc' clashes with the credential's own member 'evidence'",
    });
  });

  it('vc+jwt: lists members and non-envelope JWT claims of the payload', async () => {
    const raw = await signJwt(
      issuer,
      {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        type: ['VerifiableCredential', 'UniversityDegreeCredential'],
        issuer: { id: issuer.did, name: 'Example University', description: 'A university', image: 'https://uni.example/logo.png' },
        validFrom: '2025-01-01T00:00:00Z',
        credentialSubject: { id: holder.did, degree: 'Physics' },
        ...outsideMembers,
        ...envelopeMembers,
        iss: issuer.did,
        sub: holder.did,
        ...jwtDates(),
        cnf: { kid: `${holder.did}#0` },
      },
      { typ: 'vc+jwt' },
    );
    const verified = await verifyCredential(raw, deps);
    expect(paths(verified)).toEqual([['credentialSubject', 'id'], ['credentialSubject', 'degree'], ...outsidePaths, ['cnf', 'kid']]);
  });

  it('keeps DCQL matching by path, for credentialSubject and for members outside it', async () => {
    const verified = await verifyCredential(await signJwtVc(outsideMembers), deps);
    const query = DcqlQuery.parse({
      credentials: [
        {
          id: 'resident',
          format: 'jwt_vc_json',
          meta: { type_values: [['ResidentCredential']] },
          claims: [{ path: ['credentialSubject', 'given_name'] }, { path: ['evidence', null, 'verifier'] }],
        },
      ],
    });
    const match = matchDcql(query, [record(verified)]);
    expect(match.canBeSatisfied).toBe(true);
    expect(match.queries[0]!.requestedPathsOf('c1')).toEqual([
      ['credentialSubject', 'given_name'],
      ['evidence', 0, 'verifier'],
    ]);
    // Every requested path is a listed claim, so the consent window can show it as asked for.
    for (const path of match.queries[0]!.requestedPathsOf('c1')) expect(paths(verified)).toContainEqual(path);
  });
});
