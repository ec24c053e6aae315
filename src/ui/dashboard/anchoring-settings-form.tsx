/**
 * The anchoring settings: on or off, the EVM JSON-RPC URL, the contract, and how often
 * to anchor. Saving asks the wallet to check the chain (it reads the chain id and
 * looks for the contract), so the button says so while it waits. Turning anchoring
 * on first shows the privacy notice of DESIGN §6 and asks (`confirm` / `cancel`).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  ANCHOR_EVERY_ENTRIES_MAX,
  ANCHOR_EVERY_MINUTES_MAX,
  ANCHOR_EVERY_MINUTES_MIN,
  type AnchoringView,
} from '../../protocol/anchoring-views.ts';
import { useAction } from '../components/hooks.ts';
import { ErrorText } from '../components/page.tsx';
import { UiRequestError, sendUiCommand } from '../components/wallet-client.ts';
import {
  type AnchoringField,
  type AnchoringForm,
  type SetAnchoringCommand,
  checkAnchoringForm,
  formFromSettings,
  needsPrivacyConsent,
} from './anchoring-model.ts';
import { InlineConfirm, useConfirm } from './confirm.tsx';

const PRIVACY_NOTICE =
  'Every receipt proof names the same anchoring account, so sites that compare the proofs you gave them can link your grants to one another, across sites. Anchoring stays off unless you turn it on.';

function savedText(view: AnchoringView): string {
  if (!view.settings.enabled) return 'Saved. Anchoring is off.';
  const chain = view.settings.chainId === null ? '' : ` (chain ${view.settings.chainId})`;
  return `Saved. Anchoring is on${chain}.`;
}

export function AnchoringSettingsForm({
  view,
  onView,
  onLocked,
}: {
  view: AnchoringView;
  onView: (view: AnchoringView) => void;
  onLocked: () => void;
}) {
  const { settings } = view;
  const [form, setForm] = useState<AnchoringForm>(() => formFromSettings(settings));
  const [dirty, setDirty] = useState(false);
  const [invalid, setInvalid] = useState<{ field: AnchoringField; message: string } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [awaitingConsent, setAwaitingConsent] = useState<SetAnchoringCommand | null>(null);
  const confirm = useConfirm('anchoring-privacy');
  const action = useAction();
  const saveButton = useRef<HTMLButtonElement>(null);
  // The question goes away under the keyboard's focus: give it back to Save once the page has re-rendered.
  const closeQuestion = () => {
    const wasOpen = awaitingConsent !== null;
    setAwaitingConsent(null);
    confirm.close();
    if (wasOpen) requestAnimationFrame(() => saveButton.current?.focus());
  };

  // Follow the wallet's settings (saved in another tab) unless the user is editing.
  const settingsKey = JSON.stringify(settings);
  useEffect(() => {
    if (!dirty) setForm(formFromSettings(settings));
  }, [settingsKey, dirty]);

  const edit = (change: Partial<AnchoringForm>) => {
    setForm((current) => ({ ...current, ...change }));
    setDirty(true);
    setSaved(null);
    setInvalid(null);
    // A question about other values is no longer the one to answer.
    if (awaitingConsent) {
      setAwaitingConsent(null);
      confirm.close();
    }
  };

  const save = async (command: SetAnchoringCommand) => {
    const ok = await action.run(async () => {
      try {
        const next = await sendUiCommand(command);
        onView(next);
        setSaved(savedText(next));
      } catch (failure) {
        if (failure instanceof UiRequestError && failure.code === 'locked') onLocked();
        throw failure;
      }
    });
    if (ok) setDirty(false);
    closeQuestion();
  };

  const submit = (event: Event) => {
    event.preventDefault();
    if (action.busy) return;
    setSaved(null);
    const check = checkAnchoringForm(form);
    if (!check.ok) {
      setInvalid({ field: check.field, message: check.message });
      return;
    }
    setInvalid(null);
    if (needsPrivacyConsent(settings, check.command)) {
      setAwaitingConsent(check.command);
      confirm.ask();
      return;
    }
    void save(check.command);
  };

  const invalidField = (field: AnchoringField) => (invalid?.field === field ? true : undefined);

  return (
    <form class="card stack anchoring-form" onSubmit={submit} noValidate>
      <h3>Chain and contract</h3>
      <label class="checkbox-line">
        <input
          type="checkbox"
          data-testid="anchoring-enabled"
          checked={form.enabled}
          disabled={action.busy}
          aria-describedby="anchoring-privacy"
          onChange={(event) => edit({ enabled: event.currentTarget.checked })}
        />
        <span>Anchor the activity log and every revocation on this chain</span>
      </label>
      <p class="warning small" id="anchoring-privacy" data-testid="anchoring-privacy">
        <strong>Privacy:</strong> {PRIVACY_NOTICE}
      </p>
      <label class="field">
        <span class="field-label">RPC URL</span>
        <input
          type="url"
          data-testid="anchoring-rpc"
          placeholder="http://127.0.0.1:8545"
          autoComplete="off"
          spellcheck={false}
          value={form.rpcUrl}
          disabled={action.busy}
          aria-invalid={invalidField('rpcUrl')}
          onInput={(event) => edit({ rpcUrl: event.currentTarget.value })}
        />
        <span class="field-hint">An EVM JSON-RPC endpoint. The wallet reads the chain id from it when you save.</span>
      </label>
      <label class="field">
        <span class="field-label">Contract address</span>
        <input
          type="text"
          class="mono"
          data-testid="anchoring-contract"
          placeholder="0x…"
          autoComplete="off"
          spellcheck={false}
          value={form.contract}
          disabled={action.busy}
          aria-invalid={invalidField('contract')}
          onInput={(event) => edit({ contract: event.currentTarget.value })}
        />
        <span class="field-hint">The TesseraAnchor contract on that chain.</span>
      </label>
      <div class="row anchoring-policy">
        <label class="field">
          <span class="field-label">Every … entries</span>
          <input
            type="number"
            data-testid="anchoring-every-entries"
            min={1}
            max={ANCHOR_EVERY_ENTRIES_MAX}
            step={1}
            value={form.everyEntries}
            disabled={action.busy}
            aria-invalid={invalidField('everyEntries')}
            onInput={(event) => edit({ everyEntries: event.currentTarget.value })}
          />
        </label>
        <label class="field">
          <span class="field-label">Or every … minutes</span>
          <input
            type="number"
            data-testid="anchoring-every-minutes"
            min={ANCHOR_EVERY_MINUTES_MIN}
            max={ANCHOR_EVERY_MINUTES_MAX}
            step={1}
            value={form.everyMinutes}
            disabled={action.busy}
            aria-invalid={invalidField('everyMinutes')}
            onInput={(event) => edit({ everyMinutes: event.currentTarget.value })}
          />
        </label>
      </div>
      <p class="field-hint">The wallet anchors when either is reached and entries were added since the last anchor.</p>
      <ErrorText message={invalid?.message ?? action.error} testId="anchoring-error" />
      {saved ? (
        <p class="success" role="status" data-testid="anchoring-saved">
          {saved}
        </p>
      ) : null}
      <div>
        <button type="submit" class="button primary" data-testid="anchoring-save" ref={saveButton} disabled={action.busy}>
          {action.busy ? 'Checking the chain…' : 'Save'}
        </button>
      </div>
      {confirm.open && awaitingConsent ? (
        <InlineConfirm
          question={
            <>
              <strong>Turn on chain anchoring?</strong> {PRIVACY_NOTICE}
            </>
          }
          confirmLabel="Turn on anchoring"
          busy={action.busy}
          onConfirm={() => void save(awaitingConsent)}
          onCancel={closeQuestion}
        />
      ) : null}
    </form>
  );
}
