/**
 * Importing a credential received outside a website: pasted, or read from a file. The
 * background verifies it exactly as an offer (signature, issuer key, binding to one of
 * this wallet's keys) and, when it refuses, says precisely why; that reason is shown
 * as it is.
 */
import { useRef, useState } from 'preact/hooks';
import type { CredentialView } from '../../protocol/internal.ts';
import { credentialTypeLabel, issuerName } from '../components/credential.tsx';
import { useAction } from '../components/hooks.ts';
import { UiRequestError, errorMessage, sendUiCommand } from '../components/wallet-client.ts';

/** The protocol's limit (CredentialText): 64 KiB of text. */
const MAX_LENGTH = 65536;

type Result = { ok: true; credential: CredentialView } | { ok: false; message: string };

function failureText(failure: unknown): string {
  if (failure instanceof UiRequestError && failure.code === 'invalid_credential') {
    return `Not imported: ${failure.message}`;
  }
  return `Not imported: ${errorMessage(failure)}`;
}

export function ImportPanel({
  onImported,
  onOpen,
}: {
  onImported: (credential: CredentialView) => void;
  onOpen: (id: string) => void;
}) {
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const action = useAction();
  const fileInput = useRef<HTMLInputElement>(null);

  const chooseFile = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file) return;
    setResult(null);
    if (file.size > MAX_LENGTH * 4) {
      setResult({ ok: false, message: `${file.name} is too large to be a credential (over 64 KiB).` });
      input.value = '';
      return;
    }
    try {
      setText((await file.text()).trim());
      setFileName(file.name);
    } catch (failure) {
      setResult({ ok: false, message: `Could not read ${file.name}: ${errorMessage(failure)}` });
    }
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    const credential = text.trim();
    if (credential === '') {
      setResult({ ok: false, message: 'Paste a credential or choose a file first.' });
      return;
    }
    if (credential.length > MAX_LENGTH) {
      setResult({ ok: false, message: 'Not imported: the credential is too large (over 64 KiB).' });
      return;
    }
    setResult(null);
    await action.run(async () => {
      try {
        const imported = await sendUiCommand({ command: 'importCredential', credential });
        setResult({ ok: true, credential: imported });
        setText('');
        setFileName(null);
        if (fileInput.current) fileInput.current.value = '';
        onImported(imported);
      } catch (failure) {
        setResult({ ok: false, message: failureText(failure) });
      }
    });
  };

  return (
    <form class="card stack import-panel" onSubmit={submit} noValidate>
      <h3>Import a credential</h3>
      <p class="muted small">
        Paste a credential you received (a JWT VC, or an SD-JWT VC with its disclosures), or choose a file holding one.
        It must be bound to one of this wallet&apos;s DIDs.
      </p>
      <label class="field">
        <span class="field-label">Credential</span>
        <textarea
          data-testid="import-credential-text"
          rows={4}
          spellcheck={false}
          autoComplete="off"
          placeholder="eyJhbGciOi…"
          value={text}
          disabled={action.busy}
          onInput={(event) => {
            setText(event.currentTarget.value);
            setFileName(null);
          }}
        />
      </label>
      <div class="row spread wrap">
        <label class="file-field small">
          <span>Or read it from a file: </span>
          <input
            ref={fileInput}
            type="file"
            data-testid="import-credential-file"
            accept=".jwt,.txt,.sd-jwt,.vc,text/plain,application/jwt,application/dc+sd-jwt"
            disabled={action.busy}
            onChange={(event) => void chooseFile(event.currentTarget)}
          />
        </label>
        <button type="submit" class="button primary" data-testid="import-credential" disabled={action.busy}>
          {action.busy ? 'Importing…' : 'Import'}
        </button>
      </div>
      {fileName ? <p class="muted small">Read from {fileName}. Check it, then Import.</p> : null}
      {result?.ok ? (
        <p class="success" role="status" data-testid="import-result">
          Imported {credentialTypeLabel(result.credential)} from {issuerName(result.credential)}.{' '}
          <button type="button" class="link-button" onClick={() => onOpen(result.credential.id)}>
            Open it
          </button>
        </p>
      ) : null}
      {result && !result.ok ? (
        <p class="error" role="alert" data-testid="import-result">
          {result.message}
        </p>
      ) : null}
    </form>
  );
}
