/**
 * Security settings: how soon the wallet locks itself, the password, and locking now.
 * Inputs are checked here against the protocol's bounds before anything is sent; the
 * background checks again.
 */
import { useEffect, useState } from 'preact/hooks';
import {
  AUTO_LOCK_MAX_MINUTES,
  AUTO_LOCK_MIN_MINUTES,
  PASSWORD_MIN_LENGTH,
  type WalletStateView,
} from '../../protocol/internal.ts';
import { useAction } from '../components/hooks.ts';
import { ErrorText } from '../components/page.tsx';
import { UiRequestError, errorMessage, sendUiCommand } from '../components/wallet-client.ts';

type OnState = (state: WalletStateView) => void;

export function SecuritySection({ state, onState }: { state: WalletStateView; onState: OnState }) {
  return (
    <section class="section">
      <h2>Security</h2>
      <div class="security-grid">
        <AutoLockCard minutes={state.autoLockMinutes} onState={onState} />
        <ChangePasswordCard />
        <LockCard onState={onState} />
      </div>
    </section>
  );
}

function AutoLockCard({ minutes, onState }: { minutes: number; onState: OnState }) {
  const [text, setText] = useState(String(minutes));
  const [dirty, setDirty] = useState(false);
  const [saved, setSaved] = useState<number | null>(null);
  const [invalid, setInvalid] = useState<string | null>(null);
  const action = useAction();

  // Follow the wallet's value (changed in another tab) unless the user is editing.
  useEffect(() => {
    if (!dirty) setText(String(minutes));
  }, [minutes, dirty]);

  const save = async (event: Event) => {
    event.preventDefault();
    setSaved(null);
    const value = Number(text.trim());
    if (text.trim() === '' || !Number.isInteger(value) || value < AUTO_LOCK_MIN_MINUTES || value > AUTO_LOCK_MAX_MINUTES) {
      setInvalid(`Enter a whole number of minutes from ${AUTO_LOCK_MIN_MINUTES} to ${AUTO_LOCK_MAX_MINUTES}.`);
      return;
    }
    setInvalid(null);
    const ok = await action.run(async () => onState(await sendUiCommand({ command: 'setAutoLock', minutes: value })));
    if (ok) {
      setDirty(false);
      setSaved(value);
    }
  };

  return (
    <form class="card stack" onSubmit={save} noValidate>
      <h3>Auto-lock</h3>
      <p class="muted small">Tessera locks itself after this many minutes without use.</p>
      <label class="field">
        <span class="field-label">Minutes</span>
        <input
          type="number"
          data-testid="auto-lock-minutes"
          min={AUTO_LOCK_MIN_MINUTES}
          max={AUTO_LOCK_MAX_MINUTES}
          step={1}
          value={text}
          disabled={action.busy}
          onInput={(event) => {
            setText(event.currentTarget.value);
            setDirty(true);
            setSaved(null);
          }}
        />
      </label>
      <ErrorText message={invalid ?? action.error} testId="auto-lock-error" />
      {saved !== null ? (
        <p class="success" role="status" data-testid="auto-lock-saved">
          Saved. Tessera now locks after {saved} {saved === 1 ? 'minute' : 'minutes'} without use.
        </p>
      ) : null}
      <div>
        <button type="submit" class="button primary" data-testid="save-auto-lock" disabled={action.busy}>
          {action.busy ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}

function validatePasswordChange(current: string, next: string, confirmation: string): string | null {
  if (current === '') return 'Enter your current password.';
  if (next.length < PASSWORD_MIN_LENGTH) return `The new password must have at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (next.length > 1024) return 'The new password must have at most 1024 characters.';
  if (next !== confirmation) return 'The new passwords do not match.';
  if (next === current) return 'The new password is the same as the current one.';
  return null;
}

function ChangePasswordCard() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const invalid = validatePasswordChange(current, next, confirmation);
    if (invalid) {
      setResult({ ok: false, message: invalid });
      return;
    }
    setBusy(true);
    setResult(null);
    try {
      await sendUiCommand({ command: 'changePassword', currentPassword: current, newPassword: next });
      setCurrent('');
      setNext('');
      setConfirmation('');
      setResult({ ok: true, message: 'Password changed. Use the new password from now on.' });
    } catch (failure) {
      const wait = failure instanceof UiRequestError ? (failure.retryAfterMs ?? 0) : 0;
      const suffix = wait > 0 ? ` Try again in ${Math.ceil(wait / 1000)} s.` : '';
      setResult({ ok: false, message: `${errorMessage(failure)}${suffix}` });
    } finally {
      setBusy(false);
    }
  };

  const field = (label: string, testId: string, value: string, set: (value: string) => void, auto: string) => (
    <label class="field">
      <span class="field-label">{label}</span>
      <input
        type="password"
        data-testid={testId}
        autoComplete={auto}
        value={value}
        disabled={busy}
        onInput={(event) => set(event.currentTarget.value)}
      />
    </label>
  );

  return (
    <form class="card stack" onSubmit={submit} noValidate>
      <h3>Change password</h3>
      {field('Current password', 'change-current-password', current, setCurrent, 'current-password')}
      {field('New password', 'change-new-password', next, setNext, 'new-password')}
      {field('Confirm new password', 'change-confirm-password', confirmation, setConfirmation, 'new-password')}
      {result ? (
        <p class={result.ok ? 'success' : 'error'} role={result.ok ? 'status' : 'alert'} data-testid="change-password-result">
          {result.message}
        </p>
      ) : null}
      <div>
        <button type="submit" class="button primary" data-testid="change-password" disabled={busy}>
          {busy ? 'Changing…' : 'Change password'}
        </button>
      </div>
    </form>
  );
}

function LockCard({ onState }: { onState: OnState }) {
  const action = useAction();
  const lock = () => action.run(async () => onState(await sendUiCommand({ command: 'lock' })));
  return (
    <div class="card stack">
      <h3>Lock now</h3>
      <p class="muted small">
        Locking removes the decrypted keys from memory. Until you unlock again, any site request first asks you to
        unlock.
      </p>
      <ErrorText message={action.error} testId="lock-error" />
      <div>
        <button type="button" class="button" data-testid="lock" disabled={action.busy} onClick={() => void lock()}>
          Lock
        </button>
      </div>
    </div>
  );
}
