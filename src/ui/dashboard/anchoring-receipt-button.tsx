/**
 * A grant's receipt download (`receipt-<grant id>`). The wallet is asked on the click
 * (the file holds that answer); afterwards the button says whether the proof came
 * with it. It does not ask before: a card shown is not the holder acting, and asking
 * for every card on screen would keep the wallet from locking and build a proof each.
 */
import { useState } from 'preact/hooks';
import { downloadJson } from '../components/download.ts';
import type { Action } from '../components/hooks.ts';
import { sendUiCommand } from '../components/wallet-client.ts';
import { receiptDownloadDescription, receiptDownloadLabel, receiptFile, receiptFileName } from './anchoring-receipt.ts';

export function ReceiptDownloadButton({ grantId, action }: { grantId: string; action: Action }) {
  const [anchored, setAnchored] = useState<boolean | null>(null);

  const download = () =>
    action.run(async () => {
      const view = await sendUiCommand({ command: 'getReceipt', grantId });
      setAnchored(view.receiptProof !== null);
      downloadJson(receiptFileName(grantId), receiptFile(view));
    });

  return (
    <button
      type="button"
      class="button small"
      data-testid={`receipt-${grantId}`}
      data-proof={anchored === null ? undefined : String(anchored)}
      title={receiptDownloadDescription(anchored)}
      disabled={action.busy}
      onClick={() => void download()}
    >
      {receiptDownloadLabel(anchored)}
    </button>
  );
}
