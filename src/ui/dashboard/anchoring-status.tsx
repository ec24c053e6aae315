/**
 * Where anchoring stands: the status line (`anchoring-status`, a live region), the
 * anchoring account with its chain and balance, the last anchor, what the chain has
 * not yet seen, and "Anchor now" (`anchor-now`), which shows the anchor's progress
 * while one is on its way.
 */
import { useEffect, useState } from 'preact/hooks';
import type { AnchoringView } from '../../protocol/internal.ts';
import { Fact } from '../components/credential.tsx';
import { formatCount, formatDateTime } from '../components/format.ts';
import type { Action } from '../components/hooks.ts';
import { ErrorText } from '../components/page.tsx';
import { anchorNowState, anchoringStatusText, balanceText, entriesText, shortHex } from './anchoring-model.ts';

export function AnchoringStatusCard({ view, anchorNow, onAnchorNow }: { view: AnchoringView; anchorNow: Action; onAnchorNow: () => void }) {
  const button = anchorNowState(view);
  const balance = balanceText(view);
  return (
    <div class="card stack">
      <h3>Status</h3>
      <p class="anchoring-status" role="status" data-testid="anchoring-status">
        {anchoringStatusText(view)}
      </p>
      <dl class="fact-list">
        <Fact label="Account">
          {view.account ? <CopyableAddress address={view.account.address} /> : <span class="muted">Created when anchoring is first turned on</span>}
        </Fact>
        <Fact label="Chain id">
          {view.settings.chainId === null ? (
            <span class="muted">Read from the RPC when saved</span>
          ) : (
            <span data-testid="anchoring-chain-id">{view.settings.chainId}</span>
          )}
        </Fact>
        <Fact label="Balance">
          <span class={balance.unknown ? 'muted' : undefined} data-testid="anchoring-balance">
            {balance.text}
          </span>
        </Fact>
        <Fact label="Last anchor">
          {view.lastAnchor ? (
            <>
              <span data-testid="anchoring-last">
                {entriesText(view.lastAnchor.treeSize)}, block {view.lastAnchor.blockNumber}
              </span>
              <span class="muted small block" title={view.lastAnchor.txHash}>
                {formatDateTime(view.lastAnchor.at)} · tx <code>{shortHex(view.lastAnchor.txHash)}</code>
              </span>
            </>
          ) : (
            <span class="muted">None yet</span>
          )}
        </Fact>
        <Fact label="Not yet anchored">
          <span data-testid="anchoring-unanchored">
            {formatCount(view.unanchoredEntries)} of {entriesText(view.ledgerSize)}
          </span>
        </Fact>
      </dl>
      <ErrorText message={anchorNow.error} testId="anchor-now-error" />
      <div>
        <button
          type="button"
          class="button"
          data-testid="anchor-now"
          disabled={button.disabled || anchorNow.busy}
          aria-describedby={button.reason ? 'anchor-now-reason' : undefined}
          onClick={onAnchorNow}
        >
          {anchorNow.busy ? 'Sending…' : button.label}
        </button>
        {button.reason ? (
          <span id="anchor-now-reason" class="muted small block">
            {button.reason}
          </span>
        ) : null}
      </div>
    </div>
  );
}

/** The account address in full (selectable as one piece) and a button that copies it. */
function CopyableAddress({ address }: { address: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  // "Copied" is a moment's confirmation; the button reads "Copy" again after it.
  useEffect(() => {
    if (copied !== 'yes') return undefined;
    const timer = setTimeout(() => setCopied(null), 2000);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(address);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <span class="anchoring-address">
      <code data-testid="anchoring-address">{address}</code>
      <button type="button" class="button small" data-testid="anchoring-address-copy" onClick={() => void copy()}>
        {copied === 'yes' ? 'Copied' : 'Copy'}
        <span class="visually-hidden"> the anchoring account address</span>
      </button>
      {copied === 'failed' ? (
        <span class="danger-text small block" role="alert">
          Could not copy: select the address and copy it.
        </span>
      ) : null}
    </span>
  );
}
