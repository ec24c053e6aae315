/**
 * The approval window. The background opens `approval/index.html?id=<approvalId>` and
 * waits; this page only shows the request and resolves it. It looks the approval up
 * again every 2 s, so a request settled elsewhere (or a wallet that auto-locked)
 * is reflected at once instead of leaving a stale window with live buttons.
 */
import { render } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import '../components/styles.css';
import type { ApprovalLookup, ApprovalView } from '../../protocol/internal.ts';
import { formatDateTime } from '../components/format.ts';
import { useAction } from '../components/hooks.ts';
import { OriginBadge, isInsecureOrigin } from '../components/origin-badge.tsx';
import { ErrorText, Loading, PageShell } from '../components/page.tsx';
import { UnlockForm } from '../components/unlock-form.tsx';
import {
  UiRequestError,
  closeThisWindow,
  errorMessage,
  poll,
  sendUiCommand,
} from '../components/wallet-client.ts';

const approvalId = new URLSearchParams(location.search).get('id');

/** Settled, or unknown to the background (already answered, or expired): nothing left to show. */
function isGone(error: unknown): boolean {
  return error instanceof UiRequestError && error.code === 'not_found';
}

/** What the window shows; a settled lookup is never shown, the window closes instead. */
type Shown = Exclude<ApprovalLookup, { state: 'settled' }>;

function App({ id }: { id: string }) {
  const [lookup, setLookup] = useState<Shown | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [finished, setFinished] = useState(false);
  const lastJson = useRef('');

  // Closing is the normal end; the "finished" panel only shows if the browser refuses to close.
  const finish = useCallback(() => {
    setFinished(true);
    closeThisWindow();
  }, []);
  const accept = useCallback((next: ApprovalLookup) => {
    setError(null);
    if (next.state === 'settled') {
      finish();
      return;
    }
    // Unchanged answers do not re-render, so a half-typed password is left alone.
    const json = JSON.stringify(next);
    if (json === lastJson.current) return;
    lastJson.current = json;
    setLookup(next);
  }, [finish]);
  const fail = useCallback(
    (failure: unknown) => {
      if (isGone(failure)) finish();
      else setError(errorMessage(failure));
    },
    [finish],
  );
  const load = useCallback(() => sendUiCommand({ command: 'getApproval', approvalId: id }), [id]);

  useEffect(() => (finished ? undefined : poll(load, accept, fail)), [finished, load, accept, fail]);
  const refresh = () => load().then(accept, fail);

  if (finished) {
    return (
      <PageShell>
        <div class="stack" data-testid="approval-finished">
          <p class="success">This request has been answered. You can close this window.</p>
          <CloseButton />
        </div>
      </PageShell>
    );
  }
  if (!lookup) {
    return (
      <PageShell>
        {error ? <ErrorText message={error} testId="approval-error" /> : <Loading />}
        {error ? <CloseButton /> : null}
      </PageShell>
    );
  }
  return (
    <PageShell>
      {lookup.state === 'locked' ? (
        <LockedRequest origin={lookup.origin} error={error} onUnlocked={() => void refresh()} />
      ) : (
        <IdentityRequest approval={lookup.approval} pollError={error} onFinished={finish} />
      )}
    </PageShell>
  );
}

function LockedRequest({ origin, error, onUnlocked }: { origin: string; error: string | null; onUnlocked: () => void }) {
  return (
    <div class="stack">
      <h1 class="approval-title">Unlock to continue</h1>
      <p class="approval-lead">This site is asking to log in with Tessera:</p>
      <OriginBadge origin={origin} large testId="approval-origin" />
      <p class="muted small">Your wallet is locked. Unlock it to see exactly what the site asks for.</p>
      <UnlockForm onUnlocked={onUnlocked} />
      <ErrorText message={error} testId="approval-error" />
      <button type="button" class="link-button small" data-testid="dismiss" onClick={closeThisWindow}>
        Not now (the site is told the wallet stayed locked)
      </button>
    </div>
  );
}

function IdentityRequest({
  approval,
  pollError,
  onFinished,
}: {
  approval: ApprovalView;
  pollError: string | null;
  onFinished: () => void;
}) {
  const action = useAction();
  const [decision, setDecision] = useState<'approve' | 'reject' | null>(null);

  const decide = (choice: 'approve' | 'reject') =>
    action.run(async () => {
      setDecision(choice);
      try {
        await sendUiCommand({ command: 'resolveApproval', approvalId: approval.id, decision: choice });
      } catch (failure) {
        // Someone (a timeout, another window) settled it first: the window has no purpose left.
        if (!isGone(failure)) throw failure;
      }
      onFinished();
    });

  return (
    <div class="stack">
      <h1 class="approval-title">Log in with Tessera</h1>
      <p class="approval-lead">This site asks you to log in:</p>
      <OriginBadge origin={approval.origin} large testId="approval-origin" />
      {isInsecureOrigin(approval.origin) ? (
        <p class="warning">This site uses an unencrypted connection (http). Others on the network could alter it.</p>
      ) : null}
      <section class="card">
        <h3>If you approve, the site receives</h3>
        <ul class="facts">
          <li>
            <span class="tick" aria-hidden="true">✓</span>
            <span>
              A signed proof that you control a DID used only with this site.{' '}
              {approval.pairwiseDid ? (
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
      <ErrorText message={action.error ?? pollError} testId="approval-error" />
      <div class="actions">
        <button
          type="button"
          class="button"
          data-testid="reject"
          disabled={action.busy}
          onClick={() => void decide('reject')}
        >
          {action.busy && decision === 'reject' ? 'Rejecting…' : 'Reject'}
        </button>
        <button
          type="button"
          class="button primary"
          data-testid="approve"
          disabled={action.busy}
          onClick={() => void decide('approve')}
        >
          {action.busy && decision === 'approve' ? 'Approving…' : 'Approve'}
        </button>
      </div>
      <p class="muted small">Requested {formatDateTime(approval.createdAt)}</p>
    </div>
  );
}

function CloseButton() {
  return (
    <div class="row row-end">
      <button type="button" class="button" onClick={closeThisWindow}>
        Close
      </button>
    </div>
  );
}

function MissingId() {
  return (
    <PageShell>
      <div class="stack">
        <ErrorText message="This window was opened without a request to show." testId="approval-error" />
        <CloseButton />
      </div>
    </PageShell>
  );
}

const root = document.getElementById('app');
if (root) render(approvalId ? <App id={approvalId} /> : <MissingId />, root);
