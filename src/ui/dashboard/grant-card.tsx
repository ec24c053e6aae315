/**
 * One grant in the Access tab: what kind, why (purposes in plain words), what the
 * site can read (credentials and claim paths — never values), until when, when it
 * last read, how much of its limit it used; revoke with a confirm, and the receipt
 * (with its chain proof once anchored) and a signed deletion request as downloads.
 * Research grants add the verified requester and, shared as a child's parent or
 * guardian, the coming-of-age date the grant ends on (grant-research.tsx).
 */
import { useState } from 'preact/hooks';
import type { GrantView } from '../../protocol/internal.ts';
import { ClaimName, claimKey } from '../components/credential.tsx';
import { downloadJson, fileNamePart } from '../components/download.ts';
import { formatCount, formatDate, formatDateTime, shortDid } from '../components/format.ts';
import { useAction } from '../components/hooks.ts';
import { ErrorText } from '../components/page.tsx';
import { sendUiCommand } from '../components/wallet-client.ts';
import { usageText } from './access-model.ts';
import { ReceiptDownloadButton } from './anchoring-receipt-button.tsx';
import { InlineConfirm, useConfirm } from './confirm.tsx';
import { GrantResearchFacts, GuardianNotice } from './grant-research.tsx';

const KIND_LABEL: Record<GrantView['kind'], string> = { identity: 'Log in', data: 'Data access' };
const KIND_TITLE: Record<GrantView['kind'], string> = {
  identity: 'The site may ask for a login proof by its private DID, without asking you',
  data: 'The site may fetch the claims below while the grant lasts, without asking you',
};
const STATUS_CLASS: Record<GrantView['status'], string> = {
  active: 'pill pill-ok',
  revoked: 'pill pill-danger',
  expired: 'pill pill-muted',
};

/** `dpv:AcademicResearch` → "Academic Research", for a term the wallet has no words for. */
function termWords(term: string): string {
  return term.replace(/^[a-z]+:/i, '').replace(/([a-z])([A-Z])/g, '$1 $2');
}

function Purposes({ grant }: { grant: GrantView }) {
  const views = grant.purposeViews.length > 0 ? grant.purposeViews : grant.purposes.map((term) => ({ term, label: termWords(term), description: '' }));
  if (views.length === 0) return <span class="muted">Logging in only</span>;
  return (
    <ul class="purposes">
      {views.map((purpose) => (
        <li key={purpose.term} data-testid={`grant-purpose-${grant.id}-${purpose.term}`} title={purpose.term}>
          {purpose.label}
          {purpose.description ? <span class="muted small">: {purpose.description}</span> : null}
        </li>
      ))}
    </ul>
  );
}

function ReadableData({ grant }: { grant: GrantView }) {
  if (grant.kind === 'identity') return <span class="muted">A proof of its private DID, nothing else</span>;
  if (grant.credentials.length === 0) return <span class="muted">Nothing</span>;
  return (
    <ul class="granted-data">
      {grant.credentials.map((item) => (
        <li key={item.credentialId} data-testid={`grant-data-${grant.id}-${item.credentialId}`}>
          <strong>{item.types.filter((type) => type !== 'VerifiableCredential').join(', ') || item.format}</strong>
          {item.claimPaths.length > 0 ? (
            <span class="small">
              :{' '}
              {item.claimPaths.map((path, index) => (
                <span key={claimKey(path)} data-testid={`grant-claim-${grant.id}-${claimKey(path)}`}>
                  {index > 0 ? ', ' : ''}
                  <ClaimName path={path} display={item.claimLabels ? { claims: item.claimLabels } : undefined} />
                </span>
              ))}
            </span>
          ) : (
            <span class="small muted">: the credential alone</span>
          )}
        </li>
      ))}
    </ul>
  );
}

/** The grant's events, put in the page only once opened (a page of grants stays small). */
function GrantHistory({ grant }: { grant: GrantView }) {
  const [open, setOpen] = useState(false);
  return (
    <details class="grant-history" data-testid={`history-${grant.id}`} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>
        {grant.events.length} {grant.events.length === 1 ? 'event' : 'events'}
      </summary>
      {open ? (
        <ul class="events">
          {grant.events.map((event, index) => (
            <li key={`${index}-${event.type}-${event.at}`}>
              <strong>{event.type}</strong> · {formatDateTime(event.at)} · by {event.actor}
            </li>
          ))}
        </ul>
      ) : null}
    </details>
  );
}

