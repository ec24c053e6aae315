/**
 * A credential's data categories in its detail (DESIGN §8): the ones it is in, whether
 * by its type (automatic) or as the user set them, which of them are sensitive, and
 * the control to set them by hand or go back to automatic (`setCredentialCategories`).
 */
import { useState } from 'preact/hooks';
import type { CredentialView } from '../../protocol/internal.ts';
import { useAction, usePolled } from '../components/hooks.ts';
import { ErrorText } from '../components/page.tsx';
import { UiRequestError, sendUiCommand } from '../components/wallet-client.ts';
import { offeredCategories } from './research-policy-model.ts';

const getResearchPolicy = () => sendUiCommand({ command: 'getResearchPolicy' });

export function CredentialCategories({
  credential,
  onChanged,
  onLocked,
}: {
  credential: CredentialView;
  onChanged: (view: CredentialView) => void;
  onLocked: () => void;
}) {
  const lockedThen = (failure: unknown) => {
    if (failure instanceof UiRequestError && failure.code === 'locked') onLocked();
  };
  const policy = usePolled(getResearchPolicy, true, lockedThen);
  const [editing, setEditing] = useState<string[] | null>(null);
  const action = useAction();
  const { id } = credential;
  const current = credential.categories ?? [];
  const byHand = credential.categoriesSetByUser === true;
  const sensitive = current.filter((name) => policy.value?.sensitive.includes(name));
  const offered = offeredCategories(policy.value?.categories.map((category) => category.name) ?? [], current);

  const send = (categories: string[] | null) =>
    action.run(async () => {
      try {
        onChanged(await sendUiCommand({ command: 'setCredentialCategories', credentialId: id, categories }));
        setEditing(null);
      } catch (failure) {
        lockedThen(failure);
        throw failure;
      }
    });
  const toggle = (name: string, on: boolean) =>
    setEditing((ticked) => {
      const rest = (ticked ?? []).filter((item) => item !== name);
      return on ? [...rest, name] : rest;
    });

  return (
    <section class="card stack" aria-labelledby="credential-categories-heading">
      <div class="spread wrap">
        <h3 id="credential-categories-heading">Data categories</h3>
        {editing === null ? (
          <button
            type="button"
            class="button small"
            data-testid="credential-categories-edit"
            disabled={action.busy}
            onClick={() => {
              action.clearError();
              setEditing([...current]);
            }}
          >
            Set by hand
          </button>
        ) : null}
      </div>
      <p data-testid="credential-categories">
        {current.length > 0 ? <strong>{current.join(', ')}</strong> : 'In no category'}{' '}
        <span class="muted small" data-testid="credential-categories-source">
          {byHand ? '(set by you)' : '(automatic, from its type)'}
        </span>
      </p>
      {sensitive.length > 0 ? (
        <p class="note small" data-testid="credential-categories-sensitive">
          Sensitive ({sensitive.join(', ')}): never shared with a requester Tessera could not verify.
        </p>
      ) : null}
      {editing !== null ? (
        <fieldset class="category-draft stack">
          <legend>Put this credential in</legend>
          {offered.length === 0 ? <p class="muted small">No categories are defined; add one under Settings → Data categories.</p> : null}
          {offered.map((name) => (
            <label class="checkbox-line" key={name}>
              <input
                type="checkbox"
                data-testid={`credential-category-${name}`}
                checked={editing.includes(name)}
                disabled={action.busy}
                onChange={(event) => toggle(name, event.currentTarget.checked)}
              />
              <span>{name}</span>
            </label>
          ))}
          <div class="row wrap">
            <button type="button" class="button" data-testid="credential-categories-cancel" disabled={action.busy} onClick={() => setEditing(null)}>
              Cancel
            </button>
            <button
              type="button"
              class="button primary"
              data-testid="credential-categories-save"
              disabled={action.busy}
              onClick={() => void send(offered.filter((name) => editing.includes(name)))}
            >
              {action.busy ? 'Saving…' : 'Save categories'}
            </button>
          </div>
        </fieldset>
      ) : null}
      {byHand ? (
        <div>
          <button
            type="button"
            class="button small"
            data-testid="credential-categories-auto"
            disabled={action.busy}
            title="Let the credential's type decide its categories again"
            onClick={() => void send(null)}
          >
            Back to automatic
          </button>
        </div>
      ) : null}
      <ErrorText message={action.error ?? policy.error} testId="credential-categories-error" />
    </section>
  );
}
