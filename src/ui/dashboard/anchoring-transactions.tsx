/**
 * The anchoring queue as the wallet reports it: every transaction not yet confirmed,
 * then the latest confirmed ones. Each row (`anchor-tx-<id>`) says what it is, its
 * state in words, its hash, block, attempts, when it is tried next and why it last
 * failed; failed ones and those waiting after a failure can be retried now
 * (`anchor-retry-<id>`).
 */
import type { AnchorTransactionView } from '../../protocol/internal.ts';
import { formatDateTime } from '../components/format.ts';
import { type Action, useCountdown } from '../components/hooks.ts';
import { ErrorText } from '../components/page.tsx';
import { canRetry, countdownText, shortHex, transactionKindText, transactionStateClass, transactionStateText } from './anchoring-model.ts';

export function AnchorTransactions({
  transactions,
  retry,
  onRetry,
}: {
  transactions: AnchorTransactionView[];
  retry: Action;
  onRetry: (id: string) => void;
}) {
  return (
    <div class="card stack anchor-tx-card">
      <h3>Transactions</h3>
      {transactions.length === 0 ? (
        <p class="muted" data-testid="anchor-tx-empty">
          No transactions yet. Anchors and revocations sent to the chain are listed here.
        </p>
      ) : (
        <ul class="anchor-tx-list">
          {transactions.map((tx) => (
            <AnchorTransactionRow key={tx.id} tx={tx} busy={retry.busy} onRetry={() => onRetry(tx.id)} />
          ))}
        </ul>
      )}
      <ErrorText message={retry.error} testId="anchor-retry-error" />
    </div>
  );
}

function AnchorTransactionRow({ tx, busy, onRetry }: { tx: AnchorTransactionView; busy: boolean; onRetry: () => void }) {
  const kind = transactionKindText(tx);
  return (
    <li class="anchor-tx" data-testid={`anchor-tx-${tx.id}`}>
      <div class="grant-head">
        <strong>{kind}</strong>
        <span class={transactionStateClass(tx)} data-testid={`anchor-tx-state-${tx.id}`}>
          {transactionStateText(tx)}
        </span>
        {canRetry(tx) ? (
          <button
            type="button"
            class="button small anchor-tx-retry"
            data-testid={`anchor-retry-${tx.id}`}
            aria-label={`Retry now: ${kind}`}
            disabled={busy}
            onClick={onRetry}
          >
            Retry now
          </button>
        ) : null}
      </div>
      <dl class="grant-facts anchor-tx-facts">
        <div>
          <dt>Transaction</dt>
          <dd>
            {tx.txHash ? (
              <code title={tx.txHash}>{shortHex(tx.txHash)}</code>
            ) : (
              <span class="muted">Not sent yet</span>
            )}
          </dd>
        </div>
        <div>
          <dt>Block</dt>
          <dd>{tx.blockNumber ?? <span class="muted">Not mined yet</span>}</dd>
        </div>
        <div>
          <dt>Attempts</dt>
          <dd>{tx.attempts}</dd>
        </div>
        {tx.nextAttemptAt && tx.state === 'queued' ? (
          <div>
            <dt>Next attempt</dt>
            <dd>
              <NextAttempt iso={tx.nextAttemptAt} />
            </dd>
          </div>
        ) : null}
        <div>
          <dt>Updated</dt>
          <dd>{formatDateTime(tx.updatedAt)}</dd>
        </div>
      </dl>
      {tx.lastError ? (
        <p class="danger-text small anchor-tx-error" data-testid={`anchor-tx-error-${tx.id}`}>
          Last error: {tx.lastError}
        </p>
      ) : null}
    </li>
  );
}

/** The time of the next attempt, with a countdown to it. */
function NextAttempt({ iso }: { iso: string }) {
  const at = Date.parse(iso);
  const seconds = useCountdown(Number.isNaN(at) ? 0 : at);
  if (Number.isNaN(at)) return <>{iso}</>;
  return (
    <>
      {formatDateTime(iso)} <span class="muted small">({countdownText(seconds)})</span>
    </>
  );
}
