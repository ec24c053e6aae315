/** Checks shared by the W3C formats (VC Data Model 1.1 and 2.0). */
import { CredentialError } from '../errors.ts';
import type { ClaimEntry } from '../types.ts';
import { flattenClaims } from './claims.ts';
import { isObject, type JsonObject } from './jws.ts';

export const VCDM1_CONTEXT = 'https://www.w3.org/2018/credentials/v1';
export const VCDM2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';

/** The first `@context` entry, which names the data model version. */
export function firstContext(context: unknown, where: string): string {
  const first = Array.isArray(context) ? context[0] : context;
  if (typeof first !== 'string') throw new CredentialError('malformed', `${where}@context is missing or does not start with a URL`);
  return first;
}

/** `type` as an array; it must include VerifiableCredential. */
export function credentialTypes(type: unknown, where: string): string[] {
  const types = typeof type === 'string' ? [type] : type;
  if (!Array.isArray(types) || types.length === 0 || !types.every((t) => typeof t === 'string')) {
    throw new CredentialError('malformed', `${where}type is missing or not a list of strings`);
  }
  if (!types.includes('VerifiableCredential')) {
    throw new CredentialError('malformed', `${where}type does not include VerifiableCredential`);
  }
  return [...types] as string[];
}

/**
 * The issuer's id from `issuer` (a string or an object with `id`); null when absent
 * (also for an object without `id`, which VC-JWT 1.1 completes from `iss`).
 */
export function issuerIdOf(issuer: unknown, where: string): string | null {
  if (issuer === undefined) return null;
  if (typeof issuer === 'string') return issuer;
  if (isObject(issuer) && typeof issuer.id === 'string') return issuer.id;
  if (isObject(issuer) && issuer.id === undefined) return null;
  throw new CredentialError('malformed', `${where}issuer is neither a string nor an object with an id`);
}

/** `credentialSubject`: one object (credentials about several subjects are refused). */
export function singleSubject(subject: unknown, where: string): JsonObject {
  if (Array.isArray(subject)) {
    throw new CredentialError('unsupported_format', 'Credentials about several subjects (a credentialSubject list) are not supported');
  }
  if (!isObject(subject)) throw new CredentialError('malformed', `${where}credentialSubject is missing or not an object`);
  return subject;
}

/** An optional string id (`credentialSubject.id`, `jti`, `sub`). */
export function optionalString(value: unknown, name: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new CredentialError('malformed', `'${name}' is not a string`);
  return value;
}

/**
 * Members of a W3C credential that are its envelope: shown as the credential's own
 * metadata (issuer, types, validity, status) or protocol structure that says nothing
 * about the holder (`@context`, `credentialSchema`, `proof`, the credential `id`).
 * Everything else leaves with the credential too and is listed as a claim.
 */
export const CREDENTIAL_ENVELOPE: readonly string[] = [
  '@context',
  'type',
  'id',
  'issuer',
  'issuanceDate',
  'expirationDate',
  'validFrom',
  'validUntil',
  'credentialStatus',
  'credentialSchema',
  'proof',
];

/** Registered JWT claims the W3C formats read as envelope: issuer, subject, dates and id. */
export const JWT_ENVELOPE_CLAIMS: readonly string[] = ['iss', 'sub', 'iat', 'nbf', 'exp', 'jti'];

/**
 * Members of an `issuer` object that describe the issuer itself (VC 2.0 §4.7) and are
 * the same for every holder; any other member of it is listed as a claim.
 */
const ISSUER_METADATA = ['id', 'name', 'description', 'image'];

/**
 * Every claim that leaves with a W3C credential when it is presented (a JWT credential
 * leaves whole): `credentialSubject` first, then each member outside it that is not in
 * `envelope` (evidence, termsOfUse, refreshService, custom members…) with its path
 * rooted at that member, e.g. ["evidence", 0, "verifier"], then `issuer` members beyond
 * the issuer's own description. Paths are paths into `document`, as DCQL names them.
 * Nothing that leaves goes unlisted; what cannot be listed is refused instead: claims
 * nested deeper than flattenClaims allows, and (VC-JWT 1.1) a JWT claim beside `vc`
 * that shares a member's name.
 */
export function credentialClaims(document: JsonObject, envelope: readonly string[]): ClaimEntry[] {
  const outside: JsonObject = {};
  for (const [name, value] of Object.entries(document)) {
    if (name !== 'credentialSubject' && !envelope.includes(name)) outside[name] = value;
  }
  const issuer = isObject(document.issuer) ? document.issuer : {};
  const issuerExtras = Object.fromEntries(Object.entries(issuer).filter(([name]) => !ISSUER_METADATA.includes(name)));
  return [
    ...flattenClaims(document.credentialSubject, ['credentialSubject']),
    ...flattenClaims(outside),
    ...flattenClaims(issuerExtras, ['issuer']),
  ];
}
