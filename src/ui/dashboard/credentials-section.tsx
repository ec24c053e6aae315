/**
 * The credentials the wallet holds: a card each (issuer, type, a few key claims,
 * status), a detail view on click, and an import panel for a credential received
 * outside a website (pasted, or read from a file). The open credential is kept in the
 * URL (`#credential=<id>`), so reload and the browser's Back button behave.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { CredentialView } from '../../protocol/internal.ts';
import {
  StatusBadge,
  When,
  claimKey,
  claimNameText,
  credentialTypeLabel,
  isInactive,
  issuerName,
  keyClaims,
  receivedFromText,
} from '../components/credential.tsx';
import { CredentialCardFace } from '../components/credential-card.tsx';
import { usePolled } from '../components/hooks.ts';
import { ErrorText, Loading } from '../components/page.tsx';
import { UiRequestError, sendUiCommand } from '../components/wallet-client.ts';
import { CredentialDetail } from './credential-detail.tsx';
import { ImportPanel } from './import-panel.tsx';
import { CredentialOfferPanel } from './credential-offer-panel.tsx';

const listCredentials = () => sendUiCommand({ command: 'listCredentials' });

const HASH = /^#credential=([A-Za-z0-9_-]{1,64})$/;

function selectedFromUrl(): string | null {
  return HASH.exec(location.hash)?.[1] ?? null;
}

/** The credential open in the detail view, in step with the URL's hash and history. */
function useSelectedCredential(): [string | null, (id: string | null) => void] {
  const [selected, setSelected] = useState(selectedFromUrl);
  useEffect(() => {
    const follow = () => setSelected(selectedFromUrl());
    window.addEventListener('popstate', follow);
    window.addEventListener('hashchange', follow);
    // The hash may have changed between the first render and this effect, with no listener to hear it.
    follow();
    return () => {
      window.removeEventListener('popstate', follow);
      window.removeEventListener('hashchange', follow);
    };
  }, []);
  const select = useCallback((id: string | null) => {
    const url = id ? `#credential=${id}` : `${location.pathname}${location.search}`;
    if (id) history.pushState(null, '', url);
    else history.replaceState(null, '', url);
    setSelected(id);
  }, []);
  return [selected, select];
}

export function CredentialsSection({ onLocked, refreshKey }: { onLocked: () => void; refreshKey: number }) {
  const onError = (failure: unknown) => {
    if (failure instanceof UiRequestError && failure.code === 'locked') onLocked();
  };
  const credentials = usePolled(listCredentials, true, onError);
  const [selected, select] = useSelectedCredential();
  const [notice, setNotice] = useState<string | null>(null);

  // Trust changed in the settings below: show the new badges now, not at the next poll.
  const { refresh } = credentials;
  useEffect(() => {
    if (refreshKey > 0) void refresh();
  }, [refreshKey, refresh]);

  const list = [...(credentials.value ?? [])].sort((a, b) => (b.receivedAt ?? '').localeCompare(a.receivedAt ?? ''));

  const open = (id: string) => {
    setNotice(null);
    select(id);
    document.getElementById('credentials')?.scrollIntoView({ block: 'start' });
  };
  const onImported = (credential: CredentialView) =>
    credentials.update((current = []) => [credential, ...current.filter((item) => item.id !== credential.id)]);
  const onDeleted = (id: string) => {
    credentials.update((current = []) => current.filter((item) => item.id !== id));
    setNotice('The credential was deleted from your wallet.');
    select(null);
  };

  return (
    <section class="section" id="credentials" tabIndex={-1}>
      <div class="spread">
        <h2>Credentials</h2>
        {credentials.value && !selected ? (
          <span class="muted small">
            {list.length} {list.length === 1 ? 'credential' : 'credentials'}
          </span>
        ) : null}
      </div>
      {selected ? (
        <CredentialDetail
          key={selected}
          id={selected}
          onBack={() => select(null)}
          onDeleted={() => onDeleted(selected)}
          onLocked={onLocked}
        />
      ) : (
        <>
          <p class="muted small">
            Credentials issuers gave you. Sites may ask for them; you choose each time what leaves.
          </p>
          {notice ? (
            <p class="success" role="status" data-testid="credential-notice">
              {notice}
            </p>
          ) : null}
          <ErrorText message={credentials.error} testId="credentials-error" />
          {credentials.value === undefined && !credentials.error ? <Loading /> : null}
          {credentials.value !== undefined && list.length === 0 ? (
            <p class="card muted" data-testid="credentials-empty">
              No credentials yet. When a site offers you one, or you import one below, it is listed here.
            </p>
          ) : null}
          {list.length > 0 ? (
            <div class="credential-grid">
              {list.map((credential) => (
                <CredentialCard key={credential.id} credential={credential} onOpen={() => open(credential.id)} />
              ))}
            </div>
          ) : null}
          <CredentialOfferPanel onReceived={onImported} />
          <ImportPanel onImported={onImported} onOpen={open} />
        </>
      )}
    </section>
  );
}

