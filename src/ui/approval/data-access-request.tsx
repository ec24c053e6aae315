/**
 * Consent to ongoing data access: who asks, what (each credential and claim, as in a
 * one-time share), why (each purpose in plain words; AI model training only when
 * ticked on its own), for how long, how often, and how long they keep it. A research
 * requester is shown verified with its accreditation or unverified with the reason,
 * with every way the request goes beyond the accreditation, and a child's credential
 * says it is shared as parent or guardian until the child comes of age. On approval
 * the site may fetch fresh presentations of exactly this, silently, until the grant
 * ends or the user revokes it.
 */
import { useState } from 'preact/hooks';
import type { DataAccessApprovalView } from '../../protocol/internal.ts';
import { formatDate, formatDateTime } from '../components/format.ts';
import { OriginBadge, isInsecureOrigin } from '../components/origin-badge.tsx';
import { ErrorText } from '../components/page.tsx';
import { QueryCards } from './consent-query.tsx';
import { useConsentSelection } from './consent-selection.ts';
import { RefusalText } from './consent-parts.tsx';
import { AccessTerms, PurposeList } from './data-access-parts.tsx';
import { DecisionButtons, ORIGIN_ID, TITLE_ID, useDecision } from './decision.tsx';
import { InsecureWarning } from './identity-request.tsx';
import { RequesterBadge } from './requester-badge.tsx';
import { AccreditationWarnings, GuardianRole } from './research-notices.tsx';
import { grantEnd } from '../components/research-words.ts';

export function DataAccessRequest({
  approval,
  lookupError,
  onFinished,
}: {
  approval: DataAccessApprovalView;
  lookupError: string | null;
  onFinished: () => void;
}) {
  const decision = useDecision(approval.id, onFinished);
  const consent = useConsentSelection(approval.queries);
  const { blocked, nothingToShare, refusal } = consent;
  const [separate, setSeparate] = useState<string[]>([]);
  // The guardian role and the end follow the credentials chosen, not only the preselected ones.
  const guardian = consent.resolved.map(({ current }) => current?.candidate.guardian).find((g) => g) ?? null;
  const expiresAt = grantEnd(approval.termEndsAt, guardian);

  const toggleSeparate = (term: string, on: boolean) =>
    setSeparate((current) => (on ? [...current.filter((item) => item !== term), term] : current.filter((item) => item !== term)));

  const approve = () => {
    if (blocked || nothingToShare || refusal !== null) return;
    const offered = new Set(approval.purposes.filter((purpose) => purpose.separate).map((purpose) => purpose.term));
    void decision.decide('approve', {
      ...consent.selection(),
      separatePurposes: separate.filter((term) => offered.has(term)),
    });
  };

  return (
    <div class="stack">
      <h1 class="approval-title" id={TITLE_ID}>
        Give ongoing access
      </h1>
      <OriginBadge origin={approval.origin} large testId="approval-origin" id={ORIGIN_ID} />
      <p class="approval-lead">
        asks to read your data until {formatDate(expiresAt)}, without asking you again each time.
      </p>
      <RequesterBadge requester={approval.requester} purposes={approval.purposes} />
      {isInsecureOrigin(approval.origin) ? <InsecureWarning /> : null}
      <AccreditationWarnings warnings={approval.warnings} />
      {guardian ? <GuardianRole guardian={guardian} expiresAt={expiresAt} /> : null}

      <PurposeList
        purposes={approval.purposes}
        separateTicked={separate}
        disabled={decision.busy}
        onToggleSeparate={toggleSeparate}
      />
      <AccessTerms approval={approval} guardian={guardian} expiresAt={expiresAt} />

      <h2 class="card-heading">What they can read</h2>
      <QueryCards consent={consent} busy={decision.busy} />

      <p class="muted small">
        Each later read is a fresh presentation of exactly the claims ticked above, for this site only. You can revoke
        this access at any time in the Tessera dashboard; the site learns of it at once.
      </p>
      <RefusalText refusal={refusal} />
      <ErrorText message={decision.error ?? lookupError} testId="approval-error" />
      <DecisionButtons
        decision={decision}
        approveLabel="Give access"
        approvingLabel="Giving access…"
        approveDisabled={blocked || nothingToShare || refusal !== null}
        approveTitle={refusal ?? (blocked ? 'Confirm the status warning above first' : undefined)}
        onApprove={approve}
      />
      <p class="muted small">Requested {formatDateTime(approval.createdAt)}</p>
    </div>
  );
}
