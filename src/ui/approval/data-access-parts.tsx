/**
 * The data-access consent window's own pieces: why (each purpose in plain words, the
 * separately consented ones with their own unticked box, each marked where the
 * requester's study is not approved for it), and the terms (how long, how often, how
 * long the requester keeps what it receives). Who asks: requester-badge.tsx.
 */
import type { DataAccessApprovalView, GuardianView, PurposeView } from '../../protocol/internal.ts';
import { formatCount, formatDate, formatUtcDay } from '../components/format.ts';
import { endsAtComingOfAge } from '../components/research-words.ts';

/** A purpose the verified requester's study is not approved for: said in words, not by colour alone. */
function BeyondMark({ purpose }: { purpose: PurposeView }) {
  if (!purpose.beyondAccreditation) return null;
  return (
    <span class="pill pill-warn pill-flag" data-testid={`purpose-beyond-${purpose.term}`}>
      ⚠ Not among the study&apos;s approved data uses
    </span>
  );
}

/** Every stated purpose; `separate` ones (AI model training) need their own tick, off by default. */
export function PurposeList({
  purposes,
  separateTicked,
  disabled,
  onToggleSeparate,
}: {
  purposes: PurposeView[];
  separateTicked: string[];
  disabled: boolean;
  onToggleSeparate: (term: string, on: boolean) => void;
}) {
  const plain = purposes.filter((purpose) => !purpose.separate);
  const separate = purposes.filter((purpose) => purpose.separate);
  return (
    <section class="card stack" aria-labelledby="purposes-heading">
      <h2 id="purposes-heading" class="card-heading">
        Why they ask
      </h2>
      {plain.length > 0 ? (
        <ul class="purpose-list">
          {plain.map((purpose) => (
            <li key={purpose.term} data-testid={`purpose-${purpose.term}`}>
              <strong>{purpose.label}</strong>: {purpose.description}
              <BeyondMark purpose={purpose} />
              <code class="muted small purpose-term">{purpose.term}</code>
            </li>
          ))}
        </ul>
      ) : null}
      {separate.map((purpose) => {
        const inputId = `separate-purpose-input-${purpose.term}`;
        return (
          <div key={purpose.term} class="checkbox-line separate-purpose" data-testid={`purpose-${purpose.term}`}>
            <input
              type="checkbox"
              id={inputId}
              data-testid={`separate-purpose-${purpose.term}`}
              checked={separateTicked.includes(purpose.term)}
              disabled={disabled}
              onChange={(event) => onToggleSeparate(purpose.term, event.currentTarget.checked)}
            />
            <label for={inputId}>
              <strong>Also allow: {purpose.label}</strong>: {purpose.description}
              <BeyondMark purpose={purpose} />
              <code class="muted small purpose-term">{purpose.term}</code>
              <span class="muted small block">Left unticked, this use is not part of the grant.</span>
            </label>
          </div>
        );
      })}
    </section>
  );
}

function days(count: number): string {
  return count === 1 ? '1 day' : `${formatCount(count)} days`;
}

/** For how long, how often, how long they keep it. */
export function AccessTerms({
  approval,
  guardian,
  expiresAt,
}: {
  approval: DataAccessApprovalView;
  /** The chosen credentials' guardian role, and the end it makes (see grantEnd). */
  guardian: GuardianView | null;
  expiresAt: string;
}) {
  return (
    <section class="card" aria-labelledby="terms-heading">
      <h2 id="terms-heading" class="card-heading">
        On what terms
      </h2>
      <dl class="fact-list">
        <div class="fact" data-testid="term-duration">
          <dt>For how long</dt>
          <dd>
            {endsAtComingOfAge(expiresAt, guardian) ? (
              <>
                Until {formatUtcDay(expiresAt)}, when the child comes of age{' '}
                <span class="muted small">({days(approval.durationDays)} asked)</span>
              </>
            ) : (
              <>
                {days(approval.durationDays)}, until {formatDate(expiresAt)}
              </>
            )}
          </dd>
        </div>
        <div class="fact" data-testid="term-usage">
          <dt>How often</dt>
          <dd>
            {approval.usageLimit === null
              ? 'No limit: as often as they like while the grant lasts'
              : `At most ${formatCount(approval.usageLimit)} ${approval.usageLimit === 1 ? 'time' : 'times'}`}
          </dd>
        </div>
        <div class="fact" data-testid="term-retention">
          <dt>How long they keep it</dt>
          <dd>{approval.retentionDays === null ? 'Not stated' : days(approval.retentionDays)}</dd>
        </div>
      </dl>
    </section>
  );
}
