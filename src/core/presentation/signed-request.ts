import { compactVerify, decodeJwt, decodeProtectedHeader, importJWK, type JWK, type ProtectedHeaderParameters } from 'jose';
import { CredentialError } from '../credentials/errors.ts';
import { resolveSigningKey } from '../credentials/issuer-key.ts';
import type { DidResolver } from '../credentials/types.ts';
import { ProtocolError } from './errors.ts';
import { describeValue } from '../describe.ts';

export const REQUEST_OBJECT_TYP = 'oauth-authz-req+jwt';
/** Asymmetric JWS algorithms WebCrypto can verify; `none` and MACs never authenticate a verifier. */
const ALLOWED_ALGS = ['EdDSA', 'Ed25519', 'ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512'];
/** Tolerance for a verifier clock that runs ahead (`nbf`, `iat`), in seconds. */
const CLOCK_SKEW_SECONDS = 60;
/**
 * The longest a signed request may be valid (`exp - iat`, or `exp - now` without
 * `iat`): a request object is made for one presentation, so one that stays valid
 * for days is a replayable token, not a request.
 */
export const MAX_REQUEST_OBJECT_LIFETIME_SECONDS = 60 * 60;

export interface VerifiedRequestObject {
  /** The request parameters (the JWS payload). */
  payload: Record<string, unknown>;
  /** The verified `client_id`, prefix included, e.g. `decentralized_identifier:did:key:z6Mk…`. */
  clientId: string;
}

/**
 * Checks a signed DC API request (`openid4vp-v1-signed`, OpenID4VP 1.0 §A.3.2, §5.9.3, §A.2) before
 * anything is shown: `typ`, the `client_id` inside the JWS (an outer one must be
 * absent or equal), its prefix (`decentralized_identifier:` only; `kid` must be a
 * verification method of that DID), the signature, the validity times (`exp`
 * required, at most an hour after `iat`, no `iat` in the future; `nbf`), and that the
 * page origin is one of `expected_origins` (plain string comparison).
 */
export async function verifyRequestObject(
  data: Record<string, unknown>,
  context: { origin: string; now: number; resolver: DidResolver },
): Promise<VerifiedRequestObject> {
  const jws = data.request;
  if (typeof jws !== 'string' || jws.length === 0) throw new ProtocolError('signed request has no request object (data.request)');
  const parts = jws.split('.');
  if (parts.length === 5) throw new ProtocolError('encrypted request objects are not supported');
  if (parts.length !== 3) throw new ProtocolError('request object is not a compact JWS');

  const header = decodeHeader(jws);
  if (header.typ !== REQUEST_OBJECT_TYP) throw new ProtocolError(`request object typ must be ${REQUEST_OBJECT_TYP}`);
  if (typeof header.alg !== 'string' || !ALLOWED_ALGS.includes(header.alg)) {
    throw new ProtocolError(`request object alg ${describeValue(header.alg)} is not supported`);
  }
  const payload = decodePayload(jws);

  const clientId = payload.client_id;
  if (typeof clientId !== 'string' || clientId.length === 0) throw new ProtocolError('request object has no client_id');
  if (data.client_id !== undefined && data.client_id !== clientId) {
    throw new ProtocolError(`client_id outside the request object (${describeValue(data.client_id)}) differs from the signed client_id (${clientId})`);
  }
  const did = didOfClientId(clientId);
  if (typeof header.kid !== 'string' || header.kid.length === 0) {
    throw new ProtocolError('request object header has no kid (decentralized_identifier client_id needs one)');
  }
  await verifySignature(jws, header.alg, await verifierKey(context.resolver, did, header.kid));

  checkTimes(payload, context.now);
  checkExpectedOrigins(payload.expected_origins, context.origin);
  if (payload.request !== undefined || payload.request_uri !== undefined) {
    throw new ProtocolError('request object must not contain request or request_uri');
  }
  return { payload, clientId };
}

function decodeHeader(jws: string): ProtectedHeaderParameters {
  try {
    return decodeProtectedHeader(jws);
  } catch {
    throw new ProtocolError('request object header is not valid base64url JSON');
  }
}

