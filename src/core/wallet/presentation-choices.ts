import type { DcqlQuery } from 'dcql';
import type { ConsentQueryView, CredentialSelection } from '../../protocol/internal.ts';
import { DomainError } from '../errors.ts';
import { matchDcql, type DcqlMatch, type MatchOptions } from '../presentation/dcql-match.ts';
import { SelectionError } from '../presentation/errors.ts';
import type { PresentationChoice } from '../presentation/vp-token.ts';
import type { CredentialStatusService } from './credential-status.ts';
import { toCredentialView } from './credential-views.ts';
import type { UnlockedWallet } from './wallet-session.ts';

/**
 * What a consent window shows for a DCQL query and what the user's choices become:
 * shared by one-time shares (OpenID4VP) and data-access grants.
 */

/** Matches the stored credentials with their stored statuses: nothing is fetched while a request is merely on screen. */
export async function matchHeld(wallet: UnlockedWallet, dcqlQuery: DcqlQuery, now: number, options: Omit<MatchOptions, 'now'> = {}): Promise<DcqlMatch> {
  return matchDcql(dcqlQuery, await wallet.credentials.list(), { ...options, now });
}

/**
 * The user approved: re-check the status of every candidate ("before every share";
 * the status-list cache honours each list's ttl) and match again if one changed, so
 * a revoked credential never leaves.
 */
export async function matchWithFreshStatus(
  wallet: UnlockedWallet,
  status: CredentialStatusService,
  dcqlQuery: DcqlQuery,
  now: number,
  options: Omit<MatchOptions, 'now'> = {},
): Promise<DcqlMatch> {
  const first = await matchHeld(wallet, dcqlQuery, now, options);
  const candidates = [...new Map(first.queries.flatMap((q) => q.candidates).map((c) => [c.id, c])).values()];
  const rechecked = await Promise.all(candidates.map((record) => status.refresh(wallet, record, true)));
  const changed = rechecked.some((record, i) => record.statusResult.state !== candidates[i]?.statusResult.state);
  return changed ? matchHeld(wallet, dcqlQuery, now, options) : first;
}

/** Each query with its candidates and every claim each would release. */
export async function consentQueries(wallet: UnlockedWallet, dcqlQuery: DcqlQuery, match: DcqlMatch): Promise<ConsentQueryView[]> {
  const policy = await wallet.research.policy();
  return Promise.all(
    match.queries.map(async (query) => ({
      asked: askedFor(dcqlQuery, query.queryId, query.format, query.claims.map((c) => c.path)),
      queryId: query.queryId,
      holderBinding: query.holderBinding,
      minimised: query.candidates[0] ? query.minimisedFor(query.candidates[0].id) : false,
      candidates: await Promise.all(
        query.candidates.map(async (record) => ({
          credential: await toCredentialView(wallet, record, policy),
          claims: record.claims.map((claim) => ({
            path: claim.path,
            value: claim.value,
            requested: query.requestedPathsOf(record.id).some((p) => isPrefix(p, claim.path)),
            // The whole JWT credential leaves; only SD-JWT claims can be withheld.
            disclosable: record.format === 'dc+sd-jwt' && claim.disclosable,
          })),
        })),
      ),
    })),
  );
}

/** The user's selection as presentation choices, checked against what matched; `invalid_input` for a choice to correct. */
export function chooseCredentials(match: DcqlMatch, selection: CredentialSelection | undefined): PresentationChoice[] {
  if (!selection) throw new DomainError('invalid_input', 'Choose which credential answers each request.');
  const choices: PresentationChoice[] = [];
  for (const query of match.queries) {
    const chosen = selection.queries[query.queryId];
    if (!chosen) continue;
    const record = query.candidates.find((c) => c.id === chosen.credentialId);
    if (!record) throw new DomainError('invalid_input', `That credential cannot answer '${query.queryId}' (it may have been revoked).`);
    if (record.statusResult.state === 'unknown' && !selection.acceptUnknownStatus) {
      throw new DomainError('invalid_input', 'The issuer could not be reached to confirm a credential is still valid; confirm the warning to share it anyway.');
    }
    const known = (path: (string | number)[]) => record.claims.some((c) => samePath(c.path, path) || isPrefix(path, c.path));
    const unknownPath = chosen.claims.find((path) => !known(path));
    if (unknownPath) throw new DomainError('invalid_input', `The credential has no claim ${unknownPath.join('.')}.`);
    choices.push({ queryId: query.queryId, record, disclose: chosen.claims, holderBinding: query.holderBinding });
  }
  if (!match.satisfiable(choices.map((c) => c.queryId))) {
    throw new DomainError('invalid_input', 'The request needs more credentials than were chosen.');
  }
  return choices;
}

/** Builds presentations; a choice that does not fit the request becomes `invalid_input` for the user to correct. */
export async function presentOrAsk<T>(build: () => Promise<T>): Promise<T> {
  try {
    return await build();
  } catch (error) {
    if (error instanceof SelectionError) throw new DomainError('invalid_input', error.message);
    throw error;
  }
}

/** The claim paths that leave with a choice: every claim of a JWT VC (it leaves whole), the disclosed ones of an SD-JWT. */
export function releasedPaths(choice: PresentationChoice): (string | number)[][] {
  const { record } = choice;
  if (record.format !== 'dc+sd-jwt') return record.claims.map((c) => c.path);
  const disclose = choice.disclose ?? [];
  return record.claims.filter((c) => !c.disclosable || disclose.some((p) => isPrefix(p, c.path))).map((c) => c.path);
}

/** The credential types (W3C `type_values` or SD-JWT `vct_values`) and claims a query names. */
function askedFor(dcqlQuery: DcqlQuery, queryId: string, format: string, claims: (string | number | null)[][]): ConsentQueryView['asked'] {
  const meta = (dcqlQuery.credentials.find((c) => c.id === queryId)?.meta ?? {}) as {
    vct_values?: string[];
    type_values?: string[][];
  };
  const types = meta.vct_values ?? (meta.type_values ?? []).map((alternative) => alternative.join(' + '));
  return { format, types, claims };
}

const samePath = (a: (string | number)[], b: (string | number)[]) => a.length === b.length && a.every((x, i) => x === b[i]);
/** `prefix` is `path` or one of its ancestors (a requested object covers its leaves; null matches any index). */
const isPrefix = (prefix: (string | number | null)[], path: (string | number)[]) =>
  prefix.length <= path.length && prefix.every((x, i) => x === path[i] || x === null);
