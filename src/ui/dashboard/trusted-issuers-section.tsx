/**
 * Settings: the issuers this wallet trusts. A credential from a listed DID shows the
 * label given here and a "Trusted" badge; any other issuer shows "Unknown issuer".
 * Trust affects display and the consent screen; it never changes a credential.
 */
import { useState } from 'preact/hooks';
import type { TrustedIssuerView } from '../../protocol/internal.ts';
import { When } from '../components/credential.tsx';
import { useAction, usePolled } from '../components/hooks.ts';
import { ErrorText, Loading } from '../components/page.tsx';
import { UiRequestError, sendUiCommand } from '../components/wallet-client.ts';

const listTrustedIssuers = () => sendUiCommand({ command: 'listTrustedIssuers' });

/** As the protocol checks it (DidString); checked here first so the message is immediate. */
const DID = /^did:[a-z0-9]+:\S{1,2000}$/;
const LABEL_MAX = 80;

function validate(did: string, label: string): string | null {
  if (did === '') return 'Enter the issuer’s DID.';
  if (!DID.test(did)) return 'That is not a DID: it must look like did:method:identifier, without spaces.';
  if (label === '') return 'Enter a label, e.g. the issuer’s name.';
  if (label.length > LABEL_MAX) return `The label must be at most ${LABEL_MAX} characters.`;
  return null;
}

export function TrustedIssuersSection({ onLocked, onChanged }: { onLocked: () => void; onChanged: () => void }) {
  const issuers = usePolled(listTrustedIssuers, true, (failure) => {
    if (failure instanceof UiRequestError && failure.code === 'locked') onLocked();
  });
  const remove = useAction();
  const list = [...(issuers.value ?? [])].sort((a, b) => a.label.localeCompare(b.label));

  const untrust = (did: string) =>
    remove.run(async () => {
      issuers.accept(await sendUiCommand({ command: 'removeTrustedIssuer', did }));
      onChanged();
    });

  return (
    <section class="section" id="trusted-issuers">
      <h2>Trusted issuers</h2>
      <p class="muted small">
        Credentials from these issuers show as trusted, with the label you gave. Any other issuer is shown as
        &ldquo;Unknown issuer&rdquo;: anyone can sign a credential, so trust only issuers you know.
      </p>
      <div class="security-grid">
        <div class="card stack">
          <h3>Your list</h3>
          <ErrorText message={issuers.error} testId="trusted-error" />
          {issuers.value === undefined && !issuers.error ? <Loading /> : null}
          {issuers.value !== undefined && list.length === 0 ? (
            <p class="muted" data-testid="trusted-empty">
              No trusted issuers yet.
            </p>
          ) : null}
          {list.length > 0 ? (
            <ul class="site-list trusted-list">
              {list.map((issuer) => (
                <TrustedRow
                  key={issuer.did}
                  issuer={issuer}
                  busy={remove.busy}
                  onRemove={() => void untrust(issuer.did)}
                />
              ))}
            </ul>
          ) : null}
          <ErrorText message={remove.error} testId="untrust-error" />
        </div>
        <AddTrustedIssuer
          onAdded={(next) => {
            issuers.accept(next);
            onChanged();
          }}
        />
      </div>
    </section>
  );
}

function TrustedRow({ issuer, busy, onRemove }: { issuer: TrustedIssuerView; busy: boolean; onRemove: () => void }) {
  return (
    <li data-testid={`trusted-${issuer.did}`}>
      <div class="site-info">
        <strong>{issuer.label}</strong>
        <code class="small" title={issuer.did}>
          {issuer.did}
        </code>
        <span class="muted small">
          added <When iso={issuer.addedAt} />
        </span>
      </div>
      <button
        type="button"
        class="button small danger"
        data-testid={`untrust-${issuer.did}`}
        disabled={busy}
        onClick={onRemove}
        title="Stop trusting this issuer"
      >
        Remove
      </button>
    </li>
  );
}

function AddTrustedIssuer({ onAdded }: { onAdded: (list: TrustedIssuerView[]) => void }) {
  const [did, setDid] = useState('');
  const [label, setLabel] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const action = useAction();

  const submit = async (event: Event) => {
    event.preventDefault();
    setAdded(null);
    const cleanDid = did.trim();
    const cleanLabel = label.trim();
    const problem = validate(cleanDid, cleanLabel);
    setInvalid(problem);
    if (problem) return;
    const ok = await action.run(async () =>
      onAdded(await sendUiCommand({ command: 'addTrustedIssuer', did: cleanDid, label: cleanLabel })),
    );
    if (ok) {
      setDid('');
      setLabel('');
      setAdded(cleanLabel);
    }
  };

  return (
    <form class="card stack" onSubmit={submit} noValidate>
      <h3>Add an issuer</h3>
      <label class="field">
        <span class="field-label">DID</span>
        <input
          type="text"
          data-testid="trust-did"
          placeholder="did:web:registry.example"
          autoComplete="off"
          spellcheck={false}
          value={did}
          disabled={action.busy}
          onInput={(event) => {
            setDid(event.currentTarget.value);
            setAdded(null);
          }}
        />
      </label>
      <label class="field">
        <span class="field-label">Label</span>
        <input
          type="text"
          data-testid="trust-label"
          placeholder="City civic registry"
          maxLength={LABEL_MAX}
          autoComplete="off"
          value={label}
          disabled={action.busy}
          onInput={(event) => {
            setLabel(event.currentTarget.value);
            setAdded(null);
          }}
        />
        <span class="field-hint">Shown instead of the DID on credentials from this issuer.</span>
      </label>
      <ErrorText message={invalid ?? action.error} testId="trust-error" />
      {added ? (
        <p class="success" role="status" data-testid="trust-added">
          {added} is now a trusted issuer.
        </p>
      ) : null}
      <div>
        <button type="submit" class="button primary" data-testid="trust-add" disabled={action.busy}>
          {action.busy ? 'Adding…' : 'Add'}
        </button>
      </div>
    </form>
  );
}
