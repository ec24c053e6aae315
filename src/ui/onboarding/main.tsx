/**
 * Onboarding: creates the wallet with a password. The password is checked here first
 * (length, confirmation) so a typo never reaches the slow key derivation; the
 * background checks it again, as every boundary does.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import '../components/styles.css';
import { PASSWORD_MIN_LENGTH } from '../../protocol/internal.ts';
import { ErrorText, Loading, PageShell } from '../components/page.tsx';
import { UiRequestError, errorMessage, getWalletState, openDashboard, sendUiCommand } from '../components/wallet-client.ts';
import { RestoreForm } from './restore-form.tsx';
import { PasswordField } from '../components/password-field.tsx';

type Stage =
  | { kind: 'loading' }
  | { kind: 'form' }
  | { kind: 'done'; alreadyExisted: boolean }
  | { kind: 'restore'; back: Stage }
  | { kind: 'failed'; message: string };

/** Which field a validation message belongs under. */
type FormError = { field: 'new' | 'confirm' | 'form'; message: string };

function validate(password: string, confirmation: string): FormError | null {
  if (password.length < PASSWORD_MIN_LENGTH) {
    return { field: 'new', message: `Choose a password of at least ${PASSWORD_MIN_LENGTH} characters.` };
  }
  if (password.length > 1024) return { field: 'new', message: 'Choose a password of at most 1024 characters.' };
  if (confirmation !== password) return { field: 'confirm', message: 'The two passwords do not match.' };
  return null;
}

function App() {
  const [stage, setStage] = useState<Stage>({ kind: 'loading' });

  useEffect(() => {
    getWalletState().then(
      (state) => setStage(state.initialized ? { kind: 'done', alreadyExisted: true } : { kind: 'form' }),
      (error: unknown) => setStage({ kind: 'failed', message: errorMessage(error) }),
    );
  }, []);

  return (
    <PageShell>
      {stage.kind === 'loading' ? <Loading /> : null}
      {stage.kind === 'failed' ? <ErrorText message={stage.message} testId="onboarding-error" /> : null}
      {stage.kind === 'form' ? (
        <CreateWalletForm onCreated={(alreadyExisted) => setStage({ kind: 'done', alreadyExisted })} />
      ) : null}
      {stage.kind === 'done' ? <DonePanel alreadyExisted={stage.alreadyExisted} /> : null}
      {stage.kind === 'form' || (stage.kind === 'done' && stage.alreadyExisted) ? (
        <div class="row">
          <button type="button" class="button" data-testid="restore-from-backup" onClick={() => setStage({ kind: 'restore', back: stage })}>
            Restore from backup
          </button>
        </div>
      ) : null}
      {stage.kind === 'restore' ? <RestoreForm onCancel={() => setStage(stage.back)} /> : null}
    </PageShell>
  );
}

function CreateWalletForm({ onCreated }: { onCreated: (alreadyExisted: boolean) => void }) {
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [error, setError] = useState<FormError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const invalid = validate(password, confirmation);
    setError(invalid);
    if (invalid) return;
    setBusy(true);
    try {
      await sendUiCommand({ command: 'createWallet', password });
      onCreated(false);
    } catch (failure) {
      // Another tab finished onboarding first: that wallet stands, and this page says so.
      if (failure instanceof UiRequestError && failure.code === 'already_initialized') onCreated(true);
      else setError({ field: 'form', message: errorMessage(failure) });
    } finally {
      setBusy(false);
    }
  };

  const errorUnder = (field: FormError['field']) =>
    error?.field === field ? <ErrorText message={error.message} testId="onboarding-error" /> : null;

  return (
    <form class="card stack" onSubmit={submit} noValidate>
      <div>
        <h1>Create your wallet</h1>
        <p class="muted">
          Tessera keeps your identity keys and credentials encrypted on this device. The password unlocks them; it
          never leaves this browser and cannot be recovered, so keep it safe.
        </p>
      </div>
      <PasswordField
        label="New password"
        testId="new-password"
        autoComplete="new-password"
        autoFocus
        value={password}
        onValue={setPassword}
        disabled={busy}
        hint={<>At least {PASSWORD_MIN_LENGTH} characters. A few unrelated words work well.</>}
      />
      {errorUnder('new')}
      <PasswordField
        label="Confirm password"
        testId="confirm-password"
        autoComplete="new-password"
        value={confirmation}
        onValue={setConfirmation}
        disabled={busy}
      />
      {errorUnder('confirm')}
      {errorUnder('form')}
      <button type="submit" class="button primary block" data-testid="create-wallet" disabled={busy}>
        {busy ? 'Creating wallet…' : 'Create wallet'}
      </button>
    </form>
  );
}

function DonePanel({ alreadyExisted }: { alreadyExisted: boolean }) {
  const [error, setError] = useState<string | null>(null);
  return (
    <section class="card stack" data-testid="onboarding-done">
      <h1>Your wallet is ready</h1>
      {alreadyExisted ? (
        <p class="warning">
          This browser already has a Tessera wallet, so there was nothing to set up and no new wallet was created. Use
          the Tessera toolbar button to unlock or manage it.
        </p>
      ) : (
        <p class="success">Your wallet has been created and is unlocked.</p>
      )}
      <p>
        Websites ask Tessera through <code>window.tessera</code> (and the browser&apos;s Digital Credentials API).
        Every time a site asks to log you in or to see your data, Tessera opens a window showing exactly which site is
        asking and what it would receive. Nothing is shared until you approve.
      </p>
      <p class="muted">
        Each site gets its own private DID, so sites cannot link your visits to one another. You can see and revoke
        every site&apos;s access in the dashboard.
      </p>
      <ErrorText message={error} />
      <div class="row">
        <button
          type="button"
          class="button"
          data-testid="open-dashboard"
          onClick={() => openDashboard().catch((failure: unknown) => setError(errorMessage(failure)))}
        >
          Open dashboard
        </button>
      </div>
    </section>
  );
}

const root = document.getElementById('app');
if (root) render(<App />, root);
