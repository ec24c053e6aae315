import { describe, expect, it } from 'vitest';
import { DCQL_LIMITS } from '../../protocol/limits.ts';
import { parseDcqlQuery } from './dcql-query.ts';
import { ProtocolError } from './errors.ts';

const claim = (i: number) => ({ id: `c${i}`, path: ['credentialSubject', `claim_${i}`] });
const credential = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  format: 'jwt_vc_json',
  meta: { type_values: [['ResidentCredential']] },
  claims: [claim(0)],
  ...extra,
});
const times = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));

/** The invalid_request description parseDcqlQuery refuses `query` with. */
function refusal(query: unknown): string {
  try {
    parseDcqlQuery(query);
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    return (error as ProtocolError).description;
  }
  throw new Error('expected the query to be refused');
}

describe('DCQL query limits', () => {
  it('accepts a query at each limit (the limits together would pass 64 KiB)', () => {
    const L = DCQL_LIMITS;
    const ids = times(L.credentials, (i) => `q${i}`);
    const credentialSets = times(L.credentialSets, () => ({ options: times(L.optionsPerSet, () => ids.slice(0, L.idsPerOption)) }));
    expect(parseDcqlQuery({ credentials: ids.map((id) => credential(id)), credential_sets: credentialSets }).credentials).toHaveLength(L.credentials);
    const wide = credential('pid', {
      claims: times(L.claimsPerCredential, (j) => ({ id: `c${j}`, path: times(L.claimPathLength, (k) => `p${k}`) })),
      claim_sets: times(L.claimSets, () => times(L.claimSetSize, (j) => `c${j}`)),
      meta: { type_values: times(L.typeValues, () => times(L.typesPerAlternative, (t) => `T${t}`)) },
    });
    expect(parseDcqlQuery({ credentials: [wide] }).credentials[0]?.claims).toHaveLength(L.claimsPerCredential);
    const valued = credential('pid', { claims: [{ path: ['x'.repeat(L.stringLength)], values: times(L.claimValues, (v) => v) }] });
    expect(parseDcqlQuery({ credentials: [valued] }).credentials).toHaveLength(1);
  });

  it.each([
    ['credentials', { credentials: times(17, (i) => credential(`q${i}`)) }, 'dcql_query.credentials: at most 16 credential queries (got 17)'],
    ['claims', { credentials: [credential('pid', { claims: times(65, claim) })] }, 'dcql_query.credentials[0].claims: at most 64 claims (got 65)'],
    [
      'a claim path',
      { credentials: [credential('pid', { claims: [claim(0), { path: times(17, (i) => `p${i}`) }] })] },
      'dcql_query.credentials[0].claims[1].path: at most 16 path elements (got 17)',
    ],
    [
      'claim values',
      { credentials: [credential('pid', { claims: [{ path: ['x'], values: times(65, (i) => i) }] })] },
      'dcql_query.credentials[0].claims[0].values: at most 64 values (got 65)',
    ],
    ['claim sets', { credentials: [credential('pid', { claim_sets: times(17, () => ['c0']) })] }, 'dcql_query.credentials[0].claim_sets: at most 16 claim sets (got 17)'],
    [
      'a claim set',
      { credentials: [credential('pid', { claim_sets: [['c0'], times(65, () => 'c0')] })] },
      'dcql_query.credentials[0].claim_sets[1]: at most 64 claim ids (got 65)',
    ],
    [
      'type alternatives',
      { credentials: [credential('pid', { meta: { type_values: times(17, () => ['T']) } })] },
      'dcql_query.credentials[0].meta.type_values: at most 16 alternatives (got 17)',
    ],
    [
      'types of an alternative',
      { credentials: [credential('pid', { meta: { type_values: [times(17, (i) => `T${i}`)] } })] },
      'dcql_query.credentials[0].meta.type_values[0]: at most 16 types (got 17)',
    ],
    [
      'vct values',
      { credentials: [{ id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: times(17, (i) => `urn:vct:${i}`) } }] },
      'dcql_query.credentials[0].meta.vct_values: at most 16 types (got 17)',
    ],
    [
      'trusted authorities',
      { credentials: [credential('pid', { trusted_authorities: times(17, () => ({ type: 'aki', values: ['x'] })) })] },
      'dcql_query.credentials[0].trusted_authorities: at most 16 authorities (got 17)',
    ],
    [
      'credential sets',
      { credentials: [credential('pid')], credential_sets: times(17, () => ({ options: [['pid']] })) },
      'dcql_query.credential_sets: at most 16 credential sets (got 17)',
    ],
    [
      'options',
      { credentials: [credential('pid')], credential_sets: [{ options: times(17, () => ['pid']) }] },
      'dcql_query.credential_sets[0].options: at most 16 options (got 17)',
    ],
    [
      'an option',
      { credentials: [credential('pid')], credential_sets: [{ options: [times(17, () => 'pid')] }] },
      'dcql_query.credential_sets[0].options[0]: at most 16 credential query ids (got 17)',
    ],
    ['a long id', { credentials: [credential('q'.repeat(1025))] }, 'dcql_query.credentials[0].id: is longer than 1024 characters'],
    [
      'a long path element',
      { credentials: [credential('pid', { claims: [{ path: ['x'.repeat(1025)] }] })] },
      'dcql_query.credentials[0].claims[0].path[0]: is longer than 1024 characters',
    ],
  ])('refuses too many %s with invalid_request naming the field', (_label, query, description) => {
    expect(refusal(query)).toBe(description);
  });

  it('refuses 100,000-element arrays and 10,000-deep nesting without reaching the library', () => {
    expect(refusal({ credentials: times(100_000, (i) => credential(`q${i}`)) })).toBe('dcql_query.credentials: at most 16 credential queries (got 100000)');
    expect(refusal({ credentials: [credential('pid', { claims: times(100_000, claim) })] })).toBe(
      'dcql_query.credentials[0].claims: at most 64 claims (got 100000)',
    );
    let deep: unknown = 'leaf';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(refusal({ credentials: [credential('pid', { claims: [{ path: deep }] })] })).toBe(
      `dcql_query.credentials[0].claims[0].path${'[0]'.repeat(3)}: is nested deeper than 8 levels`,
    );
    expect(refusal({ credentials: [credential('pid')], credential_sets: [{ options: [['pid']], purpose: { nested: deep } }] })).toMatch(
      /^dcql_query\.credential_sets\[0\]\.purpose\.nested(\[0\])+: is nested deeper than 8 levels$/,
    );
    // An unknown member is dropped by the library, but never walked without a bound first.
    expect(refusal({ credentials: [credential('pid')], extra: times(100_000, () => 1) })).toBe('dcql_query.extra: has more than 64 members');
  });
});
