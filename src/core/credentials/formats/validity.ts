/** Validity periods: JWT NumericDates and W3C date-time strings, checked with clock skew. */
import { CredentialError } from '../errors.ts';

/** Clock difference tolerated between the issuer and the wallet, in seconds. */
export const CLOCK_SKEW_SECONDS = 60;

/** XML Schema dateTime as VC Data Models use it (time zone optional for VCDM 1.1). */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/** A JWT NumericDate claim (seconds) as milliseconds; null when absent. */
export function numericDate(value: unknown, name: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new CredentialError('malformed', `'${name}' is not a date in seconds (a JWT NumericDate)`);
  }
  const ms = value * 1000;
  if (Number.isNaN(new Date(ms).getTime())) throw new CredentialError('malformed', `'${name}' is out of range`);
  return ms;
}

/** A W3C date-time string (e.g. `validFrom`) as milliseconds; null when absent. */
export function dateTime(value: unknown, name: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || !DATE_TIME.test(value)) {
    throw new CredentialError('malformed', `'${name}' is not a date-time such as 2025-01-31T12:00:00Z`);
  }
  // A date-time without a time zone is read as UTC.
  const ms = Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(value) ? value : `${value}Z`);
  if (Number.isNaN(ms)) throw new CredentialError('malformed', `'${name}' is not a valid date-time`);
  return ms;
}

export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/**
 * Refuses a credential outside its validity period at `now` (ms), allowing
 * CLOCK_SKEW_SECONDS either way. `notBefore`/`notAfter` are ms or null.
 */
export function checkValidityPeriod(period: { notBefore: number | null; notAfter: number | null }, now: number): void {
  const skew = CLOCK_SKEW_SECONDS * 1000;
  if (period.notAfter !== null && now > period.notAfter + skew) {
    throw new CredentialError('expired', `The credential expired on ${new Date(period.notAfter).toISOString()}`);
  }
  if (period.notBefore !== null && now < period.notBefore - skew) {
    throw new CredentialError('not_yet_valid', `The credential is not valid until ${new Date(period.notBefore).toISOString()}`);
  }
}

/** The earlier of two optional times. */
export const earliest = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));
/** The later of two optional times. */
export const latest = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));
