/**
 * The toolbar popup: lock state at a glance, unlock, the sites logged in with Tessera
 * (each disconnectable), the sites with access to data (each a link to the dashboard's
 * Access tab), and the way to the dashboard. It polls, so a site connected
 * or an auto-lock while it is open shows without reopening it.
 */
import { render } from 'preact';
import { useState } from 'preact/hooks';
import '../components/styles.css';
import type { GrantView, WalletStateView } from '../../protocol/internal.ts';
import { formatDate, shortDid } from '../components/format.ts';
import { type Polled, useAction, usePolled, useWalletState } from '../components/hooks.ts';
import { OriginBadge } from '../components/origin-badge.tsx';
import { ErrorText, Loading, LockState, PageShell } from '../components/page.tsx';
import { UnlockForm } from '../components/unlock-form.tsx';
import {
  UiRequestError,
  closeThisWindow,
  dashboardUrl,
  errorMessage,
  openDashboard,
  openOnboarding,
  sendUiCommand,
} from '../components/wallet-client.ts';

const listGrants = () => sendUiCommand({ command: 'listGrants' });

function App() {
  const wallet = useWalletState();
  const state = wallet.value;

  if (!state) {
    return (
      <PageShell>
        {wallet.error ? <StateError wallet={wallet} /> : <Loading />}
      </PageShell>
    );
  }
  if (!state.initialized) return <Welcome />;
  return (
    <PageShell aside={<LockState unlocked={state.unlocked} />}>
      {wallet.error ? <ErrorText message={wallet.error} testId="state-error" /> : null}
      {state.unlocked ? (
        <Unlocked wallet={wallet} />
      ) : (
        <div class="stack">
          <p class="muted">Unlock Tessera to see and manage the sites you are logged in to.</p>
          <UnlockForm retryAfterMs={state.unlockRetryAfterMs} onUnlocked={wallet.accept} />
        </div>
      )}
    </PageShell>
  );
}

function StateError({ wallet }: { wallet: Polled<WalletStateView> }) {
  return (
    <div class="stack">
      <ErrorText message={wallet.error} testId="state-error" />
      <button type="button" class="button" onClick={() => void wallet.refresh()}>
        Try again
      </button>
    </div>
  );
}

function Welcome() {
  const [error, setError] = useState<string | null>(null);
  const start = () =>
    openOnboarding().then(closeThisWindow, (failure: unknown) => setError(errorMessage(failure)));
  return (
    <PageShell>
      <div class="stack">
        <h1>Welcome to Tessera</h1>
        <p class="muted">
          A wallet for your digital identity: log in to sites with private per-site identities and decide who sees
          your data.
        </p>
        <ErrorText message={error} />
        <button type="button" class="button primary block" data-testid="open-onboarding" onClick={() => void start()}>
          Create your wallet
        </button>
      </div>
    </PageShell>
  );
}

function Unlocked({ wallet }: { wallet: Polled<WalletStateView> }) {
  // A `locked` answer means auto-lock beat the state poll: ask for the state now so the page flips.
  const grants = usePolled(listGrants, true, (failure) => {
    if (failure instanceof UiRequestError && failure.code === 'locked') void wallet.refresh();
  });
  const action = useAction();

  const connected = (grants.value ?? [])
    .filter((grant) => grant.kind === 'identity' && grant.status === 'active')
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const dataGrants = (grants.value ?? [])
    .filter((grant) => grant.kind === 'data' && grant.status === 'active')
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));

  const disconnect = (grantId: string) =>
    action.run(async () => {
      await sendUiCommand({ command: 'revokeGrant', grantId });
      await grants.refresh();
    });
  const lock = () => action.run(async () => wallet.accept(await sendUiCommand({ command: 'lock' })));
  const dashboard = (part?: string) =>
    action.run(async () => {
      await openDashboard(part);
      closeThisWindow();
    });

  return (
    <div class="stack">
      <section>
        <h2>Connected sites</h2>
        <ErrorText message={grants.error} testId="grants-error" />
        {grants.value === undefined && !grants.error ? <Loading /> : null}
        {grants.value !== undefined && connected.length === 0 ? (
          <p class="muted" data-testid="no-connected-sites">
            No site is logged in with Tessera. When a site asks you to log in, it will appear here.
          </p>
        ) : null}
        {connected.length > 0 ? (
          <ul class="site-list card">
            {connected.map((grant) => (
              <ConnectedSite
                key={grant.id}
                grant={grant}
                busy={action.busy}
                onDisconnect={() => void disconnect(grant.id)}
              />
            ))}
          </ul>
        ) : null}
      </section>
      {grants.value !== undefined ? (
        <DataGrants grants={dataGrants} busy={action.busy} onOpen={() => void dashboard('access')} />
      ) : null}
      <ErrorText message={action.error} testId="popup-error" />
      <div class="row">
        <button type="button" class="button" data-testid="lock" disabled={action.busy} onClick={() => void lock()}>
          Lock
        </button>
        <button
          type="button"
          class="button"
          data-testid="open-dashboard"
          disabled={action.busy}
          onClick={() => void dashboard()}
        >
          Open dashboard
        </button>
      </div>
    </div>
  );
}

function ConnectedSite({ grant, busy, onDisconnect }: { grant: GrantView; busy: boolean; onDisconnect: () => void }) {
  return (
    <li data-testid={`connected-${grant.id}`}>
      <div class="site-info">
        <OriginBadge origin={grant.origin} />
        <span class="small muted">
          <span class="mono" title={grant.did}>
            {shortDid(grant.did)}
          </span>{' '}
          · since {formatDate(grant.createdAt)}
        </span>
      </div>
      <button
        type="button"
        class="button small danger"
        data-testid={`disconnect-${grant.id}`}
        disabled={busy}
        onClick={onDisconnect}
      >
        Disconnect
      </button>
    </li>
  );
}

/** Sites that may read data under a grant; each opens the dashboard's Access tab, where it is revoked. */
function DataGrants({ grants, busy, onOpen }: { grants: GrantView[]; busy: boolean; onOpen: () => void }) {
  return (
    <section aria-labelledby="data-access-heading">
      <h2 id="data-access-heading">Data access</h2>
      {grants.length === 0 ? (
        <p class="muted" data-testid="no-data-grants">
          No site can read your data. When you give a site ongoing access, it will appear here.
        </p>
      ) : (
        <ul class="site-list card">
          {grants.map((grant) => (
            <li key={grant.id} data-testid={`data-grant-${grant.id}`}>
              <div class="site-info">
                <OriginBadge origin={grant.origin} />
                <span class="small muted">
                  {grant.purposeViews.map((purpose) => purpose.label).join(', ') || grant.purposes.join(', ')}
                  {grant.expiresAt ? ` · until ${formatDate(grant.expiresAt)}` : ''}
                </span>
              </div>
              <a
                class="button small"
                href={dashboardUrl('access')}
                data-testid={`data-grant-open-${grant.id}`}
                aria-label={`Manage the data access of ${grant.origin} in the dashboard`}
                aria-disabled={busy ? 'true' : undefined}
                onClick={(event) => {
                  event.preventDefault();
                  if (!busy) onOpen();
                }}
              >
                Manage
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const root = document.getElementById('app');
if (root) render(<App />, root);
