import { describe, expect, it } from 'vitest';
import { comingOfAgeNoticeDays } from './access-research.ts';

const now = Date.parse('2026-05-01T09:00:00Z');
const guardian = (comesOfAgeAt: string | null) => ({ role: 'dpv:ParentOfDataSubject', comesOfAgeAt });

describe('comingOfAgeNoticeDays', () => {
  it('warns within 30 days of the coming of age, not before', () => {
    expect(comingOfAgeNoticeDays({ status: 'active', guardian: guardian('2026-05-31') }, now)).toBe(30);
    expect(comingOfAgeNoticeDays({ status: 'active', guardian: guardian('2026-06-01') }, now)).toBeNull();
    expect(comingOfAgeNoticeDays({ status: 'active', guardian: guardian('2026-05-02') }, now)).toBe(1);
  });

  it('a date already reached while the grant is still active reads as 0 days (it ends at once)', () => {
    expect(comingOfAgeNoticeDays({ status: 'active', guardian: guardian('2026-04-01') }, now)).toBe(0);
  });

  it('no notice for an ended grant, a grant without a guardian, or without a date', () => {
    expect(comingOfAgeNoticeDays({ status: 'revoked', guardian: guardian('2026-05-10') }, now)).toBeNull();
    expect(comingOfAgeNoticeDays({ status: 'expired', guardian: guardian('2026-05-10') }, now)).toBeNull();
    expect(comingOfAgeNoticeDays({ status: 'active', guardian: null }, now)).toBeNull();
    expect(comingOfAgeNoticeDays({ status: 'active' }, now)).toBeNull();
    expect(comingOfAgeNoticeDays({ status: 'active', guardian: guardian(null) }, now)).toBeNull();
  });
});
