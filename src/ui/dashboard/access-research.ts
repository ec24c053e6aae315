/**
 * What the Access tab says of a research grant beyond the plain terms: whether the
 * child comes of age soon enough to warn the parent. Pure, tested without a browser.
 */
import type { GrantView } from '../../protocol/internal.ts';
import { daysUntilComingOfAge } from '../components/research-words.ts';

/** How long before the child comes of age the dashboard says the grant is about to end. */
export const COMING_OF_AGE_NOTICE_DAYS = 30;

/** Days left until an active guardian grant ends at the child's coming of age, when that is within the notice period; else null. */
export function comingOfAgeNoticeDays(grant: Pick<GrantView, 'status' | 'guardian'>, nowMs: number): number | null {
  if (grant.status !== 'active') return null;
  const days = daysUntilComingOfAge(grant.guardian, nowMs);
  return days !== null && days <= COMING_OF_AGE_NOTICE_DAYS ? Math.max(0, days) : null;
}
