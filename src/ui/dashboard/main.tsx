/**
 * The dashboard (the manifest's options page, in a tab): every grant the wallet ever
 * gave with its history, one-click revocation, and the security settings.
 */
import { render } from 'preact';
import '../components/styles.css';
import { useWalletState } from '../components/hooks.ts';
import { ErrorText, Loading, LockState, PageShell } from '../components/page.tsx';
import { UnlockForm } from '../components/unlock-form.tsx';
import { onboardingUrl } from '../components/wallet-client.ts';
import { GrantsSection } from './grants-section.tsx';
import { SecuritySection } from './security-section.tsx';

function App() {
  const wallet = useWalletState();
  const state = wallet.value;

  if (!state) {
    return <PageShell>{wallet.error ? <ErrorText message={wallet.error} testId="state-error" /> : <Loading />}</PageShell>;
  }
  if (!state.initialized) {
    return (
      <PageShell>
        <section class="card stack">
          <h1>No wallet yet</h1>
          <p class="muted">Create your Tessera wallet first; the dashboard then shows every site you gave access to.</p>
          <div class="row">
            <a class="button primary" data-testid="open-onboarding" href={onboardingUrl()}>
              Create your wallet
            </a>
          </div>
        </section>
      </PageShell>
    );
  }
  return (
    <PageShell aside={<LockState unlocked={state.unlocked} />}>
      <ErrorText message={wallet.error} testId="state-error" />
      {state.unlocked ? (
        <>
          <GrantsSection onLocked={() => void wallet.refresh()} />
          <SecuritySection state={state} onState={wallet.accept} />
        </>
      ) : (
        <section class="card stack unlock-card">
          <h1>Unlock Tessera</h1>
          <p class="muted">Your wallet is locked. Unlock it to see and manage the access you have given.</p>
          <UnlockForm retryAfterMs={state.unlockRetryAfterMs} onUnlocked={wallet.accept} />
        </section>
      )}
    </PageShell>
  );
}

const root = document.getElementById('app');
if (root) render(<App />, root);
