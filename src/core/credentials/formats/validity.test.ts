import { describe, expect, it } from 'vitest';
import { CredentialError } from '../errors.ts';
import { checkValidityPeriod, dateTime, numericDate } from './validity.ts';

const NOW = Date.UTC(2025, 0, 1);

describe('validity', () => {
  it('allows 60 s of skew either way and no more', () => {
    expect(() => checkValidityPeriod({ notBefore: NOW + 60_000, notAfter: NOW - 60_000 }, NOW)).not.toThrow();
    expect(() => checkValidityPeriod({ notBefore: null, notAfter: NOW - 60_001 }, NOW)).toThrow(
      new CredentialError('expired', 'The credential expired on 2024-12-31T23:58:59.999Z'),
    );
    expect(() => checkValidityPeriod({ notBefore: NOW + 60_001, notAfter: null }, NOW)).toThrow(
      'The credential is not valid until 2025-01-01T00:01:00.001Z',
    );
  });

  it('reads NumericDates and W3C date-times', () => {
    expect(numericDate(1_700_000_000, 'exp')).toBe(1_700_000_000_000);
    expect(numericDate(undefined, 'exp')).toBeNull();
    expect(() => numericDate('1700000000', 'exp')).toThrow("'exp' is not a date in seconds (a JWT NumericDate)");
    expect(dateTime('2025-01-01T00:00:00Z', 'validFrom')).toBe(NOW);
    expect(dateTime('2025-01-01T01:00:00+01:00', 'validFrom')).toBe(NOW);
    expect(dateTime('2025-01-01T00:00:00.000', 'issuanceDate')).toBe(NOW);
    expect(() => dateTime('2025-01-01', 'validFrom')).toThrow("'validFrom' is not a date-time");
    expect(() => dateTime('2025-13-45T00:00:00Z', 'validFrom')).toThrow("'validFrom' is not a valid date-time");
  });
});
