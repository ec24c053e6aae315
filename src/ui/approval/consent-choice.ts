/**
 * What the consent window preselects and what leaves: pure functions over the view,
 * so the rules (exactly the requested claims by default, trusted issuers first, a
 * credential the wallet refuses to this requester never chosen) are tested without a browser.
 */
import type { ConsentCandidateView, ConsentClaimView, ConsentQueryView } from '../../protocol/internal.ts';
import { claimKey } from '../components/credential.tsx';

/** What the user has chosen for one query: a credential and the claim keys ticked. */
export interface QueryChoice {
  credentialId: string;
  /** claimKey() of every ticked disclosable claim; non-disclosable claims always leave. */
  ticked: string[];
}

/** By default exactly the requested claims leave (DESIGN §3.1), plus what cannot be withheld. */
export function defaultChoice(candidate: ConsentCandidateView): QueryChoice {
  return {
    credentialId: candidate.credential.id,
    ticked: candidate.claims.filter((claim) => claim.requested && claim.disclosable).map((claim) => claimKey(claim.path)),
  };
}

export function isShared(claim: ConsentClaimView, choice: QueryChoice): boolean {
  return !claim.disclosable || choice.ticked.includes(claimKey(claim.path));
}

/** The wallet refuses this credential to this requester (a sensitive category, an unverified requester). */
export function isBlocked(candidate: ConsentCandidateView): boolean {
  return typeof candidate.blocked === 'string' && candidate.blocked !== '';
}

/**
 * The candidates as the window lists them: credentials from trusted issuers before
 * those from unknown ones (anyone can sign a credential), otherwise in the wallet's
 * order, and those the wallet refuses last. The first that is not refused is preselected.
 */
export function orderedCandidates(query: ConsentQueryView): ConsentCandidateView[] {
  const open = query.candidates.filter((item) => !isBlocked(item));
  const trusted = open.filter((item) => item.credential.issuerTrusted);
  const unknown = open.filter((item) => !item.credential.issuerTrusted);
  return [...trusted, ...unknown, ...query.candidates.filter(isBlocked)];
}

/**
 * The candidate and choice in force for a query: the user's, unless the candidate it
 * names is no longer offered (a refresh brought a changed request) or is refused,
 * then the preferred one; null when no credential may answer it.
 */
export function resolveChoice(
  query: ConsentQueryView,
  choices: Record<string, QueryChoice>,
): { candidate: ConsentCandidateView; choice: QueryChoice } | null {
  const chosen = choices[query.queryId];
  const candidate = chosen ? query.candidates.find((item) => item.credential.id === chosen.credentialId) : undefined;
  if (candidate && chosen && !isBlocked(candidate)) return { candidate, choice: chosen };
  const preferred = orderedCandidates(query)[0];
  return preferred && !isBlocked(preferred) ? { candidate: preferred, choice: defaultChoice(preferred) } : null;
}

/** Why nothing may be shared for a query the wallet does hold credentials for: every one is refused (the first reason); else null. */
export function refusalOf(query: ConsentQueryView): string | null {
  if (query.candidates.length === 0 || !query.candidates.every(isBlocked)) return null;
  return query.candidates[0]?.blocked ?? null;
}

const DID_CLIENT_PREFIX = 'decentralized_identifier:';

/**
 * Who signed a request, from its verified client_id. A `decentralized_identifier:`
 * client_id proves only control of that DID's key, not who is behind it, so the
 * window says "signed by <DID>" and never calls the requester verified.
 */
export function requestSigner(clientId: string): { did: string } | { clientId: string } {
  return clientId.startsWith(DID_CLIENT_PREFIX) && clientId.length > DID_CLIENT_PREFIX.length
    ? { did: clientId.slice(DID_CLIENT_PREFIX.length) }
    : { clientId };
}
