/**
 * Receiving over OpenID4VCI from the dashboard: paste a credential offer (an
 * `openid-credential-offer://` URI, an https link carrying one, or its JSON). The
 * wallet fetches the issuer's metadata to show who is issuing, opens the issuance
 * window, and answers here once the holder decided there.
 */
import { useState } from 'preact/hooks';
import type { CredentialView } from '../../protocol/internal.ts';
import { useAction } from '../components/hooks.ts';
import { UiRequestError, errorMessage, sendUiCommand } from '../components/wallet-client.ts';

const MAX_LENGTH = 65536;

type Result = { ok: true; count: number } | { ok: false; message: string };

function failureText(failure: unknown): string {
  if (failure instanceof UiRequestError && failure.code === 'user_rejected') return 'You declined the offer; nothing was received.';
  return `Not received: ${errorMessage(failure)}`;
}

export function CredentialOfferPanel({ onReceived }: { onReceived: (credential: CredentialView) => void }) {
  const [text, setText] = useState('');
  const [result, setResult] = useState<Result | null>(null);
  const action = useAction();

  const submit = async (event: Event) => {
    event.preventDefault();
    const offer = text.trim();
    if (offer === '') {
      setResult({ ok: false, message: 'Paste a credential offer first.' });
      return;
    }
    if (offer.length > MAX_LENGTH) {
      setResult({ ok: false, message: 'Not received: the offer is too large (over 64 KiB).' });
      return;
    }
    setResult(null);
    await action.run(async () => {
      try {
        const received = await sendUiCommand({ command: 'openCredentialOffer', offer });
        setResult({ ok: true, count: received.ids.length });
        setText('');
        for (const credential of received.credentials) onReceived(credential);
      } catch (failure) {
        setResult({ ok: false, message: failureText(failure) });
      }
    });
  };

  return (
    <form class="card stack import-panel" onSubmit={submit} noValidate>
      <h3>Receive from an issuer (OpenID4VCI)</h3>
      <p class="muted small">
        Paste a credential offer an issuer gave you (it starts with openid-credential-offer://). Tessera shows who is
        issuing and what, and asks you before anything is received.
      </p>
      <label class="field">
        <span class="field-label">Credential offer</span>
        <textarea
          data-testid="offer-uri"
          rows={3}
          spellcheck={false}
          autoComplete="off"
          placeholder="openid-credential-offer://?credential_offer=…"
          value={text}
          disabled={action.busy}
          onInput={(event) => setText(event.currentTarget.value)}
        />
      </label>
      <div class="row row-end">
        <button type="submit" class="button primary" data-testid="offer-open" disabled={action.busy}>
          {action.busy ? 'Waiting for your decision…' : 'Open offer'}
        </button>
      </div>
      {result?.ok ? (
        <p class="success" role="status" data-testid="offer-result">
          Received {result.count === 1 ? 'a credential' : `${result.count} credentials`}.
        </p>
      ) : null}
      {result && !result.ok ? (
        <p class="error" role="alert" data-testid="offer-result">
          {result.message}
        </p>
      ) : null}
    </form>
  );
}
