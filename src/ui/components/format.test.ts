import { describe, expect, it } from 'vitest';
import { formatDay, formatUtcDay } from './format.ts';

describe('formatDay', () => {
  it('shows a calendar date as that day, whatever the time zone', () => {
    const expected = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(Date.UTC(2031, 2, 14));
    expect(formatDay('2031-03-14')).toBe(expected);
    expect(formatDay('2031-03-14')).toMatch(/14/);
  });

  it('leaves what is not a date as it is', () => {
    expect(formatDay('soon')).toBe('soon');
    expect(formatDay('2031-02-30T00:00:00Z')).toBe('2031-02-30T00:00:00Z');
  });
});

describe('formatUtcDay', () => {
  it('shows an instant as its UTC day', () => {
    expect(formatUtcDay('2027-12-31T00:00:00Z')).toBe(formatDay('2027-12-31'));
    expect(formatUtcDay('2027-12-31T23:30:00Z')).toBe(formatDay('2027-12-31'));
    expect(formatUtcDay('not a date')).toBe('not a date');
  });
});
