/**
 * W3C Bitstring Status List v1.0 (https://www.w3.org/TR/vc-bitstring-status-list/).
 *
 * `encodedList` is multibase base64url (prefix `u`, no padding) of a GZIP-compressed
 * bitstring of at least 16 KB (131,072 entries). Index 0 is the left-most bit of the
 * bitstring, i.e. the most significant bit of the first byte; the last index is the
 * least significant bit of the last byte. The list is itself a verifiable credential
 * (`BitstringStatusListCredential`); the wallet accepts it secured as a JWT: a VCDM 1.1
 * VC-JWT (`vc` claim) or a VCDM 2.0 `vc+jwt` (the payload is the credential).
 */
import type { DidResolver } from '../types.ts';
import { decodeBase64Url, inflate } from './compression.ts';
import {
  checkValidityWindow,
  dateTime,
  decodeJwt,
  earliest,
  isRecord,
  latest,
  MAX_STATUS_LIST_BODY,
  numericDate,
  verifyIssuerSignature,
} from './list-jws.ts';
import { invalidList } from './status-list-error.ts';
import { describeValue } from '../../describe.ts';

/** The minimum list length (entries of 1 bit) the spec requires, for group privacy. */
export const BITSTRING_MIN_ENTRIES = 131_072;
/** The `ttl` to assume when a list states none (spec: "implementers MUST use 300000"). */
export const BITSTRING_DEFAULT_TTL_MS = 300_000;

/** A verified BitstringStatusListCredential, reduced to what status checks need. */
export interface BitstringStatusList {
  /** The credential `id` (or VC-JWT `jti`): the URL the list was fetched from. */
  id: string;
  issuer: string;
  /** `credentialSubject.statusPurpose`: one or more (a list may serve several purposes). */
  purposes: string[];
  /** The expanded bitstring. */
  bitstring: Uint8Array;
  /** Validity window, epoch ms (null: unbounded). */
  validFrom: number | null;
  validUntil: number | null;
  /** `credentialSubject.ttl` in milliseconds, as published (null: not stated). */
  ttlMs: number | null;
}

export interface BitstringListExpectations {
  /** The issuer of the credential being checked; the list must be issued and signed by it. */
  issuer: string;
  resolver: DidResolver;
  now: number;
  /**
   * The `statusListCredential` URL it was fetched from. The list must name it as its
   * `id` (VC-JWT: `vc.id` or `jti`), so a list signed for one URL cannot be served at
   * another (an older or other list of the same issuer, on a mirror or a cache).
   */
  listUrl: string;
  /** The entry's `statusPurpose`; when given, the list must state it. */
  purpose?: string;
}

/**
 * Expands `encodedList` into the raw bitstring: multibase `u` + base64url, GZIP,
 * at least `minEntries` bits (STATUS_LIST_LENGTH_ERROR otherwise).
 */
export async function decodeEncodedList(encodedList: string, minEntries: number = BITSTRING_MIN_ENTRIES): Promise<Uint8Array<ArrayBuffer>> {
  if (!encodedList.startsWith('u')) {
    throw invalidList("encodedList is not multibase base64url (it must start with 'u')");
  }
  const bitstring = await inflate(decodeBase64Url(encodedList.slice(1), 'encodedList'), 'gzip');
  if (bitstring.length * 8 < minEntries) {
    throw invalidList(`the status list has ${bitstring.length * 8} entries, fewer than the required ${minEntries}`);
  }
  return bitstring;
}

/** The bit at `index`: index 0 is the most significant bit of the first byte. */
export function bitAt(bitstring: Uint8Array, index: number): boolean {
  const size = bitstring.length * 8;
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    throw invalidList(`index ${index} is outside the status list (${size} entries)`);
  }
  return (((bitstring[index >> 3] ?? 0) >> (7 - (index & 7))) & 1) === 1;
}

/** Whether the entry at `index` is set, for an entry of `purpose` (which the list must serve). */
export function bitstringStatus(list: BitstringStatusList, purpose: string, index: number): boolean {
  if (!list.purposes.includes(purpose)) {
    throw invalidList(`the entry's statusPurpose is '${purpose}' but the list is for ${list.purposes.map((p) => `'${p}'`).join(', ')}`);
  }
  return bitAt(list.bitstring, index);
}

/**
 * Parses and verifies a BitstringStatusListCredential as fetched: a compact JWT, or a
 * VCDM 2.0 `EnvelopedVerifiableCredential` whose id is `data:application/vc+jwt,<jwt>`.
 * Checks: JWS signature by `issuer`'s key (header `kid`), issuer equality, types, an
 * `id` equal to the URL it was fetched from, validity window
 * (`nbf`/`exp`/`validFrom`/`validUntil`), and the purpose if given.
 */
