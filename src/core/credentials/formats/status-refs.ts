/** Where a credential publishes its status: W3C Bitstring Status List and IETF Token Status List. */
import { fetchUrlRefusal } from '../../net/url-policy.ts';
import { CredentialError } from '../errors.ts';
import type { StatusReference } from '../types.ts';
import { isObject } from './jws.ts';

/**
 * The most status references one credential may carry (DESIGN §5): each is a fetch
 * the wallet makes, so a credential with more is refused rather than let an issuer
 * (or a site offering its credential) fan out requests.
 */
export const MAX_STATUS_REFERENCES = 4;

const PURPOSES = ['revocation', 'suspension', 'message'] as const;
type Purpose = (typeof PURPOSES)[number];

/**
 * The `BitstringStatusListEntry` entries of a W3C `credentialStatus` (one object or an
 * array). Entries of other types (e.g. StatusList2021Entry) or other purposes (e.g.
 * `refresh`) are ignored; a BitstringStatusListEntry that is incomplete is refused.
 */
export function bitstringStatusRefs(credentialStatus: unknown): StatusReference[] {
  if (credentialStatus === undefined || credentialStatus === null) return [];
  const entries = Array.isArray(credentialStatus) ? credentialStatus : [credentialStatus];
  const refs: StatusReference[] = [];
  entries.forEach((entry, i) => {
    const where = Array.isArray(credentialStatus) ? `credentialStatus[${i}]` : 'credentialStatus';
    if (!isObject(entry)) throw new CredentialError('malformed', `${where} is not an object`);
    const types = Array.isArray(entry.type) ? entry.type : [entry.type];
    if (!types.includes('BitstringStatusListEntry')) return;
    const purpose = entry.statusPurpose;
    if (typeof purpose !== 'string') throw new CredentialError('malformed', `${where}.statusPurpose is missing`);
    if (!PURPOSES.includes(purpose as Purpose)) return;
    refs.push({
      kind: 'bitstring',
      purpose: purpose as Purpose,
      index: statusIndex(entry.statusListIndex, `${where}.statusListIndex`),
      listUrl: statusUrl(entry.statusListCredential, `${where}.statusListCredential`),
    });
  });
  if (refs.length > MAX_STATUS_REFERENCES) {
    throw new CredentialError(
      'malformed',
      `credentialStatus has ${refs.length} BitstringStatusListEntry entries; the wallet accepts at most ${MAX_STATUS_REFERENCES} status references per credential`,
    );
  }
  return refs;
}

/** The Token Status List reference of an SD-JWT VC's `status` claim (`status.status_list`). */
export function tokenStatusRefs(status: unknown): StatusReference[] {
  if (status === undefined || status === null) return [];
  if (!isObject(status)) throw new CredentialError('malformed', "The 'status' claim is not an object");
  const list = status.status_list;
  if (list === undefined) return [];
  if (!isObject(list)) throw new CredentialError('malformed', "'status.status_list' is not an object");
  return [
    {
      kind: 'token-status-list',
      index: statusIndex(list.idx, 'status.status_list.idx'),
      listUrl: statusUrl(list.uri, 'status.status_list.uri'),
    },
  ];
}

/** A list index: a string of digits (W3C) or a non-negative integer (Token Status List). */
function statusIndex(value: unknown, name: string): number {
  const index = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
  if (typeof index !== 'number' || !Number.isSafeInteger(index) || index < 0) {
    throw new CredentialError('malformed', `${name} is not a non-negative integer`);
  }
  return index;
}

/**
 * A status list location: a URL the wallet may fetch later (src/core/net/url-policy.ts).
 * One it would never fetch is refused now, with the reason, rather than leave the
 * credential's status unknown for ever.
 */
function statusUrl(value: unknown, name: string): string {
  let url: URL | null = null;
  try {
    url = typeof value === 'string' ? new URL(value) : null;
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new CredentialError('malformed', `${name} is not an http(s) URL`);
  }
  const refusal = fetchUrlRefusal(url);
  if (refusal !== null) throw new CredentialError('malformed', `${name} is not a URL the wallet fetches: ${refusal}`);
  return value as string;
}
