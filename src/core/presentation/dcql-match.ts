import type { DcqlCredentialQuery, DcqlQuery } from 'dcql';
import type { CredentialRecord } from '../credentials/types.ts';
import { claimPathKey, resolveClaimPaths, type ClaimPath, type ClaimPathPointer, type ClaimValue } from './claim-path.ts';
import { isSatisfiedBy, type CredentialSetOutcome } from './credential-sets.ts';
import { LibraryMatcher, type ClaimSetChooser, type LibraryMatch } from './dcql-library-matcher.ts';

/** One claim a credential query asks for. */
export interface RequestedClaim {
  id: string | null;
  path: ClaimPathPointer;
  values: ClaimValue[] | null;
}

export interface CredentialQueryMatch {
  /** The DCQL credential query id (the key in vp_token). */
  queryId: string;
  format: string;
  multiple: boolean;
  /** `require_cryptographic_holder_binding` (default true). */
  holderBinding: boolean;
  /** Every claim in the query, in order. */
  claims: RequestedClaim[];
  claimSets: string[][] | null;
  /** Matching credentials, in the wallet's order (the library keeps input order). */
  candidates: CredentialRecord[];
  /**
   * The claim pointers asked for: every claim without `claim_sets`; with them, the
   * claims of each set some candidate satisfies first. Per candidate, prefer
   * `requestedPathsOf`.
   */
  requestedPaths: ClaimPathPointer[];
  /**
   * The claims requested of one candidate (its first satisfiable claim set, wildcards
   * expanded): the consent window's checked boxes and the default SD-JWT disclosures.
   */
  requestedPathsOf(recordId: string): ClaimPath[];
  /** Which claim set a candidate answers by, or null (no claim_sets, or not a candidate). */
  claimSetOf(recordId: string): number | null;
  /** The candidate answers by a less identifying claim set than the verifier's first (see `MatchOptions.chooseClaimSet`). */
  minimisedFor(recordId: string): boolean;
}

export interface MatchOptions {
  /** Epoch ms: also drop credentials past their `validUntil`. */
  now?: number;
  /**
   * Which of the claim sets a credential satisfies it answers by, per query (default:
   * the verifier's first). Research requests prefer the least identifying (core/research).
   */
  chooseClaimSet?: (query: DcqlCredentialQuery) => ClaimSetChooser | undefined;
}

export interface DcqlMatch {
  /** False: nothing (or not enough) matches; the caller answers NotAllowedError. */
  canBeSatisfied: boolean;
  /** One per credential query, in query order. */
  queries: CredentialQueryMatch[];
  /** The request's credential_sets with the options the held credentials can fill; null without sets. */
  credentialSets: CredentialSetOutcome[] | null;
  /** Whether answering exactly these queries fits the request (credential_sets, or all queries). */
  satisfiable(queryIds: readonly string[]): boolean;
}

/** Revoked, suspended or expired credentials are never offered (nor past `validUntil`, given `now`). */
export function isPresentable(record: CredentialRecord, now?: number): boolean {
  const state = record.statusResult.state;
  if (state === 'revoked' || state === 'suspended' || state === 'expired') return false;
  return now === undefined || record.validUntil === null || !(Date.parse(record.validUntil) <= now);
}

/**
 * Runs a DCQL query against the held credentials with the dcql library. `now` (ms),
 * when given, also drops credentials past their `validUntil`.
 */
export function matchDcql(query: DcqlQuery, records: readonly CredentialRecord[], options: MatchOptions = {}): DcqlMatch {
  // One pass over the records for all queries: each record is read once while it is in cache.
  const matchers = query.credentials.map((credentialQuery) => new LibraryMatcher(credentialQuery, options.chooseClaimSet?.(credentialQuery)));
  for (const record of records) {
    if (!isPresentable(record, options.now)) continue;
    for (const matcher of matchers) matcher.add(record);
  }
  const queries = query.credentials.map((credentialQuery, i) => queryMatch(credentialQuery, matchers[i]!.finish()));
  const found = queries.filter((q) => q.candidates.length > 0).map((q) => q.queryId);
  // The library's rule (runDcqlQuery), over the per-query results.
  const credentialSets =
    query.credential_sets?.map((set) => ({
      options: set.options,
      required: set.required,
      purpose: set.purpose ?? null,
      matchingOptions: set.options.filter((option) => option.every((id) => found.includes(id))),
    })) ?? null;
  const canBeSatisfied = credentialSets
    ? credentialSets.every((set) => !set.required || set.matchingOptions.length > 0)
    : queries.every((q) => q.candidates.length > 0);
  return { canBeSatisfied, queries, credentialSets, satisfiable: (ids) => isSatisfiedBy(query, ids) };
}

function queryMatch(credentialQuery: DcqlCredentialQuery, matches: LibraryMatch[]): CredentialQueryMatch {
  const claims: RequestedClaim[] = (credentialQuery.claims ?? []).flatMap((claim) =>
    'path' in claim ? [{ id: claim.id ?? null, path: claim.path as ClaimPathPointer, values: claim.values ?? null }] : [],
  );
  const claimSets = credentialQuery.claim_sets ?? null;
  const claimsOfSet = (index: number | null) =>
    index === null || !claimSets ? claims : (claimSets[index] ?? []).flatMap((id) => claims.filter((claim) => claim.id === id));

  const candidates = matches.map((m) => m.record);
  type Entry = { record: CredentialRecord; claimSet: number | null; minimised: boolean; paths?: ClaimPath[] };
  let byId: Map<string, Entry> | undefined;
  const lookup = (recordId: string) => (byId ??= new Map(matches.map((m): [string, Entry] => [m.record.id, { ...m }]))).get(recordId);
  const usedSets = new Set(matches.map((m) => m.claimSet));

  return {
    queryId: credentialQuery.id,
    format: credentialQuery.format,
    multiple: credentialQuery.multiple,
    holderBinding: credentialQuery.require_cryptographic_holder_binding,
    claims,
    claimSets,
    candidates,
    requestedPaths: dedupe([...usedSets].flatMap((index) => claimsOfSet(index).map((claim) => claim.path))),
    claimSetOf: (recordId) => lookup(recordId)?.claimSet ?? null,
    minimisedFor: (recordId) => lookup(recordId)?.minimised ?? false,
    requestedPathsOf(recordId) {
      const entry = lookup(recordId);
      if (!entry) return [];
      entry.paths ??= dedupe(claimsOfSet(entry.claimSet).flatMap((claim) => resolveClaimPaths(entry.record.document, claim.path, claim.values)));
      return entry.paths;
    },
  };
}

function dedupe<T extends ClaimPathPointer>(paths: T[]): T[] {
  const seen = new Set<string>();
  return paths.filter((path) => {
    const key = claimPathKey(path);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
