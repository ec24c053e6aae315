/**
 * Research access in the user's words, shared by the consent window and the dashboard:
 * the guardian's role, the child's coming of age, and data-use terms by the labels the
 * window already has for them. Pure; the wallet's own term list lives in core, which
 * pages do not import, so a term without a label here is shown as the term.
 */
import type { GuardianView, PurposeView } from '../../protocol/internal.ts';

const DAY_MS = 86_400_000;

/** `dpv:ParentOfDataSubject` → "parent"; any other role (`dpv:GuardianOfDataSubject`) → "guardian". */
export function guardianRoleWord(role: string): 'parent' | 'guardian' {
  return role === 'dpv:ParentOfDataSubject' ? 'parent' : 'guardian';
}

/** The moment the child comes of age (the grant ends then): the date's start, UTC, as the wallet ends it. */
export function comingOfAgeMs(guardian: Pick<GuardianView, 'comesOfAgeAt'> | null | undefined): number | null {
  const date = guardian?.comesOfAgeAt;
  if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const ms = Date.parse(`${date}T00:00:00Z`);
  return Number.isFinite(ms) ? ms : null;
}

/** Whole days from `nowMs` until the child comes of age (0 on the day, negative once past), or null. */
export function daysUntilComingOfAge(guardian: Pick<GuardianView, 'comesOfAgeAt'> | null | undefined, nowMs: number): number | null {
  const at = comingOfAgeMs(guardian);
  return at === null ? null : Math.ceil((at - nowMs) / DAY_MS);
}

/** The term ends at the child's coming of age (the wallet shortened it to that date), not after the days asked for. */
export function endsAtComingOfAge(expiresAt: string | null, guardian: Pick<GuardianView, 'comesOfAgeAt'> | null | undefined): boolean {
  const at = comingOfAgeMs(guardian);
  return at !== null && expiresAt !== null && Date.parse(expiresAt) === at;
}

/** When a grant would end: its term, or the child's coming of age when that is sooner (as the wallet ends it). */
export function grantEnd(termEndsAt: string, guardian: Pick<GuardianView, 'comesOfAgeAt'> | null | undefined): string {
  const at = comingOfAgeMs(guardian);
  return at !== null && at < Date.parse(termEndsAt) ? new Date(at).toISOString() : termEndsAt;
}

export interface DataUseWords {
  term: string;
  /** The window's label for the term, when one of its purposes has it. */
  label: string | null;
}

/** Each data use as a label and its term, the label from `purposes` (the request's or the grant's) where it has one. */
export function dataUseWords(terms: readonly string[], purposes: readonly Pick<PurposeView, 'term' | 'label'>[]): DataUseWords[] {
  const labels = new Map(purposes.map((purpose) => [purpose.term, purpose.label]));
  return terms.map((term) => {
    const label = labels.get(term);
    return { term, label: label && label !== term ? label : null };
  });
}
