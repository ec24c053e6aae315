/**
 * One credential in full: every claim, validity, the DID it is bound to, where it came
 * from, its status (with "Check now"), its data categories (set by hand or automatic),
 * the raw form, and deletion behind a confirmation step.
 */
import { useState } from 'preact/hooks';
import type { CredentialDetailView } from '../../protocol/internal.ts';
import {
  ClaimList,
  credentialTypeLabel,
  credentialTypes,
  Fact,
  FORMAT_LABEL,
  isInactive,
  StatusBadge,
  statusMeaning,
  TrustBadge,
  ValidityFacts,
  When,
} from '../components/credential.tsx';
import { CredentialCardFace, DisplayNotes } from '../components/credential-card.tsx';
import { useAction, usePolled } from '../components/hooks.ts';
import { OriginBadge } from '../components/origin-badge.tsx';
import { ErrorText, Loading } from '../components/page.tsx';
import { UiRequestError, sendUiCommand } from '../components/wallet-client.ts';
import { CredentialCategories } from './credential-categories.tsx';

export function CredentialDetail({
  id,
  onBack,
  onDeleted,
  onLocked,
}: {
  id: string;
  onBack: () => void;
  onDeleted: () => void;
  onLocked: () => void;
}) {
  const [gone, setGone] = useState(false);
  const detail = usePolled(
    () => sendUiCommand({ command: 'getCredential', credentialId: id }),
    !gone,
    (failure) => {
      if (!(failure instanceof UiRequestError)) return;
      if (failure.code === 'not_found') setGone(true);
      if (failure.code === 'locked') onLocked();
    },
  );
  const credential = detail.value;

  const back = (
    <button type="button" class="link-button" data-testid="credential-back" onClick={onBack}>
      ← All credentials
    </button>
  );

  if (gone) {
    return (
      <div class="card stack" data-testid="credential-detail">
        {back}
        <p class="muted" data-testid="credential-gone">
          This credential is not in your wallet (any more).
        </p>
      </div>
    );
  }
  if (!credential) {
    return (
      <div class="card stack" data-testid="credential-detail">
        {back}
        {detail.error ? <ErrorText message={detail.error} testId="credential-error" /> : <Loading />}
      </div>
    );
  }
  return (
    <div class="stack" data-testid="credential-detail">
      <div>{back}</div>
      <DetailBody
        credential={credential}
        pollError={detail.error}
        onStatus={(view) => detail.accept({ ...credential, ...view })}
        onDeleted={onDeleted}
        onLocked={onLocked}
      />
    </div>
  );
}

