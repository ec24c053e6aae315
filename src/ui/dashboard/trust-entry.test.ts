import { describe, expect, it } from 'vitest';
import { LABEL_MAX, trustEntryProblem } from './trust-entry.ts';

describe('trustEntryProblem', () => {
  it('asks for the DID first, then the label, naming what the entry is', () => {
    expect(trustEntryProblem('', '', 'accreditation body')).toBe('Enter the accreditation body’s DID.');
    expect(trustEntryProblem('did:key:z6Mkabc', '', 'accreditation body')).toBe('Enter a label, e.g. the accreditation body’s name.');
    expect(trustEntryProblem('', 'Registry', 'issuer')).toBe('Enter the issuer’s DID.');
  });

  it('refuses what is not a DID: no method, spaces, upper-case method', () => {
    for (const did of ['z6Mkabc', 'did:key', 'did:key:has space', 'did:KEY:abc', 'https://example.org']) {
      expect(trustEntryProblem(did, 'Label', 'issuer'), did).toMatch(/not a DID/);
    }
  });

  it('limits the label to what the wallet stores', () => {
    expect(trustEntryProblem('did:web:board.example', 'x'.repeat(LABEL_MAX), 'issuer')).toBeNull();
    expect(trustEntryProblem('did:web:board.example', 'x'.repeat(LABEL_MAX + 1), 'issuer')).toBe(`The label must be at most ${LABEL_MAX} characters.`);
  });
});
