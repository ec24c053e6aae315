import type { DcqlCredentialQuery } from 'dcql';
import type { ClaimSetChooser } from '../presentation/dcql-library-matcher.ts';
import { identifyingScore } from './direct-identifiers.ts';

/**
 * DESIGN.md §8 "Minimise": when a research request accepts alternatives (DCQL
 * `claim_sets`), the wallet answers by the least identifying set the credential can
 * fill — fewest direct identifiers, the verifier's order breaking ties — instead of
 * the verifier's first choice. The user can still tick more.
 */
export function leastIdentifyingClaimSet(query: DcqlCredentialQuery): ClaimSetChooser | undefined {
  const sets = query.claim_sets;
  if (!sets) return undefined;
  const pathOf = new Map((query.claims ?? []).flatMap((claim) => ('path' in claim && claim.id ? [[claim.id, claim.path as (string | number | null)[]]] : [])));
  const score = (index: number) => identifyingScore((sets[index] ?? []).flatMap((id) => (pathOf.has(id) ? [pathOf.get(id)!] : [])));
  return (satisfied) => satisfied.reduce((best, index) => (score(index) < score(best) ? index : best));
}
