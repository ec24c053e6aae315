import type { ConsentQueryView, PurposeView, RequesterView } from '../../protocol/internal.ts';
import type { CredentialRecord } from '../credentials/types.ts';
import type { AccreditedRequesterFacts, GrantRecord } from '../grants/grant-record.ts';
import type { PurposeTerm } from '../grants/purposes.ts';
import { claimCovered, purposesBeyond } from '../research/accreditation-scope.ts';
import { sensitiveCategoriesOf, type ResearchPolicy } from '../research/data-categories.ts';
import { directIdentifierReason } from '../research/direct-identifiers.ts';
import type { RequesterCheck, RequesterCheckDeps } from '../research/requester-check.ts';
import type { CredentialContext } from './flow-context.ts';
import type { UnlockedWallet } from './wallet-session.ts';

/**
 * The data-access consent window's research side (DESIGN.md §8): who asks as checked,
 * what sensitive data an unverified requester cannot get, which claims are direct
 * identifiers under a research purpose, and where the request goes beyond the
 * requester's accreditation — purpose by purpose and claim by claim.
 */
export interface ResearchConsent {
  origin: string;
  /** null: the request carried no `requester`. */
  check: RequesterCheck | null;
  policy: ResearchPolicy;
  purposes: PurposeTerm[];
}

const NO_ACCREDITATION = 'The site did not prove who it is (no accreditation).';

export const isResearch = (purposes: readonly PurposeTerm[]) => purposes.some((p) => p.research || p.separate);

export function requesterView({ origin, check }: ResearchConsent): RequesterView {
  if (!check) return { verified: false, origin, reason: NO_ACCREDITATION, did: null };
  if (!check.verified) return { verified: false, origin, reason: check.reason, did: check.did };
  return { verified: true, origin, ...accreditedFacts(check) };
}

export function accreditedFacts(check: Extract<RequesterCheck, { verified: true }>): AccreditedRequesterFacts {
  const { accreditation, study } = check;
  return {
    name: accreditation.name,
    did: check.did,
    accreditor: check.accreditorLabel,
    accreditorDid: check.accreditorDid,
    affiliationAndRole: accreditation.affiliationAndRole,
    researcherStatus: accreditation.researcherStatus,
    study: study.title,
    studyId: study.id,
    ethicsApproval: study.ethicsApproval,
    dataUses: study.dataUses,
    dataCategories: study.dataCategories,
    claims: study.claims,
    validUntil: study.validUntil === null ? null : new Date(study.validUntil).toISOString(),
  };
}

/** What the grant records of its requester. */
export function grantRequester({ origin, check }: ResearchConsent): GrantRecord['requester'] {
  if (!check?.verified) {
    return { origin, id: check?.did ?? null, displayName: origin, verification: { status: 'unverified', reason: check ? check.reason : NO_ACCREDITATION } };
  }
  return {
    origin,
    id: check.did,
    displayName: check.accreditation.name,
    verification: { status: 'accredited', credentialId: check.credentialId, issuer: check.accreditorDid, facts: accreditedFacts(check) },
  };
}

/** Why a credential cannot go to this requester: a sensitive category and a requester the wallet could not verify. */
export function blockedReason(consent: ResearchConsent, record: Pick<CredentialRecord, 'id' | 'types' | 'vct'>): string | null {
  if (consent.check?.verified) return null;
  const sensitive = sensitiveCategoriesOf(consent.policy, record);
  if (sensitive.length === 0) return null;
  const why = consent.check ? consent.check.reason : NO_ACCREDITATION;
  return `This is ${sensitive.join(' and ')} data, which Tessera never shares with a requester it could not verify. ${why}`;
}

export function purposeViews(consent: ResearchConsent): PurposeView[] {
  const beyond = consent.check?.verified ? purposesBeyond(consent.check.study, consent.purposes.map((p) => p.term)) : [];
  return consent.purposes.map(({ term, label, description, separate }) => ({
    term,
    label,
    description,
    separate,
    ...(beyond.includes(term) ? { beyondAccreditation: true } : {}),
  }));
}

/** The queries with the research marks on candidates and claims. */
export function researchQueries(consent: ResearchConsent, queries: ConsentQueryView[]): ConsentQueryView[] {
  const research = isResearch(consent.purposes);
  const study = consent.check?.verified ? consent.check.study : null;
  return queries.map((query) => ({
    ...query,
    candidates: query.candidates.map((candidate) => ({
      ...candidate,
      blocked: blockedReason(consent, { id: candidate.credential.id, types: candidate.credential.types, vct: candidate.credential.vct }),
      claims: candidate.claims.map((claim) => ({
        ...claim,
        directIdentifier: research ? directIdentifierReason(claim.path) : null,
        // Every claim, asked or not: one the user ticks beyond the accreditation is warned about too.
        ...(study && !claimCovered(study, claim.path) ? { beyondAccreditation: true } : {}),
      })),
    })),
  }));
}

/** Findings beyond the accreditation, each a sentence: purposes, data categories, requested claims. */
export function accreditationWarnings(consent: ResearchConsent, queries: ConsentQueryView[]): string[] {
  const check = consent.check;
  if (!check?.verified) return [];
  const { study } = check;
  const warnings: string[] = [];
  for (const purpose of consent.purposes.filter((p) => purposesBeyond(study, [p.term]).length > 0)) {
    warnings.push(`“${purpose.label}” is not among the data uses approved for study ${study.id}.`);
  }
  const categories = new Set(queries.flatMap((q) => q.candidates[0]?.credential.categories ?? []));
  for (const category of categories) {
    if (!study.dataCategories.includes(category)) warnings.push(`Study ${study.id} is not approved for ${category} data.`);
  }
  const beyond = new Set<string>();
  for (const query of queries) {
    for (const claim of query.candidates[0]?.claims ?? []) {
      if (claim.requested && !claimCovered(study, claim.path)) beyond.add(claim.path.join('.'));
    }
  }
  for (const path of beyond) warnings.push(`It asks for ${path}, which the accreditation does not list for study ${study.id}.`);
  return warnings;
}

/** What a requester check uses: the DID resolver, the user's accreditation list, the status lists (through the shared cache). */
export function requesterCheckDeps(ctx: CredentialContext, wallet: UnlockedWallet): RequesterCheckDeps {
  return {
    resolver: ctx.resolver,
    now: ctx.ports.now(),
    accreditorLabel: (did) => wallet.research.accreditors.labelOf(did),
    statusOf: (credential) => ctx.status.statusOf(credential),
  };
}
