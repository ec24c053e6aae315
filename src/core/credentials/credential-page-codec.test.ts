import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromUtf8, utf8 } from '../encoding.ts';
import { decodePage, encodePage } from './credential-page-codec.ts';
import type { ClaimEntry, CredentialRecord } from './types.ts';

const holder = { did: 'did:example:h', kid: 'did:example:h#0', keyRef: 'ab' };

function record(id: string, overrides: Partial<CredentialRecord> = {}): CredentialRecord {
  return {
    id,
    format: 'dc+sd-jwt',
    raw: `eyJhbGciOiJFUzI1NiJ9.${id}.sig~WyJzYWx0IiwiZ2l2ZW5fbmFtZSIsIkFkYSJd~`,
    issuer: 'did:example:issuer',
    types: ['urn:pid'],
    vct: 'urn:pid',
    document: { given_name: 'Ada', nested: { list: [1, null, { deep: true }] }, empty: {} },
    claims: [
      { path: ['given_name'], value: 'Ada', disclosable: true },
      { path: ['nested', 'list', 0], value: 1, disclosable: false },
      { path: ['nested', 'list', 1], value: null, disclosable: false },
      { path: ['empty'], value: {}, disclosable: false },
    ],
    issuedAt: null,
    validFrom: null,
    validUntil: '2030-01-01T00:00:00.000Z',
    status: [],
    holder,
    receivedAt: '2026-01-01T00:00:00.000Z',
    receivedFrom: 'https://issuer.example',
    statusResult: { state: 'valid', checkedAt: null, reason: null, nextCheckAt: null },
    ...overrides,
  };
}

