import { DcqlQuery, type DcqlCredential } from 'dcql';
import { describe, expect, it } from 'vitest';
import type { CredentialRecord, CredentialStatusState } from '../credentials/types.ts';
import { matchDcql } from './dcql-match.ts';
import { jwtVcRecordFor } from '../../../test/support/presentation/credentials.ts';
import { createDidKey } from '../../../test/support/presentation/keys.ts';

const issuer = { did: 'did:example:issuer' };
const holder = createDidKey();

/** A JWT VC record for matching (the raw JWT is not looked at). */
function w3c(types: string[], subject: Record<string, unknown>, options: { id?: string; state?: CredentialStatusState; validUntil?: string } = {}) {
  return jwtVcRecordFor('eyJ.unused.jwt', { issuer, holder, types, ...options }, { type: ['VerifiableCredential', ...types], credentialSubject: subject });
}

function sdJwt(vct: string, claims: Record<string, unknown>, id?: string): CredentialRecord {
  return {
    ...w3c([], {}, id ? { id } : {}),
    format: 'dc+sd-jwt',
    types: [vct],
    vct,
    document: { iss: 'https://issuer.example', vct, ...claims },
  };
}

const query = (input: DcqlQuery.Input): DcqlQuery => {
  const parsed = DcqlQuery.parse(input);
  DcqlQuery.validate(parsed);
  return parsed;
};

const resident = (id: string, subject: Record<string, unknown>, state?: CredentialStatusState) =>
  w3c(['ResidentCredential'], { given_name: 'Ada', ...subject }, { id, ...(state ? { state } : {}) });

