/**
 * Onboarding's "Restore from backup": a backup file, its passphrase, and the password
 * this browser's wallet gets from now on (the backup does not carry the old one). Over
 * an existing wallet the worker refuses until the user confirms replacing it here.
 */
import { useState } from 'preact/hooks';
import { BACKUP_FILE_MAX_CHARS, PASSWORD_MIN_LENGTH, type BackupRestoreView } from '../../protocol/internal.ts';
import { formatDateTime } from '../components/format.ts';
import { ErrorText } from '../components/page.tsx';
import { UiRequestError, errorMessage, openDashboard, sendUiCommand } from '../components/wallet-client.ts';
import { PasswordField } from '../components/password-field.tsx';

function validate(file: File | null, passphrase: string, password: string, confirmation: string): string | null {
  if (!file) return 'Choose the backup file (tessera-backup-….jwe).';
  if (file.size > BACKUP_FILE_MAX_CHARS) return 'This file is too large to be a Tessera backup.';
  if (passphrase === '') return 'Enter the passphrase the backup was made with.';
  if (password.length < PASSWORD_MIN_LENGTH) return `Choose a new wallet password of at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (password.length > 1024) return 'Choose a new wallet password of at most 1024 characters.';
  if (confirmation !== password) return 'The two passwords do not match.';
  return null;
}

export function RestoreForm({ onCancel }: { onCancel: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmOverwrite, setConfirmOverwrite] = useState(false);
  const [restored, setRestored] = useState<BackupRestoreView | null>(null);

  const restore = async (overwrite: boolean) => {
    if (busy) return;
    const invalid = validate(file, passphrase, password, confirmation);
    setError(invalid);
    if (invalid || !file) return;
    setBusy(true);
    try {
      const text = await file.text();
      setRestored(await sendUiCommand({ command: 'restoreBackup', file: text, passphrase, newPassword: password, overwrite }));
    } catch (failure) {
      if (failure instanceof UiRequestError && failure.code === 'already_initialized') {
        setConfirmOverwrite(true);
        setError(null);
      } else {
        setError(failure instanceof UiRequestError && failure.code === 'wrong_password' ? 'Wrong backup passphrase.' : errorMessage(failure));
      }
    } finally {
      setBusy(false);
    }
  };

  if (restored) return <RestoredPanel view={restored} />;

  const submit = (event: Event) => {
    event.preventDefault();
    void restore(false);
  };
  return (
    <form class="card stack" onSubmit={submit} noValidate data-testid="restore-form">
      <div>
        <h1>Restore from backup</h1>
        <p class="muted">
          Your keys, credentials, the access you gave and the activity log come back as they were: every site sees the
          same DID as before.
        </p>
      </div>
      <label class="field">
        <span class="field-label">Backup file</span>
        <input
          type="file"
          accept=".jwe,application/jose"
          data-testid="restore-file"
          disabled={busy}
          onChange={(event) => {
            setFile(event.currentTarget.files?.[0] ?? null);
            setConfirmOverwrite(false);
          }}
        />
      </label>
      <PasswordField
        label="Backup passphrase"
        testId="restore-passphrase"
        autoComplete="off"
        value={passphrase}
        onValue={setPassphrase}
        disabled={busy}
      />
      <PasswordField
        label="New wallet password"
        testId="new-password"
        autoComplete="new-password"
        value={password}
        onValue={setPassword}
        disabled={busy}
        hint={<>Unlocks the restored wallet in this browser. At least {PASSWORD_MIN_LENGTH} characters.</>}
      />
      <PasswordField
        label="Confirm password"
        testId="confirm-password"
        autoComplete="new-password"
        value={confirmation}
        onValue={setConfirmation}
        disabled={busy}
      />
      <ErrorText message={error} testId="restore-error" />
      {confirmOverwrite ? (
        <div class="stack" role="alert">
          <p class="warning" data-testid="restore-overwrite-warning">
            This browser already has a Tessera wallet. Restoring replaces it: its keys, credentials, access and activity
            log are deleted and the backup&apos;s take their place. Sites it logged in to will see a different DID.
          </p>
          <div class="row">
            <button type="button" class="button danger" data-testid="restore-confirm-overwrite" disabled={busy} onClick={() => void restore(true)}>
              {busy ? 'Restoring…' : 'Replace this wallet with the backup'}
            </button>
          </div>
        </div>
      ) : null}
      <div class="row">
        <button type="submit" class="button primary" data-testid="restore-submit" disabled={busy}>
          {busy && !confirmOverwrite ? 'Restoring…' : 'Restore wallet'}
        </button>
        <button type="button" class="button" data-testid="restore-cancel" disabled={busy} onClick={onCancel}>
          Back
        </button>
      </div>
    </form>
  );
}

function RestoredPanel({ view }: { view: BackupRestoreView }) {
  const [error, setError] = useState<string | null>(null);
  return (
    <section class="card stack" data-testid="restore-done">
      <h1>Your wallet is restored</h1>
      <p class="success">
        Restored from the backup of {formatDateTime(view.backupCreatedAt)}
        {view.replaced ? ', replacing the wallet that was here' : ''}. It is unlocked with your new password.
      </p>
      <ErrorText message={error} />
      <div class="row">
        <button type="button" class="button" data-testid="open-dashboard" onClick={() => openDashboard().catch((failure: unknown) => setError(errorMessage(failure)))}>
          Open dashboard
        </button>
      </div>
    </section>
  );
}
