/**
 * IETF Token Status List (draft-ietf-oauth-status-list), the status mechanism of
 * SD-JWT VC: `status.status_list = { idx, uri }` in the credential points at a
 * Status List Token, a JWT with header `typ: statuslist+jwt` and claims `sub` (= the
 * `uri`), `iat`, `exp?`, `ttl?` (seconds) and `status_list = { bits, lst }`.
 *
 * `lst` is base64url of the ZLIB (RFC 1950) / DEFLATE-compressed byte array. Each
 * status takes `bits` (1, 2, 4 or 8) bits; statuses are packed from the least
 * significant bit of each byte up: index 0 is the lowest `bits` of byte 0 (the
 * draft's example: statuses 1,0,0,1,1,1,0,1 at 1 bit form byte 0xB9).
 */
import type { DidResolver } from '../types.ts';
import { decodeBase64Url, inflate } from './compression.ts';
import { checkValidityWindow, decodeJwt, isRecord, MAX_STATUS_LIST_BODY, numericDate, verifyIssuerSignature } from './list-jws.ts';
import { invalidList } from './status-list-error.ts';
import { describeValue } from '../../describe.ts';

export type TokenStatusBits = 1 | 2 | 4 | 8;

/** Status Type values registered by the draft. 0x03, 0x0E, 0x0F… are application-specific. */
export const TOKEN_STATUS = { VALID: 0x00, INVALID: 0x01, SUSPENDED: 0x02 } as const;

/** A verified Status List Token, reduced to what status checks need. */
export interface TokenStatusList {
  /** `sub`: the URI the list is published at. */
  uri: string;
  /** The DID whose key the token verified against (the credential's issuer). */
  issuer: string;
  bits: TokenStatusBits;
  /** The decompressed status bytes. */
  bytes: Uint8Array;
  /** `iat`, `exp` as epoch ms (exp null: no expiry). */
  issuedAt: number;
  expiresAt: number | null;
  /** `ttl` in seconds, as published (null: not stated). */
  ttlSeconds: number | null;
}

export interface TokenStatusListExpectations {
  /** The issuer of the credential being checked; the token must be signed by its key. */
  issuer: string;
  /** The `uri` from the credential; the token's `sub` must equal it. */
  listUrl: string;
  resolver: DidResolver;
  now: number;
}

/** Expands `lst`: base64url, then ZLIB/DEFLATE. */
export async function decodeStatusListBytes(lst: string): Promise<Uint8Array<ArrayBuffer>> {
  return inflate(decodeBase64Url(lst, 'status_list.lst'), 'deflate');
}

/** The status value at `index` in a byte array of `bits`-bit statuses, least significant bits first. */
export function statusValueAt(bytes: Uint8Array, bits: TokenStatusBits, index: number): number {
  const perByte = 8 / bits;
  const size = bytes.length * perByte;
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    throw invalidList(`index ${index} is outside the status list (${size} entries)`);
  }
  const byte = bytes[Math.floor(index / perByte)] ?? 0;
  const shift = (index % perByte) * bits;
  return (byte >> shift) & ((1 << bits) - 1);
}

/**
 * Parses and verifies a Status List Token in JWT form: `typ`, signature by the
 * issuer's key (`kid`), `sub` equal to the referenced URI, `iss` (if present) equal to
 * the issuer, `iat` present, `exp`/`nbf` respected, a well-formed `status_list`.
 */
export async function parseTokenStatusListJwt(body: string, expected: TokenStatusListExpectations): Promise<TokenStatusList> {
  if (body.length > MAX_STATUS_LIST_BODY) throw invalidList('the status list token is too large');
  const jwt = body.trim();
  const { header, payload } = decodeJwt(jwt);

  const typ = typeof header.typ === 'string' ? header.typ.toLowerCase() : null;
  if (typ !== 'statuslist+jwt' && typ !== 'application/statuslist+jwt') {
    throw invalidList(`the token type is ${typ === null ? 'missing' : `'${describeValue(header.typ)}'`}, not 'statuslist+jwt'`);
  }
  if (payload.sub !== expected.listUrl) {
    throw invalidList(`the token's sub (${describeValue(payload.sub)}) is not the status list URI ${expected.listUrl}`);
  }
  if (payload.iss !== undefined && payload.iss !== expected.issuer) {
    throw invalidList(`the status list is issued by ${describeValue(payload.iss)}, not by the credential's issuer ${expected.issuer}`);
  }
  const issuedAt = numericDate(payload, 'iat');
  if (issuedAt === null) throw invalidList('the iat claim is missing');
  const expiresAt = numericDate(payload, 'exp');
  const notBefore = numericDate(payload, 'nbf');
  const ttl = payload.ttl;
  if (ttl !== undefined && (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl <= 0)) {
    throw invalidList('the ttl claim is not a positive number of seconds');
  }
  const statusList = payload.status_list;
  if (!isRecord(statusList)) throw invalidList('the status_list claim is missing');
  const bits = statusList.bits;
  if (bits !== 1 && bits !== 2 && bits !== 4 && bits !== 8) throw invalidList('status_list.bits is not 1, 2, 4 or 8');
  if (typeof statusList.lst !== 'string') throw invalidList('status_list.lst is missing');

  await verifyIssuerSignature(jwt, header, expected.issuer, expected.resolver);
  checkValidityWindow(notBefore, expiresAt, expected.now);

  const bytes = await decodeStatusListBytes(statusList.lst);
  return {
    uri: expected.listUrl,
    issuer: expected.issuer,
    bits,
    bytes,
    issuedAt,
    expiresAt,
    ttlSeconds: typeof ttl === 'number' ? ttl : null,
  };
}
