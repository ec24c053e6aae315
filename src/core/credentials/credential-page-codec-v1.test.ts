import { describe, expect, it } from 'vitest';
import { decodePageV1 as decodePage, encodePageV1 as encodePage, isCredentialPageV1 } from './credential-page-codec-v1.ts';
import type { CredentialRecord } from './types.ts';

const base = {
  id: 'a',
  format: 'dc+sd-jwt',
  raw: 'eyJ~d1~',
  issuer: 'did:example:i',
  types: ['urn:pid'],
  vct: 'urn:pid',
  document: { given_name: 'Ada', nested: { list: [1, null, { deep: true }] } },
  claims: [
    { path: ['given_name'], value: 'Ada', disclosable: true },
    { path: ['nested', 'list', 0], value: 1, disclosable: false },
  ],
  issuedAt: null,
  validFrom: null,
  validUntil: '2030-01-01T00:00:00.000Z',
  status: [],
  holder: { did: 'did:example:h', kid: 'did:example:h#0', keyRef: 'ab' },
  receivedAt: '2026-01-01T00:00:00.000Z',
  receivedFrom: 'https://issuer.example',
  statusResult: { state: 'valid', checkedAt: null, reason: null, nextCheckAt: null },
} as unknown as CredentialRecord;

/** As the page rests: JSON (EncryptedCollection serialises the plaintext with JSON.stringify). */
const stored = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

describe('credential page codec, format 1 (read to migrate)', () => {
  it('gives back equal records, also when their keys or claims differ in shape', () => {
    const extra = { ...base, id: 'b', extraMember: { kept: 'yes' } } as CredentialRecord;
    const { statusResult, ...rest } = base;
    const reordered = { statusResult, ...rest, id: 'c' } as CredentialRecord;
    const oddClaims = { ...base, id: 'd', claims: [{ path: ['x'], value: 1, disclosable: false, note: 'extra' }, ['not', 'a', 'claim']] };
    const records = [base, extra, reordered, oddClaims as unknown as CredentialRecord, { ...base, id: 'e' }];
    const page = stored(encodePage(7, records));
    expect(isCredentialPageV1(page)).toBe(true);
    const byId = (list: CredentialRecord[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(decodePage(page as never))).toEqual(byId(records));
  });

  it('names each key once per group of alike records, not once per record', () => {
    const records = Array.from({ length: 50 }, (_, i) => ({ ...base, id: `r${i}` }));
    const text = JSON.stringify(encodePage(0, records));
    expect(text.split('"receivedFrom"')).toHaveLength(2);
    expect(text.split('"disclosable"')).toHaveLength(1);
    expect(text.length).toBeLessThan(JSON.stringify(records).length * 0.8);
  });

  it('does not take a single stored record for a page', () => {
    expect(isCredentialPageV1(stored(base))).toBe(false);
  });
});