describe('matchDcql', () => {
  it('matches two credential queries of two formats, with requested claim paths', () => {
    const records = [
      resident('r1', { age_over_18: true }),
      w3c(['LibraryCard'], { given_name: 'Ada' }, { id: 'lib' }),
      sdJwt('urn:eu:pid:1', { family_name: 'Lovelace', address: { locality: 'London', street: 'St James' } }, 'pid1'),
    ];
    const match = matchDcql(
      query({
        credentials: [
          { id: 'resident', format: 'jwt_vc_json', meta: { type_values: [['ResidentCredential']] }, claims: [{ path: ['credentialSubject', 'given_name'] }] },
          { id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: ['urn:eu:pid:1'] }, claims: [{ path: ['family_name'] }, { path: ['address', 'locality'] }] },
        ],
      }),
      records,
    );
    expect(match.canBeSatisfied).toBe(true);
    const [residentMatch, pidMatch] = match.queries;
    expect(residentMatch).toMatchObject({ queryId: 'resident', format: 'jwt_vc_json', holderBinding: true, multiple: false });
    expect(residentMatch!.candidates.map((r) => r.id)).toEqual(['r1']);
    expect(residentMatch!.requestedPaths).toEqual([['credentialSubject', 'given_name']]);
    expect(residentMatch!.requestedPathsOf('r1')).toEqual([['credentialSubject', 'given_name']]);
    expect(pidMatch!.candidates.map((r) => r.id)).toEqual(['pid1']);
    expect(pidMatch!.requestedPathsOf('pid1')).toEqual([['family_name'], ['address', 'locality']]);
    expect(match.satisfiable(['resident', 'pid'])).toBe(true);
    expect(match.satisfiable(['resident'])).toBe(false);
  });

  it('reports nothing to offer when a required query has no match', () => {
    const match = matchDcql(
      query({ credentials: [{ id: 'x', format: 'jwt_vc_json', meta: { type_values: [['DriverLicence']] } }] }),
      [resident('r1', {})],
    );
    expect(match.canBeSatisfied).toBe(false);
    expect(match.queries[0]!.candidates).toEqual([]);
  });

  it('never offers revoked, suspended or expired credentials', () => {
    const records = [
      resident('revoked', {}, 'revoked'),
      resident('suspended', {}, 'suspended'),
      resident('expired', {}, 'expired'),
      w3c(['ResidentCredential'], { given_name: 'Ada' }, { id: 'past', validUntil: '2001-01-01T00:00:00Z' }),
      resident('unknown', {}, 'unknown'),
      resident('valid', {}),
    ];
    const q = query({ credentials: [{ id: 'r', format: 'jwt_vc_json', meta: { type_values: [['ResidentCredential']] }, multiple: true }] });
    expect(matchDcql(q, records, { now: Date.now() }).queries[0]!.candidates.map((r) => r.id)).toEqual(['unknown', 'valid']);
    expect(matchDcql(q, records.slice(0, 3)).canBeSatisfied).toBe(false);
  });

  it('claim_sets: each candidate gets the first claim set it satisfies', () => {
    const records = [resident('over18', { age_over_18: true }), resident('birthdate', { birthdate: '1815-12-10' }), resident('neither', {})];
    const match = matchDcql(
      query({
        credentials: [
          {
            id: 'age',
            format: 'jwt_vc_json',
            meta: { type_values: [['ResidentCredential']] },
            claims: [
              { id: 'over18', path: ['credentialSubject', 'age_over_18'], values: [true] },
              { id: 'birth', path: ['credentialSubject', 'birthdate'] },
              { id: 'name', path: ['credentialSubject', 'given_name'] },
            ],
            claim_sets: [
              ['over18', 'name'],
              ['birth', 'name'],
            ],
          },
        ],
      }),
      records,
    );
    const age = match.queries[0]!;
    expect(age.candidates.map((r) => r.id)).toEqual(['over18', 'birthdate']);
    expect(age.claimSetOf('over18')).toBe(0);
    expect(age.claimSetOf('birthdate')).toBe(1);
    expect(age.requestedPathsOf('over18')).toEqual([
      ['credentialSubject', 'age_over_18'],
      ['credentialSubject', 'given_name'],
    ]);
    expect(age.requestedPathsOf('birthdate')).toEqual([
      ['credentialSubject', 'birthdate'],
      ['credentialSubject', 'given_name'],
    ]);
    expect(age.requestedPaths).toHaveLength(3);
  });

  it('credential_sets: required and optional sets, alternatives, multiple', () => {
    const records = [resident('r1', {}), resident('r2', {}), sdJwt('urn:eu:pid:1', { family_name: 'Lovelace' }, 'pid1')];
    const q = query({
      credentials: [
        { id: 'mdl', format: 'dc+sd-jwt', meta: { vct_values: ['urn:mdl'] } },
        { id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: ['urn:eu:pid:1'] } },
        { id: 'resident', format: 'jwt_vc_json', meta: { type_values: [['ResidentCredential']] }, multiple: true },
        { id: 'loyalty', format: 'jwt_vc_json', meta: { type_values: [['LoyaltyCard']] } },
      ],
      credential_sets: [
        { options: [['mdl'], ['pid', 'resident']] },
        { options: [['loyalty']], required: false },
      ],
    });
    const match = matchDcql(q, records);
    expect(match.canBeSatisfied).toBe(true);
    expect(match.credentialSets).toEqual([
      { options: [['mdl'], ['pid', 'resident']], required: true, purpose: null, matchingOptions: [['pid', 'resident']] },
      { options: [['loyalty']], required: false, purpose: null, matchingOptions: [] },
    ]);
    expect(match.queries.find((m) => m.queryId === 'resident')!.candidates.map((r) => r.id)).toEqual(['r1', 'r2']);
    expect(match.satisfiable(['pid', 'resident'])).toBe(true);
    expect(match.satisfiable(['pid'])).toBe(false);
    expect(match.satisfiable(['mdl'])).toBe(true);
    expect(match.satisfiable(['mdl', 'loyalty'])).toBe(true);
    // A query outside every answered option is not asked for.
    expect(match.satisfiable(['mdl', 'pid'])).toBe(false);
    expect(match.satisfiable(['nope'])).toBe(false);

    expect(matchDcql(q, [resident('r1', {})]).canBeSatisfied).toBe(false);
  });

  it('values and wildcards', () => {
    const records = [
      sdJwt('urn:pid', { nationalities: ['DE', 'FR'], degrees: [{ type: 'BSc' }, { type: 'MSc' }] }, 'a'),
      sdJwt('urn:pid', { nationalities: ['IT'], degrees: [{ type: 'BSc' }] }, 'b'),
    ];
    const match = matchDcql(
      query({
        credentials: [
          { id: 'eu', format: 'dc+sd-jwt', meta: { vct_values: ['urn:pid'] }, claims: [{ path: ['nationalities', null], values: ['FR', 'IT'] }] },
          { id: 'msc', format: 'dc+sd-jwt', meta: { vct_values: ['urn:pid'] }, claims: [{ path: ['degrees', null, 'type'], values: ['MSc'] }] },
          { id: 'first', format: 'dc+sd-jwt', meta: { vct_values: ['urn:pid'] }, claims: [{ path: ['nationalities', 1] }] },
        ],
      }),
      records,
    );
    const [eu, msc, first] = match.queries;
    expect(eu!.candidates.map((r) => r.id)).toEqual(['a', 'b']);
    expect(eu!.requestedPathsOf('a')).toEqual([['nationalities', 1]]);
    expect(eu!.requestedPathsOf('b')).toEqual([['nationalities', 0]]);
    expect(msc!.candidates.map((r) => r.id)).toEqual(['a']);
    expect(msc!.requestedPathsOf('a')).toEqual([['degrees', 1, 'type']]);
    expect(first!.candidates.map((r) => r.id)).toEqual(['a']);
  });

  it('decides exactly as the dcql library does on the full credentials', () => {
    const records: CredentialRecord[] = [];
    const values = ['DE', 'FR', 'IT', 7, true, null, { nested: 1 }, ['x']];
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return Math.floor(seed / 65536) % n;
    };
    const pick = <T>(list: T[]): T => list[random(list.length)]!;
    for (let i = 0; i < 400; i++) {
      const subject: Record<string, unknown> = {};
      if (random(5)) subject.given_name = pick([`n${i}`, null, 3]);
      if (random(2)) subject.age_over_18 = pick([true, false, 'yes']);
      if (random(3)) subject.nationalities = random(4) ? Array.from({ length: random(3) }, () => pick(values)) : 'DE';
      if (random(5)) subject.address = random(6) ? { locality: pick(['Rome', 'Paris', 1, null]), street: 'x' } : ['not', 'an', 'object'];
      const types = [['ResidentCredential'], ['ResidentCredential', 'Extra'], ['Extra'], ['Other']][random(4)]!;
      records.push(w3c(types, subject, { id: `c${i}` }));
    }
    const queries: DcqlQuery.Input[] = [
      { credentials: [{ id: 'q', format: 'jwt_vc_json', meta: { type_values: [['ResidentCredential']] }, claims: [{ path: ['credentialSubject', 'given_name'] }] }] },
      {
        credentials: [
          {
            id: 'q',
            format: 'jwt_vc_json',
            meta: { type_values: [['Extra'], ['ResidentCredential', 'Other']] },
            claims: [{ path: ['credentialSubject', 'nationalities', null], values: ['FR', 7] }],
          },
        ],
      },
      {
        credentials: [
          {
            id: 'q',
            format: 'jwt_vc_json',
            meta: { type_values: [['ResidentCredential']] },
            claims: [
              { id: 'a', path: ['credentialSubject', 'age_over_18'], values: [true] },
              { id: 'l', path: ['credentialSubject', 'address', 'locality'] },
              { id: 'ad', path: ['credentialSubject', 'address'] },
              { id: 'n0', path: ['credentialSubject', 'nationalities', 0] },
              { id: 'n1', path: ['credentialSubject', 'nationalities', 1], values: ['FR', 'IT', true] },
            ],
            claim_sets: [['a', 'l'], ['n1', 'ad'], ['n0'], ['ad']],
          },
        ],
      },
    ];
    for (const input of queries) {
      const q = query(input);
      const ours = matchDcql(q, records).queries[0]!;
      const full: DcqlCredential[] = records.map((r) => ({ credential_format: 'jwt_vc_json', type: r.types, cryptographic_holder_binding: true, claims: r.document as never }));
      const theirs = DcqlQuery.query(q, full).credential_matches.q!;
      const expected = (theirs.valid_credentials ?? []).map((v) => [records[v.input_credential_index]!.id, v.claims.valid_claim_sets[0].claim_set_index ?? null]);
      expect(ours.candidates.map((r) => [r.id, ours.claimSetOf(r.id)])).toEqual(expected);
      expect(expected.length, JSON.stringify(input)).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(records.length);
    }
  });

  it('matches 10,000 held credentials quickly', () => {
    const records: CredentialRecord[] = [];
    const kinds = ['ResidentCredential', 'LibraryCard', 'HealthCard', 'StudentCard', 'EmployeeBadge'];
    for (let i = 0; i < 10_000; i++) {
      const kind = kinds[i % kinds.length]!;
      records.push(
        i % 4 === 3
          ? sdJwt(`urn:${kind}`, { given_name: `g${i}`, family_name: `f${i}`, age_over_18: i % 3 !== 0 }, `s${i}`)
          : w3c([kind], { given_name: `g${i}`, family_name: `f${i}`, age_over_18: i % 3 !== 0 }, { id: `w${i}`, ...(i % 50 === 0 ? { state: 'revoked' as const } : {}) }),
      );
    }
    const q = query({
      credentials: [
        {
          id: 'resident',
          format: 'jwt_vc_json',
          multiple: true,
          meta: { type_values: [['ResidentCredential']] },
          claims: [{ path: ['credentialSubject', 'given_name'] }, { path: ['credentialSubject', 'age_over_18'], values: [true] }],
        },
        { id: 'card', format: 'dc+sd-jwt', multiple: true, meta: { vct_values: ['urn:LibraryCard', 'urn:HealthCard'] }, claims: [{ path: ['family_name'] }] },
      ],
    });
    const allResidents = query({ credentials: [{ id: 'all', format: 'jwt_vc_json', meta: { type_values: [['VerifiableCredential']] }, claims: [{ path: ['credentialSubject', 'given_name'] }] }] });
    matchDcql(q, records); // warm up
    const times: number[] = [];
    let match = matchDcql(q, records);
    for (let run = 0; run < 5; run++) {
      const start = performance.now();
      match = matchDcql(q, records);
      times.push(performance.now() - start);
    }
    const allStart = performance.now();
    const everything = matchDcql(allResidents, records);
    const allTime = performance.now() - allStart;
    const median = times.sort((a, b) => a - b)[2]!;
    console.log(
      `matchDcql over 10,000 credentials: median ${median.toFixed(1)} ms (${match.queries.map((m) => `${m.queryId}: ${m.candidates.length}`).join(', ')}); ` +
        `a query every JWT VC answers: ${allTime.toFixed(1)} ms (${everything.queries[0]!.candidates.length} candidates)`,
    );
    expect(match.queries[0]!.candidates.length).toBeGreaterThan(0);
    expect(match.queries[1]!.candidates.length).toBe(1000);
    expect(median).toBeLessThan(500); // generous: CI machines vary; the printed figure is what counts
  });
});
