/** "Log in with Tessera": the site gets a proof by its own pairwise DID, and nothing else. */
import type { IdentityApprovalView } from '../../protocol/internal.ts';
import { formatDateTime } from '../components/format.ts';
import { OriginBadge, isInsecureOrigin } from '../components/origin-badge.tsx';
import { ErrorText } from '../components/page.tsx';
import { DecisionButtons, ORIGIN_ID, TITLE_ID, useDecision } from './decision.tsx';

export function IdentityRequest({
  approval,
  didPending = false,
  lookupError,
  onFinished,
}: {
  approval: IdentityApprovalView;
  /** Shown from the window's preview: whether the site has a DID already is not known yet. */
  didPending?: boolean;
  lookupError: string | null;
  onFinished: () => void;
}) {
  const decision = useDecision(approval.id, onFinished);

  return (
    <div class="stack">
      <h1 class="approval-title" id={TITLE_ID}>Log in with Tessera</h1>
      <p class="approval-lead">This site asks you to log in:</p>
      <OriginBadge origin={approval.origin} large testId="approval-origin" id={ORIGIN_ID} />
      {isInsecureOrigin(approval.origin) ? <InsecureWarning /> : null}
      <section class="card">
        <h3>If you approve, the site receives</h3>
        <ul class="facts">
          <li>
            <span class="tick" aria-hidden="true">✓</span>
            <span>
              A signed proof that you control a DID used only with this site.{' '}
              {didPending ? (
                <span class="muted" data-testid="approval-did-pending">
                  Looking up whether you logged in here before…
                </span>
              ) : approval.pairwiseDid ? (
                <>
                  It is the one you used here before:{' '}
                  <code data-testid="approval-did" title={approval.pairwiseDid}>
                    {approval.pairwiseDid}
                  </code>
                </>
              ) : (
                <span data-testid="approval-did">A new private DID will be created for this site.</span>
              )}
            </span>
          </li>
          <li>
            <span class="tick" aria-hidden="true">✓</span>
            <span>
              Nothing else: no name, e-mail, credentials, or the DIDs you use with other sites, so this site cannot
              link you to them.
            </span>
          </li>
          <li>
            <span class="tick" aria-hidden="true">↻</span>
            <span class="muted">
              Later logins by this site happen without asking, until you disconnect it in the Tessera popup or
              dashboard.
            </span>
          </li>
        </ul>
      </section>
      <ErrorText message={decision.error ?? lookupError} testId="approval-error" />
      <DecisionButtons
        decision={decision}
        approveLabel="Approve"
        approvingLabel="Approving…"
        onApprove={() => void decision.decide('approve')}
      />
      <p class="muted small">Requested {formatDateTime(approval.createdAt)}</p>
    </div>
  );
}

export function InsecureWarning() {
  return (
    <p class="warning">This site uses an unencrypted connection (http). Others on the network could alter it.</p>
  );
}
