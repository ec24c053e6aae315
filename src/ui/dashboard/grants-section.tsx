/**
 * Every grant the wallet has given, in every status, with its event history. Active
 * grants revoke in one click; the row then shows the status the wallet answered with.
 */
import type { GrantView } from '../../protocol/internal.ts';
import { formatDate, formatDateTime, shortDid } from '../components/format.ts';
import { useAction, usePolled } from '../components/hooks.ts';
import { OriginBadge } from '../components/origin-badge.tsx';
import { ErrorText, Loading } from '../components/page.tsx';
import { UiRequestError, sendUiCommand } from '../components/wallet-client.ts';

const listGrants = () => sendUiCommand({ command: 'listGrants' });

/** `dpv:AcademicResearch` → "Academic Research"; the exact term is shown beside it. */
function purposeLabel(term: string): string {
  const name = term.replace(/^[a-z]+:/i, '');
  return name.replace(/([a-z])([A-Z])/g, '$1 $2');
}

const KIND_TITLE: Record<GrantView['kind'], string> = {
  identity: 'Log in with Tessera: the site may ask for a login proof by its private DID',
  data: 'Data access: the site may fetch the shared claims while the grant lasts',
};

const STATUS_CLASS: Record<GrantView['status'], string> = {
  active: 'pill pill-ok',
  revoked: 'pill pill-danger',
  expired: 'pill pill-muted',
};

export function GrantsSection({ onLocked }: { onLocked: () => void }) {
  const grants = usePolled(listGrants, true, (failure) => {
    // Auto-lock happened between polls: let the page re-read the state and show the unlock form.
    if (failure instanceof UiRequestError && failure.code === 'locked') onLocked();
  });
  const list = [...(grants.value ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const active = list.filter((grant) => grant.status === 'active').length;

  // The revoke answer is the grant as it now stands: show it without waiting for the next poll.
  const replace = (updated: GrantView) =>
    grants.update((current = []) => current.map((grant) => (grant.id === updated.id ? updated : grant)));

  return (
    <section class="section">
      <div class="spread">
        <h2>Grants</h2>
        {grants.value ? (
          <span class="muted small">
            {active} active of {list.length}
          </span>
        ) : null}
      </div>
      <p class="muted small">
        Every site you have logged in to or shared data with. Revoking ends the site&apos;s access at once; the site
        learns of it immediately if open, or on its next request.
      </p>
      <ErrorText message={grants.error} testId="grants-error" />
      {grants.value === undefined && !grants.error ? <Loading /> : null}
      {grants.value !== undefined && list.length === 0 ? (
        <p class="card muted" data-testid="grants-empty">
          No grants yet. When you approve a site&apos;s request, it is listed here.
        </p>
      ) : null}
      {list.length > 0 ? (
        <div class="card table-wrap">
          <table>
            <thead>
              <tr>
                <th>Site</th>
                <th>Kind</th>
                <th>Purposes</th>
                <th>DID</th>
                <th>Created</th>
                <th>Expires</th>
                <th>Status</th>
                <th>
                  <span class="visually-hidden">Action</span>
                </th>
                <th>History</th>
              </tr>
            </thead>
            <tbody>
              {list.map((grant) => (
                <GrantRow key={grant.id} grant={grant} onUpdated={replace} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

function GrantRow({ grant, onUpdated }: { grant: GrantView; onUpdated: (grant: GrantView) => void }) {
  // Per row, so revoking one grant never blocks the button of another.
  const action = useAction();
  const revoke = () =>
    action.run(async () => onUpdated(await sendUiCommand({ command: 'revokeGrant', grantId: grant.id })));

  return (
    <tr data-testid={`grant-${grant.id}`}>
      <td>
        <OriginBadge origin={grant.origin} />
      </td>
      <td>
        <span class="pill" title={KIND_TITLE[grant.kind]}>
          {grant.kind}
        </span>
      </td>
      <td>
        {grant.purposes.length === 0 ? (
          <span class="muted">—</span>
        ) : (
          <ul class="purposes">
            {grant.purposes.map((term) => (
              <li key={term}>
                {purposeLabel(term)}
                <code class="muted small">{term}</code>
              </li>
            ))}
          </ul>
        )}
      </td>
      <td>
        <code title={grant.did}>{shortDid(grant.did)}</code>
      </td>
      <td class="nowrap" title={formatDateTime(grant.createdAt)}>
        {formatDate(grant.createdAt)}
      </td>
      <td class="nowrap">
        {grant.expiresAt ? (
          <span title={formatDateTime(grant.expiresAt)}>{formatDate(grant.expiresAt)}</span>
        ) : (
          <span class="muted">No expiry</span>
        )}
      </td>
      <td>
        <span class={STATUS_CLASS[grant.status]} data-testid={`status-${grant.id}`}>
          {grant.status}
        </span>
      </td>
      <td>
        {grant.status === 'active' ? (
          <button
            type="button"
            class="button small danger"
            data-testid={`revoke-${grant.id}`}
            disabled={action.busy}
            onClick={() => void revoke()}
          >
            {action.busy ? 'Revoking…' : 'Revoke'}
          </button>
        ) : null}
        <ErrorText message={action.error} testId={`revoke-error-${grant.id}`} />
      </td>
      <td class="history">
        <details data-testid={`history-${grant.id}`}>
          <summary>
            {grant.events.length} {grant.events.length === 1 ? 'event' : 'events'}
          </summary>
          <ul class="events">
            {grant.events.map((event, index) => (
              <li key={`${index}-${event.type}-${event.at}`}>
                <strong>{event.type}</strong> · {formatDateTime(event.at)} · by {event.actor}
              </li>
            ))}
          </ul>
        </details>
      </td>
    </tr>
  );
}