function decodePayload(jws: string): Record<string, unknown> {
  try {
    return decodeJwt(jws);
  } catch {
    throw new ProtocolError('request object payload is not a JSON object');
  }
}

/** The DID of a `decentralized_identifier:` client_id; every other prefix is refused. */
function didOfClientId(clientId: string): string {
  const colon = clientId.indexOf(':');
  if (colon < 0) throw new ProtocolError(`client_id ${clientId} has no client identifier prefix; pre-registered clients are not supported`);
  const prefix = clientId.slice(0, colon);
  if (prefix === 'origin') throw new ProtocolError('client_id prefix origin is reserved and must not be used in a request');
  if (prefix !== 'decentralized_identifier') throw new ProtocolError(`client_id prefix ${prefix} is not supported`);
  return clientId.slice(colon + 1);
}

async function verifierKey(resolver: DidResolver, did: string, kid: string): Promise<JWK> {
  try {
    return (await resolveSigningKey(resolver, did, kid)).jwk as JWK;
  } catch (error) {
    if (error instanceof CredentialError) throw new ProtocolError(`request object kid ${kid}: ${error.message}`);
    throw new ProtocolError(`cannot resolve ${did}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function verifySignature(jws: string, alg: string, jwk: JWK): Promise<void> {
  let key: Awaited<ReturnType<typeof importJWK>>;
  try {
    key = await importJWK(jwk, alg);
  } catch {
    throw new ProtocolError(`request object alg ${alg} does not fit the key named by kid`);
  }
  try {
    await compactVerify(jws, key, { algorithms: [alg] });
  } catch {
    throw new ProtocolError('request object signature does not verify');
  }
}

function checkTimes(payload: Record<string, unknown>, now: number): void {
  const seconds = Math.floor(now / 1000);
  const exp = numericDate(payload, 'exp');
  const iat = numericDate(payload, 'iat');
  const nbf = numericDate(payload, 'nbf');
  const lifetime = `${MAX_REQUEST_OBJECT_LIFETIME_SECONDS / 60} minutes`;
  if (exp === undefined) throw new ProtocolError('request object has no exp');
  if (exp <= seconds) throw new ProtocolError(`request object expired at ${isoOf(exp)}`);
  if (iat !== undefined) {
    if (iat > seconds + CLOCK_SKEW_SECONDS) throw new ProtocolError(`request object iat ${isoOf(iat)} is in the future`);
    if (exp - iat > MAX_REQUEST_OBJECT_LIFETIME_SECONDS) {
      throw new ProtocolError(`request object is valid for more than ${lifetime} (exp - iat = ${exp - iat} s)`);
    }
  } else if (exp - seconds > MAX_REQUEST_OBJECT_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS) {
    throw new ProtocolError(`request object has no iat and expires more than ${lifetime} from now`);
  }
  if (nbf !== undefined && nbf > seconds + CLOCK_SKEW_SECONDS) {
    throw new ProtocolError(`request object is not valid before ${isoOf(nbf)}`);
  }
}

/** A NumericDate claim (seconds), or undefined when absent; anything but a finite number is refused. */
function numericDate(payload: Record<string, unknown>, claim: 'exp' | 'iat' | 'nbf'): number | undefined {
  const value = payload[claim];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ProtocolError(`request object ${claim} must be a number`);
  return value;
}

/** The time as ISO 8601, or as seconds when it lies outside what a Date can show. */
function isoOf(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? `${seconds} (seconds since 1970)` : date.toISOString();
}

function checkExpectedOrigins(expected: unknown, origin: string): void {
  if (expected === undefined) throw new ProtocolError('signed request has no expected_origins');
  if (!Array.isArray(expected) || expected.length === 0 || !expected.every((item) => typeof item === 'string')) {
    throw new ProtocolError('expected_origins must be a non-empty array of strings');
  }
  if (!expected.includes(origin)) throw new ProtocolError(`origin ${origin} is not in expected_origins`);
}

