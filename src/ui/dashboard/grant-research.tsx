/**
 * A research grant's own facts in its card: who was verified as asking (institution,
 * study, accreditation body), and, for a child's data shared as parent or guardian,
 * that role, the coming-of-age date the grant ends on, and a notice once it is near.
 */
import type { GrantView } from '../../protocol/internal.ts';
import { formatDay, formatUtcDay } from '../components/format.ts';
import { guardianRoleWord } from '../components/research-words.ts';
import { comingOfAgeNoticeDays } from './access-research.ts';

/** Extra rows of the card's fact list (`<dl class="grant-facts">`). */
export function GrantResearchFacts({ grant }: { grant: GrantView }) {
  const { requester, guardian } = grant;
  return (
    <>
      {requester.verified ? (
        <div data-testid={`grant-requester-${grant.id}`}>
          <dt>Verified requester</dt>
          <dd>
            <strong>{requester.name}</strong>
            {requester.study ? (
              <span class="small block">
                Study: {requester.study}
                {requester.studyId ? ` (${requester.studyId})` : ''}
              </span>
            ) : null}
            <span class="muted small block">
              accredited by {requester.accreditor}
              {requester.validUntil ? `, until ${formatUtcDay(requester.validUntil)}` : ''}
            </span>
          </dd>
        </div>
      ) : null}
      {guardian ? (
        <div data-testid={`grant-guardian-${grant.id}`}>
          <dt>On behalf of a child</dt>
          <dd>
            Shared as {guardianRoleWord(guardian.role)}
            {guardian.comesOfAgeAt ? (
              <span class="small block">Ends when the child comes of age on {formatDay(guardian.comesOfAgeAt)}</span>
            ) : null}
          </dd>
        </div>
      ) : null}
    </>
  );
}

/** Shown while an active guardian grant is within 30 days of ending at the child's coming of age. */
export function GuardianNotice({ grant, nowMs }: { grant: GrantView; nowMs: number }) {
  const days = comingOfAgeNoticeDays(grant, nowMs);
  const date = grant.guardian?.comesOfAgeAt;
  if (days === null || !date) return null;
  const when = days === 0 ? 'today' : days === 1 ? 'tomorrow' : `in ${days} days`;
  return (
    <p class="warning small" role="status" data-testid={`guardian-notice-${grant.id}`}>
      <strong>Ends soon:</strong> the child comes of age {when} ({formatDay(date)}), and this access ends then unless it is
      renewed.
    </p>
  );
}
