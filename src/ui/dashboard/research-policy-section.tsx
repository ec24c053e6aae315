/**
 * Settings: the data categories (DESIGN §8). A credential is in a category when one of
 * the category's type patterns occurs in its type or `vct`; a sensitive category is
 * never shared with a requester the wallet could not verify (health, by default).
 * Edited as a whole and saved with `setResearchPolicy`; the wallet's refusal shows here.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ResearchPolicyView } from '../../protocol/internal.ts';
import { useAction, usePolled } from '../components/hooks.ts';
import { ErrorText, Loading } from '../components/page.tsx';
import { UiRequestError, sendUiCommand } from '../components/wallet-client.ts';
import { type CategoryDraft, type PolicyField, checkPolicyDrafts, draftsFromPolicy, newDraft } from './research-policy-model.ts';

const getResearchPolicy = () => sendUiCommand({ command: 'getResearchPolicy' });

export function ResearchPolicySection({ onLocked }: { onLocked: () => void }) {
  const lockedThen = (failure: unknown) => {
    if (failure instanceof UiRequestError && failure.code === 'locked') onLocked();
  };
  const policy = usePolled(getResearchPolicy, true, lockedThen);
  return (
    <section class="section" id="data-categories" aria-labelledby="data-categories-heading">
      <h2 id="data-categories-heading">Data categories</h2>
      <p class="muted small">
        A credential is in a category when one of the category&apos;s type patterns occurs in its type (case does not
        matter); you can also set a credential&apos;s categories by hand in its detail. A sensitive category is never
        shared with a requester Tessera could not verify.
      </p>
      <ErrorText message={policy.error} testId="research-policy-load-error" />
      {policy.value === undefined && !policy.error ? <Loading /> : null}
      {policy.value ? <PolicyForm policy={policy.value} onPolicy={policy.accept} onLocked={lockedThen} /> : null}
    </section>
  );
}

function PolicyForm({
  policy,
  onPolicy,
  onLocked,
}: {
  policy: ResearchPolicyView;
  onPolicy: (policy: ResearchPolicyView) => void;
  onLocked: (failure: unknown) => void;
}) {
  const [drafts, setDrafts] = useState<CategoryDraft[]>(() => draftsFromPolicy(policy));
  const [dirty, setDirty] = useState(false);
  const [invalid, setInvalid] = useState<{ key: string | null; field: PolicyField | null; message: string } | null>(null);
  const [saved, setSaved] = useState(false);
  const action = useAction();

  // Follow the wallet's policy (saved in another tab) unless the user is editing.
  const policyKey = JSON.stringify(policy);
  useEffect(() => {
    if (!dirty) setDrafts(draftsFromPolicy(policy));
  }, [policyKey, dirty]);

  const change = (next: CategoryDraft[]) => {
    setDrafts(next);
    setDirty(true);
    setSaved(false);
    setInvalid(null);
    action.clearError();
  };
  const edit = (key: string, patch: Partial<CategoryDraft>) =>
    change(drafts.map((draft) => (draft.key === key ? { ...draft, ...patch } : draft)));

  const submit = async (event: Event) => {
    event.preventDefault();
    if (action.busy) return;
    setSaved(false);
    const check = checkPolicyDrafts(drafts);
    if (!check.ok) {
      setInvalid(check);
      return;
    }
    setInvalid(null);
    const ok = await action.run(async () => {
      try {
        onPolicy(await sendUiCommand(check.command));
      } catch (failure) {
        onLocked(failure);
        throw failure;
      }
    });
    if (ok) {
      setDirty(false);
      setSaved(true);
    }
  };

  const invalidField = (key: string, field: PolicyField) => (invalid?.key === key && invalid.field === field ? true : undefined);

  return (
    <form class="card stack" onSubmit={submit} noValidate aria-label="Data categories">
      <p class="field-hint" id="category-patterns-hint">
        Type patterns, one a line: a part of a type&apos;s name (Health) or a whole type (urn:eu.europa.ec.eudi:pid:1).
        A category without patterns holds only the credentials you put in it by hand.
      </p>
      {drafts.length === 0 ? (
        <p class="muted" data-testid="categories-empty">
          No categories: no credential is treated as sensitive.
        </p>
      ) : null}
      <div class="category-grid">
        {drafts.map((draft, index) => (
          <fieldset class="category-draft stack" key={draft.key} data-testid={`category-${draft.key}`}>
            <legend>{draft.name.trim() || `New category ${index + 1}`}</legend>
            <label class="field">
              <span class="field-label">Name</span>
              <input
                type="text"
                data-testid={`category-name-${draft.key}`}
                placeholder="health"
                autoComplete="off"
                spellcheck={false}
                maxLength={32}
                value={draft.name}
                disabled={action.busy}
                aria-invalid={invalidField(draft.key, 'name')}
                onInput={(event) => edit(draft.key, { name: event.currentTarget.value })}
              />
            </label>
            <label class="field">
              <span class="field-label">Type patterns, one a line</span>
              <textarea
                data-testid={`category-patterns-${draft.key}`}
                rows={4}
                spellcheck={false}
                value={draft.patterns}
                disabled={action.busy}
                aria-invalid={invalidField(draft.key, 'patterns')}
                aria-describedby="category-patterns-hint"
                onInput={(event) => edit(draft.key, { patterns: event.currentTarget.value })}
              />
            </label>
            <label class="checkbox-line">
              <input
                type="checkbox"
                data-testid={`category-sensitive-${draft.key}`}
                checked={draft.sensitive}
                disabled={action.busy}
                onChange={(event) => edit(draft.key, { sensitive: event.currentTarget.checked })}
              />
              <span>Sensitive: never shared with unverified requesters</span>
            </label>
            <div>
              <button
                type="button"
                class="button small danger"
                data-testid={`category-remove-${draft.key}`}
                disabled={action.busy}
                aria-label={`Remove category ${draft.name.trim() || index + 1}`}
                onClick={() => change(drafts.filter((item) => item.key !== draft.key))}
              >
                Remove category
              </button>
            </div>
          </fieldset>
        ))}
      </div>
      <ErrorText message={invalid?.message ?? action.error} testId="research-policy-error" />
      {saved ? (
        <p class="success" role="status" data-testid="research-policy-saved">
          Saved. Sensitive: {policy.sensitive.length > 0 ? policy.sensitive.join(', ') : 'none'}.
        </p>
      ) : null}
      <div class="row wrap">
        <button
          type="button"
          class="button"
          data-testid="category-add"
          disabled={action.busy}
          onClick={() => change([...drafts, newDraft(drafts)])}
        >
          Add a category
        </button>
        <button type="submit" class="button primary" data-testid="research-policy-save" disabled={action.busy}>
          {action.busy ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
