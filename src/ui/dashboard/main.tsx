/**
 * The dashboard (the manifest's options page, in a tab), in four parts under a tab
 * bar: Credentials (held, with import), Access (who can read what, by site, with
 * revocation, receipts and deletion requests), Activity (the tamper-evident log, its
 * integrity, and the export), and Settings (trusted issuers, accreditation bodies, data
 * categories, security and chain anchoring).
 */
import { render } from 'preact';
import { useState } from 'preact/hooks';
import '../components/styles.css';
import { useWalletState } from '../components/hooks.ts';
import { ErrorText, Loading, LockState, PageShell } from '../components/page.tsx';
import { UnlockForm } from '../components/unlock-form.tsx';
import { onboardingUrl } from '../components/wallet-client.ts';
import { CredentialsSection } from './credentials-section.tsx';
import { AccessSection } from './access-section.tsx';
import { ActivitySection } from './activity-section.tsx';
import { BackupReminder } from './backup-section.tsx';
import { ConfirmProvider } from './confirm.tsx';
import { SettingsSection } from './settings-section.tsx';
import { TabBar } from './tab-bar.tsx';

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
        <ConfirmProvider>
          <TabBar />
          <BackupReminder onLocked={onLocked} />
          <CredentialsSection onLocked={onLocked} refreshKey={trustVersion} />
          <AccessSection onLocked={onLocked} />
          <ActivitySection onLocked={onLocked} />
          <SettingsSection
            state={state}
            onState={wallet.accept}
            onLocked={onLocked}
            onTrustChanged={() => setTrustVersion((version) => version + 1)}
          />
        </ConfirmProvider>
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
