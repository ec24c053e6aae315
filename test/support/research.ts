/**
 * TEST ONLY. Research access as /tmp/research/contract.md shapes it: an accreditation
 * body's ResearchAccreditation JWT VC (did-jwt-vc), the requester's VP JWT (jose), the
 * body's Bitstring status list, and the children's clinic's pediatric health SD-JWT VC
 * (@sd-jwt). Signed with libraries independent of the wallet's own verification code.
 */
import type { RequestDataAccessParams } from '../../src/protocol/rpc.ts';
import { issueJwtVc, issueSdJwtVc, signJwt, type TestKey } from './issuers.ts';
import { bitstringWith, encodeBitstring, signVcJwt11, type TestIssuer as StatusSigner } from './status-lists.ts';

export const HEALTH_VCT = 'urn:tessera:demo:PediatricHealthSummary:1';
export const STUDY_ID = 'AICH-2026-014';
export const INSTITUTION = 'Aldmere Institute for Child Health';
const YEAR_S = 365 * 86_400;
const seconds = (ms = Date.now()) => Math.floor(ms / 1000);

/** The study of the contract, approved for two more years from now. */
export function studyClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: STUDY_ID,
    title: 'Childhood asthma and air quality',
    ethicsApproval: 'AERB-2026-117',
    dataUses: ['duo:0000006', 'duo:0000007'],
    dataCategories: ['health'],
    claims: [['age_band'], ['region'], ['diagnosis_codes']],
    validUntil: new Date(Date.now() + 2 * YEAR_S * 1000).toISOString(),
    ...overrides,
  };
}

export interface AccreditationOptions {
  origins: string[];
  studies?: Record<string, unknown>[];
  /** Defaults: nbf a minute ago, exp in a year. */
  nbf?: number;
  exp?: number;
  jti?: string;
  status?: { listUrl: string; index: number };
  /** `credentialSubject` members to add or override. */
  subject?: Record<string, unknown>;
  types?: string[];
}

/** A ResearchAccreditation (VCDM 1.1 `jwt_vc_json`) by `body` for `requesterDid`. */
export function issueAccreditation(body: TestKey, requesterDid: string, options: AccreditationOptions): Promise<string> {
  return issueJwtVc(body, {
    subjectDid: requesterDid,
    types: options.types ?? ['ResearchAccreditation'],
    nbf: options.nbf ?? seconds() - 60,
    exp: options.exp ?? seconds() + YEAR_S,
    jti: options.jti ?? `urn:uuid:${crypto.randomUUID()}`,
    claims: {
      name: INSTITUTION,
      origins: options.origins,
      affiliationAndRole: 'researcher@aich.example',
      researcherStatus: 'bona fide researcher',
      studies: options.studies ?? [studyClaims()],
      ...options.subject,
    },
    vc: { issuer: body.did },
    ...(options.status ? { status: [{ kind: 'bitstring', purpose: 'revocation', index: options.status.index, listUrl: options.status.listUrl }] } : {}),
  });
}

export interface RequesterVpOptions {
  origin: string;
  nonce: string;
  /** The credentials the VP holds (the accreditation JWT, usually). */
  credentials: string[];
  study?: string;
  /** Defaults: iat now, exp five minutes later; `exp: null` leaves it out. */
  iat?: number;
  exp?: number | null;
  /** Overrides `origin:<origin>`. */
  aud?: string;
}

/** The `requester` param: a VP JWT by the requester's DID for this origin and nonce. */
export function signRequesterVp(requester: TestKey, options: RequesterVpOptions): Promise<string> {
  const iat = options.iat ?? seconds();
  const exp = options.exp === undefined ? iat + 300 : options.exp;
  return signJwt(
    requester,
    {
      iss: requester.did,
      aud: options.aud ?? `origin:${options.origin}`,
      nonce: options.nonce,
      iat,
      ...(exp === null ? {} : { exp }),
      jti: `urn:uuid:${crypto.randomUUID()}`,
      ...(options.study === undefined ? {} : { study: options.study }),
      vp: {
        '@context': ['https://www.w3.org/2018/credentials/v1'],
        type: ['VerifiablePresentation'],
        holder: requester.did,
        verifiableCredential: options.credentials,
      },
    },
    { typ: 'JWT' },
  );
}

/** The body's revocation list (VC-JWT 1.1 BitstringStatusListCredential) with `revoked` indexes set. */
export async function accreditationStatusList(body: TestKey, listUrl: string, revoked: number[]): Promise<string> {
  const signer: StatusSigner = { did: body.did, kid: body.kid, sign: (payload, header = {}) => signJwt(body, payload, header) };
  return signVcJwt11(signer, listUrl, { encodedList: await encodeBitstring(bitstringWith(revoked)) });
}

/** YYYY-MM-DD of a time (ms). */
export const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * The clinic's pediatric health summary for a child coming of age on `comesOfAge`
 * (YYYY-MM-DD), held by the parent (`cnf.jwk`); every claim selectively disclosable.
 */
export function issueChildHealthSummary(clinic: TestKey, holderJwk: JsonWebKey, comesOfAge: string): Promise<string> {
  const born = `${Number(comesOfAge.slice(0, 4)) - 18}${comesOfAge.slice(4)}`;
  const claims = {
    given_name: 'Mira',
    family_name: 'Okafor',
    birthdate: born,
    birth_year: Number(born.slice(0, 4)),
    age_band: '5-9',
    address: { street_address: '12 Harbour Lane', locality: 'Aldmere', postal_code: 'AL1 4QT' },
    region: 'Aldmere North',
    diagnosis_codes: ['J45.909'],
    medical_record_number: 'MRN-0042-7781',
    holder_relationship: 'parent',
    coming_of_age_date: comesOfAge,
  };
  const top = Object.keys(claims);
  const address = Object.keys(claims.address).map((name) => `address.${name}`);
  return issueSdJwtVc(clinic, { vct: HEALTH_VCT, holderJwk, claims, disclosable: [...top, ...address] });
}

/** The research portal's request of the contract (AI training added when its box is ticked on the page). */
export function researchRequest(options: { nonce: string; requester?: string; aiTraining?: boolean }): RequestDataAccessParams {
  return {
    purpose: ['dpv:ScientificResearch', 'duo:0000006', ...(options.aiTraining ? ['tessera:AIModelTraining'] : [])],
    dcql_query: {
      credentials: [
        {
          id: 'child_health',
          format: 'dc+sd-jwt',
          meta: { vct_values: [HEALTH_VCT] },
          claims: [
            { id: 'birthdate', path: ['birthdate'] },
            { id: 'address', path: ['address'] },
            { id: 'age_band', path: ['age_band'] },
            { id: 'region', path: ['region'] },
            { id: 'dx', path: ['diagnosis_codes'] },
          ],
          claim_sets: [
            ['birthdate', 'address', 'dx'],
            ['age_band', 'region', 'dx'],
          ],
        },
      ],
    },
    nonce: options.nonce,
    duration_days: 365,
    retention_days: 730,
    ...(options.requester === undefined ? {} : { requester: options.requester }),
  };
}