/** What JSON makes of a value (the page's header is JSON). */
const viaJson = <T>(value: T) => JSON.parse(JSON.stringify(value)) as T;
const byId = (list: CredentialRecord[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
const decoded = (bytes: Uint8Array) => decodePage(bytes).records;
const roundTrip = (records: CredentialRecord[]) => byId(decoded(encodePage(3, records)));
/** A page's two parts: the JSON header and the bodies after its line feed. */
function parts(bytes: Uint8Array): { header: string; bodies: string } {
  const text = fromUtf8(bytes);
  const end = text.indexOf('\n');
  return { header: text.slice(0, end), bodies: text.slice(end + 1) };
}

describe('credential page codec, format 2', () => {
  it('gives back equal records, also when their keys, claims or values do not have the usual shape', () => {
    const { statusResult, ...rest } = record('c');
    // Claims before the document they are read from, and a document before the fields it links to.
    const { claims, ...others } = record('l', { document: { issuer: 'did:example:issuer', given_name: 'Ada' }, claims: [{ path: ['given_name'], value: 'Ada', disclosable: true }] });
    const { document, ...fields } = record('m', { document: { issuer: 'did:example:issuer' }, claims: [] });
    const documentFirst = { document, ...fields } as CredentialRecord;
    const records = [
      record('a'),
      { ...record('b'), extraMember: { kept: 'yes' } } as CredentialRecord,
      { statusResult, ...rest } as CredentialRecord,
      record('d', { claims: [{ path: ['x'], value: 1, disclosable: false, note: 'extra' }, ['not', 'a', 'claim']] as unknown as ClaimEntry[] }),
      record('e', { raw: 42 as unknown as string }),
      record('f', { holder: null as never, types: 'urn:pid' as never }),
      // A claim whose value the document does not hold at its path, or holds another one.
      record('g', { claims: [{ path: ['aud'], value: 'https://verifier.example', disclosable: false }, { path: ['given_name'], value: 'Grace', disclosable: true }] }),
      record('h', { claims: [{ path: ['nested', 'list', 2, 'deep'], value: true, disclosable: true }, { path: ['toString'], value: 'x', disclosable: false }] }),
      record('i', { raw: '' }),
      // Bodies UTF-8 carries as they are, and one it cannot (a lone surrogate) that stays in the JSON.
      record('j', { raw: '\uFEFFéé~🙂~' }),
      record('k', { raw: 'eyJ.\uD800.sig' }),
      { claims, ...others } as CredentialRecord,
      documentFirst,
    ];
    expect(roundTrip(records)).toEqual(byId(records));
    expect(JSON.stringify(roundTrip(records))).toBe(JSON.stringify(byId(records))); // keys in their order too
  });

  it('gives back the display metadata and the issuer display a record keeps', () => {
    const display: CredentialRecord['display'] = {
      source: 'type-metadata',
      vct: 'https://issuer.example/pid',
      integrity: 'sha256-abc',
      cards: [{ locale: 'de', name: 'Ausweis', backgroundColor: '#12107c', textColor: '#ffffff', logo: { dataUri: 'data:image/png;base64,iVBO', alt: 'Logo' } }, { name: 'ID' }],
      claims: [{ path: ['nationalities', null], labels: [{ locale: 'en', label: 'Nationality', description: 'each one' }], sd: 'always' }],
    };
    const issuerDisplay = [{ locale: 'en', name: 'Registry', logo: { dataUri: 'data:image/svg+xml;base64,PHN2Zz4=' } }];
    const records = [record('a', { display }), record('b', { display, issuerDisplay }), record('c')];
    expect(roundTrip(records)).toEqual(byId(records));
    expect(roundTrip(records)[1]?.display?.claims[0]?.path).toEqual(['nationalities', null]);
  });

  it('stores each raw body, shared value and held claim value once, the bodies outside the JSON', () => {
    const records = Array.from({ length: 50 }, (_, i) => record(`r${i}`));
    const { header, bodies } = parts(encodePage(0, records));
    expect(bodies).toBe(records.map((r) => r.raw).join(''));
    expect(header).not.toContain('eyJhbGciOiJFUzI1NiJ9');
    expect(header.split('"receivedFrom"')).toHaveLength(2);
    expect(header.split('did:example:h#0')).toHaveLength(2);
    expect(header.split('"given_name"')).toHaveLength(1 + 1 + 50); // the path once, the document's key in each record
    expect(header.split('"Ada"')).toHaveLength(1 + 50); // in each document, never in a claim
    expect(header.length).toBeLessThan(JSON.stringify(records.map((r) => ({ ...r, raw: '' }))).length * 0.6);
  });

  it('stores document values that repeat the record\'s fields once, and gives them back in place', () => {
    const types = ['VerifiableCredential', 'TestCredential'];
    const w3c = (id: string, issuer: string) =>
      record(id, {
        format: 'jwt_vc_json',
        issuer,
        types,
        vct: null,
        document: {
          '@context': ['https://www.w3.org/2018/credentials/v1', 'https://example.org/v1'],
          type: types,
          credentialSubject: { id: holder.did, name: 'Ada', nothing: null },
          issuer: { id: issuer },
          expirationDate: '2030-01-01T00:00:00.000Z',
          evidence: [{ checked: '2030-01-01T00:00:00.000Z' }],
        },
        claims: [
          { path: ['credentialSubject', 'id'], value: holder.did, disclosable: false },
          { path: ['credentialSubject', 'name'], value: 'Ada', disclosable: false },
        ],
      });
    // One issued by someone else, one self-issued (its issuer is the holder's DID).
    const records = [w3c('a', 'did:example:issuer'), w3c('b', 'did:example:issuer'), w3c('c', holder.did)];
    const { header } = parts(encodePage(0, records));
    expect(header.split('did:example:issuer')).toHaveLength(2);
    expect(header.split(holder.did)).toHaveLength(1 + 3); // the holder's did, kid and the self-issued issuer
    expect(header.split('https://example.org/v1')).toHaveLength(2);
    expect(header.split('2030-01-01T00:00:00.000Z')).toHaveLength(1 + 3); // each record's validUntil
    const back = byId(decoded(encodePage(0, records)));
    expect(JSON.stringify(back)).toBe(JSON.stringify(byId(records)));
    expect(back[0]?.document.type).toBe(back[0]?.types);
  });

  it('refuses a document link to a value the document does not have', () => {
    const bytes = encodePage(1, [record('a', { document: { issuer: 'did:example:issuer', name: 'Ada' } })]);
    const { header, bodies } = parts(bytes);
    const tampered = header.replace('"issuer":null', '"issuer":"someone"');
    expect(tampered).not.toBe(header);
    expect(() => decodePage(utf8(`${tampered}\n${bodies}`))).toThrow(/A credential page links a document to a value the document does not have/);
  });

  it('decodes shared values as one frozen object per page', () => {
    const [a, b] = decoded(encodePage(0, [record('a'), record('b')]));
    expect(a?.holder).toBe(b?.holder);
    expect(a?.claims[0]?.path).toBe(b?.claims[0]?.path);
    expect(Object.isFrozen(a?.holder)).toBe(true);
    expect(Object.isFrozen(a?.types)).toBe(true);
    expect(a?.document).not.toBe(b?.document);
  });

  it('refuses a page whose bodies and rows disagree, or that is not a page of this format', () => {
    const bytes = encodePage(5, [record('a'), record('b')]);
    const { header, bodies } = parts(bytes);
    const rows = JSON.parse(header) as { bodiesLength: number; groups: { keys: string[]; rows: unknown[][] }[] };
    expect(decodePage(bytes).page).toBe(5);
    expect(() => decodePage(utf8(`${header}\n${bodies.slice(1)}`))).toThrow(/Credential page 5 does not add up/);
    expect(() => decodePage(utf8(`${header}\n${bodies}x`))).toThrow(/Credential page 5 does not add up/);
    // Rows that claim one more character of body than the bodies have, with the length that says so.
    const longer = structuredClone(rows);
    const [group] = longer.groups;
    const [firstRow] = group?.rows ?? [];
    if (!group || !firstRow) throw new Error('the page has no rows');
    firstRow[group.keys.indexOf('raw')] = bodies.length;
    expect(() => decodePage(utf8(`${JSON.stringify(longer)}\n${bodies}`))).toThrow(/Credential page 5 does not add up/);
    expect(() => decodePage(utf8(`${JSON.stringify({ ...rows, format: 1 })}\n${bodies}`))).toThrow(/not in a format this wallet reads/);
    expect(() => decodePage(utf8('{"page":0,"groups":[]}'))).toThrow(/not in a format this wallet reads/);
  });

  it('gives back what JSON would for any records (property)', () => {
    const path = fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.nat(3)), { minLength: 1, maxLength: 3 });
    const claim = fc.record({ path, value: fc.jsonValue({ maxDepth: 1 }), disclosable: fc.boolean() });
    const arbitrary = fc.record({
      id: fc.uuid(),
      raw: fc.string({ unit: 'binary', maxLength: 40 }),
      issuer: fc.constantFrom('did:example:a', 'did:example:b'),
      types: fc.constantFrom(['A'], ['A', 'B']),
      holder: fc.constantFrom(holder, { did: 'did:example:other', kid: 'k', keyRef: 'cd' }),
      // Documents that repeat the record's fields (or the page's shared values) here and there, as credentials do.
      document: fc.dictionary(
        fc.oneof(fc.string({ maxLength: 4 }), fc.constant('@context')),
        fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom('did:example:a', 'did:example:h', ['A'], { id: 'did:example:b' }, [['A', 'B']])),
      ),
      validUntil: fc.constantFrom(null, '2030-01-01T00:00:00.000Z'),
      claims: fc.array(claim, { maxLength: 4 }),
      receivedAt: fc.constant('2026-01-01T00:00:00.000Z'),
    });
    fc.assert(
      fc.property(fc.array(arbitrary, { maxLength: 8 }), (generated) => {
        const records = generated.map((r) => {
          // Claims that name values the document holds, as the wallet's always do, and some that do not.
          const claims = r.claims.map((c, i) => (i % 2 === 0 && c.path.length === 1 && typeof c.path[0] === 'string' ? { ...c, value: r.document[c.path[0]] ?? null } : c));
          return { ...r, claims } as unknown as CredentialRecord;
        });
        expect(JSON.stringify(roundTrip(records))).toBe(JSON.stringify(byId(viaJson(records))));
      }),
      { numRuns: 300 },
    );
  });
});
