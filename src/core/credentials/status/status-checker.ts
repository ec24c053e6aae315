import type { HttpFetcher, HttpResponse } from '../../ports.ts';
import { BodyTooLargeError } from '../../net/capped-body.ts';
import { fetchPublic } from '../../net/public-fetch.ts';
import { UrlPolicyError } from '../../net/url-policy.ts';
import type { CredentialStatus, CredentialStatusState, DidResolver, StatusReference } from '../types.ts';
import { BITSTRING_DEFAULT_TTL_MS, bitstringStatus, parseBitstringStatusListCredential } from './bitstring.ts';
import type { CachedStatusList, StatusListCache } from './status-list-cache.ts';
import { errorMessage, invalidList, StatusListError } from './status-list-error.ts';
import { parseTokenStatusListJwt, statusValueAt, TOKEN_STATUS } from './token-status-list.ts';

export { StatusListCache } from './status-list-cache.ts';

/** When the next check is due if no list states a `ttl`. */
export const DEFAULT_RECHECK_MS = 60 * 60 * 1000;
/** Checks are never scheduled closer together than this, whatever a list's `ttl` says. */
export const MIN_RECHECK_MS = 60 * 1000;
/** How long a Token Status List without `ttl` is cached (matching the W3C default). */
export const TOKEN_STATUS_LIST_DEFAULT_CACHE_MS = 300_000;
/**
 * The longest the wallet relies on one fetched list: a list is kept in the cache, and
 * its next check scheduled, no later than this after it was fetched, whatever `ttl` it
 * states, and also when it states no expiry (a Token Status List without `exp`).
 */
export const STATUS_LIST_MAX_AGE_MS = 24 * 60 * 60 * 1000;

export interface StatusCheckContext {
  /** The issuer of the credential; its status lists must be issued (signed) by it. */
  issuer: string;
  fetcher: HttpFetcher;
  resolver: DidResolver;
  /** Epoch ms. */
  now: number;
  /** Verified lists kept between checks (honours `ttl` and the lists' expiry). */
  cache?: StatusListCache;
}

interface Verdict {
  state: Exclude<CredentialStatusState, 'expired'>;
  reason: string | null;
}

/** Which verdict wins when lists disagree: revoked over suspended over unknown over valid. */
const RANK: Record<Verdict['state'], number> = { valid: 0, unknown: 1, suspended: 2, revoked: 3 };

const REVOKED: Verdict = { state: 'revoked', reason: 'revoked by the issuer' };
const SUSPENDED: Verdict = { state: 'suspended', reason: 'suspended by the issuer' };
const VALID: Verdict = { state: 'valid', reason: null };

type ListKind = StatusReference['kind'];

interface LoadedList {
  value: CachedStatusList;
  /** The list's own `ttl` in ms, if it states one (schedules the next check). */
  ttlMs: number | null;
  /** When the list itself stops being valid, epoch ms. */
  expiresAt: number | null;
}

/**
 * The credential's status from its published status lists. Each list is fetched once
 * (deduplicated by URL, served from `cache` within its `ttl`), verified as issued by
 * `ctx.issuer`, and read at the credential's index. Revoked wins over suspended, which
 * wins over unknown (a list that could not be fetched or verified). W3C entries with
 * purpose `message` carry no validity meaning and are not fetched.
 */
export async function checkStatus(refs: StatusReference[], ctx: StatusCheckContext): Promise<CredentialStatus> {
  const checkedAt = new Date(ctx.now).toISOString();
  const relevant = refs.filter((ref) => ref.kind === 'token-status-list' || ref.purpose !== 'message');
  if (relevant.length === 0) return { state: 'valid', checkedAt, reason: null, nextCheckAt: null };

  const groups = new Map<string, { kind: ListKind; url: string; refs: StatusReference[] }>();
  for (const ref of relevant) {
    const key = `${ref.kind}\u0000${ref.listUrl}`;
    const group = groups.get(key);
    if (group) group.refs.push(ref);
    else groups.set(key, { kind: ref.kind, url: ref.listUrl, refs: [ref] });
  }

  const recheckIn: number[] = [];
  const perGroup = await Promise.all(
    [...groups.values()].map(async ({ kind, url, refs: group }): Promise<Verdict[]> => {
      let loaded: LoadedList;
      try {
        loaded = await loadList(kind, url, ctx);
      } catch (error) {
        return [{ state: 'unknown', reason: failureReason(url, error) }];
      }
      if (loaded.ttlMs !== null) recheckIn.push(Math.min(loaded.ttlMs, STATUS_LIST_MAX_AGE_MS));
      if (loaded.expiresAt !== null && loaded.expiresAt > ctx.now) recheckIn.push(loaded.expiresAt - ctx.now);
      return group.map((ref) => {
        try {
          return evaluate(ref, loaded.value);
        } catch (error) {
          return { state: 'unknown', reason: failureReason(url, error) };
        }
      });
    }),
  );

  // The first verdict of the highest rank, lists taken in the order they were first referenced.
  let result = VALID;
  for (const verdict of perGroup.flat()) if (RANK[verdict.state] > RANK[result.state]) result = verdict;
  const interval = Math.max(MIN_RECHECK_MS, recheckIn.length ? Math.min(...recheckIn) : DEFAULT_RECHECK_MS);
  return { state: result.state, checkedAt, reason: result.reason, nextCheckAt: new Date(ctx.now + interval).toISOString() };
}