const INACTIVE_TEXT: Record<string, string> = {
  revoked: 'Revoked by the issuer',
  suspended: 'Suspended by the issuer',
  expired: 'Expired',
};

/** The wallet's own reason ("revoked by the issuer") when it gives one, else the state in words. */
function inactiveText(status: CredentialView['status']): string {
  const reason = status.reason?.trim();
  if (!reason) return INACTIVE_TEXT[status.state] ?? status.state;
  return `${reason.charAt(0).toUpperCase()}${reason.slice(1)}`;
}

function CredentialCard({ credential, onOpen }: { credential: CredentialView; onOpen: () => void }) {
  const { status } = credential;
  const inactive = isInactive(status);
  const summary = keyClaims(credential, 3);
  const from = receivedFromText(credential.receivedFrom);
  return (
    <button
      type="button"
      class={inactive ? 'card credential-card credential-inactive' : 'card credential-card'}
      data-testid={`credential-${credential.id}`}
      onClick={onOpen}
      aria-describedby={`credential-open-${credential.id}`}
    >
      {/* The card's own text names it (axe: the visible text is the accessible name). */}
      <span class="visually-hidden" id={`credential-open-${credential.id}`}>
        Open details
      </span>
      <CredentialCardFace credential={credential} testId={`credential-face-${credential.id}`} />
      <span class="credential-card-head">
        <span class="credential-type">{credentialTypeLabel(credential)}</span>
        <StatusBadge status={status} testId={`credential-status-${credential.id}`} />
      </span>
      <span class="credential-issuer small">
        {credential.issuerTrusted ? (
          <span title={credential.issuer}>
            <span class="trusted-mark" aria-hidden="true">✓</span> {issuerName(credential)}
          </span>
        ) : (
          <>
            <code title={credential.issuer}>{issuerName(credential)}</code>{' '}
            <span class="pill pill-warn pill-small">Unknown issuer</span>
          </>
        )}
      </span>
      {inactive ? (
        <span class="credential-reason small">
          {inactiveText(status)}
        </span>
      ) : null}
      {summary.length > 0 ? (
        <span class="credential-claims small">
          {summary.map((claim) => (
            <span key={claimKey(claim.path)} class="credential-claim">
              <span class="muted">{claimNameText(claim.path, credential.display)}</span> <ClaimText value={claim.value} />
            </span>
          ))}
        </span>
      ) : null}
      <span class="muted small">
        {credential.receivedAt ? (
          <>
            Received <When iso={credential.receivedAt} />
          </>
        ) : null}
        {from ? ` · ${from}` : null}
      </span>
    </button>
  );
}

/** A card's one-line value (objects are left to the detail view). */
function ClaimText({ value }: { value: unknown }) {
  if (Array.isArray(value)) return <span>{value.map(String).join(', ')}</span>;
  if (typeof value === 'boolean') return <span>{value ? 'Yes' : 'No'}</span>;
  if (value === null || value === undefined) return <span class="muted">—</span>;
  return <span>{String(value)}</span>;
}
