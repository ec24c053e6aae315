import type { GuardianView } from '../../protocol/research-views.ts';

/** DPV's roles for someone acting for the data subject (DESIGN.md §8 Guardian). */
export const PARENT_OF_DATA_SUBJECT = 'dpv:ParentOfDataSubject';
export const GUARDIAN_OF_DATA_SUBJECT = 'dpv:GuardianOfDataSubject';

const ROLES: Record<string, string> = { parent: PARENT_OF_DATA_SUBJECT, guardian: GUARDIAN_OF_DATA_SUBJECT, legal_guardian: GUARDIAN_OF_DATA_SUBJECT };

/**
 * Whether the holder keeps this credential for a child: its `holder_relationship`
 * claim (at the top, or in `credentialSubject`) says parent or guardian; the child's
 * coming-of-age date comes from `coming_of_age_date` when the credential gives it.
 * The wallet reads these from what it holds; they need not be disclosed.
 */
export function guardianOf(document: Record<string, unknown>): GuardianView | null {
  const subject = document.credentialSubject;
  const source = typeof subject === 'object' && subject !== null && !Array.isArray(subject) ? { ...document, ...(subject as Record<string, unknown>) } : document;
  const relationship = source.holder_relationship;
  const role = typeof relationship === 'string' ? ROLES[relationship.toLowerCase()] : undefined;
  if (!role) return null;
  const date = source.coming_of_age_date;
  const comesOfAge = typeof date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date) && Number.isFinite(Date.parse(date)) ? date : null;
  return { role, comesOfAgeAt: comesOfAge };
}

/** The grant's end: its term, or the child's coming of age if that is sooner (the grant ends then unless renewed). */
export function guardianTermEnd(termEnd: string | null, guardian: GuardianView | null): string | null {
  if (!guardian?.comesOfAgeAt) return termEnd;
  const comesOfAge = new Date(`${guardian.comesOfAgeAt}T00:00:00Z`).toISOString();
  return termEnd === null || comesOfAge < termEnd ? comesOfAge : termEnd;
}

/** Why the holder can no longer share as guardian (the child has come of age), or null. */
export function guardianEnded(guardian: GuardianView | null, now: number): string | null {
  if (!guardian?.comesOfAgeAt || Date.parse(`${guardian.comesOfAgeAt}T00:00:00Z`) > now) return null;
  return `The child came of age on ${guardian.comesOfAgeAt}: as their parent or guardian you can no longer share this credential for them.`;
}