export async function parseBitstringStatusListCredential(body: string, expected: BitstringListExpectations): Promise<BitstringStatusList> {
  if (body.length > MAX_STATUS_LIST_BODY) throw invalidList('the status list is too large');
  const jwt = extractJwt(body.trim());
  const { header, payload } = decodeJwt(jwt);

  const legacy = isRecord(payload.vc);
  const credential = legacy ? (payload.vc as Record<string, unknown>) : payload;
  if (!legacy && !('credentialSubject' in payload)) {
    throw invalidList('the JWT is neither a VC-JWT (vc claim) nor a vc+jwt credential');
  }

  // Issuer: VC-JWT `iss` (with `vc.issuer` agreeing if present); vc+jwt `issuer` (with `iss` agreeing).
  const issClaim = payload.iss;
  if (issClaim !== undefined && typeof issClaim !== 'string') throw invalidList('the iss claim is not a string');
  const credentialIssuer = credential.issuer === undefined ? undefined : idOf(credential.issuer, 'issuer');
  const issuer = legacy ? (issClaim ?? credentialIssuer) : (credentialIssuer ?? issClaim);
  if (!issuer) throw invalidList('the status list names no issuer');
  if (issClaim !== undefined && credentialIssuer !== undefined && issClaim !== credentialIssuer) {
    throw invalidList(`the iss claim (${issClaim}) and the credential issuer (${credentialIssuer}) differ`);
  }
  if (issuer !== expected.issuer) {
    throw invalidList(`the status list is issued by ${issuer}, not by the credential's issuer ${expected.issuer}`);
  }

  if (!typesOf(credential.type).includes('BitstringStatusListCredential')) {
    throw invalidList('the credential is not a BitstringStatusListCredential');
  }
  const subject = singleSubject(credential.credentialSubject);
  if (!typesOf(subject.type).includes('BitstringStatusList')) {
    throw invalidList("credentialSubject.type is not 'BitstringStatusList'");
  }
  const purposes = purposesOf(subject.statusPurpose);
  const encodedList = subject.encodedList;
  if (typeof encodedList !== 'string') throw invalidList('credentialSubject.encodedList is missing');
  const ttl = subject.ttl;
  if (ttl !== undefined && (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl < 0)) {
    throw invalidList('credentialSubject.ttl is not a non-negative number of milliseconds');
  }

  const id = boundId(credential.id, payload.jti, expected.listUrl);

  await verifyIssuerSignature(jwt, header, issuer, expected.resolver);

  // The strictest of the JWT claims and the credential's own dates.
  const validFrom = latest(numericDate(payload, 'nbf'), dateTime(credential, 'validFrom'), dateTime(credential, 'issuanceDate'));
  const validUntil = earliest(numericDate(payload, 'exp'), dateTime(credential, 'validUntil'), dateTime(credential, 'expirationDate'));
  checkValidityWindow(validFrom, validUntil, expected.now);

  if (expected.purpose !== undefined && !purposes.includes(expected.purpose)) {
    throw invalidList(`the entry's statusPurpose is '${expected.purpose}' but the list is for ${purposes.map((p) => `'${p}'`).join(', ')}`);
  }

  const bitstring = await decodeEncodedList(encodedList);
  return { id, issuer, purposes, bitstring, validFrom, validUntil, ttlMs: typeof ttl === 'number' ? ttl : null };
}

/** The list's `id`, which must be the URL it was fetched from; every id it states must agree. */
function boundId(credentialId: unknown, jti: unknown, listUrl: string): string {
  const stated = [credentialId, jti].filter((value) => value !== undefined);
  if (stated.length === 0) throw invalidList(`the status list has no id; it must be the URL it was fetched from (${listUrl})`);
  for (const value of stated) {
    if (value !== listUrl) throw invalidList(`the status list's id ${describeValue(value)} is not the URL it was fetched from (${listUrl})`);
  }
  return listUrl;
}

const ENVELOPE_PREFIX = 'data:application/vc+jwt,';

function extractJwt(body: string): string {
  if (!body.startsWith('{')) return body;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw invalidList('the status list is neither a JWT nor JSON');
  }
  if (isRecord(parsed) && typesOf(parsed.type).includes('EnvelopedVerifiableCredential') && typeof parsed.id === 'string' && parsed.id.startsWith(ENVELOPE_PREFIX)) {
    return parsed.id.slice(ENVELOPE_PREFIX.length);
  }
  throw invalidList('the status list is not secured as a JWT (VC-JWT or vc+jwt); other securing mechanisms are not supported');
}

function idOf(value: unknown, what: string): string {
  if (typeof value === 'string') return value;
  if (isRecord(value) && typeof value.id === 'string') return value.id;
  throw invalidList(`${what} is neither a string nor an object with an id`);
}

function typesOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((t): t is string => typeof t === 'string') : [];
}

function singleSubject(value: unknown): Record<string, unknown> {
  if (isRecord(value)) return value;
  if (Array.isArray(value) && value.length === 1 && isRecord(value[0])) return value[0];
  throw invalidList('credentialSubject is not a single object');
}

function purposesOf(value: unknown): string[] {
  const purposes = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
  if (purposes.length === 0 || !purposes.every((p): p is string => typeof p === 'string' && p.length > 0)) {
    throw invalidList('credentialSubject.statusPurpose is missing');
  }
  return purposes;
}
