/**
 * Settings: chain anchoring (DESIGN §6). Optional and off by default; when on, the
 * wallet puts its activity log's root and every revocation on an EVM chain, so anyone
 * holding a receipt can check it with a chain node alone. The view is re-read every
 * 2 s while a transaction is on its way, else every 15 s.
 */
import { useEffect, useState } from 'preact/hooks';
import type { AnchoringView } from '../../protocol/internal.ts';
import { useAction, usePolled } from '../components/hooks.ts';
import { ErrorText, Loading } from '../components/page.tsx';
import { UiRequestError, sendUiCommand } from '../components/wallet-client.ts';
import { ANCHORING_IDLE_POLL_MS, anchoringPollMs } from './anchoring-model.ts';
import { AnchoringSettingsForm } from './anchoring-settings-form.tsx';
import { AnchoringStatusCard } from './anchoring-status.tsx';
import { AnchorTransactions } from './anchoring-transactions.tsx';

const getAnchoring = () => sendUiCommand({ command: 'getAnchoring' });

export function AnchoringSection({ onLocked }: { onLocked: () => void }) {
  const lockedThen = (failure: unknown) => {
    if (failure instanceof UiRequestError && failure.code === 'locked') onLocked();
  };
  const [pollMs, setPollMs] = useState(ANCHORING_IDLE_POLL_MS);
  const anchoring = usePolled(getAnchoring, true, lockedThen, pollMs);
  const view = anchoring.value;
  useEffect(() => setPollMs(anchoringPollMs(view)), [view]);

  const anchorNow = useAction();
  const retry = useAction();
  // Each command answers the whole view as it now stands: shown at once, not at the next poll.
  const send = (action: typeof anchorNow, load: () => Promise<AnchoringView>) =>
    void action.run(async () => {
      try {
        anchoring.accept(await load());
      } catch (failure) {
        lockedThen(failure);
        throw failure;
      }
    });

  return (
    <section class="section" id="anchoring" aria-labelledby="anchoring-heading">
      <h2 id="anchoring-heading">Chain anchoring</h2>
      <p class="muted small">
        Optional. When on, Tessera records the root of your activity log and every revocation on an EVM chain, so a
        site or an auditor holding one of your consent receipts can check it — and whether you revoked it — with a chain
        node alone, without trusting the wallet or the site. The anchoring account pays each transaction&apos;s gas.
      </p>
      <ErrorText message={anchoring.error} testId="anchoring-load-error" />
      {view === undefined && !anchoring.error ? <Loading /> : null}
      {view ? (
        <>
          <div class="security-grid">
            <AnchoringSettingsForm view={view} onView={anchoring.accept} onLocked={onLocked} />
            <AnchoringStatusCard
              view={view}
              anchorNow={anchorNow}
              onAnchorNow={() => send(anchorNow, () => sendUiCommand({ command: 'anchorNow' }))}
            />
          </div>
          <AnchorTransactions
            transactions={view.transactions}
            retry={retry}
            onRetry={(transactionId) => send(retry, () => sendUiCommand({ command: 'retryAnchorTransaction', transactionId }))}
          />
        </>
      ) : null}
    </section>
  );
}
