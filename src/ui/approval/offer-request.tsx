/**
 * A site offers a credential. The background has already verified it (signature,
 * binding to one of the wallet's keys); the user decides whether to keep it, seeing
 * who issued it (and whether that issuer is trusted), its status and every claim.
 */
import type { OfferApprovalView } from '../../protocol/internal.ts';
import {
  ClaimList,
  credentialTypes,
  Fact,
  FORMAT_LABEL,
  isInactive,
  StatusBadge,
  statusMeaning,
  TrustBadge,
  ValidityFacts,
} from '../components/credential.tsx';
import { CredentialCardFace, DisplayNotes } from '../components/credential-card.tsx';
import { formatDateTime } from '../components/format.ts';
import { OriginBadge, isInsecureOrigin } from '../components/origin-badge.tsx';
import { ErrorText } from '../components/page.tsx';
import { DecisionButtons, ORIGIN_ID, TITLE_ID, useDecision } from './decision.tsx';
import { InsecureWarning } from './identity-request.tsx';

export function OfferRequest({
  approval,
  lookupError,
  onFinished,
}: {
  approval: OfferApprovalView;
  lookupError: string | null;
  onFinished: () => void;
}) {
  const decision = useDecision(approval.id, onFinished);
  const { credential } = approval;
  const { status } = credential;

  return (
    <div class="stack">
      <h1 class="approval-title" id={TITLE_ID}>Credential offer</h1>
      <OriginBadge origin={approval.origin} large testId="approval-origin" id={ORIGIN_ID} />
      <p class="approval-lead">offers you a credential</p>
      {isInsecureOrigin(approval.origin) ? <InsecureWarning /> : null}

      <section class="card stack">
        <h3>Issued by</h3>
        <div class="issuer-line">
          <code data-testid="offer-issuer" title={credential.issuer}>
            {credential.issuer}
          </code>
          <TrustBadge credential={credential} testId="issuer-trust" />
        </div>
        {credential.issuerCheck === 'when-accepted' ? (
          <p class="muted small" data-testid="issuer-check-deferred">
            Issuer checked when you accept: Tessera fetches nothing for this site before you decide.
          </p>
        ) : null}
        {credential.issuerTrusted ? null : (
          <p class="warning" data-testid="issuer-warning">
            Tessera does not know this issuer: anyone can sign a credential. Keep it only if you expected a credential
            from this site, and add the issuer to your trusted issuers in the dashboard if you know who it is.
          </p>
        )}
      </section>

      <section class="card">
        <dl class="fact-list">
          <Fact label="Type" testId="offer-types">
            {credentialTypes(credential).join(', ')}
          </Fact>
          <Fact label="Format">{FORMAT_LABEL[credential.format]}</Fact>
          <Fact label="Status">
            <StatusBadge status={status} testId="credential-status" />
            {status.reason ? <span class="muted small"> {status.reason}</span> : null}
          </Fact>
          <ValidityFacts credential={credential} />
          <Fact label="Bound to your DID">
            <code title={credential.holderDid}>{credential.holderDid}</code>
          </Fact>
        </dl>
        {isInactive(status) || status.state === 'unknown' ? (
          <p class={isInactive(status) ? 'error' : 'warning'}>{statusMeaning(status.state)}</p>
        ) : null}
      </section>

      <section class="card">
        <h3>
          What it says about you <span class="muted small">({credential.claims.length})</span>
        </h3>
        <CredentialCardFace credential={credential} testId="offer-card" />
        <DisplayNotes credential={credential} testId="offer-display-notes" />
        <ClaimList claims={credential.claims} testIdPrefix="offer-claim-" display={credential.display} />
      </section>

      <ErrorText message={decision.error ?? lookupError} testId="approval-error" />
      <DecisionButtons
        decision={decision}
        approveLabel="Keep credential"
        approvingLabel="Keeping…"
        rejectLabel="Decline"
        onApprove={() => void decision.decide('approve')}
      />
      <p class="muted small">Offered {formatDateTime(approval.createdAt)}</p>
    </div>
  );
}
