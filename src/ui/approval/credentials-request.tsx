/**
 * Consent to share credentials (OpenID4VP with a DCQL query). For each query the
 * window shows which credential answers it (a choice when several could), who issued
 * it and its status, then every claim that would leave, each with its own checkbox:
 * SD-JWT claims can be withheld or added, a JWT VC leaves whole. A credential whose
 * status could not be checked needs an explicit acknowledgement before sharing. A
 * signed request whose client_id attached an accreditation shows the requester as the
 * wallet checked it (verified, or unverified and why).
 */
import type { CredentialsApprovalView } from '../../protocol/internal.ts';
import { formatDateTime } from '../components/format.ts';
import { OriginBadge, isInsecureOrigin } from '../components/origin-badge.tsx';
import { ErrorText } from '../components/page.tsx';
import { requestSigner } from './consent-choice.ts';
import { RefusalText } from './consent-parts.tsx';
import { RequesterBadge } from './requester-badge.tsx';
import { useConsentSelection } from './consent-selection.ts';
import { QueryCards } from './consent-query.tsx';
import { DecisionButtons, ORIGIN_ID, TITLE_ID, useDecision } from './decision.tsx';
import { InsecureWarning } from './identity-request.tsx';

export function CredentialsRequest({
  approval,
  lookupError,
  onFinished,
}: {
  approval: CredentialsApprovalView;
  lookupError: string | null;
  onFinished: () => void;
}) {
  const decision = useDecision(approval.id, onFinished);
  const consent = useConsentSelection(approval.queries);
  const { blocked, nothingToShare, refusal } = consent;

  const approve = () => {
    if (blocked || nothingToShare || refusal !== null) return;
    void decision.decide('approve', consent.selection());
  };

  return (
    <div class="stack">
      <h1 class="approval-title" id={TITLE_ID}>Share credentials</h1>
      <OriginBadge origin={approval.origin} large testId="approval-origin" id={ORIGIN_ID} />
      <p class="approval-lead">asks for:</p>
      {approval.clientId !== null ? <SignedBy clientId={approval.clientId} /> : null}
      {approval.requester ? <RequesterBadge requester={approval.requester} purposes={[]} /> : null}
      {isInsecureOrigin(approval.origin) ? <InsecureWarning /> : null}

      <QueryCards consent={consent} busy={decision.busy} />

      <p class="muted small">
        What you share is signed for this site and this request only; it cannot be replayed to another site.
      </p>
      <RefusalText refusal={refusal} />
      <ErrorText message={decision.error ?? lookupError} testId="approval-error" />
      <DecisionButtons
        decision={decision}
        approveLabel="Share"
        approvingLabel="Sharing…"
        approveDisabled={blocked || nothingToShare || refusal !== null}
        approveTitle={refusal ?? (blocked ? 'Confirm the status warning above first' : undefined)}
        onApprove={approve}
      />
      <p class="muted small">Requested {formatDateTime(approval.createdAt)}</p>
    </div>
  );
}

/**
 * A signed request names a DID and proves control of its key; that says nothing about
 * who is behind the DID. So the window says "signed by", never "verified": that word
 * is kept for requesters whose accreditation the wallet has checked.
 */
function SignedBy({ clientId }: { clientId: string }) {
  const signer = requestSigner(clientId);
  return (
    <p class="note signed-by" data-testid="client-id">
      {'did' in signer ? (
        <>
          Request signed by <code title={signer.did}>{signer.did}</code>
        </>
      ) : (
        <>
          Request signed for client <code title={signer.clientId}>{signer.clientId}</code>
        </>
      )}
      <span class="muted small"> The site holds this DID&apos;s key; Tessera has not checked who it belongs to.</span>
    </p>
  );
}