export function GrantCard({ grant, onUpdated }: { grant: GrantView; onUpdated: (grant: GrantView) => void }) {
  // Per grant, so one revoke or download never blocks the buttons of another.
  const action = useAction();
  const confirm = useConfirm(`revoke-${grant.id}`);
  const active = grant.status === 'active';
  const revoke = () =>
    action.run(async () => {
      onUpdated(await sendUiCommand({ command: 'revokeGrant', grantId: grant.id }));
      confirm.close();
    });
  const deletionRequest = () =>
    action.run(async () => {
      const answer = await sendUiCommand({ command: 'createDeletionRequest', grantId: grant.id });
      downloadJson(`tessera-deletion-request-${fileNamePart(grant.id)}.json`, answer);
    });

  return (
    <li class={active ? 'grant-card' : 'grant-card grant-ended'} data-testid={`grant-${grant.id}`}>
      <div class="grant-head">
        <span class="pill" title={KIND_TITLE[grant.kind]}>
          {KIND_LABEL[grant.kind]}
        </span>
        <span class={STATUS_CLASS[grant.status]} data-testid={`status-${grant.id}`}>
          {grant.status}
        </span>
        <code class="muted small" title={grant.did}>
          as {shortDid(grant.did)}
        </code>
      </div>
      <dl class="grant-facts">
        <div>
          <dt>Why</dt>
          <dd>
            <Purposes grant={grant} />
          </dd>
        </div>
        <div>
          <dt>Can read</dt>
          <dd>
            <ReadableData grant={grant} />
          </dd>
        </div>
        <div>
          <dt>Until</dt>
          <dd title={grant.expiresAt ? formatDateTime(grant.expiresAt) : undefined}>
            {grant.expiresAt ? formatDate(grant.expiresAt) : 'No end date'}
            <span class="muted small block">given {formatDate(grant.createdAt)}</span>
          </dd>
        </div>
        <div>
          <dt>Last access</dt>
          <dd data-testid={`last-access-${grant.id}`}>
            {grant.lastAccessAt ? formatDateTime(grant.lastAccessAt) : 'Never'}
            {grant.kind === 'data' ? <span class="muted small block">{usageText(grant)}</span> : null}
          </dd>
        </div>
        {grant.kind === 'data' ? (
          <div>
            <dt>They keep it</dt>
            <dd>{grant.retentionDays === null ? 'Not stated' : `${formatCount(grant.retentionDays)} days`}</dd>
          </div>
        ) : null}
        <GrantResearchFacts grant={grant} />
      </dl>
      <GuardianNotice grant={grant} nowMs={Date.now()} />
      <div class="grant-actions row wrap">
        {active ? (
          <button
            type="button"
            class="button small danger"
            data-testid={`revoke-${grant.id}`}
            aria-label={`Revoke ${KIND_LABEL[grant.kind].toLowerCase()} of ${grant.origin}`}
            disabled={action.busy}
            onClick={confirm.ask}
          >
            {action.busy && confirm.open ? 'Revoking…' : 'Revoke'}
          </button>
        ) : null}
        {grant.hasReceipt ? (
          <ReceiptDownloadButton grantId={grant.id} action={action} />
        ) : null}
        {grant.kind === 'data' && grant.hasReceipt ? (
          <button
            type="button"
            class="button small"
            data-testid={`deletion-request-${grant.id}`}
            disabled={action.busy}
            title="A request, signed by your private DID for this site, to delete what it holds about you"
            onClick={() => void deletionRequest()}
          >
            Ask to delete my data
          </button>
        ) : null}
        <GrantHistory grant={grant} />
      </div>
      {confirm.open && active ? (
        <InlineConfirm
          question={
            <>
              End this access now? <strong>{grant.origin}</strong> can no longer {grant.kind === 'data' ? 'read your data' : 'log you in silently'}.
            </>
          }
          confirmLabel="Revoke"
          busy={action.busy}
          onConfirm={() => void revoke()}
          onCancel={confirm.close}
        />
      ) : null}
      <ErrorText message={action.error} testId={`grant-error-${grant.id}`} />
    </li>
  );
}
