/**
 * The approval window. The background opens `approval/index.html?id=<approvalId>` and
 * waits; this page only shows the request and resolves it. It never polls: it looks
 * the approval up again whenever the worker changes session state (an unlock, a lock,
 * a request settled or replaced) and when the window is shown or focused, so a
 * request settled elsewhere or a wallet that locked is reflected at once instead of
 * leaving a stale window with live buttons.
 *
 * Four kinds of request: a login (identity), a credential offered by a site (offer),
 * a site asking for credentials (credentials consent) and a site asking for ongoing
 * access to data (data access). Each has its own view.
 */
import { render } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import '../components/styles.css';
import type { ApprovalKind, ApprovalLookup, ApprovalView } from '../../protocol/internal.ts';
import { OriginBadge } from '../components/origin-badge.tsx';
import { ErrorText, Loading, PageShell } from '../components/page.tsx';
import { UnlockForm } from '../components/unlock-form.tsx';
import { closeThisWindow, errorMessage, onWalletChange, sendUiCommand, watchWallet } from '../components/wallet-client.ts';
import { CloseButton, isGone } from './decision.tsx';
import { IdentityRequest } from './identity-request.tsx';
import { readPreview } from '../../protocol/approval-preview.ts';
import { loadAskedEarly } from './early-load.ts';
import { LazyCredentialsRequest, LazyDataAccessRequest, LazyIssuanceRequest, LazyOfferRequest } from './lazy-views.tsx';

const approvalId = new URLSearchParams(location.search).get('id');

/** The look-up of this window's request; the first answer is asked for before anything renders. */
const loadApproval = approvalId
  ? loadAskedEarly(() => sendUiCommand({ command: 'getApproval', approvalId }), onWalletChange)
  : null;

/** What the window shows; a settled lookup is never shown, the window closes instead. */
type Shown = Exclude<ApprovalLookup, { state: 'settled' }>;

/**
 * A login's header from the window's URL (protocol/approval-preview.ts), shown until
 * the first look-up answers: the request is on screen without waiting for the worker.
 */
const preview = approvalId ? readPreview(new URLSearchParams(location.search)) : null;
const previewLookup: Shown | null =
  approvalId && preview ? { state: 'pending', approval: { ...preview, id: approvalId, pairwiseDid: null } } : null;

function App({ load }: { load: () => Promise<ApprovalLookup> }) {
  const [lookup, setLookup] = useState<Shown | null>(previewLookup);
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
    // Unchanged answers do not re-render, so a half-typed password or a ticked box is left alone.
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

  // No timer: pushes and visibility only (issue 6, item 4).
  useEffect(() => (finished ? undefined : watchWallet(load, accept, fail)), [finished, load, accept, fail]);
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
        <LockedRequest origin={lookup.origin} kind={lookup.kind} error={error} onUnlocked={() => void refresh()} />
      ) : (
        <Request
          key={lookup.approval.id}
          approval={lookup.approval}
          detailsPending={lookup === previewLookup}
          lookupError={error}
          onFinished={finish}
        />
      )}
    </PageShell>
  );
}

function Request({
  approval,
  detailsPending,
  lookupError,
  onFinished,
}: {
  approval: ApprovalView;
  /** Shown from the preview: what only the look-up knows is still to come. */
  detailsPending: boolean;
  lookupError: string | null;
  onFinished: () => void;
}) {
  switch (approval.kind) {
    case 'identity':
      return <IdentityRequest approval={approval} didPending={detailsPending} lookupError={lookupError} onFinished={onFinished} />;
    case 'offer':
      return <LazyOfferRequest approval={approval} lookupError={lookupError} onFinished={onFinished} />;
    case 'credentials':
      return <LazyCredentialsRequest approval={approval} lookupError={lookupError} onFinished={onFinished} />;
    case 'data-access':
      return <LazyDataAccessRequest approval={approval} lookupError={lookupError} onFinished={onFinished} />;
    case 'issuance':
      return <LazyIssuanceRequest approval={approval} lookupError={lookupError} onFinished={onFinished} />;
    default:
      return <UnknownRequest kind={(approval as { kind?: unknown }).kind} />;
  }
}

/** A kind this page does not know (a newer background): say so rather than show half a request. */
function UnknownRequest({ kind }: { kind: unknown }) {
  return (
    <div class="stack">
      <ErrorText
        message={`This window cannot show a request of kind “${String(kind)}”. Reject it from the site or close the window.`}
        testId="approval-error"
      />
      <CloseButton />
    </div>
  );
}

const LOCKED_LEAD: Record<ApprovalKind, string> = {
  identity: 'This site is asking to log in with Tessera:',
  offer: 'This site is offering you a credential:',
  credentials: 'This site is asking for your credentials:',
  'data-access': 'This site is asking for ongoing access to your data:',
  issuance: 'A credential offer is waiting for you:',
};

function LockedRequest({
  origin,
  kind,
  error,
  onUnlocked,
}: {
  origin: string;
  kind: ApprovalKind;
  error: string | null;
  onUnlocked: () => void;
}) {
  return (
    <div class="stack">
      <h1 class="approval-title">Unlock to continue</h1>
      <p class="approval-lead">{LOCKED_LEAD[kind] ?? 'This site is asking something of your wallet:'}</p>
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
if (root) render(loadApproval ? <App load={loadApproval} /> : <MissingId />, root);
