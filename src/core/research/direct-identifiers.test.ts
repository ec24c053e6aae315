import { describe, expect, it } from 'vitest';
import { directIdentifierReason, identifyingScore } from './direct-identifiers.ts';

describe('directIdentifierReason (HIPAA Safe Harbor)', () => {
  it('flags full dates, addresses below state level, names and record numbers, with the reason', () => {
    expect(directIdentifierReason(['birthdate'])).toBe('a full date');
    expect(directIdentifierReason(['address'])).toBe('an address below state level');
    expect(directIdentifierReason(['address', 'postal_code'])).toBe('an address below state level');
    expect(directIdentifierReason(['credentialSubject', 'given_name'])).toBe('a name');
    expect(directIdentifierReason(['medical_record_number'])).toBe('a record or identification number');
    expect(directIdentifierReason(['contact', 'phone_number'])).toBe('a contact number');
  });

  it('reads claim names case- and separator-insensitively', () => {
    expect(directIdentifierReason(['Birth-Date'])).toBe('a full date');
    expect(directIdentifierReason(['credentialSubject', 'DateOfBirth'])).toBe('a full date');
  });

  it('does not flag generalised claims: an age band, a birth year, a region, diagnosis codes', () => {
    expect(directIdentifierReason(['age_band'])).toBeNull();
    expect(directIdentifierReason(['birth_year'])).toBeNull();
    expect(directIdentifierReason(['region'])).toBeNull();
    expect(directIdentifierReason(['diagnosis_codes', 0])).toBeNull();
    expect(directIdentifierReason(['credentialSubject'])).toBeNull();
  });

  it('identifyingScore counts the direct identifiers of a set of paths', () => {
    expect(identifyingScore([['birthdate'], ['address'], ['diagnosis_codes']])).toBe(2);
    expect(identifyingScore([['age_band'], ['region'], ['diagnosis_codes']])).toBe(0);
  });
});
