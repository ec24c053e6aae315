import { describe, expect, it } from 'vitest';
import { GUARDIAN_OF_DATA_SUBJECT, guardianEnded, guardianOf, guardianTermEnd, PARENT_OF_DATA_SUBJECT } from './guardian.ts';

describe('guardianOf', () => {
  it('reads the holder as parent or guardian, and the coming-of-age date, at the top or in credentialSubject', () => {
    expect(guardianOf({ vct: 'x', holder_relationship: 'parent', coming_of_age_date: '2036-04-02' })).toEqual({
      role: PARENT_OF_DATA_SUBJECT,
      comesOfAgeAt: '2036-04-02',
    });
    expect(guardianOf({ credentialSubject: { holder_relationship: 'Guardian' } })).toEqual({ role: GUARDIAN_OF_DATA_SUBJECT, comesOfAgeAt: null });
    expect(guardianOf({ credentialSubject: { holder_relationship: 'legal_guardian', coming_of_age_date: '2031-01-15' } })).toEqual({
      role: GUARDIAN_OF_DATA_SUBJECT,
      comesOfAgeAt: '2031-01-15',
    });
  });

  it('is null for a credential held by its own subject, and ignores a date that is not YYYY-MM-DD', () => {
    expect(guardianOf({ vct: 'x', given_name: 'Ada', coming_of_age_date: '2036-04-02' })).toBeNull();
    expect(guardianOf({ holder_relationship: 'self' })).toBeNull();
    expect(guardianOf({ holder_relationship: 'parent', coming_of_age_date: '2 April 2036' })).toEqual({ role: PARENT_OF_DATA_SUBJECT, comesOfAgeAt: null });
    expect(guardianOf({ holder_relationship: 'parent', coming_of_age_date: '2036-13-45' })).toEqual({ role: PARENT_OF_DATA_SUBJECT, comesOfAgeAt: null });
  });
});

describe('guardianTermEnd', () => {
  const parent = (comesOfAgeAt: string | null) => ({ role: PARENT_OF_DATA_SUBJECT, comesOfAgeAt });

  it('ends at the coming of age when that is sooner than the term', () => {
    expect(guardianTermEnd('2030-01-01T00:00:00.000Z', parent('2029-06-30'))).toBe('2029-06-30T00:00:00.000Z');
  });

  it('keeps the term when it ends first, or when there is no coming-of-age date or no guardian', () => {
    expect(guardianTermEnd('2029-01-01T00:00:00.000Z', parent('2029-06-30'))).toBe('2029-01-01T00:00:00.000Z');
    expect(guardianTermEnd('2029-01-01T00:00:00.000Z', parent(null))).toBe('2029-01-01T00:00:00.000Z');
    expect(guardianTermEnd('2029-01-01T00:00:00.000Z', null)).toBe('2029-01-01T00:00:00.000Z');
  });

  it('gives an open-ended term the coming-of-age date as its end', () => {
    expect(guardianTermEnd(null, parent('2029-06-30'))).toBe('2029-06-30T00:00:00.000Z');
  });
});

describe('guardianEnded', () => {
  const parent = (comesOfAgeAt: string | null) => ({ role: PARENT_OF_DATA_SUBJECT, comesOfAgeAt });
  const at = (iso: string) => Date.parse(iso);

  it('says why from the day the child comes of age, and nothing before it or without a date', () => {
    expect(guardianEnded(parent('2029-06-30'), at('2029-06-29T23:59:59Z'))).toBeNull();
    expect(guardianEnded(parent('2029-06-30'), at('2029-06-30T00:00:00Z'))).toBe(
      'The child came of age on 2029-06-30: as their parent or guardian you can no longer share this credential for them.',
    );
    expect(guardianEnded(parent(null), at('2040-01-01T00:00:00Z'))).toBeNull();
    expect(guardianEnded(null, at('2040-01-01T00:00:00Z'))).toBeNull();
  });
});
