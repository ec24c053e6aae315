import { DcqlQuery } from 'dcql';
import { describe, expect, it } from 'vitest';
import { jwtVcRecordFor } from '../../../test/support/presentation/credentials.ts';
import { createDidKey } from '../../../test/support/presentation/keys.ts';
import { HEALTH_VCT, researchRequest } from '../../../test/support/research.ts';
import type { CredentialRecord } from '../credentials/types.ts';
import { matchDcql } from '../presentation/dcql-match.ts';
import { leastIdentifyingClaimSet } from './claim-set-choice.ts';

const holder = createDidKey();

function parsed(input: DcqlQuery.Input): DcqlQuery {
  const query = DcqlQuery.parse(input);
  DcqlQuery.validate(query);
  return query;
}

/** The portal's query: precise set first, generalised second. */
const portalQuery = () => parsed(researchRequest({ nonce: 'research-nonce-0001' }).dcql_query as DcqlQuery.Input);

const withSets = (claimSets: string[][]) =>
  parsed({
    credentials: [
      {
        id: 'q',
        format: 'dc+sd-jwt',
        meta: { vct_values: [HEALTH_VCT] },
        claims: [
          { id: 'birthdate', path: ['birthdate'] },
          { id: 'age_band', path: ['age_band'] },
          { id: 'region', path: ['region'] },
          { id: 'birth_year', path: ['birth_year'] },
        ],
        claim_sets: claimSets,
      },
    ],
  });

/** An SD-JWT VC record for matching (its raw form is not looked at). */
function healthRecord(id: string, claims: Record<string, unknown>): CredentialRecord {
  return {
    ...jwtVcRecordFor('eyJ.unused.jwt', { issuer: { did: 'did:example:clinic' }, holder, types: [], id }, { type: ['VerifiableCredential'], credentialSubject: {} }),
    format: 'dc+sd-jwt',
    types: [HEALTH_VCT],
    vct: HEALTH_VCT,
    document: { iss: 'did:example:clinic', vct: HEALTH_VCT, ...claims },
  };
}

const full = healthRecord('both', {
  birthdate: '2018-04-02',
  address: { street_address: '12 Harbour Lane', locality: 'Aldmere' },
  age_band: '5-9',
  region: 'Aldmere North',
  diagnosis_codes: ['J45.909'],
});

describe('leastIdentifyingClaimSet', () => {
  it('picks the satisfied set with the fewest direct identifiers', () => {
    const choose = leastIdentifyingClaimSet(portalQuery().credentials[0]!)!;
    expect(choose([0, 1])).toBe(1);
    expect(choose([1, 0])).toBe(1);
    expect(choose([0])).toBe(0);
  });

  it("keeps the verifier's order when sets are equally identifying", () => {
    const choose = leastIdentifyingClaimSet(withSets([['birthdate'], ['age_band', 'region'], ['birth_year'], ['region']]).credentials[0]!)!;
    expect(choose([0, 1, 2, 3])).toBe(1);
    expect(choose([0, 2, 3])).toBe(2);
    expect(choose([2, 3])).toBe(2);
  });

  it('has nothing to choose without claim_sets', () => {
    const query = parsed({ credentials: [{ id: 'q', format: 'dc+sd-jwt', meta: { vct_values: [HEALTH_VCT] }, claims: [{ path: ['age_band'] }] }] });
    expect(leastIdentifyingClaimSet(query.credentials[0]!)).toBeUndefined();
  });
});

describe('matchDcql with the research chooser', () => {
  it('answers by the generalised set for a record that has both, and says it minimised', () => {
    const match = matchDcql(portalQuery(), [full], { chooseClaimSet: leastIdentifyingClaimSet });
    const [query] = match.queries;
    expect(query!.claimSetOf('both')).toBe(1);
    expect(query!.minimisedFor('both')).toBe(true);
    expect(query!.requestedPathsOf('both')).toEqual([['age_band'], ['region'], ['diagnosis_codes']]);
  });

  it("without research (no chooser) answers by the verifier's first set, not minimised", () => {
    const match = matchDcql(portalQuery(), [full]);
    const [query] = match.queries;
    expect(query!.claimSetOf('both')).toBe(0);
    expect(query!.minimisedFor('both')).toBe(false);
    expect(query!.requestedPathsOf('both')).toEqual([['birthdate'], ['address'], ['diagnosis_codes']]);
  });

  it('a record that can only answer the generalised set answers by it, with nothing minimised', () => {
    const generalised = healthRecord('general', { age_band: '5-9', region: 'Aldmere North', diagnosis_codes: ['J45.909'] });
    const [query] = matchDcql(portalQuery(), [generalised], { chooseClaimSet: leastIdentifyingClaimSet }).queries;
    expect(query!.claimSetOf('general')).toBe(1);
    expect(query!.minimisedFor('general')).toBe(false);
  });
});
