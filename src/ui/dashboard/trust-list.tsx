/**
 * A trust list in Settings: the entries (label, DID, when added) with a Remove button
 * each, and a form to add one. The trusted issuers and the accreditation bodies are
 * two such lists, separate in the wallet and on the page; this is their one layout.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { When } from '../components/credential.tsx';
import { useAction, usePolled } from '../components/hooks.ts';
import { ErrorText, Loading } from '../components/page.tsx';
import { UiRequestError } from '../components/wallet-client.ts';
import { LABEL_MAX, trustEntryProblem } from './trust-entry.ts';

export interface TrustEntry {
  did: string;
  label: string;
  addedAt: string;
}

/** The test ids of one list; rows and their buttons are per DID. */
export interface TrustListIds {
  row: (did: string) => string;
  remove: (did: string) => string;
  loadError: string;
  empty: string;
  removeError: string;
  did: string;
  label: string;
  add: string;
  error: string;
  added: string;
}

export interface TrustListConfig<E extends TrustEntry> {
  sectionId: string;
  heading: string;
  intro: ComponentChildren;
  /** What an entry is, for messages: "issuer", "accreditation body". */
  noun: string;
  emptyText: string;
  addHeading: string;
  didPlaceholder: string;
  labelPlaceholder: string;
  labelHint: string;
  removeTitle: string;
  addedText: (label: string) => string;
  ids: TrustListIds;
  list: () => Promise<E[]>;
  add: (did: string, label: string) => Promise<E[]>;
  remove: (did: string) => Promise<E[]>;
}

export function TrustList<E extends TrustEntry>({
  config,
  onLocked,
  onChanged,
}: {
  config: TrustListConfig<E>;
  onLocked: () => void;
  onChanged?: () => void;
}) {
  const entries = usePolled(config.list, true, (failure) => {
    if (failure instanceof UiRequestError && failure.code === 'locked') onLocked();
  });
  const remove = useAction();
  const list = [...(entries.value ?? [])].sort((a, b) => a.label.localeCompare(b.label));
  const headingId = `${config.sectionId}-heading`;

  const untrust = (did: string) =>
    remove.run(async () => {
      entries.accept(await config.remove(did));
      onChanged?.();
    });

  return (
    <section class="section" id={config.sectionId} aria-labelledby={headingId}>
      <h2 id={headingId}>{config.heading}</h2>
      <p class="muted small">{config.intro}</p>
      <div class="security-grid">
        <div class="card stack">
          <h3>Your list</h3>
          <ErrorText message={entries.error} testId={config.ids.loadError} />
          {entries.value === undefined && !entries.error ? <Loading /> : null}
          {entries.value !== undefined && list.length === 0 ? (
            <p class="muted" data-testid={config.ids.empty}>
              {config.emptyText}
            </p>
          ) : null}
          {list.length > 0 ? (
            <ul class="site-list trusted-list">
              {list.map((entry) => (
                <TrustRow key={entry.did} entry={entry} config={config} busy={remove.busy} onRemove={() => void untrust(entry.did)} />
              ))}
            </ul>
          ) : null}
          <ErrorText message={remove.error} testId={config.ids.removeError} />
        </div>
        <AddEntry
          config={config}
          onAdded={(next) => {
            entries.accept(next);
            onChanged?.();
          }}
        />
      </div>
    </section>
  );
}

function TrustRow<E extends TrustEntry>({ entry, config, busy, onRemove }: { entry: E; config: TrustListConfig<E>; busy: boolean; onRemove: () => void }) {
  return (
    <li data-testid={config.ids.row(entry.did)}>
      <div class="site-info">
        <strong>{entry.label}</strong>
        <code class="small" title={entry.did}>
          {entry.did}
        </code>
        <span class="muted small">
          added <When iso={entry.addedAt} />
        </span>
      </div>
      <button
        type="button"
        class="button small danger"
        data-testid={config.ids.remove(entry.did)}
        disabled={busy}
        onClick={onRemove}
        title={config.removeTitle}
        aria-label={`Remove ${entry.label}`}
      >
        Remove
      </button>
    </li>
  );
}

function AddEntry<E extends TrustEntry>({ config, onAdded }: { config: TrustListConfig<E>; onAdded: (list: E[]) => void }) {
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
    const problem = trustEntryProblem(cleanDid, cleanLabel, config.noun);
    setInvalid(problem);
    if (problem) return;
    const ok = await action.run(async () => onAdded(await config.add(cleanDid, cleanLabel)));
    if (ok) {
      setDid('');
      setLabel('');
      setAdded(cleanLabel);
    }
  };

  return (
    <form class="card stack" onSubmit={submit} noValidate aria-label={config.addHeading}>
      <h3>{config.addHeading}</h3>
      <label class="field">
        <span class="field-label">DID</span>
        <input
          type="text"
          data-testid={config.ids.did}
          placeholder={config.didPlaceholder}
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
          data-testid={config.ids.label}
          placeholder={config.labelPlaceholder}
          maxLength={LABEL_MAX}
          autoComplete="off"
          value={label}
          disabled={action.busy}
          onInput={(event) => {
            setLabel(event.currentTarget.value);
            setAdded(null);
          }}
        />
        <span class="field-hint">{config.labelHint}</span>
      </label>
      <ErrorText message={invalid ?? action.error} testId={config.ids.error} />
      {added ? (
        <p class="success" role="status" data-testid={config.ids.added}>
          {config.addedText(added)}
        </p>
      ) : null}
      <div>
        <button type="submit" class="button primary" data-testid={config.ids.add} disabled={action.busy}>
          {action.busy ? 'Adding…' : 'Add'}
        </button>
      </div>
    </form>
  );
}