/**
 * Whether a credential's status should be checked again at `now`: never checked, or its
 * `nextCheckAt` has come. Revoked (final) and expired credentials are not re-checked.
 */
export function isDue(status: CredentialStatus, now: number): boolean {
  if (status.state === 'revoked' || status.state === 'expired') return false;
  if (status.nextCheckAt === null) return status.checkedAt === null;
  const due = Date.parse(status.nextCheckAt);
  return !Number.isFinite(due) || due <= now;
}

function evaluate(ref: StatusReference, value: CachedStatusList): Verdict {
  if (ref.kind === 'bitstring') {
    if (value.kind !== 'bitstring') throw invalidList('not a Bitstring Status List');
    if (!bitstringStatus(value.list, ref.purpose, ref.index)) return VALID;
    return ref.purpose === 'revocation' ? REVOKED : SUSPENDED;
  }
  if (value.kind !== 'token-status-list') throw invalidList('not a Token Status List');
  const status = statusValueAt(value.list.bytes, value.list.bits, ref.index);
  if (status === TOKEN_STATUS.VALID) return VALID;
  if (status === TOKEN_STATUS.INVALID) return REVOKED;
  if (status === TOKEN_STATUS.SUSPENDED) return SUSPENDED;
  return { state: 'unknown', reason: `status list ${ref.listUrl} gives the application-specific status 0x${status.toString(16).padStart(2, '0')}` };
}

async function loadList(kind: ListKind, url: string, ctx: StatusCheckContext): Promise<LoadedList> {
  const cached = ctx.cache?.get(url, ctx.now);
  if (cached && cached.kind === kind) {
    if (cached.list.issuer !== ctx.issuer) {
      throw invalidList(`the status list is issued by ${cached.list.issuer}, not by the credential's issuer ${ctx.issuer}`);
    }
    return describe(cached);
  }
  const fetchAndVerify = async (): Promise<LoadedList> => {
    const body = await fetchList(url, ctx);
    const value: CachedStatusList =
      kind === 'bitstring'
        ? { kind, list: await parseBitstringStatusListCredential(body, { issuer: ctx.issuer, resolver: ctx.resolver, now: ctx.now, listUrl: url }) }
        : { kind, list: await parseTokenStatusListJwt(body, { issuer: ctx.issuer, resolver: ctx.resolver, now: ctx.now, listUrl: url }) };
    const loaded = describe(value);
    const ttlMs = loaded.ttlMs ?? (kind === 'bitstring' ? BITSTRING_DEFAULT_TTL_MS : TOKEN_STATUS_LIST_DEFAULT_CACHE_MS);
    const cacheMs = Math.min(ttlMs, STATUS_LIST_MAX_AGE_MS);
    ctx.cache?.set(url, value, Math.min(ctx.now + cacheMs, loaded.expiresAt ?? Number.POSITIVE_INFINITY), ctx.now);
    return loaded;
  };
  return ctx.cache ? ctx.cache.shared(`${kind}\u0000${ctx.issuer}\u0000${url}`, fetchAndVerify) : fetchAndVerify();
}

function describe(value: CachedStatusList): LoadedList {
  if (value.kind === 'bitstring') return { value, ttlMs: value.list.ttlMs, expiresAt: value.list.validUntil };
  return { value, ttlMs: value.list.ttlSeconds === null ? null : value.list.ttlSeconds * 1000, expiresAt: value.list.expiresAt };
}

/** The list's body, fetched under the wallet's network rules (src/core/net/). */
async function fetchList(url: string, ctx: StatusCheckContext): Promise<string> {
  let response: HttpResponse;
  try {
    response = await fetchPublic(ctx.fetcher, url);
  } catch (error) {
    if (error instanceof UrlPolicyError) throw invalidList(`not fetched: ${error.reason}`);
    if (error instanceof BodyTooLargeError) throw invalidList(error.message);
    throw new StatusListError('unreachable', errorMessage(error));
  }
  if (response.status < 200 || response.status > 299) throw new StatusListError('unreachable', `HTTP ${response.status}`);
  return response.body;
}

function failureReason(url: string, error: unknown): string {
  const unreachable = error instanceof StatusListError && error.kind === 'unreachable';
  return `status list ${unreachable ? 'unreachable' : 'rejected'}: ${url}: ${errorMessage(error)}`;
}
