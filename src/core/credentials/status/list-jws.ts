import { compactVerify, importJWK, type JWK } from 'jose';
import { fromUtf8 } from '../../encoding.ts';
import { resolveSigningKey } from '../issuer-key.ts';
import type { DidResolver } from '../types.ts';
import { decodeBase64Url } from './compression.ts';
import { errorMessage, invalidList } from './status-list-error.ts';
import { describeValue } from '../../describe.ts';

/** Asymmetric JWS algorithms a status list may be signed with (never `none` or a MAC). */
export const STATUS_LIST_ALGORITHMS = [
  'EdDSA',
  'Ed25519',
  'ES256',
  'ES384',
  'ES512',
  'PS256',
  'PS384',
  'PS512',
  'RS256',
  'RS384',
  'RS512',
] as const;

/** Tolerance for an issuer clock slightly ahead of ours (`nbf`, `validFrom`). */
export const CLOCK_SKEW_MS = 60_000;

/** Largest status list response body the wallet parses, in characters. */
export const MAX_STATUS_LIST_BODY = 8 * 1024 * 1024;

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

/** The header and payload of a compact JWS with a JSON payload (not yet verified). */
export function decodeJwt(jwt: string): DecodedJwt {
  const parts = jwt.split('.');
  if (parts.length !== 3 || parts.some((p) => p.length === 0)) {
    throw invalidList('the status list is not a compact JWT');
  }
  return { header: jsonObject(parts[0] ?? '', 'JWT header'), payload: jsonObject(parts[1] ?? '', 'JWT payload') };
}

function jsonObject(part: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(fromUtf8(decodeBase64Url(part, `the ${what}`)));
  } catch {
    throw invalidList(`the ${what} is not JSON`);
  }
  if (!isRecord(value)) throw invalidList(`the ${what} is not a JSON object`);
  return value;
}

/**
 * Verifies a status list JWS against `issuer`'s key: the verification method named
 * by the header `kid` (which must belong to `issuer`), or the DID's first assertion
 * method when there is no `kid`.
 */
export async function verifyIssuerSignature(jwt: string, header: Record<string, unknown>, issuer: string, resolver: DidResolver): Promise<void> {
  const alg = header.alg;
  if (typeof alg !== 'string' || !(STATUS_LIST_ALGORITHMS as readonly string[]).includes(alg)) {
    throw invalidList(`the status list is signed with an unsupported algorithm (${describeValue(alg)})`);
  }
  const kid = header.kid;
  if (kid !== undefined && typeof kid !== 'string') throw invalidList('the status list header kid is not a string');
  let resolved: Awaited<ReturnType<typeof resolveSigningKey>>;
  try {
    resolved = await resolveSigningKey(resolver, issuer, kid, { relationship: 'assertionMethod' });
  } catch (error) {
    throw invalidList(`no key of ${issuer} to verify it: ${errorMessage(error)}`);
  }
  let key: Awaited<ReturnType<typeof importJWK>>;
  try {
    key = await importJWK(resolved.jwk as JWK, alg);
  } catch (error) {
    throw invalidList(`the key ${resolved.kid} does not fit ${alg}: ${errorMessage(error)}`);
  }
  try {
    await compactVerify(jwt, key, { algorithms: [alg] });
  } catch {
    throw invalidList(`the signature does not verify against ${resolved.kid}`);
  }
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A NumericDate claim (seconds) as epoch milliseconds, or null when absent. */
export function numericDate(payload: Record<string, unknown>, claim: string): number | null {
  const value = payload[claim];
  if (value === undefined) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidList(`the ${claim} claim is not a number`);
  return value * 1000;
}

/** An XML Schema dateTime (VC `validFrom` and the like) as epoch milliseconds, or null when absent. */
export function dateTime(source: Record<string, unknown>, property: string): number | null {
  const value = source[property];
  if (value === undefined) return null;
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw invalidList(`${property} is not a date-time`);
  return ms;
}

/** The earliest of the given times (nulls ignored), or null. */
export function earliest(...times: (number | null)[]): number | null {
  const present = times.filter((t): t is number => t !== null);
  return present.length ? Math.min(...present) : null;
}

/** The latest of the given times (nulls ignored), or null. */
export function latest(...times: (number | null)[]): number | null {
  const present = times.filter((t): t is number => t !== null);
  return present.length ? Math.max(...present) : null;
}

/** Refuses a list outside its validity window. */
export function checkValidityWindow(notBefore: number | null, notAfter: number | null, now: number): void {
  if (notBefore !== null && now + CLOCK_SKEW_MS < notBefore) {
    throw invalidList(`the status list is not valid before ${new Date(notBefore).toISOString()}`);
  }
  if (notAfter !== null && now >= notAfter) {
    throw invalidList(`the status list expired at ${new Date(notAfter).toISOString()}`);
  }
}
