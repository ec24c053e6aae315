/**
 * Compact JWS decoding and issuer-signature verification shared by every credential
 * format. Pure WebCrypto (through `jose`): runs in Node and in an MV3 service worker.
 */
import { compactVerify, importJWK, errors as joseErrors } from 'jose';
import { fromBase64 } from '../../encoding.ts';
import { CredentialError } from '../errors.ts';
import { resolveSigningKey, type ResolvedKey } from '../issuer-key.ts';
import type { DidResolver } from '../types.ts';

export type JsonObject = Record<string, unknown>;

/** A compact JWS split and decoded, not yet verified. */
export interface DecodedJwt {
  /** `<header>.<payload>.<signature>` exactly as received. */
  compact: string;
  header: JsonObject;
  payload: JsonObject;
}

/** Signature algorithms accepted for issuer signatures, with the key each needs. */
const ALGORITHMS: Record<string, { kty: string; crv: string }> = {
  EdDSA: { kty: 'OKP', crv: 'Ed25519' },
  Ed25519: { kty: 'OKP', crv: 'Ed25519' },
  ES256: { kty: 'EC', crv: 'P-256' },
};

export const SUPPORTED_ALGORITHMS = Object.keys(ALGORITHMS);

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const isDid = (value: unknown): value is string => typeof value === 'string' && /^did:[a-z0-9]+:\S+$/.test(value);

/** Decodes base64url (no padding) to bytes; null when it is not base64url. */
export function decodeBase64Url(text: string): Uint8Array | null {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return null;
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  try {
    return fromBase64(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  } catch {
    return null;
  }
}

/**
 * Decodes a base64url JSON value (a JWT part or an SD-JWT disclosure). `what` names
 * it in the error, e.g. "The JWT header".
 */
export function decodeBase64UrlJson(text: string, what: string): unknown {
  const bytes = decodeBase64Url(text);
  if (!bytes) throw new CredentialError('malformed', `${what} is not valid base64url`);
  let json: string;
  try {
    json = strictUtf8.decode(bytes);
  } catch {
    throw new CredentialError('malformed', `${what} is not valid UTF-8 text`);
  }
  try {
    return JSON.parse(json) as unknown;
  } catch {
    throw new CredentialError('malformed', `${what} is not valid JSON`);
  }
}

/** Splits and decodes a compact JWS whose header and payload are JSON objects. */
export function decodeCompactJwt(compact: string, what = 'The credential'): DecodedJwt {
  const parts = compact.split('.');
  if (parts.length === 5) {
    throw new CredentialError('unsupported_format', `${what} is an encrypted JWT (JWE); offer it unencrypted`);
  }
  if (parts.length !== 3) {
    throw new CredentialError(
      'malformed',
      `${what} is not a JWT: expected three base64url parts separated by '.', found ${parts.length}`,
    );
  }
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeBase64UrlJson(headerPart, `The JWT header of ${lowerFirst(what)}`);
  if (!isObject(header)) throw new CredentialError('malformed', `The JWT header of ${lowerFirst(what)} is not a JSON object`);
  const payload = decodeBase64UrlJson(payloadPart, `The JWT payload of ${lowerFirst(what)}`);
  if (!isObject(payload)) throw new CredentialError('malformed', `The JWT payload of ${lowerFirst(what)} is not a JSON object`);
  if (signaturePart === '') throw new CredentialError('bad_signature', `${what} is not signed (its JWT has no signature)`);
  if (!decodeBase64Url(signaturePart)) {
    throw new CredentialError('malformed', `The JWT signature of ${lowerFirst(what)} is not valid base64url`);
  }
  return { compact, header, payload };
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/** The header's media type (`typ`) lower-cased, without an `application/` prefix; null if absent. */
export function mediaType(header: JsonObject, name: 'typ' | 'cty' = 'typ'): string | null {
  const value = header[name];
  if (value === undefined) return null;
  if (typeof value !== 'string') throw new CredentialError('malformed', `The JWT header '${name}' is not a string`);
  const lower = value.toLowerCase();
  return lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
}

/**
 * Verifies that `jwt` is signed by `issuer`: the header `kid` (when present) must be a
 * verification method of the issuer DID (absent: the DID's first assertion method),
 * `alg` must be EdDSA/Ed25519 or ES256 and fit that key, and the JWS must verify.
 * Returns the key that verified it.
 */
export async function verifyIssuerSignature(jwt: DecodedJwt, issuer: string, resolver: DidResolver): Promise<ResolvedKey> {
  const { header } = jwt;
  const alg = header.alg;
  if (typeof alg !== 'string' || alg === '') throw new CredentialError('malformed', "The JWT header has no signature algorithm ('alg')");
  if (alg.toLowerCase() === 'none') throw new CredentialError('bad_signature', "The credential is not signed (its JWT 'alg' is \"none\")");
  const expected = ALGORITHMS[alg];
  if (!expected) {
    throw new CredentialError(
      'unsupported_format',
      `The signature algorithm ${alg} is not supported; Tessera accepts ${SUPPORTED_ALGORITHMS.join(', ')}`,
    );
  }
  const kid = header.kid;
  if (kid !== undefined && (typeof kid !== 'string' || kid === '')) {
    throw new CredentialError('malformed', "The JWT header 'kid' is not a string");
  }
  if (!isDid(issuer)) {
    throw new CredentialError('unresolvable_issuer', `The issuer '${issuer}' is not a DID; Tessera accepts credentials from DID issuers only`);
  }

  let key: ResolvedKey;
  try {
    key = await resolveSigningKey(resolver, issuer, kid, { relationship: 'assertionMethod' });
  } catch (error) {
    if (error instanceof CredentialError) throw error;
    throw new CredentialError('unresolvable_issuer', `Cannot resolve the issuer ${issuer}: ${messageOf(error)}`);
  }
  if (key.jwk.kty !== expected.kty || key.jwk.crv !== expected.crv) {
    const keyType = key.jwk.crv ?? key.jwk.kty ?? 'unknown';
    throw new CredentialError('bad_signature', `The credential is signed with ${alg}, but the issuer key ${key.kid} is a ${keyType} key`);
  }

  let cryptoKey: Awaited<ReturnType<typeof importJWK>>;
  try {
    cryptoKey = await importJWK({ ...key.jwk, alg: undefined, use: undefined, key_ops: undefined }, alg);
  } catch (error) {
    throw new CredentialError('unresolvable_issuer', `The issuer key ${key.kid} cannot be used: ${messageOf(error)}`);
  }
  try {
    await compactVerify(jwt.compact, cryptoKey, { algorithms: [alg] });
  } catch (error) {
    if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
      throw new CredentialError(
        'bad_signature',
        `The issuer's signature does not verify with ${key.kid}: the credential was altered or not signed by ${issuer}`,
      );
    }
    throw new CredentialError('bad_signature', `The issuer's signature cannot be checked: ${messageOf(error)}`);
  }
  return key;
}

export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
