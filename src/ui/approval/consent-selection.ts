/**
 * The user's choices across every query of a consent (one-time share or data
 * access): which credential answers each, which claims leave, and the
 * acknowledgement a credential of unknown status needs, and whether the wallet refuses
 * every credential that could answer a query. Both consent views use it,
 * so they preselect and build the selection the same way.
 */
import { useState } from 'preact/hooks';
import type { ConsentCandidateView, ConsentQueryView, CredentialSelection } from '../../protocol/internal.ts';
import { type QueryChoice, isShared, refusalOf, resolveChoice } from './consent-choice.ts';

export interface ResolvedQuery {
  query: ConsentQueryView;
  current: { candidate: ConsentCandidateView; choice: QueryChoice } | null;
}

export interface ConsentSelection {
  resolved: ResolvedQuery[];
  setChoice: (queryId: string, choice: QueryChoice) => void;
  unknownStatus: boolean;
  acceptUnknown: boolean;
  setAcceptUnknown: (accept: boolean) => void;
  /** Nothing the wallet holds answers any query: there is nothing to approve. */
  nothingToShare: boolean;
  /** The status warning is not yet acknowledged. */
  blocked: boolean;
  /**
   * Why approving is impossible: every credential that could answer a query is refused
   * to this requester (the view does not say which queries are optional, so any such
   * query stops the approval); null otherwise.
   */
  refusal: string | null;
  /** What leaves, as the background expects it. */
  selection: () => CredentialSelection;
}

export function useConsentSelection(queries: ConsentQueryView[]): ConsentSelection {
  const [choices, setChoices] = useState<Record<string, QueryChoice>>({});
  const [acceptUnknown, setAcceptUnknown] = useState(false);

  const resolved = queries.map((query) => ({ query, current: resolveChoice(query, choices) }));
  const unknownStatus = resolved.some(({ current }) => current?.candidate.credential.status.state === 'unknown');

  const selection = (): CredentialSelection => {
    const picked: CredentialSelection['queries'] = {};
    for (const { query, current } of resolved) {
      if (!current) continue;
      picked[query.queryId] = {
        credentialId: current.candidate.credential.id,
        claims: current.candidate.claims.filter((claim) => isShared(claim, current.choice)).map((claim) => claim.path),
      };
    }
    return { queries: picked, acceptUnknownStatus: unknownStatus && acceptUnknown };
  };

  return {
    resolved,
    setChoice: (queryId, choice) => setChoices((current) => ({ ...current, [queryId]: choice })),
    unknownStatus,
    acceptUnknown,
    setAcceptUnknown,
    nothingToShare: resolved.every(({ current }) => current === null),
    blocked: unknownStatus && !acceptUnknown,
    refusal: queries.map(refusalOf).find((reason) => reason !== null) ?? null,
    selection,
  };
}
