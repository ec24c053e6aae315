/**
 * The encrypted backup (Settings), and the reminder at the top of the dashboard when a
 * key exists that no backup holds. The passphrase is checked here first (length,
 * confirmation) so a typo never reaches the slow key derivation; the worker checks again.
 */
import { useState } from 'preact/hooks';
import { PASSWORD_MIN_LENGTH, type BackupStatusView } from '../../protocol/internal.ts';
import { downloadText } from '../components/download.ts';
import { formatDateTime } from '../components/format.ts';
import { useAction, usePolled } from '../components/hooks.ts';
import { ErrorText } from '../components/page.tsx';
import { UiRequestError, sendUiCommand } from '../components/wallet-client.ts';
import { PasswordField } from '../components/password-field.tsx';

const loadStatus = () => sendUiCommand({ command: 'getBackupStatus' });

function useBackupStatus(onLocked: () => void) {
  return usePolled<BackupStatusView>(loadStatus, true, (failure) => {
    if (failure instanceof UiRequestError && failure.code === 'locked') onLocked();
  });
}

/** "No backup since your last new key": shown while a key exists that no backup holds. */
export function BackupReminder({ onLocked }: { onLocked: () => void }) {
  const status = useBackupStatus(onLocked);
  if (!status.value?.reminder) return null;
  const { keysSinceBackup, lastBackupAt } = status.value;
  return (
    <p class="warning" role="status" data-testid="backup-reminder">
      {lastBackupAt ? 'No backup since your last new key' : 'No backup yet'}: {keysSinceBackup}{' '}
      {keysSinceBackup === 1 ? 'key' : 'keys'} would be lost with this browser profile.{' '}
      <a href="#backup">Back up now</a>
    </p>
  );
}

function validate(password: string, passphrase: string, confirmation: string): string | null {
  if (password.length === 0) return 'Enter your wallet password.';
  if (passphrase.length < PASSWORD_MIN_LENGTH) return `Choose a backup passphrase of at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (passphrase.length > 1024) return 'Choose a backup passphrase of at most 1024 characters.';
  if (confirmation !== passphrase) return 'The two passphrases do not match.';
  return null;
}

export function BackupSection({ onLocked }: { onLocked: () => void }) {
  const status = useBackupStatus(onLocked);
  const [password, setPassword] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const action = useAction();

  const exportBackup = async (event: Event) => {
    event.preventDefault();
    setSaved(null);
    const problem = validate(password, passphrase, confirmation);
    setInvalid(problem);
    if (problem) return;
    await action.run(async () => {
      const file = await sendUiCommand({ command: 'exportBackup', password, passphrase });
      downloadText(file.fileName, file.jwe, 'application/jose');
      setPassword('');
      setPassphrase('');
      setConfirmation('');
      setSaved(file.fileName);
      await status.refresh();
    });
  };

  const last = status.value?.lastBackupAt;
  return (
    <section class="section" id="backup" tabIndex={-1} aria-labelledby="backup-heading">
      <h2 id="backup-heading">Backup</h2>
      <form class="card stack" onSubmit={exportBackup} noValidate>
        <p class="muted small">
          One file holds everything: your keys (so every site sees the same DID after a restore), credentials, the
          access you gave, the activity log and your settings, encrypted under a passphrase you choose here. Without the
          passphrase nobody can open it — you neither. Restore it from the onboarding page of a new browser profile.
        </p>
        <p class="small" data-testid="backup-last">
          {last ? `Last backup: ${formatDateTime(last)}.` : 'No backup has been made yet.'}
        </p>
        <PasswordField
          label="Backup passphrase"
          testId="backup-passphrase"
          autoComplete="new-password"
          value={passphrase}
          onValue={setPassphrase}
          disabled={action.busy}
          hint={<>At least {PASSWORD_MIN_LENGTH} characters; it may differ from your wallet password.</>}
        />
        <PasswordField
          label="Confirm backup passphrase"
          testId="backup-passphrase-confirm"
          autoComplete="new-password"
          value={confirmation}
          onValue={setConfirmation}
          disabled={action.busy}
        />
        <PasswordField
          label="Wallet password"
          testId="backup-password"
          autoComplete="current-password"
          value={password}
          onValue={setPassword}
          disabled={action.busy}
          hint="Asked again so that nobody at this unlocked browser can take your keys."
        />
        <ErrorText message={invalid ?? action.error} testId="backup-error" />
        {saved ? (
          <p class="success" role="status" data-testid="backup-saved">
            Saved as {saved}. Keep it somewhere other than this computer.
          </p>
        ) : null}
        <div>
          <button type="submit" class="button primary" data-testid="backup-export" disabled={action.busy}>
            {action.busy ? 'Encrypting…' : 'Export encrypted backup'}
          </button>
        </div>
      </form>
    </section>
  );
}
