/**
 * The dashboard (the manifest's options page, in a tab): the credentials the wallet
 * holds (with import), every grant the wallet ever gave with its history and
 * one-click revocation, and the settings: trusted issuers and security.
 */
import { render } from 'preact';
import { useState } from 'preact/hooks';
import '../components/styles.css';
import { useWalletState } from '../components/hooks.ts';
import { ErrorText, Loading, LockState, PageShell } from '../components/page.tsx';
import { UnlockForm } from '../components/unlock-form.tsx';
import { onboardingUrl } from '../components/wallet-client.ts';
import { CredentialsSection } from './credentials-section.tsx';
import { GrantsSection } from './grants-section.tsx';
import { SecuritySection } from './security-section.tsx';
import { TrustedIssuersSection } from './trusted-issuers-section.tsx';

function App() {
  const wallet = useWalletState();
  const state = wallet.value;
  // Bumped when the trust list changes, so credential cards show the new badges at once.
  const [trustVersion, setTrustVersion] = useState(0);
  const onLocked = () => void wallet.refresh();

  if (!state) {
    return <PageShell>{wallet.error ? <ErrorText message={wallet.error} testId="state-error" /> : <Loading />}</PageShell>;
  }
  if (!state.initialized) {
    return (
      <PageShell>
        <section class="card stack">
          <h1>No wallet yet</h1>
          <p class="muted">Create your Tessera wallet first; the dashboard then shows your credentials and every site you gave access to.</p>
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
          <CredentialsSection onLocked={onLocked} refreshKey={trustVersion} />
          <GrantsSection onLocked={onLocked} />
          <TrustedIssuersSection onLocked={onLocked} onChanged={() => setTrustVersion((version) => version + 1)} />
          <SecuritySection state={state} onState={wallet.accept} />
        </>
      ) : (
        <section class="card stack unlock-card">
          <h1>Unlock Tessera</h1>
          <p class="muted">Your wallet is locked. Unlock it to see your credentials and manage the access you have given.</p>
          <UnlockForm retryAfterMs={state.unlockRetryAfterMs} onUnlocked={wallet.accept} />
        </section>
      )}
    </PageShell>
  );
}

const root = document.getElementById('app');
if (root) render(<App />, root);
