/**
 * Password unlock, shared by the popup, dashboard and approval window. After a wrong
 * password the background may impose a wait (`retryAfterMs`); the button stays
 * disabled and a countdown shows until it passes, so the user is never left guessing.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { WalletStateView } from '../../protocol/internal.ts';
import { useCountdown } from './hooks.ts';
import { ErrorText } from './page.tsx';
import { UiRequestError, errorMessage, sendUiCommand } from './wallet-client.ts';

export function UnlockForm({
  onUnlocked,
  retryAfterMs = 0,
}: {
  onUnlocked: (state: WalletStateView) => void;
  /** The wait the wallet already reports (WalletStateView.unlockRetryAfterMs). */
  retryAfterMs?: number;
}) {
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; throttled: boolean } | null>(null);
  const [waitUntil, setWaitUntil] = useState(() => (retryAfterMs > 0 ? Date.now() + retryAfterMs : 0));
  const secondsLeft = useCountdown(waitUntil);
  const input = useRef<HTMLInputElement>(null);

  // The polled state may report a wait that began elsewhere (another page's attempt).
  useEffect(() => {
    if (retryAfterMs > 0) setWaitUntil((current) => Math.max(current, Date.now() + retryAfterMs));
  }, [retryAfterMs]);

  // A "too many attempts" message is stale once the wait is over; a "wrong password" one is not.
  useEffect(() => {
    if (secondsLeft === 0) setError((current) => (current?.throttled ? null : current));
  }, [secondsLeft]);

  // The field was disabled during the attempt and so lost focus; give it back for a retry.
  useEffect(() => {
    if (!busy && error) input.current?.focus();
  }, [busy, error]);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy || secondsLeft > 0) return;
    if (password === '') {
      setError({ message: 'Enter your password.', throttled: false });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const state = await sendUiCommand({ command: 'unlock', password });
      setPassword('');
      onUnlocked(state);
    } catch (failure) {
      const wait = failure instanceof UiRequestError ? (failure.retryAfterMs ?? 0) : 0;
      const code = failure instanceof UiRequestError ? failure.code : 'internal';
      if ((code === 'throttled' || code === 'wrong_password') && wait > 0) setWaitUntil(Date.now() + wait);
      if (code === 'wrong_password') setPassword('');
      setError({ message: errorMessage(failure), throttled: code === 'throttled' });
    } finally {
      setBusy(false);
    }
  };

  const waiting = secondsLeft > 0;
  return (
    <form class="stack" onSubmit={submit} noValidate>
      <label class="field">
        <span class="field-label">Password</span>
        <input
          ref={input}
          type="password"
          data-testid="password"
          autoComplete="current-password"
          autoFocus
          value={password}
          disabled={busy}
          onInput={(event) => setPassword(event.currentTarget.value)}
        />
      </label>
      <ErrorText message={error?.message} testId="unlock-error" />
      {waiting ? (
        <p class="muted" data-testid="unlock-countdown" aria-live="polite">
          Try again in {secondsLeft} s.
        </p>
      ) : null}
      <button type="submit" class="button primary" data-testid="unlock" disabled={busy || waiting}>
        {busy ? 'Unlocking…' : 'Unlock'}
      </button>
    </form>
  );
}
