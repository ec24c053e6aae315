import { describe, expect, it } from 'vitest';
import { formatDay } from './format.ts';

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
