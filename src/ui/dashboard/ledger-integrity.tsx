/**
 * Whether the activity log is intact (`ledger-integrity`: "intact", or the first bad
 * entry named), and the export of everything the wallet knows (`export-data`).
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { LedgerIntegrityView } from '../../protocol/internal.ts';
import { downloadJson } from '../components/download.ts';
import { formatCount } from '../components/format.ts';
import { useAction } from '../components/hooks.ts';
import { ErrorText } from '../components/page.tsx';
import { errorMessage, sendUiCommand } from '../components/wallet-client.ts';

export interface IntegrityState {
  value: LedgerIntegrityView | null;
  error: string | null;
  busy: boolean;
  check: () => Promise<void>;
}

/** Verifies once on show and again on demand; never on a timer (a full check reads the whole log). */
export function useLedgerIntegrity(): IntegrityState {
  const [value, setValue] = useState<LedgerIntegrityView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const check = useCallback(async () => {
    setBusy(true);
    try {
      setValue(await sendUiCommand({ command: 'verifyLedger' }));
      setError(null);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusy(false);
    }
  }, []);
  useEffect(() => void check(), [check]);
  return { value, error, busy, check };
}

function integrityText(value: LedgerIntegrityView): string {
  if (value.ok) return `Log intact: ${formatCount(value.size)} ${value.size === 1 ? 'entry' : 'entries'} verified.`;
  return `Log altered: entry #${value.firstBadIndex} is the first bad entry (${value.reason}).`;
}

export function LedgerIntegrity({ state }: { state: IntegrityState }) {
  const { value, error, busy } = state;
  const tone = value === null ? 'note' : value.ok ? 'success' : 'error';
  return (
    <div class={`integrity ${tone}`} role="status">
      <span data-testid="ledger-integrity" data-state={value === null ? (error ? 'error' : 'checking') : value.ok ? 'intact' : 'broken'}>
        {value ? integrityText(value) : error ? `The log could not be checked: ${error}` : 'Checking the log…'}
      </span>{' '}
      <button type="button" class="link-button small" data-testid="verify-ledger" disabled={busy} onClick={() => void state.check()}>
        {busy ? 'Checking…' : 'Check again'}
      </button>
    </div>
  );
}

export function ExportButton() {
  const action = useAction();
  const exportAll = () =>
    action.run(async () => {
      const data = await sendUiCommand({ command: 'exportData' });
      downloadJson(`tessera-export-${new Date().toISOString().slice(0, 10)}.json`, data);
    });
  return (
    <span class="export">
      <button type="button" class="button small" data-testid="export-data" disabled={action.busy} onClick={() => void exportAll()}>
        {action.busy ? 'Exporting…' : 'Export all my data'}
      </button>
      <ErrorText message={action.error} testId="export-error" />
    </span>
  );
}
