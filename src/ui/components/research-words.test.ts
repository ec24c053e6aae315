import { describe, expect, it } from 'vitest';
import { comingOfAgeMs, dataUseWords, daysUntilComingOfAge, endsAtComingOfAge, grantEnd, guardianRoleWord } from './research-words.ts';

describe('guardianRoleWord', () => {
  it('a parent is a parent; the other DPV roles read as guardian', () => {
    expect(guardianRoleWord('dpv:ParentOfDataSubject')).toBe('parent');
    expect(guardianRoleWord('dpv:GuardianOfDataSubject')).toBe('guardian');
  });
});

describe('coming of age', () => {
  const now = Date.parse('2026-05-01T12:00:00Z');

  it('is the start of the date, UTC', () => {
    expect(comingOfAgeMs({ comesOfAgeAt: '2026-05-31' })).toBe(Date.parse('2026-05-31T00:00:00Z'));
    expect(comingOfAgeMs({ comesOfAgeAt: null })).toBeNull();
    expect(comingOfAgeMs(null)).toBeNull();
    expect(comingOfAgeMs({ comesOfAgeAt: '31/05/2026' })).toBeNull();
    expect(comingOfAgeMs({ comesOfAgeAt: '2026-13-45' })).toBeNull();
  });

  it('counts whole days left: 30 for a date 29.5 days away, 0 on the day, negative once past', () => {
    expect(daysUntilComingOfAge({ comesOfAgeAt: '2026-05-31' }, now)).toBe(30);
    expect(daysUntilComingOfAge({ comesOfAgeAt: '2026-06-01' }, now)).toBe(31);
    expect(daysUntilComingOfAge({ comesOfAgeAt: '2026-05-01' }, Date.parse('2026-05-01T00:00:00Z'))).toBe(0);
    expect(daysUntilComingOfAge({ comesOfAgeAt: '2026-04-20' }, now)).toBeLessThan(0);
    expect(daysUntilComingOfAge({ comesOfAgeAt: null }, now)).toBeNull();
  });
});

describe('endsAtComingOfAge', () => {
  it('is the term cut to the coming-of-age date, not a term that ends earlier or later', () => {
    const guardian = { comesOfAgeAt: '2026-12-22' };
    expect(endsAtComingOfAge('2026-12-22T00:00:00.000Z', guardian)).toBe(true);
    expect(endsAtComingOfAge('2026-12-01T00:00:00.000Z', guardian)).toBe(false);
    expect(endsAtComingOfAge(null, guardian)).toBe(false);
    expect(endsAtComingOfAge('2026-12-22T00:00:00.000Z', { comesOfAgeAt: null })).toBe(false);
    expect(endsAtComingOfAge('2026-12-22T00:00:00.000Z', null)).toBe(false);
  });
});

describe('dataUseWords', () => {
  it('labels a term the purposes know, and keeps the bare term otherwise', () => {
    const purposes = [
      { term: 'duo:0000006', label: 'Health, medical or biomedical research' },
      { term: 'legacy:Thing', label: 'legacy:Thing' },
    ];
    expect(dataUseWords(['duo:0000006', 'duo:0000007', 'legacy:Thing'], purposes)).toEqual([
      { term: 'duo:0000006', label: 'Health, medical or biomedical research' },
      { term: 'duo:0000007', label: null },
      { term: 'legacy:Thing', label: null },
    ]);
  });
});

describe('grantEnd', () => {
  it('the sooner of the term and the coming of age; the term without a guardian', () => {
    expect(grantEnd('2027-12-01T00:00:00.000Z', { comesOfAgeAt: '2026-12-22' })).toBe('2026-12-22T00:00:00.000Z');
    expect(grantEnd('2026-12-10T00:00:00.000Z', { comesOfAgeAt: '2026-12-22' })).toBe('2026-12-10T00:00:00.000Z');
    expect(grantEnd('2026-12-10T00:00:00.000Z', null)).toBe('2026-12-10T00:00:00.000Z');
  });
});