function DetailBody({
  credential,
  pollError,
  onStatus,
  onDeleted,
  onLocked,
}: {
  credential: CredentialDetailView;
  pollError: string | null;
  /** A command answered the credential anew (its status, its categories). */
  onStatus: (view: Omit<CredentialDetailView, 'raw'>) => void;
  onDeleted: () => void;
  onLocked: () => void;
}) {
  const { id, status } = credential;
  const check = useAction();
  const [checked, setChecked] = useState(false);
  const refresh = async () => {
    setChecked(false);
    const ok = await check.run(async () =>
      onStatus(await sendUiCommand({ command: 'refreshCredentialStatus', credentialId: id })),
    );
    setChecked(ok);
  };
  const from = credential.receivedFrom;

  return (
    <>
      <section class={isInactive(status) ? 'card stack credential-inactive-detail' : 'card stack'}>
        <CredentialCardFace credential={credential} testId={`credential-face-${id}`} />
        <div class="spread wrap">
          <h3 class="credential-detail-title">
            {credentialTypeLabel(credential)}{' '}
            <span class="muted small">{FORMAT_LABEL[credential.format]}</span>
          </h3>
          <StatusBadge status={status} testId={`credential-status-${id}`} />
        </div>
        <dl class="fact-list">
          <Fact label="Issuer">
            <span class="issuer-line">
              <code data-testid="credential-issuer">{credential.issuer}</code>
              <TrustBadge credential={credential} testId="issuer-trust" />
            </span>
          </Fact>
          <Fact label="Types">{credentialTypes(credential).join(', ')}</Fact>
          <ValidityFacts credential={credential} />
          <Fact label="Bound to your DID">
            <code data-testid="credential-holder">{credential.holderDid}</code>
          </Fact>
          <Fact label="Received from" testId="credential-received-from">
            {from === null ? (
              <span class="muted">—</span>
            ) : from === 'import' ? (
              'Imported by you'
            ) : (
              <OriginBadge origin={from} />
            )}
          </Fact>
          <Fact label="Received">
            <When iso={credential.receivedAt} time />
          </Fact>
        </dl>
        {credential.issuerTrusted ? null : (
          <p class="warning small">
            This issuer is not on your trusted list. If you know who it is, add its DID under Trusted issuers below.
          </p>
        )}
      </section>

      <section class="card stack">
        <div class="spread wrap">
          <h3>Status</h3>
          <button
            type="button"
            class="button small"
            data-testid={`refresh-status-${id}`}
            disabled={check.busy}
            onClick={() => void refresh()}
          >
            {check.busy ? 'Checking…' : 'Check now'}
          </button>
        </div>
        <p class={isInactive(status) ? 'error' : status.state === 'unknown' ? 'warning' : 'success'}>
          {statusMeaning(status.state)}
        </p>
        {status.reason ? (
          <p class="small" data-testid={`status-reason-${id}`}>
            <span class="muted">Reason:</span> {status.reason}
          </p>
        ) : null}
        <p class="muted small" data-testid={`status-checked-${id}`}>
          {status.checkedAt ? (
            <>
              Last checked <When iso={status.checkedAt} time />
            </>
          ) : (
            'Never checked (the credential may not publish a status).'
          )}
        </p>
        {checked ? (
          <p class="success small" role="status" data-testid={`refresh-result-${id}`}>
            Checked just now: {status.state}.
          </p>
        ) : null}
        <ErrorText message={check.error} testId={`refresh-error-${id}`} />
      </section>

      <CredentialCategories credential={credential} onChanged={onStatus} onLocked={onLocked} />

      <section class="card">
        <h3>
          Claims <span class="muted small">({credential.claims.length})</span>
        </h3>
        <DisplayNotes credential={credential} testId="credential-display-notes" />
        <ClaimList claims={credential.claims} testIdPrefix="credential-claim-" markSelective display={credential.display} />
      </section>

      <details class="card raw" data-testid="credential-raw">
        <summary>Raw credential ({credential.raw.length.toLocaleString()} characters)</summary>
        <pre class="raw-text">{credential.raw}</pre>
      </details>

      <ErrorText message={pollError} testId="credential-error" />
      <DeleteCredential id={id} onDeleted={onDeleted} />
    </>
  );
}

function DeleteCredential({ id, onDeleted }: { id: string; onDeleted: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const action = useAction();
  const remove = () =>
    action.run(async () => {
      try {
        await sendUiCommand({ command: 'deleteCredential', credentialId: id });
      } catch (failure) {
        // Already gone (deleted in another tab): the outcome the user asked for.
        if (!(failure instanceof UiRequestError && failure.code === 'not_found')) throw failure;
      }
      onDeleted();
    });

  if (!confirming) {
    return (
      <div class="row">
        <button type="button" class="button danger" data-testid={`delete-${id}`} onClick={() => setConfirming(true)}>
          Delete credential
        </button>
      </div>
    );
  }
  return (
    <div class="card stack confirm-box" role="alertdialog" aria-labelledby="confirm-delete-title">
      <p id="confirm-delete-title">
        <strong>Delete this credential?</strong> It is removed from your wallet for good; to have it again, the issuer
        would have to issue it anew. Grants already given are not affected.
      </p>
      <ErrorText message={action.error} testId="delete-error" />
      <div class="row">
        <button
          type="button"
          class="button"
          data-testid="cancel-delete"
          disabled={action.busy}
          onClick={() => {
            action.clearError();
            setConfirming(false);
          }}
        >
          Cancel
        </button>
        <button
          type="button"
          class="button danger"
          data-testid="confirm-delete"
          disabled={action.busy}
          onClick={() => void remove()}
        >
          {action.busy ? 'Deleting…' : 'Delete'}
        </button>
      </div>
    </div>
  );
}
